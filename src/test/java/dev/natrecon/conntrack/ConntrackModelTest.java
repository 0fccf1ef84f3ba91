package dev.natrecon.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.conntrack.ConntrackEvent.EntryCreated;
import dev.natrecon.conntrack.ConntrackEvent.EntryExpired;
import dev.natrecon.conntrack.ConntrackEvent.EntryKilled;
import dev.natrecon.conntrack.ConntrackEvent.EntryUpdated;
import dev.natrecon.conntrack.ConntrackEvent.NatPort;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Drives the model with hand-made packets and model time; every event is asserted, none may be left over. */
class ConntrackModelTest {
    static final long S = 1_000_000_000L, MS = 1_000_000L;
    static final int SYN = 0x02, ACK = 0x10, FIN = 0x01, RST = 0x04;
    static final NatRule MASQ = NatRule.masquerade("203.0.113.2", "192.168.1.0/24");

    final Recorder rec = new Recorder();
    ConntrackModel model = new ConntrackModel(Timeouts.linux6(), List.of(MASQ));
    long frame;

    @AfterEach
    void nothingLeftOver() {
        rec.none();
    }

    /** A LAN packet phone → provider (before SNAT). */
    Verdict out(long t, int proto, int sport, int dport, int flags) {
        return model.onPacket(t, new FrameRef("lan", ++frame),
                ConntrackTuple.of(proto, "192.168.1.10", sport, "203.0.113.5", dport), flags, 100, -1, rec);
    }

    /** A WAN packet provider → router's address (before de-NAT). */
    Verdict in(long t, int proto, int sport, int dport, int flags) {
        return model.onPacket(t, new FrameRef("wan", ++frame),
                ConntrackTuple.of(proto, "203.0.113.5", sport, "203.0.113.2", dport), flags, 100, -1, rec);
    }

    static final String RTP_ORIG = "src=192.168.1.10 dst=203.0.113.5 sport=40000 dport=30000";
    static final String RTP_REPLY = "src=203.0.113.5 dst=203.0.113.2 sport=30000 dport=40000";

    @Test
    void udpTwoSecondRuleThenStreamAndAssured() {
        assertEquals(Verdict.NEW, out(0, 17, 40000, 30000, 0));
        List<ConntrackEvent> created = rec.expect(
                "    [NEW] ipv4     2 udp      17 30 " + RTP_ORIG + " [UNREPLIED] " + RTP_REPLY);
        EntryCreated c = assertInstanceOf(EntryCreated.class, created.get(0));
        assertEquals(NatPort.KEPT, c.natPort());
        assertEquals(new FrameRef("lan", 1), c.frame());
        assertTrue(c.entry().has(Status.SRC_NAT) && c.entry().has(Status.CONFIRMED));

        assertEquals(Verdict.ESTABLISHED, in(200 * MS, 17, 30000, 40000, 0)); // first reply: still 30 s
        EntryUpdated u = assertInstanceOf(EntryUpdated.class,
                rec.expect(" [UPDATE] ipv4     2 udp      17 30 " + RTP_ORIG + " " + RTP_REPLY).get(0));
        assertEquals(Set.of(Change.SEEN_REPLY), u.changes());
        assertEquals(200 * MS, u.nanos());

        out(1500 * MS, 17, 40000, 30000, 0);  // replied but within 2 s of the first packet: 30 s, no event
        in(2000 * MS, 17, 30000, 40000, 0);   // exactly 2 s is not "after" stream_ts
        rec.expect();
        ConntrackEntry e = model.entries().iterator().next();
        assertEquals(32 * S, e.deadlineNanos());

        out(2020 * MS, 17, 40000, 30000, 0);  // first packet more than 2 s after the first one
        u = assertInstanceOf(EntryUpdated.class,
                rec.expect(" [UPDATE] ipv4     2 udp      17 120 " + RTP_ORIG + " " + RTP_REPLY + " [ASSURED]").get(0));
        assertEquals(Set.of(Change.ASSURED), u.changes());
        assertEquals(2020 * MS + 120 * S, e.deadlineNanos());

        in(3 * S, 17, 30000, 40000, 0);       // stream: refreshed to 120 s, no further event
        assertEquals(123 * S, e.deadlineNanos());
        model.advanceTo(123 * S - 1, rec);
        rec.expect();
        model.advanceTo(123 * S, rec);         // deadline - now ≤ 0: dead
        EntryExpired x = assertInstanceOf(EntryExpired.class,
                rec.expect("[DESTROY] ipv4     2 udp      17 " + RTP_ORIG + " " + RTP_REPLY + " [ASSURED]").get(0));
        assertEquals(123 * S, x.nanos());
        assertEquals(new FrameRef("wan", 6), x.frame()); // the last packet that refreshed it
        assertTrue(model.entries().isEmpty());
    }

