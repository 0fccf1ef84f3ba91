package dev.natrecon.conntrack;

import dev.natrecon.alg.sip.LinuxSipHelper;
import static dev.natrecon.conntrack.Packets.ACK;
import static dev.natrecon.conntrack.Packets.FIN;
import static dev.natrecon.conntrack.Packets.SYN;
import static dev.natrecon.conntrack.Packets.tcp;
import static dev.natrecon.conntrack.Packets.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.conntrack.Timeouts.Key;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SIP helper's timeout policy (nf_conntrack_sip.c:sip_help_udp, sip_help_tcp): sip_timeout on every packet with
 * data, set after the tracker ran, so events carry it; over TCP only once the connection's ctinfo is ESTABLISHED.
 */
class SipHelperTimeoutTest {
    static final long S = 1_000_000_000L, MS = 1_000_000L;
    static final NatRule MASQ = NatRule.masquerade("203.0.113.2", "192.168.1.0/24");
    static final String PHONE = "192.168.1.10", PROVIDER = "203.0.113.5", ROUTER = "203.0.113.2";
    static final String SIP_O = "src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060";
    static final String SIP_R = "src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060";

    final Recorder rec = new Recorder();
    ConntrackModel model = withSipHelper(new ConntrackModel(Timeouts.linux6(), List.of(MASQ), t -> t.dstPort() == 5060 ? "sip" : null), "sip");

    /** The SIP helper attached under {@code names}: the timeout policy is the helper's, the model has none of its own. */
    static ConntrackModel withSipHelper(ConntrackModel m, String... names) {
        for (String n : names) m.addHelper(new LinuxSipHelper(n));
        return m;
    }

    @AfterEach
    void nothingLeftOver() {
        rec.none();
    }

    ConntrackEntry sip() {
        return model.find(ConntrackTuple.of(17, PHONE, 5060, PROVIDER, 5060));
    }

    @Test
    void udpEveryPacketWithDataSetsSipTimeoutEmptyOnesLeaveTheTrackersValue() {
        assertEquals(Verdict.NEW, model.onPacket(udp(0, "lan", PHONE, 5060, PROVIDER, 5060, 360), rec));
        rec.expect("    [NEW] ipv4     2 udp      17 3600 " + SIP_O + " [UNREPLIED] " + SIP_R + " helper=sip");
        assertEquals(3600 * S, sip().deadlineNanos());

        model.onPacket(udp(1 * MS, "wan", PROVIDER, 5060, ROUTER, 5060, 371), rec); // reply: the tracker's 30, then 3600
        rec.expect(" [UPDATE] ipv4     2 udp      17 3600 " + SIP_O + " " + SIP_R + " helper=sip");
        assertEquals(1 * MS + 3600 * S, sip().deadlineNanos());

        // an empty UDP packet: no data, the helper does nothing and the tracker's 30 s (within 2 s) stands
        model.onPacket(udp(1 * S, "lan", PHONE, 5060, PROVIDER, 5060, 0), rec);
        assertEquals(31 * S, sip().deadlineNanos());
        // a CRLFCRLF keep-alive is data (too short to parse, but the refresh comes first)
        model.onPacket(udp(1500 * MS, "wan", PROVIDER, 5060, ROUTER, 5060, 4), rec);
        assertEquals(1500 * MS + 3600 * S, sip().deadlineNanos());
        rec.expect();

        // more than 2 s after the first packet: the tracker assures the entry (120 s), the helper sets 3600 over it
        model.onPacket(udp(3 * S, "lan", PHONE, 5060, PROVIDER, 5060, 360), rec);
        rec.expect(" [UPDATE] ipv4     2 udp      17 3600 " + SIP_O + " " + SIP_R + " [ASSURED] helper=sip");
        model.onPacket(udp(4 * S, "lan", PHONE, 5060, PROVIDER, 5060, 0), rec); // stream: 120 s
        assertEquals(124 * S, sip().deadlineNanos());
        model.advanceTo(124 * S - 1, rec);
        rec.expect();
        model.advanceTo(124 * S, rec);
        rec.expect("[DESTROY] ipv4     2 udp      17 " + SIP_O + " " + SIP_R + " [ASSURED]");
    }

