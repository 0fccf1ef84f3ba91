package dev.natrecon.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.conntrack.Arrival.Egress;
import dev.natrecon.conntrack.Arrival.Ingress;
import dev.natrecon.conntrack.ConntrackEvent.Diverged;
import dev.natrecon.conntrack.ConntrackEvent.EntryCreated;
import dev.natrecon.conntrack.ConntrackEvent.EntryKilled;
import dev.natrecon.conntrack.ConntrackEvent.EntryUpdated;
import dev.natrecon.conntrack.ConntrackEvent.NatPort;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The NAT side of the model with a router description: rules from ruleset text, routing by what the captures showed
 * (egress), link and address events, divergences. Hand-made packets and model time; every event is asserted and none
 * may be left over.
 */
class ConntrackNatTest {
    static final long S = 1_000_000_000L, MS = 1_000_000L;

    static String nft(String... postrouting) {
        return nft(new String[0], postrouting);
    }

    static String nft(String[] prerouting, String... postrouting) {
        StringBuilder sb = new StringBuilder("table ip nat {\n");
        sb.append("\tchain prerouting {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n");
        for (String r : prerouting) sb.append("\t\t").append(r).append('\n');
        sb.append("\t}\n\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n");
        for (String r : postrouting) sb.append("\t\t").append(r).append('\n');
        return sb.append("\t}\n}\n").toString();
    }

    static final String MASQ = nft("oifname \"wan0\" masquerade");

    static Interfaces router() {
        return Interfaces.of("lan0", "wan0").address("lan0", "192.168.1.1/24").address("wan0", "203.0.113.2/24");
    }

    final Recorder rec = new Recorder();
    ConntrackModel model = new ConntrackModel(Timeouts.linux6(), NatRuleset.parse(MASQ), router());
    long lanFrame, wanFrame;

    @AfterEach
    void nothingLeftOver() {
        rec.none();
    }

    /** A packet from the LAN (before SNAT) that the captures showed leaving through {@code egress}. */
    Arrival lan(long t, int proto, String src, int sport, String dst, int dport, Egress egress) {
        Arrival a = new Arrival();
        a.nanos = t;
        a.frame = new FrameRef("lan", ++lanFrame);
        a.tuple = ConntrackTuple.of(proto, src, sport, dst, dport);
        a.ipLength = 100;
        a.ingress = Ingress.LAN;
        a.egress = egress;
        return a;
    }

    Arrival phone(long t, Egress egress) {
        return lan(t, 17, "192.168.1.10", 5060, "203.0.113.5", 5060, egress);
    }

    /** A packet from the WAN (before de-NAT). */
    Arrival wan(long t, int proto, String src, int sport, String dst, int dport, Egress egress) {
        Arrival a = new Arrival();
        a.nanos = t;
        a.frame = new FrameRef("wan", ++wanFrame);
        a.tuple = ConntrackTuple.of(proto, src, sport, dst, dport);
        a.ipLength = 100;
        a.ingress = Ingress.WAN;
        a.egress = egress;
        return a;
    }

    static Arrival seen(Arrival a, String src, int sport, String dst, int dport) {
        return a.observe(ConntrackTuple.of(a.tuple.protocol(), src, sport, dst, dport));
    }

    Verdict send(Arrival a) {
        return model.onPacket(a, rec);
    }

    static final String SIP = "src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060";
    static final String SIP_MASQ = "src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060";
    static final String SIP_NULL = "src=203.0.113.5 dst=192.168.1.10 sport=5060 dport=5060";

    // ---- rules and routing

    @Test
    void masqueradeTakesTheOutInterfacesAddressAndRemembersTheInterface() {
        assertEquals(Verdict.NEW, send(phone(0, Egress.WAN)));
        EntryCreated c = assertInstanceOf(EntryCreated.class,
                rec.expect("    [NEW] ipv4     2 udp      17 30 " + SIP + " [UNREPLIED] " + SIP_MASQ).get(0));
        assertEquals(NatPort.KEPT, c.natPort());
        assertTrue(c.entry().has(Status.SRC_NAT));
        assertEquals("wan0", model.entries().iterator().next().masqInterface());
        // the interface's second address is taken for destinations in its subnet (inet_select_addr)
        model.onAddressAdded(1 * S, "wan0", "198.51.100.2/24", rec);
        send(lan(2 * S, 17, "192.168.1.10", 5060, "198.51.100.7", 5060, Egress.WAN));
        rec.expect("    [NEW] ipv4     2 udp      17 30 src=192.168.1.10 dst=198.51.100.7 sport=5060 dport=5060 [UNREPLIED] "
                + "src=198.51.100.7 dst=198.51.100.2 sport=5060 dport=5060");
    }

