package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.conntrack.Arrival;
import dev.natrecon.conntrack.ConntrackEvent;
import dev.natrecon.conntrack.ConntrackModel;
import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.conntrack.EventSink;
import dev.natrecon.conntrack.ExpectationEvent;
import dev.natrecon.conntrack.FrameRef;
import dev.natrecon.conntrack.Interfaces;
import dev.natrecon.conntrack.NatRuleset;
import dev.natrecon.conntrack.Timeouts;
import dev.natrecon.correlate.CrossingClassifier;
import dev.natrecon.correlate.Inside;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Addresses;
import dev.natrecon.detect.UplinkChange;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The router's history inferred from the captures, on packets made by hand: a WAN copy that contradicts the live
 * entry's NAT deletes it at its last packet seen at work; a renumbered WAN flushes the old address; the router's ICMP
 * no-route answer flushes the masqueraded entries; nothing is inferred from consistent copies or a stranger's ICMP.
 */
class RouterHistoryTest {
    static final long S = 1_000_000_000L, T0 = 1_795_000_000L * S;
    static final String PHONE = "192.168.1.10", PROVIDER = "203.0.113.5", WAN = "203.0.113.2";

    final List<ConntrackEvent> events = new ArrayList<>();
    final List<UplinkChange> uplinks = new ArrayList<>();
    final List<String> decisions = new ArrayList<>();
    final EventSink sink = new EventSink() {
        @Override
        public void accept(ConntrackEvent e) {
            events.add(e);
        }

        @Override
        public void expectation(ExpectationEvent e) {
        }
    };
    final CrossingClassifier crossings = new CrossingClassifier(Inside.privateRanges(), List.of(), List.of(WAN));
    final ConntrackModel model;
    final RouterHistory history;

    RouterHistoryTest() {
        Interfaces ifs = Interfaces.of("lan0", "wan0");
        ifs.address("lan0", "192.168.1.1/24");
        ifs.address("wan0", WAN + "/24");
        NatRuleset rules = NatRuleset.parse("table ip nat {\n chain postrouting {\n  type nat hook postrouting priority srcnat;\n"
                + "  oifname \"wan0\" masquerade\n }\n}\n", "test");
        model = new ConntrackModel(Timeouts.linux6(), rules.rules(), t -> null, ifs);
        history = new RouterHistory(model, "wan0", WAN, true, crossings, decisions, uplinks::add);
    }

    static void address(String a, long[] out) {
        assertTrue(Addresses.parse(a, out), a);
    }

    /** A LAN packet phone:5060 → provider:5060 whose WAN copy (frame {@code wanFrame}, 0 for none) left from {@code cpSrc}. */
    Seen lanPacket(long frame, long nanos, long wanFrame, String cpSrc, int cpPort, Outcome outcome) {
        Seen s = new Seen();
        s.side = Side.LAN;
        s.frame = frame;
        s.nanos = nanos;
        s.protocol = ConntrackTuple.UDP;
        s.hasPorts = true;
        long[] t = new long[2];
        address(PHONE, t);
        s.srcHi = t[0];
        s.srcLo = t[1];
        address(PROVIDER, t);
        s.dstHi = t[0];
        s.dstLo = t[1];
        s.srcPort = s.dstPort = 5060;
        s.outcome = outcome;
        s.counterpartFrame = wanFrame;
        if (wanFrame != 0) {
            address(cpSrc, t);
            s.cpSrcHi = t[0];
            s.cpSrcLo = t[1];
            s.cpSrcPort = cpPort;
            s.cpDstHi = s.dstHi;
            s.cpDstLo = s.dstLo;
            s.cpDstPort = 5060;
        }
        return s;
    }

    /** Feeds {@code s} as ConntrackReplay does: the history first, then the model. */
    void offer(Seen s, Arrival.Egress egress) {
        Arrival a = new Arrival();
        a.nanos = s.nanos;
        a.frame = new FrameRef(s.side.label(), s.frame);
        a.tuple = ConntrackTuple.of(ConntrackTuple.UDP, PHONE, 5060, PROVIDER, 5060);
        a.ipLength = 400;
        a.ingress = Arrival.Ingress.LAN;
        a.egress = egress;
        if (s.counterpartFrame != 0) {
            a.observed = true;
            a.observedSrcHi = s.cpSrcHi;
            a.observedSrcLo = s.cpSrcLo;
            a.observedSrcPort = s.cpSrcPort;
            a.observedDstHi = s.cpDstHi;
            a.observedDstLo = s.cpDstLo;
            a.observedDstPort = s.cpDstPort;
        }
        history.beforeArrival(s, a, sink);
        model.onPacket(a, sink);
    }