    @Test
    void expiryFiresBeforeTheNextPacketThatPassesIt() {
        out(0, 17, 5060, 5060, 0);
        rec.expect("    [NEW] ipv4     2 udp      17 30 src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060 [UNREPLIED] "
                + "src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060");
        out(10 * S, 17, 5060, 5060, 0); // refresh: deadline 40 s
        rec.expect();
        out(41 * S, 17, 5060, 5060, 0);
        List<ConntrackEvent> ev = rec.expect(
                "[DESTROY] ipv4     2 udp      17 src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060 [UNREPLIED] "
                        + "src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060",
                "    [NEW] ipv4     2 udp      17 30 src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060 [UNREPLIED] "
                        + "src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060");
        assertEquals(40 * S, ev.get(0).nanos());
        assertEquals(new FrameRef("lan", 2), ev.get(0).frame());
        assertEquals(41 * S, ev.get(1).nanos());
        assertEquals(2, ev.get(1).entry().id());
    }

    @Test
    void expirationsFireInDeadlineOrder() {
        out(0, 17, 1000, 53, 0);            // deadline 30
        out(1 * S, 17, 1001, 53, 0);        // deadline 31
        out(2 * S, 17, 1000, 53, 0);        // refreshed: deadline 32
        rec.events.clear();
        model.advanceTo(100 * S, rec);
        assertEquals(List.of(31 * S, 32 * S), rec.events.stream().map(ConntrackEvent::nanos).toList());
        assertEquals(List.of(1001, 1000), rec.events.stream().map(e -> e.entry().original().srcPort()).toList());
        rec.events.clear();
    }

    @Test
    void replyDirectionPacketSetsSeenReplyOnce() {
        out(0, 17, 5060, 5060, 0);
        rec.events.clear();
        in(1 * MS, 17, 5060, 5060, 0);
        EntryUpdated u = assertInstanceOf(EntryUpdated.class, rec.expect(
                " [UPDATE] ipv4     2 udp      17 30 src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060 "
                        + "src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060").get(0));
        // the reply refreshed the entry to 30 s (nf_ct_refresh_acct before the event is delivered)
        assertTrue(u.entry().has(Status.SEEN_REPLY));
        in(2 * MS, 17, 5060, 5060, 0);
        rec.expect();
    }