    @Test
    void aPacketRoutedOutOfAnotherInterfaceGetsANullBinding() {
        // stale-mapping lab: with the WAN down and a fallback route via the LAN, oifname "wan0" does not match
        assertEquals(Verdict.NEW, send(phone(0, Egress.LAN)));
        EntryCreated c = assertInstanceOf(EntryCreated.class,
                rec.expect("    [NEW] ipv4     2 udp      17 30 " + SIP + " [UNREPLIED] " + SIP_NULL).get(0));
        assertEquals(NatPort.NONE, c.natPort());
        assertNull(model.entries().iterator().next().masqInterface());
        // once the WAN is back the same entry carries the flow out of wan0, untranslated: a null binding is never
        // re-evaluated and never killed on an interface change
        assertEquals(Verdict.ESTABLISHED, send(phone(5 * S, Egress.WAN)));
        assertEquals(35 * S, model.entries().iterator().next().deadlineNanos());
        // a packet the router delivers to itself gets no postrouting NAT either
        send(lan(6 * S, 17, "192.168.1.10", 53000, "203.0.113.2", 53, Egress.ROUTER));
        rec.expect("    [NEW] ipv4     2 udp      17 30 src=192.168.1.10 dst=203.0.113.2 sport=53000 dport=53 [UNREPLIED] "
                + "src=203.0.113.2 dst=192.168.1.10 sport=53 dport=53000");
    }

    @Test
    void rulesMatchOnSourceProtocolAndDestinationAndAnAcceptEndsTheChain() {
        model = new ConntrackModel(Timeouts.linux6(), NatRuleset.parse(nft("ip daddr 10.0.0.0/8 accept",
                "oifname \"wan0\" ip saddr 192.168.1.0/25 meta l4proto udp masquerade")), router());
        send(phone(0, Egress.WAN));
        send(lan(1, 17, "192.168.1.200", 5060, "203.0.113.5", 5060, Egress.WAN)); // outside /25: leaks
        send(lan(2, 6, "192.168.1.10", 5060, "203.0.113.5", 5060, Egress.WAN));   // TCP: not matched (tcp_new: SYN needed)
        send(lan(3, 17, "192.168.1.10", 5060, "10.1.2.3", 5060, Egress.WAN));     // accepted before the masquerade
        rec.expect("    [NEW] ipv4     2 udp      17 30 " + SIP + " [UNREPLIED] " + SIP_MASQ,
                "    [NEW] ipv4     2 udp      17 30 src=192.168.1.200 dst=203.0.113.5 sport=5060 dport=5060 [UNREPLIED] "
                        + "src=203.0.113.5 dst=192.168.1.200 sport=5060 dport=5060",
                "    [NEW] ipv4     2 udp      17 30 src=192.168.1.10 dst=10.1.2.3 sport=5060 dport=5060 [UNREPLIED] "
                        + "src=10.1.2.3 dst=192.168.1.10 sport=5060 dport=5060");
        Arrival syn = lan(4, 6, "192.168.1.10", 5060, "203.0.113.5", 5060, Egress.WAN);
        syn.tcpFlags = 0x02;
        send(syn);
        rec.expect("    [NEW] ipv4     2 tcp      6 120 SYN_SENT " + SIP + " [UNREPLIED] " + SIP_NULL);
    }

    @Test
    void snatWithAPortRangeKeepsAPortInRangeAndSearchesOtherwise() {
        model = new ConntrackModel(Timeouts.linux6(), NatRuleset.parse(nft("oifname \"wan0\" snat to 203.0.113.9:1024-1100")),
                router());
        send(lan(0, 17, "192.168.1.10", 1050, "203.0.113.5", 5060, Egress.WAN));
        send(seen(phone(1, Egress.WAN), "203.0.113.9", 1077, "203.0.113.5", 5060)); // 5060 not in range: random offset
        send(lan(2, 17, "192.168.1.11", 5060, "203.0.113.5", 5060, Egress.WAN));   // no observation: first free port
        List<ConntrackEvent> ev = rec.expect(
                "    [NEW] ipv4     2 udp      17 30 src=192.168.1.10 dst=203.0.113.5 sport=1050 dport=5060 [UNREPLIED] "
                        + "src=203.0.113.5 dst=203.0.113.9 sport=5060 dport=1050",
                "    [NEW] ipv4     2 udp      17 30 " + SIP + " [UNREPLIED] src=203.0.113.5 dst=203.0.113.9 sport=5060 dport=1077",
                "    [NEW] ipv4     2 udp      17 30 src=192.168.1.11 dst=203.0.113.5 sport=5060 dport=5060 [UNREPLIED] "
                        + "src=203.0.113.5 dst=203.0.113.9 sport=5060 dport=1024");
        assertEquals(List.of(NatPort.KEPT, NatPort.OBSERVED, NatPort.GUESSED),
                ev.stream().map(e -> ((EntryCreated) e).natPort()).toList());
        assertNull(model.entries().iterator().next().masqInterface()); // SNAT: no interface to flush on
    }

