package dev.natrecon.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison with a kernel log, on hand-made lines and a model driven by hand. */
class KernelComparisonTest {
    static final long S = 1_000_000_000L;
    static final long T0 = 1_795_000_000L * S;

    /** The model's events for one REGISTER and its answer, then the entry's expiry 30 s later (UDP unreplied → 30 s after the reply). */
    static List<ConntrackEvent> model(List<ConntrackEvent> predicted) {
        ConntrackModel m = new ConntrackModel(Timeouts.linux6(), List.of(NatRule.masquerade("203.0.113.2", "192.168.1.0/24")));
        List<ConntrackEvent> out = new ArrayList<>();
        m.onPacket(T0, new FrameRef("lan", 1), ConntrackTuple.of(17, "192.168.1.10", 5060, "203.0.113.5", 5060), 0, 400, -1, out::add);
        m.onPacket(T0 + S / 1000, new FrameRef("wan", 1), ConntrackTuple.of(17, "203.0.113.5", 5060, "203.0.113.2", 5060), 0, 400, -1, out::add);
        m.advanceTo(T0 + S, out::add);
        m.advanceTo(Long.MAX_VALUE / 2, predicted::add);
        return out;
    }

    static KernelEntry line(long nanos, String body) {
        return ConntrackText.entry(EventFormat.timestamp(nanos) + "\t" + body);
    }

    static final String NEW = "    [NEW] ipv4     2 udp      17 30 src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060 [UNREPLIED] src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060";
    static final String UPDATE = " [UPDATE] ipv4     2 udp      17 30 src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060 src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060";
    static final String DESTROY = "[DESTROY] ipv4     2 udp      17 src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060 src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060";

    @Test
    void identicalLinesWithinTheLagsMatch() {
        List<ConntrackEvent> predicted = new ArrayList<>();
        List<ConntrackEvent> m = model(predicted);
        List<KernelEntry> k = List.of(line(T0 + 200_000, NEW), line(T0 + S / 1000 + 100_000, UPDATE),
                line(T0 + S / 1000 + 30 * S + 7 * S, DESTROY));
        KernelComparison.Result r = KernelComparison.compare(k, m, predicted, T0, T0 + S, KernelComparison.Options.DEFAULT);
        assertEquals(1, r.matched(), r.entries().toString());
        assertEquals(2, r.reproducedLines(), "NEW and DESTROY (the UPDATE only sets SEEN_REPLY)");
        assertEquals(2, r.kernelLines());
        assertEquals(7 * S, r.maxDestroyLagNanos());
        assertEquals(0, r.offsetNanos());
    }

    @Test
    void aDestroyBeforeTheDeadlineOrAnotherMappingDiffers() {
        List<ConntrackEvent> predicted = new ArrayList<>();
        List<ConntrackEvent> m = model(predicted);
        List<KernelEntry> early = List.of(line(T0 + 200_000, NEW), line(T0 + S / 1000 + 100_000, UPDATE),
                line(T0 + 20 * S, DESTROY));
        KernelComparison.Result r = KernelComparison.compare(early, m, predicted, T0, T0 + S, KernelComparison.Options.DEFAULT);
        assertEquals(1, r.differs());
        assertTrue(r.entries().get(0).differences().stream().anyMatch(d -> d.contains("before the model's deadline")),
                r.entries().get(0).differences().toString());
        List<KernelEntry> otherPort = List.of(line(T0 + 200_000, NEW.replace("dst=203.0.113.2 sport=5060 dport=5060", "dst=203.0.113.2 sport=5060 dport=61000")));
        r = KernelComparison.compare(otherPort, m, predicted, T0, T0 + S, KernelComparison.Options.DEFAULT);
        assertEquals(1, r.differs(), "same original tuple, another mapping: the entry differs");
        assertTrue(r.entries().get(0).differences().get(0).startsWith("NEW differs"), r.entries().toString());
        assertEquals(0, r.reproducedLines());
    }

    @Test
    void entriesOnlyOnOneSideAreMissingOrExtraAndEntriesOutsideTheCapturesAreLeftOut() {
        List<ConntrackEvent> predicted = new ArrayList<>();
        List<ConntrackEvent> m = model(predicted);
        String other = NEW.replace("sport=5060 dport=5060 [UNREPLIED]", "sport=5061 dport=5060 [UNREPLIED]")
                .replace("sport=5060 dport=5060\n", "");
        List<KernelEntry> k = List.of(line(T0 + 200_000, other), line(T0 + 3600 * S, NEW));
        KernelComparison.Options sameClock = new KernelComparison.Options(60 * S, 2 * S, 0L, 20_000_000L);
        KernelComparison.Result r = KernelComparison.compare(k, m, predicted, T0, T0 + S, sameClock);
        assertEquals(1, r.missing());
        assertEquals(1, r.extra());
        assertEquals(1, r.outsideCaptures(), "the NEW an hour later is outside the captures");
    }

    @Test
    void aRouterClockOffIsEstimatedFromTheNewEvents() {
        List<ConntrackEvent> predicted = new ArrayList<>();
        List<ConntrackEvent> m = model(predicted);
        long off = 3600 * S + 250_000_000L;
        List<KernelEntry> k = List.of(line(off + T0 + 200_000, NEW), line(off + T0 + S / 1000 + 100_000, UPDATE));
        KernelComparison.Result r = KernelComparison.compare(k, m, predicted, T0, T0 + S, KernelComparison.Options.DEFAULT);
        assertTrue(r.offsetEstimated());
        assertEquals(off + 200_000, r.offsetNanos());
        assertEquals(1, r.matched(), r.entries().toString());
    }
}
