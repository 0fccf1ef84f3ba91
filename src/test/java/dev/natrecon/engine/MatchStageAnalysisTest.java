package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.bench.SyntheticNatCaptures;
import dev.natrecon.capture.CaptureException;
import dev.natrecon.capture.CaptureReader;
import dev.natrecon.correlate.Crossing;
import dev.natrecon.report.CaseOutputs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole analysis with the merge and the matcher on their own thread ({@link MatchStage}) writes byte for byte what
 * the inline replay writes; a sink that throws and a capture that fails mid-stream end the run with the same error as
 * inline, and leave no stage thread behind.
 */
class MatchStageAnalysisTest {
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    @AfterEach
    void clearMode() {
        System.clearProperty(MatchStage.PROPERTY);
    }

    private static void mode(String m) {
        if (m == null) System.clearProperty(MatchStage.PROPERTY);
        else System.setProperty(MatchStage.PROPERTY, m);
    }

    private static long matchThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(MatchStage.THREAD_NAME) && t.isAlive()).count();
    }

    /** Counts the crossings and remembers whether the stage's thread ran during the replay. */
    private static final class Probe implements AnalysisSink {
        long packets;
        boolean stageSeen;

        @Override
        public void packet(Crossing c) {
            if (packets++ == 100) stageSeen = matchThreads() > 0;
        }

        @Override
        public void finish(RunResult result) {
        }
    }

    @Test
    void aPairDecodedAheadGivesTheSameOutputsWithAndWithoutTheStage() throws Exception {
        Path lan = tmp.resolve("lan.pcap"), wan = tmp.resolve("wan.pcap");
        SyntheticNatCaptures.write(SyntheticNatCaptures.Config.of(6, 40), lan, wan);
        assertTrue(Files.size(lan) >= CaptureReader.READ_AHEAD_MIN_BYTES, "decoded ahead: " + Files.size(lan));
        AnalysisInputs in = AnalysisInputs.pair(lan, wan);
        Path inline = tmp.resolve("inline"), staged = tmp.resolve("staged");
        assertTimeoutPreemptively(LIMIT, () -> {
            mode("off");
            Probe off = new Probe();
            Analysis.run(in, List.of(new CaseOutputs(inline), off));
            assertFalse(off.stageSeen, "off: no stage");
            mode(null);
            Probe on = new Probe();
            Analysis.run(in, List.of(new CaseOutputs(staged), on));
            assertTrue(on.stageSeen, "the stage ran by default on captures decoded ahead");
            assertEquals(off.packets, on.packets);
            assertTrue(on.packets > 20_000, "packets: " + on.packets);
        });
        assertSameTree(inline, staged);
        assertEquals(0, matchThreads());
    }

    @Test
    void aSinkThatThrowsEndsTheRunWithItsErrorAndNoStageThreadIsLeft() throws Exception {
        Path lan = tmp.resolve("lan.pcap"), wan = tmp.resolve("wan.pcap");
        SyntheticNatCaptures.write(SyntheticNatCaptures.Config.of(2, 20), lan, wan);
        AnalysisInputs in = AnalysisInputs.pair(lan, wan);
        for (String m : new String[] {"on", "off"}) {
            mode(m);
            IllegalStateException failure = new IllegalStateException("sink failed");
            AnalysisSink throwing = new AnalysisSink() {
                long n;

                @Override
                public void packet(Crossing c) {
                    if (++n == 3_000) throw failure;
                }

                @Override
                public void finish(RunResult result) {
                }
            };
            assertTimeoutPreemptively(LIMIT, () -> assertSame(failure,
                    assertThrows(IllegalStateException.class, () -> Analysis.run(in, List.of(throwing))), m));
            assertEquals(0, matchThreads(), m);
        }
    }

    @Test
    void aCaptureCutMidStreamGivesTheSameOneLineErrorWithAndWithoutTheStage() throws Exception {
        Path lan = tmp.resolve("lan.pcap"), wan = tmp.resolve("wan.pcap"), gz = tmp.resolve("wan.pcap.gz");
        SyntheticNatCaptures.write(SyntheticNatCaptures.Config.of(2, 20), lan, wan);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(wan, out);
        }
        byte[] bytes = Files.readAllBytes(gz);
        Files.write(gz, java.util.Arrays.copyOf(bytes, bytes.length * 3 / 5)); // cut: the stream ends early
        AnalysisInputs in = AnalysisInputs.pair(lan, gz);
        List<String> messages = new ArrayList<>();
        for (String m : new String[] {"on", "off"}) {
            mode(m);
            // the clock sample reads only the captures' first frames: the damage is met by the replay
            CaptureException e = assertTimeoutPreemptively(LIMIT, () -> assertThrows(CaptureException.class,
                    () -> Analysis.run(in, List.of(), 2_000)));
            assertNotNull(e.getMessage());
            assertTrue(e.getMessage().startsWith(gz + ": gzip stream ends early"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            messages.add(e.getMessage());
            assertEquals(0, matchThreads(), m);
        }
        assertEquals(messages.get(1), messages.get(0));
    }

    /** Every output file under {@code a} is under {@code b} with the same bytes, and more than ten of them. */
    static void assertSameTree(Path a, Path b) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(a)) {
            files = s.filter(Files::isRegularFile).map(a::relativize).sorted().toList();
        }
        try (Stream<Path> s = Files.walk(b)) {
            assertEquals(files, s.filter(Files::isRegularFile).map(b::relativize).sorted().toList());
        }
        assertTrue(files.size() > 10, "outputs: " + files);
        for (Path f : files) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f.toString());
        }
    }
}