    @Test
    void portForwardTranslatesTheDestinationAndTheReplyGoesOutUnchanged() {
        model = new ConntrackModel(Timeouts.linux6(), NatRuleset.parse(nft(
                new String[]{"iifname \"wan0\" udp dport 5060 dnat to 192.168.1.10:5060"}, "oifname \"wan0\" masquerade")), router());
        assertEquals(Verdict.NEW, send(wan(0, 17, "203.0.113.5", 40000, "203.0.113.2", 5060, Egress.LAN)));
        EntryCreated c = assertInstanceOf(EntryCreated.class, rec.expect("    [NEW] ipv4     2 udp      17 30 src=203.0.113.5 "
                + "dst=203.0.113.2 sport=40000 dport=5060 [UNREPLIED] src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=40000").get(0));
        assertTrue(c.entry().has(Status.DST_NAT) && !c.entry().has(Status.SRC_NAT));
        // the phone's answer is the entry's reply direction: not masqueraded again, not killed by the oif check
        assertEquals(Verdict.ESTABLISHED, send(lan(1 * MS, 17, "192.168.1.10", 5060, "203.0.113.5", 40000, Egress.WAN)));
        rec.expect(" [UPDATE] ipv4     2 udp      17 30 src=203.0.113.5 dst=203.0.113.2 sport=40000 dport=5060 "
                + "src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=40000");
        // not from the WAN interface: no DNAT, delivered to the router itself
        send(lan(2 * MS, 17, "192.168.1.20", 40000, "203.0.113.2", 5060, Egress.ROUTER));
        rec.expect("    [NEW] ipv4     2 udp      17 30 src=192.168.1.20 dst=203.0.113.2 sport=40000 dport=5060 [UNREPLIED] "
                + "src=203.0.113.2 dst=192.168.1.20 sport=5060 dport=40000");
    }

    @Test
    void unknownEgressIsRoutedByTheModel() {
        // to a LAN address → lan0 (no masquerade); elsewhere → the default route via wan0
        send(lan(0, 17, "192.168.1.10", 1000, "192.168.1.20", 2000, Egress.UNKNOWN));
        send(lan(1, 17, "192.168.1.10", 1000, "203.0.113.5", 2000, Egress.UNKNOWN));
        rec.expect("    [NEW] ipv4     2 udp      17 30 src=192.168.1.10 dst=192.168.1.20 sport=1000 dport=2000 [UNREPLIED] "
                        + "src=192.168.1.20 dst=192.168.1.10 sport=2000 dport=1000",
                "    [NEW] ipv4     2 udp      17 30 src=192.168.1.10 dst=203.0.113.5 sport=1000 dport=2000 [UNREPLIED] "
                        + "src=203.0.113.5 dst=203.0.113.2 sport=2000 dport=1000");
    }

    // ---- dropped packets (reference §1, §6)

    @Test
    void aDroppedFirstPacketCreatesNoEntryButDroppedPacketsStillRefreshAnEntry() {
        assertEquals(Verdict.DROPPED, send(phone(0, Egress.DROPPED)));
        assertTrue(model.entries().isEmpty());
        send(phone(1 * S, Egress.WAN));
        rec.expect("    [NEW] ipv4     2 udp      17 30 " + SIP + " [UNREPLIED] " + SIP_MASQ);
        // conntrack ran in PREROUTING before routing dropped it: refreshed, counted
        assertEquals(Verdict.DROPPED, send(phone(10 * S, Egress.DROPPED)));
        assertEquals(40 * S, model.entries().iterator().next().deadlineNanos());
        // a dropped reply sets SEEN_REPLY, but the event waits on the entry (nf_conntrack_confirm delivers cached
        // events only for a packet that gets through) …
        assertEquals(Verdict.DROPPED, send(wan(11 * S, 17, "203.0.113.5", 5060, "203.0.113.2", 5060, Egress.DROPPED)));
        rec.expect();
        assertTrue(model.entries().iterator().next().has(Status.SEEN_REPLY));
        // … and comes with the next packet that passes
        send(phone(12 * S, Egress.WAN));
        EntryUpdated u = assertInstanceOf(EntryUpdated.class, rec.expect(" [UPDATE] ipv4     2 udp      17 120 " + SIP + " "
                + SIP_MASQ + " [ASSURED]").get(0));
        assertEquals(Set.of(Change.SEEN_REPLY, Change.ASSURED), u.changes());
    }

