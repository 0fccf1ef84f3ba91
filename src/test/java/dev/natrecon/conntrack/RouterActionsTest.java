package dev.natrecon.conntrack;

import static dev.natrecon.conntrack.Packets.icmp;
import static dev.natrecon.conntrack.Packets.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the router's operator and its own stack do to the table besides packets: NAT rules loaded late, an operator's
 * {@code conntrack -D}/{@code -F} ({@link ConntrackCommand}), and the router's own ICMP error about a packet it could
 * not route, which is attached to that packet's entry and delivers its cached events. Every event is asserted.
 */
class RouterActionsTest {
    static final long S = 1_000_000_000L, MS = 1_000_000L;
    static final String PHONE = "192.168.1.10", PROVIDER = "203.0.113.5";
    static final String O = "src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060";

    final Recorder rec = new Recorder();
    ConntrackModel model = new ConntrackModel(Timeouts.linux6(), NatRuleset.parse(ConntrackNatTest.MASQ),
            ConntrackNatTest.router());

    @AfterEach
    void nothingLeftOver() {
        rec.none();
    }

    static Arrival out(long t, String src, int sport, Arrival.Egress egress) {
        Arrival a = udp(t, "lan", src, sport, PROVIDER, 5060, 300);
        a.egress = egress;
        return a;
    }

    @Test
    void natRulesLoadedLateApplyToNewEntriesOnly() {
        model = new ConntrackModel(Timeouts.linux6(), List.of(), t -> null, ConntrackNatTest.router());
        model.onPacket(out(0, PHONE, 5060, Arrival.Egress.WAN), rec);
        rec.expect("    [NEW] ipv4     2 udp      17 30 " + O + " [UNREPLIED] src=203.0.113.5 dst=192.168.1.10 sport=5060 dport=5060");
        model.onNatRulesLoaded(3 * S, NatRuleset.parse(ConntrackNatTest.MASQ).rules(), rec);
        rec.expect();
        // the null binding stays (nat is set up once per entry); a new flow is masqueraded
        model.onPacket(out(4 * S, PHONE, 5060, Arrival.Egress.WAN), rec);
        rec.expect();
        model.onPacket(out(5 * S, "192.168.1.11", 5062, Arrival.Egress.WAN), rec);
        rec.expect("    [NEW] ipv4     2 udp      17 30 src=192.168.1.11 dst=203.0.113.5 sport=5062 dport=5060 [UNREPLIED] "
                + "src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5062");
    }

    @Test
    void anOperatorsDeleteRemovesTheEntriesItsFilterNamesAndFlushRemovesAll() {
        model.onPacket(out(0, PHONE, 5060, Arrival.Egress.WAN), rec);
        model.onPacket(out(MS, "192.168.1.11", 5062, Arrival.Egress.WAN), rec);
        rec.events.clear();
        ConntrackCommand d = ConntrackCommand.parse("conntrack -D -p udp --orig-src 192.168.1.10 --orig-port-src 5060 "
                + "--orig-dst 203.0.113.5 --orig-port-dst 5060");
        assertEquals(1, model.onUserspaceDelete(4 * S, d, d.text(), rec));
        ConntrackEvent.EntryKilled k = (ConntrackEvent.EntryKilled) rec.expect("[DESTROY] ipv4     2 udp      17 26 " + O
                + " [UNREPLIED] src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060").get(0);
        assertTrue(k.reason().startsWith("deleted from userspace: conntrack -D"), k.reason());
        assertEquals(0, model.onUserspaceDelete(5 * S, d, d.text(), rec), "nothing left to match");
        ConntrackCommand f = ConntrackCommand.parse("conntrack -F");
        assertEquals(1, model.onUserspaceDelete(6 * S, f, f.text(), rec));
        rec.expect("[DESTROY] ipv4     2 udp      17 24 src=192.168.1.11 dst=203.0.113.5 sport=5062 dport=5060 [UNREPLIED] "
                + "src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5062");
        assertTrue(model.entries().isEmpty());
    }

    @Test
    void conntrackCommandsAreReadAsConntrackToolsFiltersThem() {
        ConntrackCommand d = ConntrackCommand.parse("conntrack -D -s 192.168.1.10");
        assertTrue(d.test(ConntrackTuple.of(17, PHONE, 1, PROVIDER, 2)));
        assertTrue(d.test(ConntrackTuple.of(6, PHONE, 3, "198.51.100.9", 4)));
        assertFalse(d.test(ConntrackTuple.of(17, "192.168.1.11", 1, PROVIDER, 2)));
        ConntrackCommand p = ConntrackCommand.parse("conntrack -D -p tcp --dport 5061");
        assertFalse(p.test(ConntrackTuple.of(17, PHONE, 1, PROVIDER, 5061)));
        assertTrue(p.test(ConntrackTuple.of(6, PHONE, 1, PROVIDER, 5061)));
        assertThrows(IllegalArgumentException.class, () -> ConntrackCommand.parse("conntrack -L"));
        assertThrows(IllegalArgumentException.class, () -> ConntrackCommand.parse("conntrack -F -s 192.168.1.10"));
        assertThrows(IllegalArgumentException.class, () -> ConntrackCommand.parse("conntrack -D --orig-port-src 70000"));
        assertThrows(IllegalArgumentException.class, () -> ConntrackCommand.parse("conntrack -D -p"));
    }

    @Test
    void theRoutersOwnUnreachableDeliversTheCachedEventsOfThePacketThatDiedInRouting() {
        // outage-no-route-snat lab: the phone's request matched its entry in PREROUTING and died in routing; the router
        // answered with ICMP net unreachable, and the [ASSURED] UPDATE came with it, with the UDP stream timeout
        model.onPacket(out(0, PHONE, 5060, Arrival.Egress.WAN), rec);
        Arrival back = udp(10 * MS, "wan", PROVIDER, 5060, "203.0.113.2", 5060, 300);
        back.egress = Arrival.Egress.LAN;
        model.onPacket(back, rec);
        rec.events.clear();
        assertEquals(Verdict.DROPPED, model.onPacket(out(5 * S, PHONE, 5060, Arrival.Egress.DROPPED), rec));
        rec.expect(); // cached: the packet never reached confirmation
        Arrival unreachable = icmp(5 * S + 100_000, "local", "192.168.1.1", PHONE, 3, 0,
                ConntrackTuple.of(17, PHONE, 5060, PROVIDER, 5060));
        unreachable.egress = Arrival.Egress.LAN;
        assertEquals(Verdict.RELATED, model.onPacket(unreachable, rec));
        rec.expect(" [UPDATE] ipv4     2 udp      17 120 " + O + " src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060 [ASSURED]");
        assertEquals(0, model.stats().error());
        // an unreachable about no entry stays INVALID
        Arrival stray = icmp(6 * S, "local", "192.168.1.1", PHONE, 3, 0, ConntrackTuple.of(17, PHONE, 7000, PROVIDER, 7000));
        stray.egress = Arrival.Egress.LAN;
        assertEquals(Verdict.INVALID, model.onPacket(stray, rec));
        rec.expect();
    }
}