    List<ConntrackEvent.EntryKilled> kills() {
        return events.stream().filter(e -> e instanceof ConntrackEvent.EntryKilled)
                .map(e -> (ConntrackEvent.EntryKilled) e).toList();
    }

    @Test
    void copiesThatAgreeWithTheEntryInferNothing() {
        offer(lanPacket(1, T0, 1, WAN, 5060, Outcome.TRANSLATED), Arrival.Egress.WAN);
        offer(lanPacket(2, T0 + 5 * S, 2, WAN, 5060, Outcome.TRANSLATED), Arrival.Egress.WAN);
        assertEquals(List.of(), kills());
        assertEquals(0, history.inferences());
        assertEquals(1, model.entries().size());
    }

    @Test
    void anotherPortOnTheSameAddressDeletesTheEntryAtItsLastPacketSeenAtWork() {
        offer(lanPacket(1, T0, 1, WAN, 5060, Outcome.TRANSLATED), Arrival.Egress.WAN);
        offer(lanPacket(2, T0 + 2 * S, 2, WAN, 5060, Outcome.TRANSLATED), Arrival.Egress.WAN);
        offer(lanPacket(3, T0 + 9 * S, 3, WAN, 40000, Outcome.TRANSLATED), Arrival.Egress.WAN);
        List<ConntrackEvent.EntryKilled> k = kills();
        assertEquals(1, k.size(), events.toString());
        ConntrackEvent.EntryKilled x = k.get(0);
        assertNotNull(x.inferred());
        assertEquals(T0 + 2 * S, x.nanos(), "right after lan#2, the last packet seen handled by it");
        assertEquals(T0 + 2 * S, x.inferred().earliestNanos());
        assertEquals(T0 + 9 * S, x.inferred().latestNanos());
        assertEquals("lan#2, lan#3, wan#3", x.inferred().frames());
        assertEquals(1, model.entries().size(), "lan#3 made a new entry");
        assertEquals(40000, model.entries().iterator().next().reply().dstPort(), "with the port the WAN copy shows");
        assertEquals(1, history.inferences());
    }

    @Test
    void aNewExternalAddressFlushesTheOldOneSinceItsLastUse() {
        offer(lanPacket(1, T0, 1, WAN, 5060, Outcome.TRANSLATED), Arrival.Egress.WAN);
        offer(lanPacket(2, T0 + 4 * S, 2, "203.0.113.3", 5060, Outcome.TRANSLATED), Arrival.Egress.WAN);
        List<ConntrackEvent.EntryKilled> k = kills();
        assertEquals(1, k.size(), events.toString());
        assertEquals(T0, k.get(0).nanos());
        assertNotNull(k.get(0).inferred());
        assertEquals("203.0.113.3", history.wanAddress());
        assertEquals(List.of(UplinkChange.Kind.ADDRESS_REMOVED, UplinkChange.Kind.ADDRESS_ADDED),
                uplinks.stream().map(UplinkChange::kind).toList());
        assertTrue(uplinks.get(0).isInferred());
        assertEquals("lan#1, lan#2, wan#2", uplinks.get(0).inferred().frames());
        assertEquals("203.0.113.3", Addresses.format(model.entries().iterator().next().reply().dstHi(),
                model.entries().iterator().next().reply().dstLo()));
    }

