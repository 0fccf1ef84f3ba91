package dev.natrecon.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.correlate.Side;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What is RTP, which call a stream belongs to, RTCP reports and RFC 4733 events. */
class MediaStreamsTest {
    static final String PHONE = "192.168.1.10:4000", REMOTE = "203.0.113.5:30000", PROXY = "203.0.113.1:5060";

    static byte[] invite(String callId, String sdpAddress, int port, String extra) {
        String sdp = "v=0\r\no=- 1 1 IN IP4 " + sdpAddress + "\r\ns=-\r\nc=IN IP4 " + sdpAddress + "\r\nt=0 0\r\n"
                + "m=audio " + port + " RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
                + extra;
        String msg = "INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK1\r\n"
                + "From: <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\nCall-ID: " + callId + "\r\n"
                + "CSeq: 1 INVITE\r\nContact: <sip:alice@192.168.1.10:5060>\r\nMax-Forwards: 70\r\n"
                + "Content-Type: application/sdp\r\nContent-Length: " + sdp.length() + "\r\n\r\n" + sdp;
        return msg.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static StreamSummary find(List<StreamSummary> all, String src, String dst) {
        return all.stream().filter(s -> s.src().equals(src) && s.dst().equals(dst)).findFirst()
                .orElseThrow(() -> new AssertionError("no stream " + src + " -> " + dst + " in " + all));
    }

    @Test
    void sdpTiesStreamsAndLatchingIsTiedByTheReverseStream() {
        MediaFrames f = new MediaFrames();
        f.udp(Side.LAN, 0, "192.168.1.10:5060", PROXY, invite("call-1@x", "192.168.1.10", 4000, ""), true);
        f.udp(Side.LAN, 1, PROXY, "192.168.1.10:5060", invite("call-1@x", "203.0.113.5", 30000, ""), true);
        // the remote answers from another port than its SDP names (a media relay that latches)
        for (int i = 0; i < 5; i++) {
            f.rtp(Side.LAN, 100 + 20 * i, PHONE, REMOTE, MediaFrames.rtp(0, false, i + 1, 160L * i, 0xA, 160));
            f.rtp(Side.LAN, 105 + 20 * i, "203.0.113.5:31000", PHONE, MediaFrames.rtp(0, false, i + 1, 160L * i, 0xB, 160));
            f.rtp(Side.LAN, 106 + 20 * i, "198.51.100.99:9000", "192.168.1.20:9002", MediaFrames.rtp(0, false, i + 7, 160L * i, 0xC, 160));
        }
        List<StreamSummary> all = f.media.finish();
        StreamSummary out = find(all, PHONE, REMOTE);
        assertEquals("call-1@x", out.callId());
        assertEquals("sdp-destination", out.tiedBy());
        StreamSummary in = find(all, "203.0.113.5:31000", PHONE);
        assertEquals("call-1@x", in.callId());
        assertEquals("sdp-destination", in.tiedBy(), "sent to the phone's SDP endpoint");
        StreamSummary other = find(all, "198.51.100.99:9000", "192.168.1.20:9002");
        assertEquals("", other.callId(), "no SDP names it: not tied");
        assertTrue(other.heuristic());
    }

    @Test
    void aStreamThatNoSdpNamesIsTiedByItsReverseOrItsSsrcOnTheOtherSide() {
        MediaFrames f = new MediaFrames();
        f.udp(Side.WAN, 0, "198.51.100.1:5060", PROXY, invite("call-2@x", "198.51.100.1", 4000, ""), true);
        for (int i = 0; i < 5; i++) {
            // the phone sends from its SDP port to a relay the SDP does not name; the relay answers the same path
            f.rtp(Side.WAN, 100 + 20 * i, "198.51.100.1:4000", "192.0.2.50:7000", MediaFrames.rtp(0, false, i + 1, 160L * i, 0xD, 160));
            f.rtp(Side.WAN, 101 + 20 * i, "192.0.2.50:7000", "198.51.100.1:4000", MediaFrames.rtp(0, false, i + 1, 160L * i, 0xE, 160));
            // the same stream 0xD on the LAN, before the NAT, from an endpoint no LAN SDP names
            f.rtp(Side.LAN, 99 + 20 * i, "10.0.0.5:4000", "192.0.2.50:7000", MediaFrames.rtp(0, false, i + 1, 160L * i, 0xD, 160));
        }
        List<StreamSummary> all = f.media.finish();
        assertEquals("sdp-source", find(all, "198.51.100.1:4000", "192.0.2.50:7000").tiedBy());
        assertEquals("sdp-destination", find(all, "192.0.2.50:7000", "198.51.100.1:4000").tiedBy());
        StreamSummary lan = find(all, "10.0.0.5:4000", "192.0.2.50:7000");
        assertEquals("call-2@x", lan.callId());
        assertEquals("ssrc", lan.tiedBy());
    }

    @Test
    void notRtpIsNotAStream() {
        MediaFrames f = new MediaFrames();
        // RFC 7983: first byte 0-3 is STUN (a binding request), 20-63 DTLS (a handshake record)
        for (int i = 0; i < 5; i++) {
            f.rtp(Side.LAN, i, PHONE, REMOTE, MediaFrames.hex("0001 0000 2112a442 000102030405060708090a0b"));
            f.rtp(Side.LAN, i, PHONE, REMOTE, MediaFrames.hex("16 fefd 0000 0000 0000 0000 0010 0102030405"));
        }
        // version 2 with an unassigned payload type (50), and on a system port (DNS, 53)
        for (int i = 0; i < 5; i++) {
            f.rtp(Side.LAN, i, PHONE, REMOTE, MediaFrames.rtp(50, false, i, 160L * i, 1, 20));
            f.rtp(Side.LAN, i, PHONE, "192.0.2.53:53", MediaFrames.rtp(0, false, i, 160L * i, 1, 20));
        }
        // version 2 shaped, but the sequence numbers are random: not taken without SDP
        int[] seqs = {17, 9000, 3, 40000, 123};
        for (int i = 0; i < seqs.length; i++) f.rtp(Side.LAN, i, PHONE, REMOTE, MediaFrames.rtp(8, false, seqs[i], i, 2, 20));
        assertEquals(List.of(), f.media.finish());
    }

    @Test
    void rtcpReportsLandOnTheStreamTheyAreAbout() {
        MediaFrames f = new MediaFrames();
        for (int i = 0; i < 5; i++) f.rtp(Side.WAN, 20 * i, PHONE, REMOTE, MediaFrames.rtp(0, false, i + 1, 160L * i, 0x11111111L, 160));
        // SR from the phone (SSRC 11111111): NTP 0x0000abcd.12340000 -> LSR (middle 32 bits) 0xabcd1234
        f.udp(Side.WAN, 100, "192.168.1.10:4001", "203.0.113.5:30001", MediaFrames.hex(
                "80 c8 0006"                  // V2, RC 0, PT 200 (SR), length 6 words
                        + "11111111"          // sender SSRC
                        + "0000abcd 12340000" // NTP timestamp
                        + "00000320"          // RTP timestamp
                        + "00000005 00000320"), false); // packet and octet counts
        // RR from the remote 500 ms later about 11111111: 25 % lost, cumulative -1, jitter 80, LSR, DLSR 0.25 s
        f.udp(Side.WAN, 600, "203.0.113.5:30001", "192.168.1.10:4001", MediaFrames.hex(
                "81 c9 0007"                  // V2, RC 1, PT 201 (RR), length 7 words
                        + "22222222"          // reporter SSRC
                        + "11111111"          // about SSRC
                        + "40 ffffff"         // fraction lost 64/256, cumulative lost -1 (24-bit signed)
                        + "00010005"          // extended highest sequence
                        + "00000050"          // jitter: 80 timestamp units
                        + "abcd1234"          // LSR
                        + "00004000"), false); // DLSR: 16384/65536 s = 250 ms
        StreamSummary s = f.media.finish().get(0);
        assertEquals(1, s.rtcpReports());
        assertEquals(25.0, s.rtcpFractionLost(), 1e-9);
        assertEquals(-1, s.rtcpCumulativeLost());
        assertEquals(10.0, s.rtcpJitterMs(), 1e-9); // 80 / 8000 Hz
        assertEquals(250.0, s.rtcpRttMs(), 1e-6); // 600 - 100 - 250 ms
        assertEquals(1, f.media.rtcpPackets() - 1, "two RTCP datagrams read");
    }

    @Test
    void telephoneEventsAreCountedOncePerEventWithTheirDigits() {
        MediaFrames f = new MediaFrames();
        f.udp(Side.LAN, 0, "192.168.1.10:5060", PROXY, invite("call-3@x", "192.168.1.10", 4000, ""), true);
        int seq = 1;
        long ts = 0;
        for (int i = 0; i < 5; i++) f.rtp(Side.LAN, 20 * i, REMOTE, PHONE, MediaFrames.rtp(0, false, seq++, ts += 160, 0x77, 160));
        // RFC 4733 2.3: event 1, then event 11 ('#'), each in three packets (the last with E) sharing its timestamp
        for (int[] ev : new int[][] {{1, 1000}, {11, 3000}}) {
            for (int k = 0; k < 3; k++) {
                byte[] p = MediaFrames.rtp(101, k == 0, seq++, ev[1], 0x77, 4);
                p[12] = (byte) ev[0];
                p[13] = (byte) (k == 2 ? 0x8a : 0x0a);
                f.rtp(Side.LAN, 200 + ev[1] / 10.0 + 20 * k, REMOTE, PHONE, p);
            }
        }
        StreamSummary s = f.media.finish().get(0);
        assertEquals(2, s.events());
        assertEquals("1#", s.digits());
        assertEquals("0,101", s.payloadTypes());
        assertEquals("call-3@x", s.callId());
    }

    @Test
    void aPayloadTypeChangeTakesTheNewTypesClockAtOnce() {
        // RtpStream keeps the clock and event-ness of the packet before's type: a change of type must be seen on the
        // packet that makes it, in both directions (PCMU 8 kHz -> telephone-event, clock 0 -> PCMU again)
        MediaFrames f = new MediaFrames();
        f.udp(Side.LAN, 0, "192.168.1.10:5060", PROXY, invite("call-4@x", "192.168.1.10", 4000, ""), true);
        f.rtp(Side.LAN, 0, REMOTE, PHONE, MediaFrames.rtp(0, false, 1, 0, 0x78, 160));
        byte[] ev = MediaFrames.rtp(101, false, 2, 160, 0x78, 4);
        ev[12] = 5;
        f.rtp(Side.LAN, 20, REMOTE, PHONE, ev);
        f.rtp(Side.LAN, 40, REMOTE, PHONE, MediaFrames.rtp(0, false, 3, 320, 0x78, 160));
        StreamSummary s = f.media.finish().get(0);
        assertEquals(1, s.events());
        assertEquals("5", s.digits());
        // the event (clock 0) moves the arrival time but not the nominal one: 40 ms arrives where 20 + (40 - 0) was
        // expected, |D| = 20 ms, J = 20 / 16 (the PCMU packet's clock; an event's clock would give no sample, and
        // PCMU's clock kept for the event would give D = 0)
        assertEquals(1.25, s.maxJitterMs(), 1e-12);
        assertEquals(1.25, s.minJitterMs(), 1e-12);
        assertEquals(20.0, s.maxDeltaMs(), 1e-12);
        assertEquals(8000, s.clockRate());
    }

    @Test
    void streamsPastTheBoundAreCountedNotAnalysed() {
        MediaFrames f = new MediaFrames();
        for (int i = 0; i <= MediaStreams.MAX_STREAMS; i++) {
            f.rtp(Side.LAN, i * 0.001, PHONE, REMOTE, MediaFrames.rtp(0, false, 1, 0, i, 20));
        }
        assertEquals(1, f.media.streamsNotKept());
        assertEquals(MediaStreams.MAX_STREAMS, f.media.rtpPackets());
        // more packets of the refused stream, and a second refused stream: streams are counted, not their packets
        for (int k = 1; k <= 3; k++) {
            f.rtp(Side.LAN, 60 + k * 0.02, PHONE, REMOTE, MediaFrames.rtp(0, false, 1 + k, 160 * k, MediaStreams.MAX_STREAMS, 20));
            f.rtp(Side.LAN, 60 + k * 0.02, PHONE, REMOTE, MediaFrames.rtp(0, false, 1 + k, 160 * k, MediaStreams.MAX_STREAMS + 1, 20));
        }
        assertEquals(2, f.media.streamsNotKept());
        // one packet each: none showed RTP's sequence, none is listed
        assertEquals(List.of(), f.media.finish());
    }
}