    @Test
    void sipTimeoutComesFromTheModuleParameters() throws IOException {
        Timeouts t = Timeouts.linux6().withModuleParameters("""
                ports=5060
                sip_direct_media=1
                sip_timeout=900
                """, "nf_conntrack_sip-parameters.txt");
        assertEquals(900, t.seconds(Key.SIP_TIMEOUT));
        assertEquals("nf_conntrack_sip-parameters.txt:3", t.source(Key.SIP_TIMEOUT));
        assertTrue(t.describe().contains("sip_timeout = 900 (nf_conntrack_sip-parameters.txt:3)"), t.describe().toString());
        assertEquals("profile linux-6: nf_conntrack_sip.c:sip_timeout (SIP_TIMEOUT, module parameter)",
                Timeouts.linux6().source(Key.SIP_TIMEOUT));

        Timeouts lab = Timeouts.linux6().withModuleParameters(
                Files.readString(Path.of("samples/baseline/nf_conntrack_sip-parameters.txt")), "params");
        assertEquals(3600, lab.seconds(Key.SIP_TIMEOUT));
        assertEquals("params:5", lab.source(Key.SIP_TIMEOUT));

        model = withSipHelper(new ConntrackModel(t, List.of(MASQ), x -> "sip"), "sip");
        model.onPacket(udp(0, "lan", PHONE, 5060, PROVIDER, 5060, 360), rec);
        rec.expect("    [NEW] ipv4     2 udp      17 900 " + SIP_O + " [UNREPLIED] " + SIP_R + " helper=sip");
    }

    @Test
    void tcpDataRefreshesOnlyOnceEstablishedAndPureAcksPutTheTrackersValueBack() {
        String o = SIP_O, r = SIP_R;
        ConntrackTuple key = ConntrackTuple.of(6, PHONE, 5060, PROVIDER, 5060);
        assertEquals(Verdict.NEW, model.onPacket(tcp(0, "lan", PHONE, 5060, PROVIDER, 5060, SYN, 0), rec));
        model.onPacket(tcp(1 * MS, "wan", PROVIDER, 5060, ROUTER, 5060, SYN | ACK, 0), rec);
        model.onPacket(tcp(2 * MS, "lan", PHONE, 5060, PROVIDER, 5060, ACK, 0), rec);
        rec.expect("    [NEW] ipv4     2 tcp      6 120 SYN_SENT " + o + " [UNREPLIED] " + r + " helper=sip",
                " [UPDATE] ipv4     2 tcp      6 60 SYN_RECV " + o + " " + r + " helper=sip",
                " [UPDATE] ipv4     2 tcp      6 432000 ESTABLISHED " + o + " " + r + " [ASSURED] helper=sip");
        model.onPacket(tcp(10 * MS, "lan", PHONE, 5060, PROVIDER, 5060, ACK, 500), rec);  // REGISTER
        assertEquals(10 * MS + 3600 * S, model.find(key).deadlineNanos());
        model.onPacket(tcp(20 * MS, "wan", PROVIDER, 5060, ROUTER, 5060, ACK, 0), rec);   // its ACK
        assertEquals(20 * MS + 432000 * S, model.find(key).deadlineNanos());
        model.onPacket(tcp(30 * MS, "wan", PROVIDER, 5060, ROUTER, 5060, ACK, 300), rec); // 200 OK
        assertEquals(30 * MS + 3600 * S, model.find(key).deadlineNanos());
        rec.expect();
        model.onPacket(tcp(40 * MS, "lan", PHONE, 5060, PROVIDER, 5060, FIN | ACK, 0), rec);
        rec.expect(" [UPDATE] ipv4     2 tcp      6 120 FIN_WAIT " + o + " " + r + " [ASSURED] helper=sip");
        model.advanceTo(40 * MS + 120 * S, rec);
        rec.expect("[DESTROY] ipv4     2 tcp      6 FIN_WAIT " + o + " " + r + " [ASSURED]");
    }

