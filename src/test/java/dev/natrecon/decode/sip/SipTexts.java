package dev.natrecon.decode.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Helpers for SIP parser tests: messages written line by line, and checks that spans point at their text. */
public final class SipTexts {
    private SipTexts() {
    }

    /** Joins lines with CRLF; the last line is the body (give "" for an empty body after the blank line). */
    public static String crlf(String... lines) {
        return String.join("\r\n", lines);
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static SipMessage message(String text) {
        byte[] b = bytes(text);
        SipParse p = SipParser.parse(b, 0, b.length);
        assertInstanceOf(SipParse.Message.class, p, () -> "expected a message, got " + p);
        SipMessage m = p.messageOrNull();
        assertSpansMatch(b, 0, m.fields());
        return m;
    }

    /**
     * Every span whose byte range holds exactly its text (all but folded values) must read back from the payload:
     * the offsets are what a later component shows before and after the router.
     */
    public static void assertSpansMatch(byte[] payload, int base, Map<String, Span> fields) {
        for (Map.Entry<String, Span> e : fields.entrySet()) {
            Span s = e.getValue();
            String raw = new String(payload, base + s.start(), s.length(), StandardCharsets.UTF_8);
            if (raw.contains("\n")) {
                // a folded value: the text is the unfolded form of the raw bytes
                assertEquals(raw.replaceAll("[ \t]*\r?\n[ \t]+", " "), s.text(), e.getKey());
            } else {
                assertEquals(raw, s.text(), e.getKey());
            }
        }
    }
}