    @Test
    void aMasqueradedEntrysPacketLeavingThroughAnotherInterfaceKillsItAndIsDropped() {
        model = new ConntrackModel(Timeouts.linux6().with("nf_conntrack_acct=1"), NatRuleset.parse(MASQ), router());
        send(phone(0, Egress.WAN));
        send(wan(1 * MS, 17, "203.0.113.5", 5060, "203.0.113.2", 5060, Egress.LAN));
        rec.events.clear();
        // route change: the next packet goes out of lan0 (nf_nat_oif_changed): refreshed and counted in PREROUTING,
        // counted again by nf_ct_kill_acct, killed, dropped
        assertEquals(Verdict.DROPPED, send(phone(5 * S, Egress.LAN)));
        EntryKilled k = assertInstanceOf(EntryKilled.class, rec.expect("[DESTROY] ipv4     2 udp      17 120 " + SIP
                + " packets=3 bytes=300 " + SIP_MASQ + " packets=1 bytes=100 [ASSURED]").get(0));
        assertEquals("masquerade: left through lan0 instead of wan0 (nf_nat.h:nf_nat_oif_changed)", k.reason());
        assertTrue(model.entries().isEmpty());
        // the next packet creates a fresh entry for the new route: a null binding
        assertEquals(Verdict.NEW, send(phone(6 * S, Egress.LAN)));
        rec.expect("    [NEW] ipv4     2 udp      17 30 " + SIP + " [UNREPLIED] " + SIP_NULL);
        // replies (reply direction) are never checked
        send(wan(7 * S, 17, "203.0.113.5", 5060, "192.168.1.10", 5060, Egress.WAN));
        rec.expect(" [UPDATE] ipv4     2 udp      17 30 " + SIP + " " + SIP_NULL);
    }

    @Test
    void snatEntriesSurviveARouteChange() {
        model = new ConntrackModel(Timeouts.linux6(), NatRuleset.parse(nft("oifname \"wan0\" snat to 203.0.113.2")), router());
        send(phone(0, Egress.WAN));
        assertEquals(Verdict.ESTABLISHED, send(phone(1 * S, Egress.LAN)));
        rec.expect("    [NEW] ipv4     2 udp      17 30 " + SIP + " [UNREPLIED] " + SIP_MASQ);
        assertEquals(1, model.entries().size());
    }

    // ---- link and address events (nf_nat_masquerade.c)

    @Test
    void addressRemovalFlushesOnlyTheMasqueradedEntriesOfThatAddress() {
        model = new ConntrackModel(Timeouts.linux6(), NatRuleset.parse(nft(
                "oifname \"wan0\" ip saddr 192.168.1.50 snat to 203.0.113.2", "oifname \"wan0\" masquerade")),
                router().address("wan0", "198.51.100.2/24"));
        send(phone(0, Egress.WAN));                                                               // masquerade → .2
        send(lan(1, 17, "192.168.1.10", 5060, "198.51.100.7", 5060, Egress.WAN));                 // masquerade → 198.51.100.2
        send(lan(2, 17, "192.168.1.50", 5060, "203.0.113.5", 5060, Egress.WAN));                  // SNAT → .2
        send(lan(3, 17, "192.168.1.60", 5060, "203.0.113.5", 5060, Egress.LAN));                  // null binding
        rec.events.clear();
        model.onAddressRemoved(10 * S, "wan0", "203.0.113.2/24", rec);
        EntryKilled k = assertInstanceOf(EntryKilled.class,
                rec.expect("[DESTROY] ipv4     2 udp      17 20 " + SIP + " [UNREPLIED] " + SIP_MASQ).get(0));
        assertEquals("masquerade: address 203.0.113.2 removed from wan0 (nf_nat_masquerade.c:masq_inet_event)", k.reason());
        assertEquals(10 * S, k.nanos());
        assertEquals(FrameRef.NONE, k.frame());
        assertEquals(3, model.entries().size());
        // masquerade now has only 198.51.100.2 on wan0: inet_select_addr falls back to the first address
        send(lan(11 * S, 17, "192.168.1.11", 5060, "203.0.113.5", 5060, Egress.WAN));
        rec.expect("    [NEW] ipv4     2 udp      17 30 src=192.168.1.11 dst=203.0.113.5 sport=5060 dport=5060 [UNREPLIED] "
                + "src=203.0.113.5 dst=198.51.100.2 sport=5060 dport=5060");
        // removing an address the interface does not have changes nothing
        model.onAddressRemoved(12 * S, "wan0", "203.0.113.99", rec);
        rec.expect();
    }

    @Test
    void withoutAWanAddressMasqueradeFallsBackToAnotherInterfacesAddress() {
        // masq-no-address lab: wan0 lost its address but kept a route; inet_select_addr (no_in_dev) took the first
        // address of another device, the LAN's, and the entry was masqueraded to 192.168.1.1
        send(phone(0, Egress.WAN));
        model.onAddressRemoved(3 * S, "wan0", "203.0.113.2", rec);
        rec.events.clear();
        assertEquals(Verdict.NEW, send(phone(4 * S, Egress.WAN)));
        rec.expect("    [NEW] ipv4     2 udp      17 30 " + SIP + " [UNREPLIED] src=203.0.113.5 dst=192.168.1.1 sport=5060 dport=5060");
        // the WAN address's return changes nothing for it (only a removal flushes, and 192.168.1.1 stays on lan0)
        model.onAddressAdded(5 * S, "wan0", "203.0.113.2/24", rec);
        rec.expect();
        assertEquals(1, model.entries().size());
    }