    /** The router's ICMP net unreachable to the phone about {@code lan}'s packet. */
    Seen icmp(long frame, long nanos, String from) {
        Seen s = lanPacket(frame, nanos, 0, null, 0, Outcome.NO_COUNTERPART);
        long[] t = new long[2];
        address(from, t);
        s.srcHi = t[0];
        s.srcLo = t[1];
        address(PHONE, t);
        s.dstHi = t[0];
        s.dstLo = t[1];
        s.protocol = ConntrackTuple.ICMP;
        s.hasPorts = false;
        s.icmpError = true;
        s.icmpType = RouterAnswers.ICMP_UNREACHABLE;
        s.icmpCode = RouterAnswers.ICMP_NET;
        s.innerProtocol = ConntrackTuple.UDP;
        address(PHONE, t);
        s.innerSrcHi = t[0];
        s.innerSrcLo = t[1];
        address(PROVIDER, t);
        s.innerDstHi = t[0];
        s.innerDstLo = t[1];
        s.innerSrcPort = s.innerDstPort = 5060;
        return s;
    }

    @Test
    void theRoutersNoRouteAnswerFlushesTheWanBeforeThePacket() {
        offer(lanPacket(1, T0, 1, WAN, 5060, Outcome.TRANSLATED), Arrival.Egress.WAN);
        history.frameSeen(icmp(3, T0 + 3 * S + 500_000, "192.168.1.1"));
        offer(lanPacket(2, T0 + 3 * S, 0, null, 0, Outcome.NO_COUNTERPART), Arrival.Egress.DROPPED);
        List<ConntrackEvent.EntryKilled> k = kills();
        assertEquals(1, k.size(), events.toString());
        assertEquals(T0, k.get(0).nanos());
        assertEquals("lan#1, lan#2, lan#3", k.get(0).inferred().frames());
        assertTrue(model.entries().isEmpty(), "the packet died in routing and left no entry");
        assertNull(history.wanAddress());
    }

    @Test
    void withoutTheRoutersAnswerADroppedPacketInfersNothing() {
        offer(lanPacket(1, T0, 1, WAN, 5060, Outcome.TRANSLATED), Arrival.Egress.WAN);
        history.frameSeen(icmp(3, T0 + 3 * S + 500_000, "203.0.113.9")); // not from the LAN: someone else's
        history.frameSeen(icmp(4, T0 + 3 * S + 2 * RouterAnswers.ANSWER_NANOS, "192.168.1.1")); // too late for it
        offer(lanPacket(2, T0 + 3 * S, 0, null, 0, Outcome.NO_COUNTERPART), Arrival.Egress.DROPPED);
        assertEquals(List.of(), kills());
        assertEquals(1, model.entries().size());
        assertEquals(WAN, history.wanAddress());
    }

    @Test
    void noRouteAnswersProveNoFlushWhereRoutesWithLinkDownAreIgnored() {
        history.sysctl("net.netfilter.nf_conntrack_acct = 1\nnet.ipv4.conf.wan0.ignore_routes_with_linkdown = 1\n");
        offer(lanPacket(1, T0, 1, WAN, 5060, Outcome.TRANSLATED), Arrival.Egress.WAN);
        history.frameSeen(icmp(3, T0 + 3 * S + 500_000, "192.168.1.1"));
        offer(lanPacket(2, T0 + 3 * S, 0, null, 0, Outcome.NO_COUNTERPART), Arrival.Egress.DROPPED);
        assertEquals(List.of(), kills(), "a carrier loss makes the same ICMP without a flush");
        assertEquals(WAN, history.wanAddress());
    }

    @Test
    void aPacketRoutedBackOutOfTheLanWhileItsMasqueradedEntryLivedProvesThatEntryGone() {
        offer(lanPacket(1, T0, 1, WAN, 5060, Outcome.TRANSLATED), Arrival.Egress.WAN);
        Seen back = lanPacket(2, T0 + 8 * S, 3, PHONE, 5060, Outcome.ROUTED_BACK);
        offer(back, Arrival.Egress.LAN);
        List<ConntrackEvent.EntryKilled> k = kills();
        assertEquals(1, k.size(), events.toString());
        assertEquals(T0, k.get(0).nanos());
        assertEquals("lan#1, lan#2, lan#3", k.get(0).inferred().frames());
        assertEquals(1, model.entries().size(), "lan#2 made the new entry itself (not one retransmission later)");
        ConntrackTuple r = model.entries().iterator().next().reply();
        assertEquals(PHONE, Addresses.format(r.dstHi(), r.dstLo()), "a null binding: masquerade is for oifname wan0");
    }

