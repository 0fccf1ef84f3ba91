package dev.natrecon.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.detect.Severity;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One bad case never stops a batch: a case whose worker runs out of memory, overflows its stack or hits a bug fails
 * alone with its reason, the others complete, summary.csv is written; a folder the walk cannot read is a row.
 */
class BatchIsolationTest {
    @TempDir
    Path tmp;

    private static int deep(int n) {
        return n == Integer.MIN_VALUE ? 0 : 1 + deep(n + 1);
    }

    /** The real analysis, except for the cases named to fail: each fails the way its name says, in the worker. */
    static final BatchRunner.CaseAnalyzer FAILING = (in, dir, redact, extra) -> {
        String name = in.caseName();
        if (name.endsWith("oom")) {
            long[][] hog = new long[1][];
            hog[0] = new long[Integer.MAX_VALUE]; // a real OutOfMemoryError from the VM, without filling the heap
            return null;
        }
        if (name.endsWith("soe")) deep(0); // a real StackOverflowError
        if (name.endsWith("npe")) throw new NullPointerException("a bug");
        if (name.endsWith("oome")) throw new OutOfMemoryError("Java heap space");
        return CaseRunner.analyze(in, dir, redact, extra);
    };

    Path folder() throws IOException {
        Path in = tmp.resolve("in");
        for (String c : List.of("a-good", "b-oom", "c-soe", "d-npe", "e-oome", "f-good")) {
            Files.createDirectories(in.resolve(c));
            for (String f : List.of("lan.pcap", "wan.pcap")) {
                Files.copy(BatchRunTest.SAMPLES.resolve(c.endsWith("f-good") ? "leaked-private-source" : "baseline").resolve(f),
                        in.resolve(c).resolve(f));
            }
        }
        return in;
    }

    void assertIsolated(BatchRunner.Result r, String prefix, Path out) throws IOException {
        Map<String, CaseOutcome> c = BatchRunTest.byName(r);
        assertEquals(6, r.cases().size());
        assertEquals("clean", c.get(prefix + "a-good").verdict(), c.get(prefix + "a-good").error());
        assertEquals("error", c.get(prefix + "f-good").verdict(), c.get(prefix + "f-good").error());
        assertTrue(c.get(prefix + "b-oom").error().startsWith("out of memory while analysing the case (Requested array size exceeds VM limit, in a heap of "), c.get(prefix + "b-oom").error());
        assertEquals("stack overflow while analysing the case", c.get(prefix + "c-soe").error());
        assertEquals("internal error: java.lang.NullPointerException: a bug (please report this)", c.get(prefix + "d-npe").error());
        assertTrue(c.get(prefix + "e-oome").error().matches("out of memory while analysing the case \\(Java heap space, in a heap of \\d+ MiB\\); to finish it, rerun with a larger heap \\(NATRECON_JAVA_OPTS=-Xmx2g .*"), c.get(prefix + "e-oome").error());
        assertEquals(3, r.exitStatus(Severity.ERROR));
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals(7, summary.size(), String.join("\n", summary));
        assertTrue(summary.stream().anyMatch(l -> l.contains("b-oom") && l.contains("failed") && l.contains("out of memory")));
        for (String failed : List.of("b-oom", "c-soe", "d-npe")) {
            CaseOutcome kept = BatchOutputs.readCaseSummary(out.resolve("cases").resolve(prefix + failed).resolve(BatchRunner.CASE_SUMMARY));
            assertTrue(kept.failed(), failed);
            try (Stream<Path> s = Files.list(out.resolve("cases").resolve(prefix + failed))) {
                assertEquals(1, s.count(), "a failed case keeps only its record, nothing half-written");
            }
        }
        try (Stream<Path> s = Files.list(out.resolve("cases"))) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".")).toList());
        }
    }

    @Test
    void casesThatRunOutOfMemoryOverflowOrHitABugFailAloneAndTheBatchGoesOn() throws IOException {
        Path in = folder(), out = tmp.resolve("out");
        BatchRunner.Options o = new BatchRunner.Options(out, 2, false).with(FAILING);
        assertIsolated(BatchRunner.run(List.of(in), o, BatchListener.NONE), "", out);
        // the heap recovered: the same JVM runs the failed cases again, for real this time
        BatchRunner.Result again = BatchRunner.run(List.of(in), new BatchRunner.Options(out, 2, false), BatchListener.NONE);
        assertTrue(again.cases().stream().noneMatch(CaseOutcome::failed), again.cases().toString());
        assertEquals(4, again.cases().stream().filter(c -> !c.resumed()).count(), "the failed cases ran again");
    }

    @Test
    void theSameFromAStreamedTarGz() throws IOException {
        Path in = folder(), tgz = tmp.resolve("t.tgz"), out = tmp.resolve("out");
        List<HostileInputs.Member> members = new ArrayList<>();
        try (Stream<Path> s = Files.walk(in)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                members.add(HostileInputs.Member.file(in.relativize(p).toString(), Files.readAllBytes(p)));
            }
        }
        HostileInputs.tar(tgz, members, true);
        BatchRunner.Options o = new BatchRunner.Options(out, 1, false).with(FAILING);
        assertIsolated(BatchRunner.run(List.of(tgz), o, BatchListener.NONE), "t_", out);
    }

    @Test
    void aFolderTheWalkCannotReadIsABrokenRowAndTheRestIsFound() throws IOException {
        Path in = folder();
        // tests run as root, whom permissions do not stop: the folder is refused as the system would refuse it
        FolderContainer refusing = new FolderContainer(in) {
            @Override
            void check(Path dir) throws IOException {
                if (dir.getFileName().toString().equals("c-soe")) throw new AccessDeniedException(dir.toString());
            }
        };
        List<CaseSpec> cases = new ArrayList<>();
        List<CaseDiscovery.Unmatched> unmatched = new ArrayList<>();
        CaseDiscovery.in(refusing, "", cases, unmatched);
        assertEquals(List.of("a-good", "b-oom", "d-npe", "e-oome", "f-good"), cases.stream().map(CaseSpec::name).toList());
        assertEquals(1, unmatched.size(), unmatched.toString());
        CaseDiscovery.Unmatched row = unmatched.get(0);
        assertTrue(row.broken() && row.file().endsWith("!c-soe") && row.reason().startsWith("cannot be read (AccessDeniedException"), row.toString());
    }

    @Test
    void aFolderInputThatCannotBeReadAtAllIsAnErrorNamingIt() {
        FolderContainer gone = new FolderContainer(tmp.resolve("vanished"));
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, gone::members);
        assertTrue(e.getMessage().startsWith(tmp.resolve("vanished") + ": cannot be read"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