    @Test
    void tcpDataBeforeAnyReplyIsCtinfoNewAndNotRefreshed() {
        String o = SIP_O, r = SIP_R;
        ConntrackTuple key = ConntrackTuple.of(6, PHONE, 5060, PROVIDER, 5060);
        // picked up mid-stream (nf_conntrack_tcp_loose=1): data, but ctinfo NEW, so the unacknowledged cap only
        model.onPacket(tcp(0, "lan", PHONE, 5060, PROVIDER, 5060, ACK, 400), rec);
        rec.expect("    [NEW] ipv4     2 tcp      6 300 ESTABLISHED " + o + " [UNREPLIED] " + r + " helper=sip");
        model.onPacket(tcp(10 * MS, "lan", PHONE, 5060, PROVIDER, 5060, ACK, 400), rec);
        assertEquals(10 * MS + 300 * S, model.find(key).deadlineNanos());
        rec.expect();
        // the first reply is ESTABLISHED_REPLY: the helper's 3600 s replaces the tracker's 300
        model.onPacket(tcp(20 * MS, "wan", PROVIDER, 5060, ROUTER, 5060, ACK, 200), rec);
        rec.expect(" [UPDATE] ipv4     2 tcp      6 3600 ESTABLISHED " + o + " " + r + " helper=sip");
        model.onPacket(tcp(30 * MS, "lan", PHONE, 5060, PROVIDER, 5060, ACK, 0), rec);
        rec.expect(" [UPDATE] ipv4     2 tcp      6 432000 ESTABLISHED " + o + " " + r + " [ASSURED] helper=sip");
    }

    @Test
    void onlyTheSipHelperHasThisPolicy() {
        model = withSipHelper(new ConntrackModel(Timeouts.linux6(), List.of(MASQ), t -> t.dstPort() == 5060 ? "sip-1" : "ftp"), "sip-1");
        model.onPacket(udp(0, "lan", PHONE, 5060, PROVIDER, 5060, 360), rec);
        model.onPacket(udp(0, "lan", PHONE, 5061, PROVIDER, 21, 100), rec);
        rec.expect("    [NEW] ipv4     2 udp      17 3600 " + SIP_O + " [UNREPLIED] " + SIP_R + " helper=sip-1",
                "    [NEW] ipv4     2 udp      17 30 src=192.168.1.10 dst=203.0.113.5 sport=5061 dport=21 [UNREPLIED] "
                        + "src=203.0.113.5 dst=203.0.113.2 sport=21 dport=5061 helper=ftp");
    }

    @Test
    void convenienceOverloadEstimatesThePayloadFromTheIpLength() {
        ConntrackTuple t = ConntrackTuple.of(17, PHONE, 5060, PROVIDER, 5060);
        model.onPacket(0, new FrameRef("lan", 1), t, 0, 28, -1, rec); // 20 + 8: an empty UDP datagram
        rec.expect("    [NEW] ipv4     2 udp      17 30 " + SIP_O + " [UNREPLIED] " + SIP_R + " helper=sip");
        model.onPacket(S, new FrameRef("lan", 2), t, 0, 29, -1, rec);  // one byte of data
        assertEquals(S + 3600 * S, sip().deadlineNanos());
        assertEquals(0, ConntrackModel.estimatedPayload(ConntrackTuple.of(6, "2001:db8::1", 1, "2001:db8::2", 2), 60));
        assertEquals(12, ConntrackModel.estimatedPayload(ConntrackTuple.of(6, "10.0.0.1", 1, "10.0.0.2", 2), 52));
    }
}
