package dev.natrecon.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An inferred DESTROY (the captures prove the entry gone between two packets) against the kernel's: reproduced
 * anywhere in the window plus the GC lag, with the seconds left the entry had then; not before the window, not long
 * after it, not with other seconds left. The same for an inferred expectation removal.
 */
class InferredComparisonTest {
    static final long S = KernelComparisonTest.S, T0 = KernelComparisonTest.T0;
    static final String KILLED = "[DESTROY] ipv4     2 udp      17 %d src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060 src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060";

    /** REGISTER and answer, then the entry proven gone at +10 s, last seen at work at the answer (+1 ms). */
    static List<ConntrackEvent> model() {
        ConntrackModel m = new ConntrackModel(Timeouts.linux6(), List.of(NatRule.masquerade("203.0.113.2", "192.168.1.0/24")));
        List<ConntrackEvent> out = new ArrayList<>();
        m.onPacket(T0, new FrameRef("lan", 1), ConntrackTuple.of(17, "192.168.1.10", 5060, "203.0.113.5", 5060), 0, 400, -1, out::add);
        m.onPacket(T0 + S / 1000, new FrameRef("wan", 1), ConntrackTuple.of(17, "203.0.113.5", 5060, "203.0.113.2", 5060), 0, 400, -1, out::add);
        Inferred w = new Inferred(T0 + S / 1000, T0 + 10 * S, List.of(new FrameRef("wan", 1), new FrameRef("lan", 2)), "test");
        m.killInferred(T0 + 10 * S, m.entries().iterator().next(), w, out::add);
        return out;
    }

    static KernelComparison.Result compare(long destroyAt, long left) {
        List<KernelEntry> k = List.of(KernelComparisonTest.line(T0 + 200_000, KernelComparisonTest.NEW),
                KernelComparisonTest.line(T0 + S / 1000 + 100_000, KernelComparisonTest.UPDATE),
                KernelComparisonTest.line(destroyAt, String.format(KILLED, left)));
        return KernelComparison.compare(k, model(), List.of(), T0, T0 + 10 * S, KernelComparison.Options.DEFAULT);
    }

    @Test
    void theModelKillsAtTheWindowsStartAndSaysSo() {
        ConntrackEvent.EntryKilled k = (ConntrackEvent.EntryKilled) model().get(model().size() - 1);
        assertEquals(T0 + S / 1000, k.nanos());
        assertNotNull(k.inferred());
        assertEquals(30, k.entry().timeoutSeconds(), "30 s left at the window's start (udp_timeout after the reply)");
    }

    @Test
    void anInstantInsideTheWindowWithTheSecondsLeftThenIsReproduced() {
        KernelComparison.Result r = compare(T0 + 5 * S, 25);
        assertTrue(r.agrees(), r.problems().toString());
        assertEquals(0, r.maxDestroyLagNanos(), "an inferred DESTROY is not a lag behind a deadline");
        assertTrue(compare(T0 + 10 * S + 5 * S, 15).agrees(), "within the GC lag after the window's end");
    }

    @Test
    void otherSecondsLeftOrAnInstantOutsideTheWindowDiffer() {
        assertTrue(compare(T0 + 5 * S, 29).problems().toString().contains("DESTROY differs"), "29 s left is the window's start, not +5 s");
        KernelComparison.Result late = compare(T0 + 10 * S + 61 * S, 0);
        assertTrue(late.problems().toString().contains("outside"), late.problems().toString());
        KernelComparison.Result early = compare(T0 + 500_000, 30);
        assertTrue(early.problems().toString().contains("outside"), early.problems().toString());
    }

    @Test
    void anInferredExpectationRemovalIsJudgedInsideItsWindow() {
        Inferred w = new Inferred(10 * S, 13 * S, List.of(), "test");
        assertNull(KernelExpectationComparison.inferred(w, 59, 57, 12 * S, 10 * S, 20_000_000L));
        assertNotNull(KernelExpectationComparison.inferred(w, 59, 59, 12 * S, 10 * S, 20_000_000L), "59 left two seconds later");
        assertNotNull(KernelExpectationComparison.inferred(w, 59, 55, 14 * S, 10 * S, 20_000_000L), "after the window");
        assertNotNull(KernelExpectationComparison.inferred(w, 59, 59, 9 * S, 10 * S, 20_000_000L), "before it");
    }
}