    @Test
    void tcpHandshakeCloseAndReopen() {
        assertEquals(Verdict.NEW, out(0, 6, 5060, 5060, SYN));
        String o = "src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060", r = "src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060";
        rec.expect("    [NEW] ipv4     2 tcp      6 120 SYN_SENT " + o + " [UNREPLIED] " + r);
        in(1 * MS, 6, 5060, 5060, SYN | ACK);
        EntryUpdated u = assertInstanceOf(EntryUpdated.class,
                rec.expect(" [UPDATE] ipv4     2 tcp      6 60 SYN_RECV " + o + " " + r).get(0));
        assertEquals(Set.of(Change.STATE, Change.SEEN_REPLY), u.changes());
        out(2 * MS, 6, 5060, 5060, ACK);
        u = assertInstanceOf(EntryUpdated.class,
                rec.expect(" [UPDATE] ipv4     2 tcp      6 432000 ESTABLISHED " + o + " " + r + " [ASSURED]").get(0));
        assertEquals(Set.of(Change.STATE, Change.ASSURED), u.changes());
        out(3 * MS, 6, 5060, 5060, ACK);    // data: no event
        in(4 * MS, 6, 5060, 5060, ACK);
        rec.expect();
        out(100 * MS, 6, 5060, 5060, FIN | ACK);
        in(101 * MS, 6, 5060, 5060, FIN | ACK);
        out(102 * MS, 6, 5060, 5060, ACK);
        rec.expect(" [UPDATE] ipv4     2 tcp      6 120 FIN_WAIT " + o + " " + r + " [ASSURED]",
                " [UPDATE] ipv4     2 tcp      6 30 LAST_ACK " + o + " " + r + " [ASSURED]",
                " [UPDATE] ipv4     2 tcp      6 120 TIME_WAIT " + o + " " + r + " [ASSURED]");
        // lab (sip-over-tcp): a new SYN on the same tuple 1.01 s later kills the TIME_WAIT entry and starts afresh
        assertEquals(Verdict.NEW, out(1112 * MS, 6, 5060, 5060, SYN));
        List<ConntrackEvent> ev = rec.expect("[DESTROY] ipv4     2 tcp      6 118 TIME_WAIT " + o + " " + r + " [ASSURED]",
                "    [NEW] ipv4     2 tcp      6 120 SYN_SENT " + o + " [UNREPLIED] " + r);
        assertInstanceOf(EntryKilled.class, ev.get(0));
        assertEquals(2, ev.get(1).entry().id());
    }

    @Test
    void tcpMidStreamPickupIsCappedUntilAnsweredThenAssured() {
        String o = "src=192.168.1.10 dst=203.0.113.5 sport=40001 dport=443", r = "src=203.0.113.5 dst=203.0.113.2 sport=443 dport=40001";
        assertEquals(Verdict.NEW, out(0, 6, 40001, 443, ACK));
        rec.expect("    [NEW] ipv4     2 tcp      6 300 ESTABLISHED " + o + " [UNREPLIED] " + r);
        in(10 * MS, 6, 443, 40001, ACK);
        rec.expect(" [UPDATE] ipv4     2 tcp      6 300 ESTABLISHED " + o + " " + r);
        out(20 * MS, 6, 40001, 443, ACK);
        rec.expect(" [UPDATE] ipv4     2 tcp      6 432000 ESTABLISHED " + o + " " + r + " [ASSURED]");
    }

    @Test
    void tcpWithoutLooseDoesNotPickUpAndSynAckCannotCreate() {
        model = new ConntrackModel(Timeouts.linux6().with("net.netfilter.nf_conntrack_tcp_loose=0"), List.of(MASQ));
        assertEquals(Verdict.INVALID, out(0, 6, 40001, 443, ACK));
        assertEquals(Verdict.INVALID, out(0, 6, 40001, 443, SYN | ACK));
        assertEquals(Verdict.INVALID, out(0, 6, 40001, 443, RST));
        assertTrue(model.entries().isEmpty());
    }

    @Test
    void tcpRstAsOnlyAnswerDeletesTheEntry() {
        out(0, 6, 40002, 80, SYN);
        rec.events.clear();
        in(5 * MS, 6, 80, 40002, RST | ACK); // killed before the refresh: the SYN's deadline is still the one left
        EntryKilled k = assertInstanceOf(EntryKilled.class, rec.expect("[DESTROY] ipv4     2 tcp      6 119 CLOSE "
                + "src=192.168.1.10 dst=203.0.113.5 sport=40002 dport=80 [UNREPLIED] src=203.0.113.5 dst=203.0.113.2 sport=80 dport=40002").get(0));
        assertEquals(5 * MS, k.nanos());
        assertTrue(model.entries().isEmpty());
    }