    @Test
    void aNewAddressIsWhatMasqueradePicksAndWithoutAddressTheFirstPacketIsDropped() {
        // no IPv4 address on any interface: "wan0 ate my IP address"
        model = new ConntrackModel(Timeouts.linux6(), NatRuleset.parse(MASQ),
                Interfaces.of("lan0", "wan0").address("wan0", "203.0.113.2/24"));
        // wan-address-change lab: 203.0.113.2 removed, 203.0.113.3 added; the next packet gets a new entry with .3
        send(phone(0, Egress.WAN));
        model.onAddressRemoved(3 * S, "wan0", "203.0.113.2", rec);
        rec.expect("    [NEW] ipv4     2 udp      17 30 " + SIP + " [UNREPLIED] " + SIP_MASQ,
                "[DESTROY] ipv4     2 udp      17 27 " + SIP + " [UNREPLIED] " + SIP_MASQ);
        // no address on wan0: "wan0 ate my IP address", the packet is dropped, no entry
        assertEquals(Verdict.DROPPED, send(phone(3500 * MS, Egress.WAN)));
        assertTrue(model.entries().isEmpty());
        // the captures show it forwarded anyway: divergence, still no entry
        assertEquals(Verdict.DROPPED, send(seen(phone(3600 * MS, Egress.WAN), "203.0.113.3", 5060, "203.0.113.5", 5060)));
        Diverged d = assertInstanceOf(Diverged.class, rec.expect("# DIVERGED route.forwarded_but_dropped lan#3: Linux drops it: "
                + "masquerade: wan0 has no address (nf_nat_masquerade.c:nf_nat_masquerade_ipv4: \"wan0 ate my IP address\"); "
                + "the captures show it forwarded").get(0));
        assertEquals(0, d.entry().id()); // never confirmed: the entry as the router evidently had it
        assertEquals("src=203.0.113.5 dst=203.0.113.3 sport=5060 dport=5060", d.entry().reply().text());
        model.onAddressAdded(3700 * MS, "wan0", "203.0.113.3/24", rec);
        send(phone(4 * S, Egress.WAN));
        rec.expect("    [NEW] ipv4     2 udp      17 30 " + SIP + " [UNREPLIED] src=203.0.113.5 dst=203.0.113.3 sport=5060 dport=5060");
    }

    @Test
    void linkDownFlushesEveryEntryMasqueradedViaTheInterface() {
        model = new ConntrackModel(Timeouts.linux6(), NatRuleset.parse(MASQ), router().address("wan0", "198.51.100.2/24"));
        send(phone(0, Egress.WAN));
        send(lan(1, 17, "192.168.1.10", 5060, "198.51.100.7", 5060, Egress.WAN));
        send(lan(2, 17, "192.168.1.60", 5060, "203.0.113.5", 5060, Egress.LAN));
        rec.events.clear();
        model.onLinkDown(2 * S, "wan0", rec);
        List<ConntrackEvent> ev = rec.expect("[DESTROY] ipv4     2 udp      17 28 " + SIP + " [UNREPLIED] " + SIP_MASQ,
                "[DESTROY] ipv4     2 udp      17 28 src=192.168.1.10 dst=198.51.100.7 sport=5060 dport=5060 [UNREPLIED] "
                        + "src=198.51.100.7 dst=198.51.100.2 sport=5060 dport=5060");
        assertEquals("masquerade: wan0 went down (nf_nat_masquerade.c:masq_device_event)", ((EntryKilled) ev.get(0)).reason());
        assertEquals(1, model.entries().size());
        // while wan0 is down a packet the captures do not follow has no route: no entry (reference §6)
        assertEquals(Verdict.DROPPED, send(lan(2500 * MS, 17, "192.168.1.10", 6000, "203.0.113.5", 5060, Egress.UNKNOWN)));
        model.onLinkUp(3 * S, "wan0", rec);
        assertTrue(model.interfaces().up("wan0"));
        assertEquals(1, model.entries().size());
        assertEquals(Verdict.NEW, send(lan(4 * S, 17, "192.168.1.10", 6000, "203.0.113.5", 5060, Egress.UNKNOWN)));
        rec.expect("    [NEW] ipv4     2 udp      17 30 src=192.168.1.10 dst=203.0.113.5 sport=6000 dport=5060 [UNREPLIED] "
                + "src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=6000");
    }

