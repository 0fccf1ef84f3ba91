package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.bench.SyntheticNatCaptures;
import dev.natrecon.correlate.FlowId;
import dev.natrecon.decode.Protocols;
import dev.natrecon.report.CaseOutputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flow numbers ({@link FlowIds}, {@link FlowId}): one number per tuple of a file and never one tuple's number for
 * another, through growth and the table starting afresh; and the replay's per-flow caches they key (conntrack tuples,
 * bindings, media endpoints) change nothing: every bundled sample (flushes, renumbered uplinks, NAT
 * revealed late, expectations, port clashes, a router capture) and a generated pair give byte-identical outputs with
 * and without flow numbers ({@value FlowIds#PROPERTY} {@code off}).
 */
class FlowIdsTest {
    @TempDir
    Path tmp;

    @AfterEach
    void clearProperty() {
        System.clearProperty(FlowIds.PROPERTY);
    }

    private static long pp(int protocol, int srcPort, int dstPort) {
        return (long) protocol << 32 | (long) srcPort << 16 | dstPort;
    }

    @Test
    void oneNumberPerTupleThroughGrowthAndNeverReused() {
        FlowIds ids = new FlowIds();
        Random r = new Random(18);
        Map<List<Long>, Long> given = new HashMap<>();
        Set<Long> used = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            List<Long> t = List.of(r.nextBoolean() ? 0L : r.nextLong(), (long) r.nextInt(64), 0L, (long) r.nextInt(8),
                    pp(r.nextBoolean() ? Protocols.UDP : Protocols.TCP, r.nextInt(4), 5060));
            long n = ids.count(t.get(0), t.get(1), t.get(2), t.get(3), t.get(4));
            assertTrue(n > 0);
            Long before = given.putIfAbsent(t, n);
            if (before != null) {
                assertEquals(before, n, "the same tuple, the same number: " + t);
            } else {
                assertTrue(used.add(n), "a new tuple, a number never given: " + t);
            }
        }
        assertEquals(given.size(), ids.size());
        assertTrue(ids.size() > 1000, "grew: " + ids.size());
        // the same count in two files is two flow numbers
        assertNotEquals(FlowId.of(0, 1), FlowId.of(1, 1));
        assertNotEquals(FlowId.index(FlowId.of(0, 1), 4095), FlowId.index(FlowId.of(1, 1), 4095));
    }

    @Test
    void aFullTableStartsAfreshWithNewNumbers() {
        FlowIds ids = new FlowIds();
        long first = ids.count(0, 1, 0, 2, pp(Protocols.UDP, 4000, 5004));
        for (int i = 1; i < FlowIds.MAX_FLOWS; i++) ids.count(0, 10 + i, 0, 2, pp(Protocols.UDP, 4000, 5004));
        assertEquals(FlowIds.MAX_FLOWS, ids.size());
        assertEquals(first, ids.count(0, 1, 0, 2, pp(Protocols.UDP, 4000, 5004)), "still held");
        long fresh = ids.count(0, 3, 0, 2, pp(Protocols.TCP, 4000, 5004)); // one more: afresh
        assertEquals(1, ids.size());
        long again = ids.count(0, 1, 0, 2, pp(Protocols.UDP, 4000, 5004));
        assertTrue(again > fresh && fresh > FlowIds.MAX_FLOWS, "counts go on, never reused: " + fresh + ", " + again);
        assertNotEquals(first, again);
        assertEquals(again, ids.count(0, 1, 0, 2, pp(Protocols.UDP, 4000, 5004)));
    }

    static Stream<Path> samples() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("samples"))) {
            return s.filter(d -> Files.exists(d.resolve("case.properties"))).sorted().toList().stream();
        }
    }

    @Test
    void everySampleGivesTheSameOutputsWithAndWithoutFlowNumbers() throws IOException {
        List<Path> cases = samples().toList();
        assertTrue(cases.size() > 20, "samples: " + cases);
        for (Path dir : cases) {
            AnalysisInputs in = CaseSettings.load(dir.resolve("case.properties")).inputs(ModelSettings.defaults());
            Path with = tmp.resolve("with").resolve(dir.getFileName()), without = tmp.resolve("without")
                    .resolve(dir.getFileName());
            System.clearProperty(FlowIds.PROPERTY);
            Analysis.run(in, List.of(new CaseOutputs(with)));
            System.setProperty(FlowIds.PROPERTY, "off");
            Analysis.run(in, List.of(new CaseOutputs(without)));
            assertSameTree(without, with, dir.toString());
        }
    }

    @Test
    void aGeneratedPairDecodedAheadGivesTheSameOutputsWithAndWithoutFlowNumbers() throws IOException {
        Path lan = tmp.resolve("lan.pcap"), wan = tmp.resolve("wan.pcap");
        SyntheticNatCaptures.write(SyntheticNatCaptures.Config.of(6, 40), lan, wan);
        AnalysisInputs in = AnalysisInputs.pair(lan, wan);
        Path with = tmp.resolve("with"), without = tmp.resolve("without");
        Analysis.run(in, List.of(new CaseOutputs(with)));
        System.setProperty(FlowIds.PROPERTY, "off");
        Analysis.run(in, List.of(new CaseOutputs(without)));
        assertSameTree(without, with, "generated pair");
    }

    private static void assertSameTree(Path a, Path b, String what) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(a)) {
            files = s.filter(Files::isRegularFile).map(a::relativize).sorted().toList();
        }
        try (Stream<Path> s = Files.walk(b)) {
            assertEquals(files, s.filter(Files::isRegularFile).map(b::relativize).sorted().toList(), what);
        }
        assertTrue(files.size() > 5, what + ": " + files);
        for (Path f : files) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), what + ": " + f);
        }
    }
}
