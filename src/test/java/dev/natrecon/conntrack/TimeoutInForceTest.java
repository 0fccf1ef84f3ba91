package dev.natrecon.conntrack;

import static dev.natrecon.conntrack.Packets.ACK;
import static dev.natrecon.conntrack.Packets.SYN;
import static dev.natrecon.conntrack.Packets.tcp;
import static dev.natrecon.conntrack.Packets.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.natrecon.conntrack.Timeouts.Key;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The timeout in force the model records on each refresh, and the setting it came from: the value is the one the
 * deadline was set with (deadline = packet time + timeout in force), under the tracker's or the helper's setting.
 */
class TimeoutInForceTest {
    static final long S = 1_000_000_000L, MS = 1_000_000L;
    static final String PHONE = "192.168.1.10", PROVIDER = "203.0.113.5", ROUTER = "203.0.113.2";
    final ConntrackModel plain = new ConntrackModel(Timeouts.linux6(),
            List.of(NatRule.masquerade(ROUTER, "192.168.1.0/24")));
    final ConntrackModel sip = SipHelperTimeoutTest.withSipHelper(new ConntrackModel(Timeouts.linux6(),
            List.of(NatRule.masquerade(ROUTER, "192.168.1.0/24")), t -> t.dstPort() == 5060 ? "sip" : null), "sip");

    private static void inForce(ConntrackModel m, ConntrackEntry e, long t, Key setting, long seconds) {
        assertEquals(setting, e.timeoutSetting());
        assertEquals(seconds, e.timeoutInForce());
        assertEquals(m.timeouts().seconds(setting), seconds, "the setting's own value");
        assertEquals(t + seconds * S, e.deadlineNanos(), "the deadline it set");
    }

    @Test
    void udpUnrepliedThenRepliedWithinTwoSecondsThenStream() {
        plain.onPacket(udp(0, "lan", PHONE, 40000, PROVIDER, 30000, 100), EventSink.IGNORE);
        ConntrackEntry e = plain.find(ConntrackTuple.of(17, PHONE, 40000, PROVIDER, 30000));
        inForce(plain, e, 0, Key.UDP, 30);
        plain.onPacket(udp(500 * MS, "wan", PROVIDER, 30000, ROUTER, 40000, 100), EventSink.IGNORE);
        inForce(plain, e, 500 * MS, Key.UDP, 30); // replied, but within 2 s of the first packet
        plain.onPacket(udp(3 * S, "lan", PHONE, 40000, PROVIDER, 30000, 100), EventSink.IGNORE);
        inForce(plain, e, 3 * S, Key.UDP_STREAM, 120);
    }

    @Test
    void tcpByStateOfTheHandshake() {
        plain.onPacket(tcp(0, "lan", PHONE, 40001, PROVIDER, 443, SYN, 0), EventSink.IGNORE);
        ConntrackEntry e = plain.find(ConntrackTuple.of(6, PHONE, 40001, PROVIDER, 443));
        inForce(plain, e, 0, Key.TCP_SYN_SENT, 120);
        plain.onPacket(tcp(10 * MS, "wan", PROVIDER, 443, ROUTER, 40001, SYN | ACK, 0), EventSink.IGNORE);
        inForce(plain, e, 10 * MS, Key.TCP_SYN_RECV, 60);
        plain.onPacket(tcp(20 * MS, "lan", PHONE, 40001, PROVIDER, 443, ACK, 0), EventSink.IGNORE);
        inForce(plain, e, 20 * MS, Key.TCP_ESTABLISHED, 432000);
    }

    @Test
    void theSipHelperSetsSipTimeoutOnDataAndAnEmptyPacketLeavesTheTrackersSetting() {
        sip.onPacket(udp(0, "lan", PHONE, 5060, PROVIDER, 5060, 360), EventSink.IGNORE);
        ConntrackEntry e = sip.find(ConntrackTuple.of(17, PHONE, 5060, PROVIDER, 5060));
        inForce(sip, e, 0, Key.SIP_TIMEOUT, 3600);
        sip.onPacket(udp(1 * S, "lan", PHONE, 5060, PROVIDER, 5060, 0), EventSink.IGNORE);
        inForce(sip, e, 1 * S, Key.UDP, 30); // no data: the helper leaves the tracker's value
        sip.onPacket(udp(1500 * MS, "wan", PROVIDER, 5060, ROUTER, 5060, 4), EventSink.IGNORE);
        inForce(sip, e, 1500 * MS, Key.SIP_TIMEOUT, 3600);
        sip.onPacket(udp(4 * S, "lan", PHONE, 5060, PROVIDER, 5060, 0), EventSink.IGNORE);
        inForce(sip, e, 4 * S, Key.UDP_STREAM, 120); // assured by now, and no data
    }
}