    @Test
    void eventsAfterADeadlineExpireFirstAndLinkEventsNeedInterfaces() {
        send(phone(0, Egress.WAN));
        rec.events.clear();
        model.onAddressRemoved(31 * S, "wan0", "203.0.113.2", rec); // the entry expired at 30 s: DESTROY without timeout
        rec.expect("[DESTROY] ipv4     2 udp      17 " + SIP + " [UNREPLIED] " + SIP_MASQ);
        ConntrackModel bare = new ConntrackModel(Timeouts.linux6(), List.of(NatRule.masquerade("203.0.113.2", "192.168.1.0/24")));
        assertThrows(IllegalStateException.class, () -> bare.onLinkDown(0, "wan0", rec));
        assertThrows(IllegalArgumentException.class, () -> model.onLinkDown(0, "eth7", rec));
        assertThrows(IllegalArgumentException.class,
                () -> new ConntrackModel(Timeouts.linux6(), NatRuleset.parse(MASQ).rules(), t -> null, null));
    }

    // ---- divergences

    @Test
    void anObservedPortOtherThanTheFreeOneIsADivergenceAndTheModelTakesWhatTheRouterDid() {
        send(seen(phone(0, Egress.WAN), "203.0.113.2", 2445, "203.0.113.5", 5060));
        List<ConntrackEvent> ev = rec.expect(
                "    [NEW] ipv4     2 udp      17 30 " + SIP + " [UNREPLIED] src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=2445",
                "# DIVERGED nat.source_port lan#1: Linux: 203.0.113.2:5060 (masquerade on wan0 (line 7: oifname \"wan0\" "
                        + "masquerade), port kept: free); the captures show 203.0.113.2:2445");
        assertEquals(NatPort.OBSERVED, ((EntryCreated) ev.get(0)).natPort());
        Diverged d = (Diverged) ev.get(1);
        assertEquals(Divergence.SOURCE_PORT, d.kind());
        assertEquals(ev.get(0).entry(), d.entry());
        // the router's replies to that port find the entry
        assertEquals(Verdict.ESTABLISHED, send(wan(1 * MS, 17, "203.0.113.5", 5060, "203.0.113.2", 2445, Egress.LAN)));
        rec.expect(" [UPDATE] ipv4     2 udp      17 30 " + SIP + " src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=2445");
        // the observation agrees: no divergence
        send(seen(lan(2 * MS, 17, "192.168.1.10", 6000, "203.0.113.5", 5060, Egress.WAN), "203.0.113.2", 6000, "203.0.113.5", 5060));
        rec.expect("    [NEW] ipv4     2 udp      17 30 src=192.168.1.10 dst=203.0.113.5 sport=6000 dport=5060 [UNREPLIED] "
                + "src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=6000");
        // the kernel would choose at random (random flag): the observed port is no divergence
        model = new ConntrackModel(Timeouts.linux6(), NatRuleset.parse(nft("oifname \"wan0\" masquerade random")), router());
        send(seen(phone(3 * MS, Egress.WAN), "203.0.113.2", 63652, "203.0.113.5", 5060));
        rec.expect("    [NEW] ipv4     2 udp      17 30 " + SIP + " [UNREPLIED] src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=63652");
    }

    @Test
    void anotherExternalAddressOrNoTranslationIsASourceAddressDivergence() {
        send(seen(phone(0, Egress.WAN), "198.51.100.9", 5060, "203.0.113.5", 5060));
        rec.expect("    [NEW] ipv4     2 udp      17 30 " + SIP + " [UNREPLIED] src=203.0.113.5 dst=198.51.100.9 sport=5060 dport=5060",
                "# DIVERGED nat.source_address lan#1: Linux: 203.0.113.2:5060 (masquerade on wan0 (line 7: oifname \"wan0\" "
                        + "masquerade), port kept: free); the captures show 198.51.100.9:5060");
        // the WAN shows the private source: the router did not translate (a stale null binding the model missed)
        send(seen(lan(1, 17, "192.168.1.11", 5060, "203.0.113.5", 5060, Egress.WAN), "192.168.1.11", 5060, "203.0.113.5", 5060));
        ConntrackEvent created = rec.expect("    [NEW] ipv4     2 udp      17 30 src=192.168.1.11 dst=203.0.113.5 sport=5060 "
                        + "dport=5060 [UNREPLIED] src=203.0.113.5 dst=192.168.1.11 sport=5060 dport=5060",
                "# DIVERGED nat.source_address lan#2: Linux: 203.0.113.2:5060 (masquerade on wan0 (line 7: oifname \"wan0\" "
                        + "masquerade), port kept: free); the captures show 192.168.1.11:5060").get(0);
        assertTrue(!created.entry().has(Status.SRC_NAT));
    }

