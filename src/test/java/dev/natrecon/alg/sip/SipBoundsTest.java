package dev.natrecon.alg.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.Packet;
import dev.natrecon.decode.PacketDecoder;
import dev.natrecon.decode.sdp.SdpAnomaly;
import dev.natrecon.decode.sdp.SdpBody;
import dev.natrecon.decode.sip.SipAnomaly;
import dev.natrecon.decode.sip.SipMessage;
import dev.natrecon.decode.sip.SipParse;
import dev.natrecon.decode.sip.SipParser;
import dev.natrecon.reassembly.SipStreamAnomaly;
import dev.natrecon.reassembly.SipStreamFramer;
import dev.natrecon.testing.Frames;
import dev.natrecon.testing.Hex;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** SIP and SDP size bounds: headers per message, media per body, TCP streams framed at once, message size. */
class SipBoundsTest {
    static String invite(int extraHeaders, String body) {
        StringBuilder sb = new StringBuilder("INVITE sip:bob@198.51.100.10 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK1\r\nFrom: <sip:alice@x>;tag=1\r\nTo: <sip:bob@y>\r\n"
                + "Call-ID: bounds-1\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\n");
        for (int i = 0; i < extraHeaders; i++) sb.append("X-H").append(i).append(": v\r\n");
        sb.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n").append(body);
        return sb.toString();
    }

    static SipMessage parse(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        SipParse p = SipParser.parse(b, 0, b.length);
        return p.messageOrNull();
    }

    @Test
    void headersPastTheBoundAreNotParsed() {
        SipMessage m = parse(invite(1000, ""));
        assertTrue(m != null);
        assertEquals(SipParser.MAX_HEADERS, m.headers().size());
        assertTrue(m.issues().stream().anyMatch(i -> i.anomaly() == SipAnomaly.SIP_TOO_MANY_HEADERS), m.issues().toString());
        SipMessage ok = parse(invite(40, ""));
        assertTrue(ok.issues().stream().noneMatch(i -> i.anomaly() == SipAnomaly.SIP_TOO_MANY_HEADERS));
    }

    @Test
    void mediaPastTheBoundAreIgnored() {
        StringBuilder sdp = new StringBuilder("v=0\r\no=- 1 1 IN IP4 192.168.1.10\r\ns=-\r\nc=IN IP4 192.168.1.10\r\nt=0 0\r\n");
        for (int i = 0; i < 500; i++) sdp.append("m=audio ").append(10000 + 2 * i).append(" RTP/AVP 0\r\n");
        byte[] b = sdp.toString().getBytes(StandardCharsets.US_ASCII);
        SdpBody body = SdpBody.parse(b, 0, b.length);
        assertEquals(SdpBody.MAX_MEDIA, body.media().size());
        assertTrue(body.has(SdpAnomaly.SDP_TOO_MANY_MEDIA));
        assertEquals(1, body.issues().stream().filter(i -> i.anomaly() == SdpAnomaly.SDP_TOO_MANY_MEDIA).count());
    }

    @Test
    void tcpStreamsPastTheBoundEvictTheOldest() {
        SipMessageCollector c = new SipMessageCollector(CapturePoint.LAN, Set.of(5060), 3);
        PacketDecoder decoder = new PacketDecoder();
        Packet p = new Packet();
        AnomalyCounts decodeAnomalies = new AnomalyCounts();
        byte[] half = "REGISTER sip:x SIP/2.0\r\nVia: SIP/2.0/TCP 192.168.1.".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 10; i++) {
            byte[] frame = Frames.tcp("192.168.1." + (10 + i), 40000, "198.51.100.10", 5060, 1000, 0x18, half);
            Disposition d = decoder.decode(Hex.frame(1, frame), p, decodeAnomalies);
            assertEquals(Disposition.DECODED, d);
            c.offer(p, 1_000_000_000L * (i + 1), i + 1);
        }
        c.finish();
        assertEquals(7, c.anomalies().count(SipMessageCollector.TOO_MANY_STREAMS.id()));
        // each evicted stream held half a message: counted as incomplete, nothing invented
        assertEquals(10, c.anomalies().count(SipStreamAnomaly.SIP_STREAM_INCOMPLETE_AT_END.id()));
    }

    @Test
    void aMessageLargerThanTheStreamBoundIsSkippedAndTheNextOneFramed() {
        SipStreamFramer framer = new SipStreamFramer();
        AnomalyCounts a = new AnomalyCounts();
        String big = invite(0, "x".repeat(SipStreamFramer.DEFAULT_MAX_BUFFER * 3));
        String next = invite(0, "");
        byte[] all = (big + next).getBytes(StandardCharsets.UTF_8);
        int n = 0;
        List<dev.natrecon.reassembly.SipStreamItem> items = new java.util.ArrayList<>();
        for (int off = 0; off < all.length; off += 1400) {
            items.addAll(framer.offer(all, off, Math.min(1400, all.length - off), ++n, a));
            assertTrue(framer.buffered() <= SipStreamFramer.DEFAULT_MAX_BUFFER + 1400, "buffer stays bounded");
        }
        assertEquals(1, a.count(SipStreamAnomaly.SIP_STREAM_OVERFLOW.id()));
        assertTrue(SipStreamAnomaly.SIP_STREAM_OVERFLOW.bound());
        assertEquals(1, items.size());
        assertEquals(next, new String(items.get(0).bytes(), StandardCharsets.UTF_8));
    }
}
