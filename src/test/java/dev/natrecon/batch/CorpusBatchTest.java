package dev.natrecon.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.detect.Severity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code batch} over the whole public corpus (src/test/resources/public): every capture is a case (a lone capture is a
 * one-sided case or a router capture, never a failure), none fails, so the batch never exits 2 or 3 for them.
 */
class CorpusBatchTest {
    @TempDir
    Path out;

    @Test
    void noCorpusCaptureFails() throws IOException {
        BatchRunner.Result r = BatchRunner.run(List.of(Path.of("src/test/resources/public")),
                new BatchRunner.Options(out, 2, false), BatchListener.NONE);
        assertTrue(r.cases().size() >= 40, r.cases().size() + " cases");
        for (CaseOutcome c : r.cases()) assertTrue(!c.failed(), c.name() + ": " + c.error());
        // the only file no case takes is the MANIFEST, which is no capture
        for (CaseDiscovery.Unmatched u : r.unmatched()) assertTrue(u.file().endsWith(".md"), u.toString());
        assertNotEquals(3, r.exitStatus(Severity.ERROR));
        CaseOutcome eim = r.cases().stream().filter(c -> c.name().endsWith("nat_eim_register_call")).findFirst().orElseThrow();
        assertEquals("lone capture", eim.rule());
        assertEquals("clean", eim.verdict());
    }
}
