package dev.natrecon.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A flush the model inferred under an assumed masquerade (no ruleset), re-created with the same tuples and NAT, while
 * the kernel (SNAT) kept one entry: counted apart as not observable; a flush the model inferred on a known rule, or
 * anything the kernel's log contradicts, stays a divergence.
 */
class AssumedRuleKillTest {
    static final long S = KernelComparisonTest.S, T0 = KernelComparisonTest.T0;
    static final String NEW = UnobservableKillTest.NEW, SEEN = UnobservableKillTest.SEEN;
    static final String ASSURED = UnobservableKillTest.ASSURED;
    static final KernelComparison.Options SAME_CLOCK = UnobservableKillTest.SAME_CLOCK;
    static final String ASSUMED = "masquerade on wan (no ruleset given)";

    /**
     * The model: a request and its answer; a flush inferred at +1 s (window to +2.5 s, the ICMP no-route proof) with
     * {@code assumption}; the flow's next request at +7 s and its answer re-create the entry.
     */
    static List<ConntrackEvent> model(String assumption, List<ConntrackEvent> predicted) {
        ConntrackModel m = new ConntrackModel(Timeouts.linux6(), List.of(NatRule.masquerade("203.0.113.2", "192.168.1.0/24")));
        List<ConntrackEvent> out = new ArrayList<>();
        ConntrackTuple o = ConntrackTuple.of(17, "192.168.1.10", 5060, "203.0.113.5", 5060);
        ConntrackTuple r = ConntrackTuple.of(17, "203.0.113.5", 5060, "203.0.113.2", 5060);
        m.onPacket(T0, new FrameRef("lan", 1), o, 0, 400, -1, out::add);
        m.onPacket(T0 + S / 1000, new FrameRef("wan", 2), r, 0, 400, -1, out::add);
        Inferred why = new Inferred(T0 + S, T0 + 2500 * S / 1000, List.of(new FrameRef("wan", 2),
                new FrameRef("lan", 3), new FrameRef("lan", 4)), "ICMP no route: masquerade flushed", assumption);
        m.advanceTo(T0 + S, out::add);
        m.killInferred(T0 + S, m.find(o), why, out::add);
        m.onPacket(T0 + 7 * S, new FrameRef("lan", 5), o, 0, 400, -1, out::add);
        m.onPacket(T0 + 7 * S + S / 1000, new FrameRef("wan", 6), r, 0, 400, -1, out::add);
        m.advanceTo(T0 + 8 * S, out::add);
        m.advanceTo(Long.MAX_VALUE / 2, predicted::add);
        return out;
    }

    static KernelComparison.Result compare(String assumption, List<KernelEntry> k) {
        List<ConntrackEvent> predicted = new ArrayList<>();
        List<ConntrackEvent> m = model(assumption, predicted);
        return KernelComparison.compare(k, m, predicted, T0, T0 + 8 * S, SAME_CLOCK);
    }

    /** The kernel (SNAT): one entry, made ASSURED by a request during the outage (conntrack saw it before routing). */
    static List<KernelEntry> keptOne() {
        return List.of(KernelComparisonTest.line(T0 + 100_000, NEW), KernelComparisonTest.line(T0 + S / 1000 + 100_000, SEEN),
                KernelComparisonTest.line(T0 + 2500 * S / 1000 + 100_000, ASSURED));
    }

    @Test
    void aFlushInferredUnderAnAssumedMasqueradeWhileTheKernelKeptTheEntryIsCountedApart() {
        KernelComparison.Result r = compare(ASSUMED, keptOne());
        assertEquals(1, r.unobservable(), r.entries().toString());
        assertEquals(0, r.extra(), "the model's re-created entry goes with it");
        assertEquals(List.of(), r.problems());
        assertFalse(r.agrees(), "never as reproduced");
        assertTrue(r.agreesButUnobservable(), r.toString());
        assertEquals(2, r.kernelLines());
        assertEquals(1, r.reproducedLines(), "the NEW");
        assertEquals(1, r.unobservableLines(), "the ASSURED the kept entry got during the outage");
        assertTrue(r.entries().get(0).differences().get(0).contains(ASSUMED), r.entries().toString());
        assertTrue(r.unobservableKills().get(0).modelInferred());
    }

    @Test
    void aFlushInferredOnAKnownRuleIsStillADivergence() {
        KernelComparison.Result r = compare(null, keptOne());
        assertEquals(0, r.unobservable(), r.entries().toString());
        assertFalse(r.agreesButUnobservable());
        assertEquals(1, r.extra());
        assertFalse(r.problems().isEmpty());
    }

    @Test
    void aKernelEntryThatEndedWhileTheModelsReCreatedOneLivesOnIsStillADivergence() {
        List<KernelEntry> k = new ArrayList<>(keptOne());
        k.add(KernelComparisonTest.line(T0 + 5 * S, UnobservableKillTest.KILLED));
        KernelComparison.Result r = compare(ASSUMED, k);
        assertEquals(0, r.unobservable(), r.entries().toString());
        assertFalse(r.agreesButUnobservable());
    }

    @Test
    void aKernelEntryWithAnotherNatIsStillADivergence() {
        String other = "dst=203.0.113.2 sport=5060 dport=5060";
        List<KernelEntry> k = List.of(KernelComparisonTest.line(T0 + 100_000, NEW.replace(other, "dst=203.0.113.2 sport=5060 dport=61000")));
        KernelComparison.Result r = compare(ASSUMED, k);
        assertEquals(0, r.unobservable(), r.entries().toString());
        assertFalse(r.agreesButUnobservable());
    }

    @Test
    void anExpectationTheModelRemovedWithTheAssumedFlushIsCountedApartOnlyAfterTheWindowStarts() {
        KernelComparison.Result r = compare(ASSUMED, keptOne());
        KernelExpectation late = ConntrackText.expectation(EventFormat.timestamp(T0 + 7 * S)
                + "\t[DESTROY] 45 proto=17 src=203.0.113.5 dst=203.0.113.2 sport=0 dport=5060 mask-src=255.255.255.255 "
                + "mask-dst=255.255.255.255 sport=0 dport=65535 master-src=192.168.1.10 master-dst=203.0.113.5 "
                + "sport=5060 dport=5060 PERMANENT class=0 helper=sip");
        Inferred w = new Inferred(T0 + S, T0 + 2 * S, List.of(), "flush", ASSUMED);
        assertTrue(AssumedRuleKill.expectationKept(late, w, T0 + 7 * S, r.unobservableKills()) != null);
        assertTrue(AssumedRuleKill.expectationKept(late, w, T0 + S / 2, r.unobservableKills()) == null, "before the window");
        assertTrue(AssumedRuleKill.expectationKept(late, new Inferred(T0 + S, T0 + 2 * S, List.of(), "flush"), T0 + 7 * S,
                r.unobservableKills()) == null, "a flush on a known rule");
        assertTrue(UnobservableKill.expectationGone(late, r.unobservableKills(), Long.MAX_VALUE / 4) == null,
                "not a kernel kill");
    }
}