    @Test
    void trafficTranslatedWithAnExpiredEntrysMappingIsAnExpiredMappingDivergence() {
        // keepalive-gap lab shape: a stray inbound entry holds .2:5060 ↔ .5:5060, so the phone's flow gets port 2445
        send(wan(0, 17, "203.0.113.5", 5060, "203.0.113.2", 5060, Egress.ROUTER));
        send(seen(phone(1 * S, Egress.WAN), "203.0.113.2", 2445, "203.0.113.5", 5060));
        rec.events.clear();
        // both expire; Linux would now keep 5060 for the phone's new entry, but the router still uses 2445
        send(seen(phone(40 * S, Egress.WAN), "203.0.113.2", 2445, "203.0.113.5", 5060));
        rec.expect("[DESTROY] ipv4     2 udp      17 src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060 [UNREPLIED] "
                        + "src=203.0.113.2 dst=203.0.113.5 sport=5060 dport=5060",
                "[DESTROY] ipv4     2 udp      17 " + SIP + " [UNREPLIED] src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=2445",
                "    [NEW] ipv4     2 udp      17 30 " + SIP + " [UNREPLIED] src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=2445",
                "# DIVERGED nat.expired_mapping_used lan#2: Linux: 203.0.113.2:5060 (masquerade on wan0 (line 7: oifname "
                        + "\"wan0\" masquerade), port kept: free); the captures show 203.0.113.2:2445, the mapping of the "
                        + "entry that expired at the model's deadline");
    }

    @Test
    void aReplyForwardedAfterTheModelsDeadlineIsAnExpiredMappingDivergence() {
        send(seen(phone(0, Egress.WAN), "203.0.113.2", 5060, "203.0.113.5", 5060));
        rec.events.clear();
        // the model's entry expired at 30 s; the router still de-NATs the provider's packet to the phone
        send(seen(wan(31 * S, 17, "203.0.113.5", 5060, "203.0.113.2", 5060, Egress.LAN), "203.0.113.5", 5060, "192.168.1.10", 5060));
        rec.expect("[DESTROY] ipv4     2 udp      17 " + SIP + " [UNREPLIED] " + SIP_MASQ,
                "    [NEW] ipv4     2 udp      17 30 " + SIP_MASQ + " [UNREPLIED] src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060",
                "# DIVERGED nat.expired_mapping_used wan#1: no entry and no DNAT rule: Linux delivers it to the router itself; "
                        + "the captures show it forwarded to 192.168.1.10:5060, as the reply direction of the entry that "
                        + "expired at the model's deadline");
        // the phone's next packet is that entry's reply direction: translated as the router does, no new entry
        assertEquals(Verdict.ESTABLISHED, send(phone(32 * S, Egress.WAN)));
        rec.expect(" [UPDATE] ipv4     2 udp      17 30 " + SIP_MASQ + " src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060");
    }

    @Test
    void inboundForwardedWithoutEntryOrRuleAndDnatToAnotherHostAreDivergences() {
        send(seen(wan(0, 17, "203.0.113.5", 5060, "203.0.113.2", 4000, Egress.LAN), "203.0.113.5", 5060, "192.168.1.10", 5060));
        ConntrackEvent c = rec.expect("    [NEW] ipv4     2 udp      17 30 src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=4000 "
                        + "[UNREPLIED] src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060",
                "# DIVERGED nat.inbound_without_entry wan#1: no entry and no DNAT rule: Linux delivers it to the router "
                        + "itself; the captures show it forwarded to 192.168.1.10:5060").get(0);
        assertTrue(c.entry().has(Status.DST_NAT));
        model = new ConntrackModel(Timeouts.linux6(), NatRuleset.parse(nft(
                new String[]{"iifname \"wan0\" udp dport 5060 dnat to 192.168.1.10"}, "oifname \"wan0\" masquerade")), router());
        send(seen(wan(1, 17, "203.0.113.5", 5060, "203.0.113.2", 5060, Egress.LAN), "203.0.113.5", 5060, "192.168.1.11", 5060));
        rec.expect("    [NEW] ipv4     2 udp      17 30 src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060 [UNREPLIED] "
                        + "src=192.168.1.11 dst=203.0.113.5 sport=5060 dport=5060",
                "# DIVERGED nat.destination wan#2: the DNAT rule (line 4: iifname \"wan0\" udp dport 5060 dnat to "
                        + "192.168.1.10) gives 192.168.1.10:5060; the captures show it forwarded to 192.168.1.11:5060");
    }

    @Test
    void aMasqueradedPacketForwardedThroughAnotherInterfaceIsStillKilledButReported() {
        send(phone(0, Egress.WAN));
        rec.events.clear();
        assertEquals(Verdict.DROPPED, send(seen(phone(1 * S, Egress.LAN), "192.168.1.10", 5060, "203.0.113.5", 5060)));
        List<ConntrackEvent> ev = rec.expect("[DESTROY] ipv4     2 udp      17 30 " + SIP + " [UNREPLIED] " + SIP_MASQ,
                "# DIVERGED route.forwarded_but_dropped lan#2: Linux drops it and kills the entry: masquerade: left through "
                        + "lan0 instead of wan0 (nf_nat.h:nf_nat_oif_changed); the captures show it forwarded");
        assertEquals(ev.get(0).entry(), ev.get(1).entry());
    }