    @Test
    void retransmittedSynDoesNotRefresh() {
        out(0, 6, 40003, 80, SYN);
        out(3 * S, 6, 40003, 80, SYN);
        rec.events.clear();
        assertEquals(120 * S, model.entries().iterator().next().deadlineNanos());
    }

    @Test
    void icmpEchoByIdentifier() {
        ConntrackTuple req = ConntrackTuple.icmp(1, 0, dev.natrecon.decode.Addresses.v4(0xc0a8010a), 0,
                dev.natrecon.decode.Addresses.v4(0xcb007105), 8, 0, 77);
        assertEquals(Verdict.NEW, model.onPacket(0, new FrameRef("lan", 1), req, 0, 84, -1, rec));
        rec.expect("    [NEW] ipv4     2 icmp     1 30 src=192.168.1.10 dst=203.0.113.5 type=8 code=0 id=77 [UNREPLIED] "
                + "src=203.0.113.5 dst=203.0.113.2 type=0 code=0 id=77");
        ConntrackTuple replyOnWan = ConntrackTuple.icmp(1, 0, dev.natrecon.decode.Addresses.v4(0xcb007105), 0,
                dev.natrecon.decode.Addresses.v4(0xcb007102), 0, 0, 77);
        assertEquals(Verdict.ESTABLISHED, model.onPacket(1 * S, new FrameRef("wan", 1), replyOnWan, 0, 84, -1, rec));
        rec.expect(" [UPDATE] ipv4     2 icmp     1 30 src=192.168.1.10 dst=203.0.113.5 type=8 code=0 id=77 "
                + "src=203.0.113.5 dst=203.0.113.2 type=0 code=0 id=77");
        // an echo reply without an entry creates nothing: the tracker refuses it, the kernel attaches no entry
        // (nf_conntrack_icmp_packet: -NF_ACCEPT, counted as invalid)
        ConntrackTuple stray = ConntrackTuple.icmp(1, 0, dev.natrecon.decode.Addresses.v4(0xcb007105), 0,
                dev.natrecon.decode.Addresses.v4(0xcb007102), 0, 0, 78);
        assertEquals(Verdict.INVALID, model.onPacket(2 * S, new FrameRef("wan", 2), stray, 0, 84, -1, rec));
        assertEquals(1, model.stats().invalid());
        model.advanceTo(31 * S, rec);
        rec.expect("[DESTROY] ipv4     2 icmp     1 src=192.168.1.10 dst=203.0.113.5 type=8 code=0 id=77 "
                + "src=203.0.113.5 dst=203.0.113.2 type=0 code=0 id=77");
    }

    @Test
    void genericProtocolsLiveSixHundredSeconds() {
        long[] a = ConntrackTuple.address("192.168.1.10"), b = ConntrackTuple.address("203.0.113.5");
        model.onPacket(0, new FrameRef("lan", 1), ConntrackTuple.generic(47, a[0], a[1], b[0], b[1]), 0, 60, -1, rec);
        rec.expect("    [NEW] ipv4     2 gre      47 600 src=192.168.1.10 dst=203.0.113.5 [UNREPLIED] "
                + "src=203.0.113.5 dst=203.0.113.2");
        assertEquals(600 * S, model.entries().iterator().next().deadlineNanos());
    }

