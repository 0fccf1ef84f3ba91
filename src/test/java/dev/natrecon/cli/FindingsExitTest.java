package dev.natrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.detect.Detectors;
import dev.natrecon.detect.Rule;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** analyze's exit status follows --fail-on; explain documents every registered id. */
class FindingsExitTest {
    @TempDir
    Path tmp;

    MainTest.Run analyze(String sample, String failOn) {
        return MainTest.run("analyze", "--case", "samples/" + sample + "/case.properties", "-o",
                tmp.resolve(sample + failOn).toString(), "--fail-on", failOn);
    }

    @Test
    void exitOneWhenAFindingReachesFailOn() {
        MainTest.Run leak = analyze("leaked-private-source", "error");
        assertEquals(1, leak.code(), leak.err());
        assertTrue(leak.out().contains("ERROR   nat.private_source_leak"), leak.out());
        assertEquals(0, analyze("leaked-private-source", "never").code());
        assertEquals(0, analyze("baseline", "warning").code(), "the clean baseline has no warning or error");
        // tallies read as text, not as Java maps ("{lan=254, wan=255}")
        assertTrue(leak.out().contains("Verdict: ERROR (7 findings: 2 errors, 1 warning, 4 info)"), leak.out());
        assertTrue(leak.out().lines().noneMatch(l -> l.matches(".*\\{[a-z_]+=\\d.*")), leak.out());
        assertEquals(1, analyze("baseline", "info").code(), "nat.behaviour and the SIP NAT tests are info findings");
        assertEquals(2, analyze("baseline", "sometimes").code());
    }

    @Test
    void explainPrintsEveryRule() {
        MainTest.Run list = MainTest.run("explain");
        assertEquals(0, list.code());
        for (Rule r : Detectors.rules()) {
            assertTrue(list.out().contains(r.id()), r.id());
            MainTest.Run one = MainTest.run("explain", r.id());
            assertEquals(0, one.code());
            assertTrue(one.out().contains(r.fix()) && one.out().contains(r.rule()), one.out());
        }
        assertEquals(2, MainTest.run("explain", "no.such_rule").code());
    }
}
