package dev.natrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code analyze FILE}, {@code --capture FILE} and {@code --side}: one capture of one side from the command line. */
class OneCaptureCliTest {
    static final String EIM = "src/test/resources/public/sip/nat_eim_message_call.pcap";

    @TempDir
    Path tmp;

    @Test
    void analyzeFileAloneNamesTheVantagePointAndWhatItCannotShow() throws IOException {
        Path out = tmp.resolve("eim");
        MainTest.Run r = MainTest.run("analyze", EIM, "-o", out.toString());
        // the one-way call is an error: exit 1 at the default --fail-on error
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().contains("Verdict: ERROR") && r.out().contains("from one capture, LAN side"), r.out());
        assertTrue(r.out().contains("vantage point: LAN side"), r.out());
        assertTrue(r.out().contains("one capture cannot show: drops"), r.out());
        assertTrue(Files.readString(out.resolve("report.html")).contains("What one capture cannot show"));
        assertTrue(Files.readString(out.resolve("summary.md")).contains("## What one capture cannot show"));
        String json = Files.readString(out.resolve("summary.json"));
        assertTrue(json.contains("\"vantage\"") && json.contains("\"one_capture_cannot_show\""), json);
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void sideOverridesAndCaptureOptionIsTheSame() {
        MainTest.Run r = MainTest.run("analyze", "--capture", EIM, "--side", "provider", "--fail-on", "never",
                "-o", tmp.resolve("w").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("vantage point: WAN side") && r.out().contains("(given by --side)"), r.out());
    }

    @Test
    void usageErrors() {
        assertEquals(2, MainTest.run("analyze", EIM, "--side", "middle").code());
        assertEquals(2, MainTest.run("analyze", "--lan", EIM, "--wan", EIM, "--side", "lan").code());
        assertEquals(2, MainTest.run("analyze", EIM, "--router", EIM).code());
        MainTest.Run missing = MainTest.run("analyze", tmp.resolve("nope.pcap").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("nope.pcap") && !missing.err().contains("Exception"), missing.err());
    }
}