    @Test
    void inboundFirstThenClashingOutboundTakesTheObservedPort() {
        // keepalive-gap lab: the provider's packet created an un-NATed entry holding 203.0.113.2:5060 ↔ .5:5060;
        // the phone's next flow could not keep 5060 and the kernel chose 2445 at random.
        model = new ConntrackModel(Timeouts.linux6().with("nf_conntrack_udp_timeout=4"), List.of(MASQ));
        in(0, 17, 5060, 5060, 0);
        rec.expect("    [NEW] ipv4     2 udp      17 4 src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060 [UNREPLIED] "
                + "src=203.0.113.2 dst=203.0.113.5 sport=5060 dport=5060");
        model.onPacket(1 * S, new FrameRef("lan", 9), ConntrackTuple.of(17, "192.168.1.10", 5060, "203.0.113.5", 5060),
                0, 388, 2445, rec);
        EntryCreated c = assertInstanceOf(EntryCreated.class, rec.expect(
                "    [NEW] ipv4     2 udp      17 4 src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060 [UNREPLIED] "
                        + "src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=2445").get(0));
        assertEquals(NatPort.OBSERVED, c.natPort());
        // without an observation the model takes the first free port of the class and says it guessed
        model.onPacket(2 * S, new FrameRef("lan", 10), ConntrackTuple.of(17, "192.168.1.11", 5060, "203.0.113.5", 5060),
                0, 388, -1, rec);
        c = assertInstanceOf(EntryCreated.class, rec.events.get(0));
        assertEquals(NatPort.GUESSED, c.natPort());
        assertEquals(1024, c.entry().reply().dstPort());
        rec.events.clear();
    }

    @Test
    void sameSourceToAnotherDestinationReusesItsMapping() {
        model.onPacket(0, new FrameRef("wan", 1), ConntrackTuple.of(17, "203.0.113.5", 5060, "203.0.113.2", 5060), 0, 100, -1, rec);
        model.onPacket(1, new FrameRef("lan", 1), ConntrackTuple.of(17, "192.168.1.10", 5060, "203.0.113.5", 5060), 0, 100, 7000, rec);
        model.onPacket(2, new FrameRef("lan", 2), ConntrackTuple.of(17, "192.168.1.10", 5060, "203.0.113.9", 5060), 0, 100, -1, rec);
        EntryCreated c = assertInstanceOf(EntryCreated.class, rec.events.get(2));
        assertEquals(NatPort.REUSED, c.natPort());
        assertEquals(7000, c.entry().reply().dstPort()); // endpoint-independent while the old mapping lives
        rec.events.clear();
    }

    @Test
    void trafficBetweenInsideHostsAndUnmatchedSourcesIsNotTranslated() {
        model.onPacket(0, new FrameRef("lan", 1), ConntrackTuple.of(17, "192.168.1.10", 1000, "192.168.1.20", 2000), 0, 100, -1, rec);
        model.onPacket(0, new FrameRef("lan", 2), ConntrackTuple.of(17, "10.9.9.9", 1000, "203.0.113.5", 2000), 0, 100, -1, rec);
        for (ConntrackEvent e : rec.events) {
            assertEquals(NatPort.NONE, ((EntryCreated) e).natPort());
            assertEquals(e.entry().original().invert(), e.entry().reply());
        }
        rec.events.clear();
    }

    @Test
    void helperNameIsPrinted() {
        model = SipHelperTimeoutTest.withSipHelper(new ConntrackModel(Timeouts.linux6(), List.of(MASQ), t -> t.dstPort() == 5060 ? "sip" : null), "sip");
        out(0, 17, 5060, 5060, 0); // 100 bytes of IP: data, so the SIP helper's 3600 s
        rec.expect("    [NEW] ipv4     2 udp      17 3600 src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060 [UNREPLIED] "
                + "src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060 helper=sip");
        assertEquals("sip", model.find(ConntrackTuple.of(17, "192.168.1.10", 5060, "203.0.113.5", 5060)).helper());
        assertNull(model.find(ConntrackTuple.of(17, "192.168.1.10", 5061, "203.0.113.5", 5060)));
    }

