package dev.natrecon.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.natrecon.decode.sip.SipParse;
import dev.natrecon.decode.sip.SipParser;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A record's SIP parse is its own payload's, and a reused record forgets it with the payload. */
class SeenSipTest {
    private static byte[] options(String callId) {
        return ("OPTIONS sip:bob@203.0.113.5 SIP/2.0\r\nVia: SIP/2.0/UDP 192.168.1.10;branch=z9hG4bK1\r\n"
                + "To: <sip:bob@203.0.113.5>\r\nFrom: <sip:alice@192.168.1.10>;tag=1\r\nCall-ID: " + callId
                + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void theParseIsThePayloadsAndIsClearedWithIt() {
        Seen s = new Seen();
        s.parseSip();
        assertNull(s.sip, "no payload, no parse");
        s.payload = options("first@x");
        s.parseSip();
        assertNotNull(s.sip);
        assertFalse(s.sipFailed);
        SipParse direct = SipParser.parse(s.payload, 0, s.payload.length);
        assertEquals(direct, s.sip);
        assertEquals("first@x", s.sip.messageOrNull().callId().get().text());
        s.clear(); // reused for another frame
        assertNull(s.sip);
        assertNull(s.payload);
        s.payload = options("second@x");
        s.parseSip();
        assertEquals("second@x", s.sip.messageOrNull().callId().get().text());
        s.clear();
        s.payload = "not SIP at all".getBytes(StandardCharsets.ISO_8859_1);
        s.parseSip();
        assertNull(s.sip.messageOrNull());
    }
}