    @Test
    void theRoutersPortUnreachableForAReplyProvesItsEntryGone() {
        offer(lanPacket(1, T0, 1, WAN, 5060, Outcome.TRANSLATED), Arrival.Egress.WAN);
        // the provider's request to the router's 5060, which the router answers itself
        Seen in = new Seen();
        in.side = Side.WAN;
        in.frame = 5;
        in.nanos = T0 + 5 * S;
        in.protocol = ConntrackTuple.UDP;
        in.hasPorts = true;
        long[] t = new long[2];
        address(PROVIDER, t);
        in.srcHi = t[0];
        in.srcLo = t[1];
        address(WAN, t);
        in.dstHi = t[0];
        in.dstLo = t[1];
        in.srcPort = in.dstPort = 5060;
        in.outcome = Outcome.NO_COUNTERPART;
        Seen icmp = new Seen();
        icmp.side = Side.WAN;
        icmp.frame = 6;
        icmp.nanos = in.nanos + 300_000;
        icmp.protocol = ConntrackTuple.ICMP;
        icmp.icmpError = true;
        icmp.icmpType = RouterAnswers.ICMP_UNREACHABLE;
        icmp.icmpCode = RouterAnswers.ICMP_PORT;
        icmp.srcHi = in.dstHi;
        icmp.srcLo = in.dstLo;
        icmp.dstHi = in.srcHi;
        icmp.dstLo = in.srcLo;
        icmp.innerProtocol = ConntrackTuple.UDP;
        icmp.innerSrcHi = in.srcHi;
        icmp.innerSrcLo = in.srcLo;
        icmp.innerDstHi = in.dstHi;
        icmp.innerDstLo = in.dstLo;
        icmp.innerSrcPort = icmp.innerDstPort = 5060;
        history.frameSeen(icmp);
        Arrival a = new Arrival();
        a.nanos = in.nanos;
        a.frame = new FrameRef("wan", 5);
        a.tuple = ConntrackTuple.of(ConntrackTuple.UDP, PROVIDER, 5060, WAN, 5060);
        a.ipLength = 400;
        a.ingress = Arrival.Ingress.WAN;
        a.egress = Arrival.Egress.ROUTER;
        history.beforeArrival(in, a, sink);
        List<ConntrackEvent.EntryKilled> k = kills();
        assertEquals(1, k.size(), events.toString());
        assertEquals(T0, k.get(0).nanos());
        assertEquals("lan#1, wan#5, wan#6", k.get(0).inferred().frames());
        assertTrue(model.entries().isEmpty());
    }

    /** A WAN frame as it enters the matcher (what the silence is measured by). */
    void wanFrame(long frame, long nanos) {
        Seen w = lanPacket(frame, nanos, 0, null, 0, Outcome.NO_COUNTERPART);
        w.side = Side.WAN;
        history.frameSeen(w);
    }

    @Test
    void aPacketLostWhileTheWanIsSilentAndNothingAnswersWentThroughConntrack() {
        wanFrame(1, T0);
        offer(lanPacket(2, T0 + 5 * S, 0, null, 0, Outcome.NO_COUNTERPART), Arrival.Egress.DROPPED);
        assertEquals(1, model.entries().size(), "confirmed before the WAN device dropped it (carrier loss)");
        assertEquals(WAN, Addresses.format(model.entries().iterator().next().reply().dstHi(),
                model.entries().iterator().next().reply().dstLo()), "masqueraded as any packet leaving the WAN");
        assertEquals(List.of(), kills(), "no flush");
        assertTrue(decisions.stream().anyMatch(d -> d.contains("lost its carrier") && d.contains("frames wan#1, lan#2")),
                decisions.toString());
    }

    @Test
    void aPacketLostWhileTheRouterAnswersNoRouteMadeNoEntry() {
        wanFrame(1, T0);
        history.frameSeen(icmp(3, T0 + 4 * S, "192.168.1.1")); // an earlier packet's answer: a no-route outage
        offer(lanPacket(2, T0 + 5 * S, 0, null, 0, Outcome.NO_COUNTERPART), Arrival.Egress.DROPPED);
        assertTrue(model.entries().isEmpty());
    }
}