    @Test
    void linux4HasNoTwoSecondRuleAndA180sStream() {
        model = new ConntrackModel(Timeouts.profile("linux-4"), List.of(MASQ));
        out(0, 17, 40000, 30000, 0);
        in(100 * MS, 17, 30000, 40000, 0);
        out(200 * MS, 17, 40000, 30000, 0);   // first packet after the reply: stream at once
        rec.expect("    [NEW] ipv4     2 udp      17 30 " + RTP_ORIG + " [UNREPLIED] " + RTP_REPLY,
                " [UPDATE] ipv4     2 udp      17 30 " + RTP_ORIG + " " + RTP_REPLY,
                " [UPDATE] ipv4     2 udp      17 180 " + RTP_ORIG + " " + RTP_REPLY + " [ASSURED]");
    }

    @Test
    void twoSecondRuleCountsInJiffies() {
        // wan-address-change-snat lab: a packet 2.000726 s after the first did not assure the entry
        out(0, 17, 40000, 30000, 0);
        in(1 * MS, 17, 30000, 40000, 0);
        rec.events.clear();
        out(2 * S + 3 * MS, 17, 40000, 30000, 0);   // within one 4 ms tick (CONFIG_HZ=250) of the 2 s mark
        rec.expect();
        out(2 * S + 4 * MS, 17, 40000, 30000, 0);   // 2 s + one jiffy: certainly after stream_ts
        rec.expect(" [UPDATE] ipv4     2 udp      17 120 " + RTP_ORIG + " " + RTP_REPLY + " [ASSURED]");
        // with CONFIG_HZ=1000 one tick is 1 ms
        model = new ConntrackModel(Timeouts.linux6().with("CONFIG_HZ=1000"), List.of(MASQ));
        out(0, 17, 40000, 30000, 0);
        in(1 * MS, 17, 30000, 40000, 0);
        rec.events.clear();
        out(2 * S + 1 * MS, 17, 40000, 30000, 0);
        rec.expect(" [UPDATE] ipv4     2 udp      17 120 " + RTP_ORIG + " " + RTP_REPLY + " [ASSURED]");
    }

    @Test
    void destroyCarriesCountersAndDeltaTimeButNoHelper() {
        // keepalive-gap lab (acct=1, timestamp=1): "[DESTROY] … packets=1 bytes=388 … packets=1 bytes=398 delta-time=4"
        model = new ConntrackModel(Timeouts.linux6().with("nf_conntrack_udp_timeout=4").with("nf_conntrack_acct=1")
                .with("nf_conntrack_timestamp=1").with("sip_timeout=4"), List.of(MASQ), t -> "sip");
        long t0 = 1_795_228_500_876_000_000L;
        model.onPacket(t0, new FrameRef("lan", 1), ConntrackTuple.of(17, "192.168.1.10", 5060, "203.0.113.5", 5060), 0, 388, -1, rec);
        model.onPacket(t0 + 300_000, new FrameRef("wan", 1), ConntrackTuple.of(17, "203.0.113.5", 5060, "203.0.113.2", 5060), 0, 398, -1, rec);
        rec.events.clear();
        model.advanceTo(t0 + 10 * S, rec);
        String o = "src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060", r = "src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060";
        // deadline 504.876300: delta-time = 504 - 500 (each end truncated to whole seconds, as conntrack-tools does)
        rec.expect("[DESTROY] ipv4     2 udp      17 " + o + " packets=1 bytes=388 " + r + " packets=1 bytes=398 delta-time=4");
    }

    @Test
    void randomMasqueradeAlwaysTakesTheObservedPort() {
        // keepalive-gap-random lab: "masquerade random" mapped 5060 to 63652 although 5060 was free
        model = new ConntrackModel(Timeouts.linux6(), List.of(MASQ.withRandomPorts()));
        model.onPacket(0, new FrameRef("lan", 1), ConntrackTuple.of(17, "192.168.1.10", 5060, "203.0.113.5", 5060), 0, 388, 63652, rec);
        EntryCreated c = assertInstanceOf(EntryCreated.class, rec.expect("    [NEW] ipv4     2 udp      17 30 "
                + "src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060 [UNREPLIED] src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=63652").get(0));
        assertEquals(NatPort.OBSERVED, c.natPort());
    }
}
