package dev.natrecon.conntrack;

import static dev.natrecon.conntrack.Packets.ACK;
import static dev.natrecon.conntrack.Packets.FIN;
import static dev.natrecon.conntrack.Packets.RST;
import static dev.natrecon.conntrack.Packets.SYN;
import static dev.natrecon.conntrack.Packets.seg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.RawFrame;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.Packet;
import dev.natrecon.decode.PacketDecoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * TCP window tracking basics (nf_conntrack_proto_tcp.c:tcp_in_window, nf_conntrack_tcp_packet's timeout choice):
 * un-ACKed data and retransmissions cap the timeout, out-of-window segments are invalid or ignored unless liberal,
 * window scaling only when both sides offered it.
 */
class TcpWindowTest {
    static final long S = 1_000_000_000L, MS = 1_000_000L;
    static final NatRule MASQ = NatRule.masquerade("203.0.113.2", "192.168.1.0/24");
    static final String C = "192.168.1.10", SRV = "203.0.113.5", R = "203.0.113.2";
    static final String O = "src=192.168.1.10 dst=203.0.113.5 sport=40000 dport=443";
    static final String RE = "src=203.0.113.5 dst=203.0.113.2 sport=443 dport=40000";
    static final long C0 = 1000, S0 = 5000;

    final Recorder rec = new Recorder();
    ConntrackModel model;
    long t;

    @AfterEach
    void nothingLeftOver() {
        rec.none();
    }

    Verdict out(int flags, long seq, long ack, int win, int data) {
        return model.onPacket(seg(t += MS, "lan", C, 40000, SRV, 443, flags, seq, ack, win, data, -1), rec);
    }

    Verdict in(int flags, long seq, long ack, int win, int data) {
        return model.onPacket(seg(t += MS, "wan", SRV, 443, R, 40000, flags, seq, ack, win, data, -1), rec);
    }

    ConntrackEntry entry() {
        return model.entries().iterator().next();
    }

    long left() {
        return (entry().deadlineNanos() - t) / S;
    }

    /** Handshake without window scaling: client ISN 1000, server ISN 5000, windows 64000. */
    void handshake(Timeouts timeouts) {
        handshake(timeouts, 432000);
    }

    void handshake(Timeouts timeouts, long established) {
        model = new ConntrackModel(timeouts, List.of(MASQ));
        t = 0;
        out(SYN, C0, 0, 64000, 0);
        in(SYN | ACK, S0, C0 + 1, 64000, 0);
        out(ACK, C0 + 1, S0 + 1, 64000, 0);
        rec.expect("    [NEW] ipv4     2 tcp      6 120 SYN_SENT " + O + " [UNREPLIED] " + RE,
                " [UPDATE] ipv4     2 tcp      6 60 SYN_RECV " + O + " " + RE,
                " [UPDATE] ipv4     2 tcp      6 " + established + " ESTABLISHED " + O + " " + RE + " [ASSURED]");
    }

    @Test
    void unacknowledgedDataAndRetransmissionsCapTheTimeout() {
        handshake(Timeouts.linux6().with("nf_conntrack_tcp_timeout_max_retrans=200")
                .with("nf_conntrack_tcp_timeout_unacknowledged=250"));
        assertEquals(Verdict.ESTABLISHED, out(ACK, C0 + 1, S0 + 1, 64000, 100)); // data, not yet ACKed
        assertEquals(250, left());
        out(ACK, C0 + 1, S0 + 1, 64000, 100);   // retransmitted: 1
        out(ACK, C0 + 1, S0 + 1, 64000, 100);   // 2
        assertEquals(250, left());
        out(ACK, C0 + 1, S0 + 1, 64000, 100);   // 3 = nf_conntrack_tcp_max_retrans
        assertEquals(200, left());
        assertEquals(3, entry().tcp.retrans);
        in(ACK, S0 + 1, C0 + 101, 64000, 0);    // ACKs everything: state timeout again
        assertEquals(432000, left());
        assertEquals(0, entry().tcp.retrans);
        rec.expect();
    }

    @Test
    void openWrtCountsFiveRetransmissions() {
        handshake(Timeouts.profile("openwrt").with("nf_conntrack_tcp_timeout_unacknowledged=7440"), 7440);
        for (int i = 0; i < 5; i++) out(ACK, C0 + 1, S0 + 1, 64000, 100); // the first and 4 retransmissions
        assertEquals(7440, left(), "unacknowledged cap not below the state's 7440 s");
        out(ACK, C0 + 1, S0 + 1, 64000, 100);                              // the 5th retransmission
        assertEquals(300, left());
        rec.expect();
    }

    @Test
    void aZeroWindowCapsTheTimeoutAtMaxRetrans() {
        handshake(Timeouts.linux6());
        in(ACK, S0 + 1, C0 + 1, 0, 0);
        assertEquals(300, left());
        in(ACK, S0 + 1, C0 + 1, 1000, 0);
        assertEquals(432000, left());
        rec.expect();
    }

    @Test
    void outOfWindowSegmentsAreInvalidOrIgnoredUnlessLiberal() {
        handshake(Timeouts.linux6());
        long deadline = entry().deadlineNanos();
        // ACKs data the client never sent: "ACK is over upper bound"
        assertEquals(Verdict.INVALID, in(ACK, S0 + 1, C0 + 5000, 64000, 0));
        // starts beyond anything the client's window allowed: "SEQ is over upper bound"
        assertEquals(Verdict.INVALID, in(ACK, S0 + 1 + 200_000, C0 + 1, 64000, 10));
        assertEquals(2, model.stats().invalid());
        assertEquals(deadline, entry().deadlineNanos(), "invalid packets do not refresh");
        // data from long before the window: "already ACKed data retransmitted" is ignored (accepted, no refresh)
        out(ACK, C0 + 1, S0 + 1, 64000, 1000);
        in(ACK, S0 + 1, C0 + 1001, 64000, 0);
        assertEquals(Verdict.IGNORED, out(ACK, C0 + 1 - 100_000, S0 + 1, 64000, 10));
        rec.expect();

        handshake(Timeouts.linux6().with("nf_conntrack_tcp_be_liberal=1"));
        assertEquals(Verdict.ESTABLISHED, in(ACK, S0 + 1, C0 + 5000, 64000, 0));
        assertEquals(Verdict.ESTABLISHED, in(ACK, S0 + 1 + 200_000, C0 + 1, 64000, 10));
        assertEquals(0, model.stats().invalid());
    }

    @Test
    void aPickedUpConnectionIsLiberal() {
        model = new ConntrackModel(Timeouts.linux6(), List.of(MASQ));
        t = 0;
        assertEquals(Verdict.NEW, out(ACK, 777_777, 123_456, 64000, 50));
        assertEquals(Verdict.ESTABLISHED, in(ACK, 9, 1, 64000, 0)); // nonsense numbers: accepted (BE_LIBERAL)
        rec.events.clear();
        assertTrue((entry().tcp.seen[0].flags & TcpWindowTracker.TCP_BE_LIBERAL) != 0);
    }

    @Test
    void windowScalingNeedsBothSides() {
        for (boolean serverScales : new boolean[] {true, false}) {
            model = new ConntrackModel(Timeouts.linux6(), List.of(MASQ));
            t = 0;
            model.onPacket(seg(t += MS, "lan", C, 40000, SRV, 443, SYN, C0, 0, 65535, 0, 7), rec);
            model.onPacket(seg(t += MS, "wan", SRV, 443, R, 40000, SYN | ACK, S0, C0 + 1, 65160, 0,
                    serverScales ? 7 : -1), rec);
            out(ACK, C0 + 1, S0 + 1, 502, 0);              // 502 << 7 = 64256 bytes when scaled
            rec.events.clear();
            in(ACK, S0 + 1, C0 + 1, 509, 1000);
            Verdict second = in(ACK, S0 + 1001, C0 + 1, 509, 1000); // starts 1000 bytes in: beyond an unscaled 502
            assertEquals(serverScales ? Verdict.ESTABLISHED : Verdict.IGNORED, second, "server scales: " + serverScales);
            assertEquals(serverScales ? 7 : 0, entry().tcp.seen[0].scale);
        }
    }

    @Test
    void outOfWindowFinsFromBothSidesShrinkAnAssuredEntry() {
        handshake(Timeouts.linux6());
        long deadline = entry().deadlineNanos();
        assertEquals(Verdict.INVALID, out(FIN | ACK, C0 + 1 + 200_000, S0 + 1, 64000, 0));
        assertEquals(deadline, entry().deadlineNanos(), "one side's: only remembered");
        assertEquals(Verdict.INVALID, in(FIN | ACK, S0 + 1 + 200_000, C0 + 1, 64000, 0));
        assertEquals(300, left(), "answered by the other side: nf_conntrack_tcp_timeout_unacknowledged");
        rec.expect();
    }

    @Test
    void rstAnsweringTheSynWithSeqZeroIsTakenAsInWindow() {
        model = new ConntrackModel(Timeouts.linux6(), List.of(MASQ));
        t = 0;
        out(SYN, C0, 0, 64000, 0);
        rec.events.clear();
        assertEquals(Verdict.ESTABLISHED, in(RST | ACK, 0, C0 + 1, 0, 0));
        rec.expect("[DESTROY] ipv4     2 tcp      6 119 CLOSE " + O + " [UNREPLIED] " + RE);
    }

    @Test
    void arrivalReadsSequenceNumbersAndOptionsFromTheWire() {
        // Ethernet / IPv4 192.168.1.10 → 203.0.113.5 / TCP 40000 → 443 SYN seq 0x01020304, win 64240,
        // options: MSS 1460, SACK permitted, timestamps, NOP, window scale 7 (header 40 bytes)
        String hex = "020000000002" + "020000000001" + "0800"
                + "4500003c0000400040060000" + "c0a8010a" + "cb007105"
                + "9c4001bb" + "01020304" + "00000000" + "a002" + "faf0" + "0000" + "0000"
                + "020405b4" + "0402" + "080a0000000100000000" + "01" + "030307";
        byte[] bytes = HexFormat.of().parseHex(hex);
        RawFrame f = new RawFrame();
        f.data = bytes;
        f.capturedLength = f.originalLength = bytes.length;
        f.linkType = 1;
        Packet p = new Packet();
        assertEquals(Disposition.DECODED, new PacketDecoder().decode(f, p, new AnomalyCounts()));
        Arrival a = new Arrival().packet(0, FrameRef.NONE, p);
        assertTrue(a.tcpSequenceKnown);
        assertEquals(0x01020304, a.tcpSeq);
        assertEquals(64240, a.tcpWindow);
        assertEquals(20, a.tcpOptionsLength);
        assertEquals(7, a.tcpWindowScale);
        assertTrue(a.tcpSackPermitted);
        assertEquals(0, a.tcpDataLength);
        Arrival none = new Arrival().packet(0, FrameRef.NONE, p).clear();
        assertFalse(none.tcpSequenceKnown);
        assertEquals(-1, none.tcpWindowScale);
    }

    @ParameterizedTest
    @CsvSource({"sip/ncl_udp_tcp_63ua.pcap, 1, 59", "sip/honeynet_fc4_call.pcap, 92, 1199"})
    void realConnectionsPassTheWindowChecksPacketByPacket(String file, int created, int established) throws IOException {
        // public captures taken at one point: both directions fed to a model without NAT rules (null bindings); a
        // well-behaved TCP stack never fails tcp_in_window, so a false INVALID or IGNORED would be the model's error
        model = new ConntrackModel(Timeouts.linux6(), List.of());
        Map<Verdict, Integer> verdicts = new EnumMap<>(Verdict.class);
        PacketDecoder decoder = new PacketDecoder();
        int tracked = 0;
        try (CaptureReader r = CaptureReader.open(Path.of("src/test/resources/public", file))) {
            RawFrame f = new RawFrame();
            while (r.next(f)) {
                Packet p = new Packet();
                if (decoder.decode(f, p, new AnomalyCounts()) != Disposition.DECODED || p.protocol != 6) continue;
                Arrival a = new Arrival().packet(f.timestampNanos, new FrameRef("x", f.frameNumber), p);
                verdicts.merge(model.onPacket(a, e -> { }), 1, Integer::sum);
                ConntrackEntry e = model.find(a.tuple);
                if (e != null && e.tcp.seen != null) tracked++;
            }
        }
        assertEquals(Map.of(Verdict.NEW, created, Verdict.ESTABLISHED, established), verdicts);
        assertEquals(created + established, tracked, "window tracking was on for every packet");
        assertEquals(0, model.stats().invalid());
    }
}
