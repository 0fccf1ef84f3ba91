package dev.natrecon.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void anUpdatesSecondsLeftMayBeOneApartAndNoMore() {
        // nat-late lab run: the kernel printed 3599 where the model's refresh leaves 3600 (a jiffy tick between the
        // refresh and the print); the UPDATE is the model's, its timeout not
        String model = " [UPDATE] ipv4     2 udp      17 3600 src=192.168.1.10 dst=203.0.113.5 sport=5070 dport=5060 src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5070 helper=sip";
        assertTrue(KernelComparison.sameUpdate(model, model));
        assertTrue(KernelComparison.sameUpdate(model.replace(" 3600 ", " 3599 "), model));
        assertTrue(KernelComparison.sameUpdate(model.replace(" 3600 ", " 3601 "), model));
        assertFalse(KernelComparison.sameUpdate(model.replace(" 3600 ", " 3598 "), model), "two seconds is no tick");
        assertFalse(KernelComparison.sameUpdate(model.replace(" 3600 ", " 30 "), model), "another timeout");
        assertFalse(KernelComparison.sameUpdate(model.replace(" 3600 ", " 3599 ").replace("dport=5070 helper", "dport=5071 helper"), model),
                "another mapping, even with a second's difference");
        assertFalse(KernelComparison.sameUpdate(model.replace(" 3600 ", " 3599 ") + " [ASSURED]", model), "another status");
        assertFalse(KernelComparison.sameUpdates(List.of(model), List.of(model, model)), "one UPDATE more");

        // through the whole comparison: the kernel's UPDATE a second short still reproduces the line
        List<ConntrackEvent> predicted = new ArrayList<>();
        List<ConntrackEvent> m = model(predicted);
        List<KernelEntry> k = List.of(line(T0 + 200_000, NEW), line(T0 + S / 1000 + 100_000, UPDATE.replace(" 30 ", " 29 ")),
                line(T0 + S / 1000 + 30 * S + 7 * S, DESTROY));
        KernelComparison.Result r = KernelComparison.compare(k, m, predicted, T0, T0 + S, KernelComparison.Options.DEFAULT);
        assertEquals(1, r.matched(), r.entries().toString());
        List<KernelEntry> off = List.of(line(T0 + 200_000, NEW), line(T0 + S / 1000 + 100_000, UPDATE.replace(" 30 ", " 28 ")),
                line(T0 + S / 1000 + 30 * S + 7 * S, DESTROY));
        KernelComparison.Result r2 = KernelComparison.compare(off, m, predicted, T0, T0 + S, KernelComparison.Options.DEFAULT);
        assertEquals(0, r2.matched(), "two seconds short differs: " + r2.entries());
    }

    @Test
    void anAssuredTheKernelMaySetAJiffyEarlierIsAcceptedFromTheEarliestPacketOn() {
        // expect-churn lab (CONFIG_HZ=250): the kernel assured an RTP entry at a packet 2.003138 s after its first,
        // the model only at the next one (2.020 s), the first past 2 s + 1 jiffy; before 2 s it cannot have
        ConntrackModel cm = new ConntrackModel(Timeouts.linux6(), List.of(NatRule.masquerade("203.0.113.2", "192.168.1.0/24")));
        List<ConntrackEvent> m = new ArrayList<>();
        ConntrackTuple out = ConntrackTuple.of(17, "192.168.1.10", 40000, "203.0.113.5", 30000);
        cm.onPacket(T0, new FrameRef("lan", 1), out, 0, 200, -1, m::add);
        cm.onPacket(T0 + S / 100, new FrameRef("wan", 1), ConntrackTuple.of(17, "203.0.113.5", 30000, "203.0.113.2", 40000), 0, 200, -1, m::add);
        long possible = T0 + 2 * S + 3_138_000L, certain = T0 + 2 * S + 20_000_000L;
        cm.onPacket(possible, new FrameRef("lan", 2), out, 0, 200, -1, m::add);
        cm.onPacket(certain, new FrameRef("lan", 3), out, 0, 200, -1, m::add);
        ConntrackEvent.EntryUpdated assured = (ConntrackEvent.EntryUpdated) m.get(m.size() - 1);
        assertTrue(assured.entry().has(Status.ASSURED));
        assertEquals(certain, assured.nanos());
        assertEquals(possible, assured.earliestNanos(), "the first packet at which the tick phase may have decided it");
        String orig = "src=192.168.1.10 dst=203.0.113.5 sport=40000 dport=30000", reply = "src=203.0.113.5 dst=203.0.113.2 sport=30000 dport=40000";
        String newLine = "    [NEW] ipv4     2 udp      17 30 " + orig + " [UNREPLIED] " + reply;
        String seen = " [UPDATE] ipv4     2 udp      17 30 " + orig + " " + reply;
        String assuredLine = " [UPDATE] ipv4     2 udp      17 120 " + orig + " " + reply + " [ASSURED]";
        KernelComparison.Options sameClock = new KernelComparison.Options(KernelComparison.Options.DEFAULT.gcLagNanos(),
                KernelComparison.Options.DEFAULT.pairingNanos(), 0L, KernelComparison.Options.DEFAULT.eventLagNanos());
        for (long kernelAt : new long[] {possible + 5_000_000L, certain + 100_000L}) {
            List<KernelEntry> k = List.of(line(T0 + 100_000, newLine), line(T0 + S / 100 + 100_000, seen),
                    line(kernelAt, assuredLine));
            KernelComparison.Result r = KernelComparison.compare(k, m, List.of(), T0, T0 + 3 * S, sameClock);
            assertEquals(2, r.reproducedLines(), "NEW and ASSURED, kernel line at +" + (kernelAt - T0) + ": " + r.entries());
        }
        // logged before the earliest possible packet: not reproduced
        List<KernelEntry> early = List.of(line(T0 + 100_000, newLine), line(T0 + S / 100 + 100_000, seen),
                line(possible - 1_000_000L, assuredLine));
        assertEquals(1, KernelComparison.compare(early, m, List.of(), T0, T0 + 3 * S, sameClock).reproducedLines());
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