    @Test
    void divergencesArePrintedAsCommentsNotKernelLines() {
        send(seen(phone(1_795_228_338_354_701_000L, Egress.WAN), "203.0.113.2", 2445, "203.0.113.5", 5060));
        List<ConntrackEvent> ev = List.copyOf(rec.events);
        rec.events.clear();
        assertTrue(EventFormat.isKernelEvent(ev.get(0)));
        assertTrue(!EventFormat.isKernelEvent(ev.get(1)));
        assertEquals("DIVERGED", EventFormat.tag(ev.get(1)));
        assertTrue(EventFormat.line(ev.get(1)).startsWith("# [1795228338.354701]\tDIVERGED nat.source_port lan#1: Linux: "),
                EventFormat.line(ev.get(1)));
    }

    @Test
    void iptablesRulesDriveTheModelToo() {
        NatRuleset r = NatRuleset.parse("*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -s 192.168.1.0/24 -o wan0 -j MASQUERADE\nCOMMIT\n");
        model = new ConntrackModel(Timeouts.linux6(), r, router());
        send(phone(0, Egress.WAN));
        send(lan(1, 17, "10.9.9.9", 5060, "203.0.113.5", 5060, Egress.WAN));
        rec.expect("    [NEW] ipv4     2 udp      17 30 " + SIP + " [UNREPLIED] " + SIP_MASQ,
                "    [NEW] ipv4     2 udp      17 30 src=10.9.9.9 dst=203.0.113.5 sport=5060 dport=5060 [UNREPLIED] "
                        + "src=203.0.113.5 dst=10.9.9.9 sport=5060 dport=5060");
    }

    @Test
    void redirectTakesTheInputInterfacesAddressAndIcmpIdsAreMasqueraded() {
        model = new ConntrackModel(Timeouts.linux6(), NatRuleset.parse(nft(
                new String[]{"iifname \"lan0\" tcp dport 80 redirect to :3128"}, "oifname \"wan0\" masquerade")), router());
        Arrival syn = lan(0, 6, "192.168.1.10", 40000, "198.51.100.80", 80, Egress.ROUTER);
        syn.tcpFlags = 0x02;
        send(syn);
        rec.expect("    [NEW] ipv4     2 tcp      6 120 SYN_SENT src=192.168.1.10 dst=198.51.100.80 sport=40000 dport=80 "
                + "[UNREPLIED] src=192.168.1.1 dst=192.168.1.10 sport=3128 dport=40000");
        // ICMP echo: the id is the "port"; two hosts with the same id to the same server: the second id is searched
        long[] h1 = ConntrackTuple.address("192.168.1.10"), h2 = ConntrackTuple.address("192.168.1.11"),
                srv = ConntrackTuple.address("203.0.113.5");
        for (long[] h : new long[][]{h1, h2}) {
            Arrival a = new Arrival();
            a.nanos = 1;
            a.frame = new FrameRef("lan", ++lanFrame);
            a.tuple = ConntrackTuple.icmp(1, h[0], h[1], srv[0], srv[1], 8, 0, 77);
            a.ingress = Ingress.LAN;
            a.egress = Egress.WAN;
            send(a);
        }
        List<ConntrackEvent> ev = rec.expect(
                "    [NEW] ipv4     2 icmp     1 30 src=192.168.1.10 dst=203.0.113.5 type=8 code=0 id=77 [UNREPLIED] "
                        + "src=203.0.113.5 dst=203.0.113.2 type=0 code=0 id=77",
                "    [NEW] ipv4     2 icmp     1 30 src=192.168.1.11 dst=203.0.113.5 type=8 code=0 id=77 [UNREPLIED] "
                        + "src=203.0.113.5 dst=203.0.113.2 type=0 code=0 id=0");
        assertEquals(NatPort.GUESSED, ((EntryCreated) ev.get(1)).natPort());
    }

    @Test
    void ipv6MasqueradeTakesTheInterfacesIpv6Address() {
        String inet = "table inet nat {\n\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
                + "\t\toifname \"wan0\" masquerade\n\t}\n}\n";
        model = new ConntrackModel(Timeouts.linux6(), NatRuleset.parse(inet),
                router().address("wan0", "2001:db8:2::2/64").address("lan0", "fd00::1/64"));
        send(lan(0, 17, "fd00::10", 5060, "2001:db8:5::5", 5060, Egress.WAN));
        send(phone(1, Egress.WAN));
        rec.expect("    [NEW] ipv6     10 udp      17 30 src=fd00::10 dst=2001:db8:5::5 sport=5060 dport=5060 [UNREPLIED] "
                        + "src=2001:db8:5::5 dst=2001:db8:2::2 sport=5060 dport=5060",
                "    [NEW] ipv4     2 udp      17 30 " + SIP + " [UNREPLIED] " + SIP_MASQ);
    }
}
