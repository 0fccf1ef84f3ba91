package dev.natrecon.decode.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Credentials leave the parse layer redacted, folded or not; bytes and offsets stay as written. */
class CredentialsTest {
    static final String MSG = "REGISTER sip:b SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\n"
            + "To: <sip:a@b>\r\nCall-ID: c1\r\nCSeq: 1 REGISTER\r\n"
            + "proxy-AUTHORIZATION \t: Digest realm=\"r\",\r\n\tusername=\"alice\", response=\"SECRET1\",\r\n cnonce=\"SECRET2\"\r\n"
            + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

    @Test
    void headerValuesFieldsAndMessageTextAreRedacted() {
        byte[] b = MSG.getBytes(StandardCharsets.ISO_8859_1);
        SipMessage m = SipParser.parse(b, 0, b.length).messageOrNull();
        SipHeader h = m.header("Proxy-Authorization").orElseThrow();
        assertEquals("Digest username=\"alice\", [redacted]", h.value().text());
        assertTrue(h.folded());
        assertEquals(MSG.indexOf("Digest"), h.value().start(), "offsets as written");
        assertFalse(m.fields().toString().contains("SECRET"), m.fields().toString());
        assertTrue(new String(m.bytes(), StandardCharsets.ISO_8859_1).contains("SECRET1"), "the bytes are the payload's");
        SipMessage raw = SipParser.parse(b, 0, b.length, false).messageOrNull();
        assertTrue(raw.header("Proxy-Authorization").orElseThrow().value().text().contains("SECRET2"));
        assertEquals(1, SipParser.parseDatagram(b, 0, b.length).messages().size());
        assertFalse(SipParser.parseDatagram(b, 0, b.length).messages().get(0).fields().toString().contains("SECRET"));
    }

    @Test
    void messageTextDropsFoldedContinuations() {
        String r = Credentials.message(MSG);
        assertFalse(r.contains("SECRET"), r);
        assertTrue(r.contains("proxy-AUTHORIZATION \t: Digest username=\"alice\", [redacted]\r\nMax-Forwards: 70\r\n"), r);
        assertEquals("Authorization: Basic [redacted]\nTo: x", Credentials.message("Authorization: Basic dXNlcjpwdw==\nTo: x"));
        assertEquals("a\r\n  Authorization: x [redacted]", Credentials.message("a\r\n  Authorization: x y"),
                "a quoted header line is redacted too (the safe side)");
        assertEquals("x Authorization: y", Credentials.message("x Authorization: y"));
        assertEquals("Authorization Digest username=\"u\", [redacted]",
                Credentials.message("Authorization Digest username=\"u\", response=\"S\""), "a line without its colon");
        assertEquals("[redacted]", Credentials.value("\"bad scheme\""));
    }

    @Test
    void aRejectedMessageKeepsNoCredentialEither() {
        String bad = "REGISTER sip:b SIP/2.0\r\nVia: garbage\r\nAuthorization: Digest response=\"SECRET3\"\r\n"
                + "Proxy-Authorization Digest response=\"SECRET4\"\r\n\r\n";
        byte[] b = bad.getBytes(StandardCharsets.ISO_8859_1);
        SipParse p = SipParser.parse(b, 0, b.length);
        assertFalse(p.toString().contains("SECRET"), p.toString());
        String good = MSG.replace("Max-Forwards: 70", "Authorization Digest response=\"SECRET5\"");
        byte[] g = good.getBytes(StandardCharsets.ISO_8859_1);
        SipMessage m = SipParser.parse(g, 0, g.length).messageOrNull();
        assertFalse(m.issues().isEmpty(), "the line without a colon is reported");
        String issueText = m.issues().stream().map(i -> i.detail() + " " + (i.where() == null ? "" : i.where().text())).toList().toString();
        assertTrue(issueText.contains("Authorization Digest"), issueText);
        assertFalse(issueText.contains("SECRET") || m.fields().toString().contains("SECRET"), issueText);
    }
}
