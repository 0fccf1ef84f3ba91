package dev.natrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.testing.Frames;
import dev.natrecon.testing.PcapNg;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text from a capture reaches the terminal with its control characters shown as escapes: a pcapng whose interface
 * name sets the window title and clears the screen, and SIP header values carrying ESC and BEL, through
 * {@code inspect} (text and JSON) and {@code analyze}.
 */
class TerminalEscapeTest {
    static final String HOSTILE_NAME = "eth0\u001b]0;pwned\u0007\u001b[2J";

    @TempDir
    Path tmp;

    /** A router capture: two interfaces (the first with the hostile name), a REGISTER out each side. */
    private Path hostileCapture() throws Exception {
        PcapNg p = new PcapNg();
        p.section(ByteOrder.LITTLE_ENDIAN);
        p.idb(1, HOSTILE_NAME, 6);
        p.idb(1, "wan0\u009b31m\n  ERROR fake.finding at 0: spoofed", 6);
        String sip = "REGISTER sip:203.0.113.5 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK-1\r\n"
                + "From: \"\u001b[31mred\" <sip:1001@203.0.113.5>;tag=1\r\nTo: <sip:1001@203.0.113.5>\r\n"
                + "Call-ID: call\u001b]0;title\u0007@x\r\nCSeq: 1 REGISTER\r\nUser-Agent: ua\u0008\u007f\r\n"
                + "Content-Length: 0\r\n\r\n";
        p.epb(0, 1_000_000L, Frames.udp("192.168.1.10", 5060, "203.0.113.5", 5060, sip));
        p.epb(1, 1_000_100L, Frames.udp("203.0.113.2", 5060, "203.0.113.5", 5060, sip.replace("192.168.1.10", "203.0.113.2")));
        Path f = tmp.resolve("router\u001b[2J.pcapng");
        Files.write(f, p.out.toByteArray());
        return f;
    }

    private static void assertClean(MainTest.Run r) {
        for (String s : new String[] {r.out(), r.err()}) {
            for (char c : s.toCharArray()) {
                assertTrue(c == '\n' || c == '\t' || c >= 0x20 && c != 0x7f && (c < 0x80 || c > 0x9f),
                        "control character U+" + Integer.toHexString(c) + " reached the terminal:\n" + s);
            }
        }
    }

    @Test
    void inspectShowsEscapesNotControls() throws Exception {
        Path f = hostileCapture();
        MainTest.Run text = MainTest.run("inspect", f.toString());
        assertEquals(0, text.code(), text.err());
        assertClean(text);
        assertTrue(text.out().contains("eth0\\e]0;pwned\\x07\\e[2J"), text.out());
        assertTrue(text.out().contains("wan0\\x9b31m\\x0a  ERROR fake.finding"), text.out());
        assertTrue(text.out().lines().noneMatch(l -> l.startsWith("  ERROR fake")), "a capture's line feed starts no line");
        MainTest.Run json = MainTest.run("inspect", "--json", f.toString());
        assertClean(json);
    }

    @Test
    void analyzeShowsEscapesNotControls() throws Exception {
        Path f = hostileCapture();
        MainTest.Run r = MainTest.run("analyze", "--router", f.toString(), "-o", tmp.resolve("out").toString());
        assertClean(r);
        assertTrue((r.out() + r.err()).contains("\\e[2J"), r.out() + r.err());
    }

    @Test
    void anErrorNamingAHostileFileIsEscapedToo() throws Exception {
        MainTest.Run r = MainTest.run("inspect", tmp.resolve("missing\u001b[2J\r.pcap").toString());
        assertEquals(2, r.code());
        assertClean(r);
        assertTrue(r.err().contains("missing\\e[2J\\x0d.pcap"), r.err());
    }

    @Test
    void theFilterKeepsLinesAndTabsAndEscapesTheRest() {
        assertEquals("a\\x09b\\x0ac", TerminalWriter.oneLine("a\tb\nc"));
        assertEquals("x\\u202ey\\u2066z", TerminalWriter.escape("x\u202ey\u2066z"));
        assertEquals("a\tb\nc\\e[2J\\x07\\x00\\x7f\\x85é€", TerminalWriter.escape("a\tb\nc\u001b[2J\u0007\u0000\u007f\u0085é€"));
        StringWriter w = new StringWriter();
        TerminalWriter.Out out = new TerminalWriter.Out(w);
        out.print("x\u001by");
        out.clearLine();
        out.print('\u0007');
        out.flush();
        assertEquals("x\\ey\r\u001b[K\\x07", w.toString());
        StringWriter plain = new StringWriter();
        new PrintWriter(new TerminalWriter(plain), true).printf("%s%n", "\u009b");
        assertFalse(plain.toString().contains("\u009b"));
    }
}
