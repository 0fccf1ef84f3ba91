package dev.natrecon.decode.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * SipParser's recent messages are shared by threads (the replay's SIP thread finds what the match stage's thread
 * parsed), keyed by the bytes and the form asked for: never another message's result, never another form's.
 */
class SipParserSharedCacheTest {
    private static final String MESSAGE = SipTexts.crlf(
            "OPTIONS sip:bob@203.0.113.5 SIP/2.0",
            "Via: SIP/2.0/UDP 192.168.1.10:5062;branch=z9hG4bK-shared-%s",
            "To: <sip:bob@203.0.113.5>",
            "From: <sip:alice@192.168.1.10>;tag=1",
            "Call-ID: shared-%s@192.168.1.10",
            "CSeq: 1 OPTIONS",
            "Authorization: Digest username=\"alice\", response=\"secret%s\"",
            "Content-Length: 0",
            "", "");

    private static byte[] message(String id) {
        return SipTexts.bytes(String.format(MESSAGE, id, id, id));
    }

    @Test
    void aMessageParsedOnOneThreadIsFoundOnAnother() throws Exception {
        byte[] b = message("t" + System.nanoTime());
        AtomicReference<SipParse> there = new AtomicReference<>();
        Thread t = new Thread(() -> there.set(SipParser.parse(b.clone(), 0, b.length)));
        t.start();
        t.join();
        assertSame(there.get(), SipParser.parse(b, 0, b.length));
    }

    @Test
    void anotherMessageOfTheSameLengthOrAnotherFormIsParsedOnItsOwn() {
        long n = System.nanoTime();
        byte[] a = message("a" + n), b = message("b" + n);
        assertEquals(a.length, b.length);
        SipParse pa = SipParser.parse(a, 0, a.length), pb = SipParser.parse(b, 0, b.length);
        assertNotSame(pa, pb);
        assertEquals("shared-b" + n + "@192.168.1.10", pb.messageOrNull().callId().get().text());
        // the redacted and the as-written forms differ in the credentials, and neither serves the other
        SipParse redacted = SipParser.parse(a, 0, a.length, true), written = SipParser.parse(a, 0, a.length, false);
        assertSame(pa, redacted);
        assertNotSame(redacted, written);
        assertEquals(written, SipParser.parse(a, 0, a.length, false));
        SipDatagram d = SipParser.parseDatagram(a, 0, a.length);
        assertEquals(1, d.messages().size());
        assertEquals("shared-a" + n + "@192.168.1.10", d.messages().get(0).callId().get().text());
    }

    @Test
    void aParseMadeElsewhereServesTheSameBytesAndTheDatagramFormWhenContentLengthSplitsNothing() {
        byte[] b = message("k" + System.nanoTime());
        SipParse elsewhere = SipParser.parseEveryValueThroughJainSip(b);
        SipParser.known(b.clone(), elsewhere);
        assertSame(elsewhere, SipParser.parse(b, 0, b.length));
        SipDatagram d = SipParser.parseDatagram(b, 0, b.length);
        assertEquals(1, d.items().size());
        assertSame(elsewhere, d.items().get(0));
        assertEquals(0, d.issues().size());
    }

    @Test
    void aDatagramThatContentLengthSplitsIsParsedAsADatagram() {
        String id = "s" + System.nanoTime();
        byte[] b = SipTexts.bytes(String.format(MESSAGE, id, id, id) + "\r\n\r\nxyz");
        SipParse single = SipParser.parse(b, 0, b.length);
        assertEquals(b.length, single.messageOrNull().end());
        SipDatagram d = SipParser.parseDatagram(b, 0, b.length);
        assertNotSame(single, d.items().get(0));
        assertEquals(b.length - 7, d.items().get(0).messageOrNull().end());
        assertEquals(SipAnomaly.SIP_TRAILING_DATA, d.issues().get(0).anomaly());
    }
}
