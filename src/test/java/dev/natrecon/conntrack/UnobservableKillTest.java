package dev.natrecon.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A kill no packet made, re-created identically by the next packet (an operator's conntrack -D), against a model that
 * kept one entry: counted apart as not observable; anything the captures would contradict stays a divergence.
 */
class UnobservableKillTest {
    static final long S = KernelComparisonTest.S, T0 = KernelComparisonTest.T0;
    static final String ORIG = "src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060";
    static final String REPLY = "src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060";
    static final String NEW = "    [NEW] ipv4     2 udp      17 30 " + ORIG + " [UNREPLIED] " + REPLY;
    static final String SEEN = " [UPDATE] ipv4     2 udp      17 30 " + ORIG + " " + REPLY;
    static final String ASSURED = " [UPDATE] ipv4     2 udp      17 120 " + ORIG + " " + REPLY + " [ASSURED]";
    static final String KILLED = "[DESTROY] ipv4     2 udp      17 118 " + ORIG + " " + REPLY + " [ASSURED]";
    static final KernelComparison.Options SAME_CLOCK = new KernelComparison.Options(60 * S, 2 * S, 0L, 20_000_000L);

    /** The model: a request and its answer, a request at +2.5 s (ASSURED), one at +7 s; nothing killed. */
    static List<ConntrackEvent> model(List<ConntrackEvent> predicted) {
        ConntrackModel m = new ConntrackModel(Timeouts.linux6(), List.of(NatRule.masquerade("203.0.113.2", "192.168.1.0/24")));
        List<ConntrackEvent> out = new ArrayList<>();
        ConntrackTuple o = ConntrackTuple.of(17, "192.168.1.10", 5060, "203.0.113.5", 5060);
        ConntrackTuple r = ConntrackTuple.of(17, "203.0.113.5", 5060, "203.0.113.2", 5060);
        m.onPacket(T0, new FrameRef("lan", 1), o, 0, 400, -1, out::add);
        m.onPacket(T0 + S / 1000, new FrameRef("wan", 2), r, 0, 400, -1, out::add);
        m.onPacket(T0 + 2500 * S / 1000, new FrameRef("lan", 3), o, 0, 400, -1, out::add);
        m.onPacket(T0 + 7 * S, new FrameRef("lan", 4), o, 0, 400, -1, out::add);
        m.advanceTo(T0 + 7 * S, out::add);
        m.advanceTo(Long.MAX_VALUE / 2, predicted::add);
        return out;
    }

    static KernelEntry line(long nanos, String body) {
        return KernelComparisonTest.line(nanos, body);
    }

    static KernelComparison.Result compare(List<KernelEntry> k) {
        List<ConntrackEvent> predicted = new ArrayList<>();
        List<ConntrackEvent> m = model(predicted);
        return KernelComparison.compare(k, m, predicted, T0, T0 + 7 * S, SAME_CLOCK);
    }

    static List<KernelEntry> kernel(long killAt, String killed, String recreated) {
        return List.of(line(T0 + 100_000, NEW), line(T0 + S / 1000 + 100_000, SEEN),
                line(T0 + 2500 * S / 1000 + 100_000, ASSURED), line(killAt, killed), line(T0 + 7 * S + 100_000, recreated));
    }

    @Test
    void aKillNoPacketMadeReCreatedWithTheSameNatIsCountedApartNeverAsReproduced() {
        KernelComparison.Result r = compare(kernel(T0 + 4 * S, KILLED, NEW));
        assertEquals(2, r.unobservable(), r.entries().toString());
        assertEquals(List.of(), r.problems(), "not a problem of the model");
        assertFalse(r.agrees(), "never as reproduced");
        assertTrue(r.agreesButUnobservable(), r.toString());
        assertEquals(4, r.kernelLines());
        assertEquals(2, r.reproducedLines(), "the first life's NEW and ASSURED");
        assertEquals(2, r.unobservableLines(), "its DESTROY and the second NEW");
        assertEquals(0, r.reproducedDestroy());
        assertEquals(1, r.unobservableKills().size());
        assertEquals(T0 + 4 * S, r.unobservableKills().get(0).kernelNanos());
    }

    @Test
    void anotherNatAfterTheKillIsStillADivergence() {
        String otherPort = NEW.replace("dst=203.0.113.2 sport=5060 dport=5060", "dst=203.0.113.2 sport=5060 dport=61000");
        KernelComparison.Result r = compare(kernel(T0 + 4 * S, KILLED, otherPort));
        assertEquals(0, r.unobservable(), r.entries().toString());
        assertFalse(r.agreesButUnobservable());
        assertFalse(r.problems().isEmpty());
    }

    @Test
    void anExpiryIsTheModelsTimersNotAnUnobservableKill() {
        String expired = KILLED.replace(" 118 ", " ");
        KernelComparison.Result r = compare(kernel(T0 + 4 * S, expired, NEW));
        assertEquals(0, r.unobservable(), r.entries().toString());
        assertFalse(r.agreesButUnobservable());
    }

    @Test
    void aKillBeforeAPacketThatChangedTheModelsEntryIsContradictedByThatPacket() {
        // killed at +1 s: the request at +2.5 s (which assured the model's entry) would have made the kernel's NEW then
        List<KernelEntry> k = List.of(line(T0 + 100_000, NEW), line(T0 + S / 1000 + 100_000, SEEN),
                line(T0 + S, KILLED.replace(" [ASSURED]", "").replace(" 118 ", " 29 ")), line(T0 + 7 * S + 100_000, NEW));
        KernelComparison.Result r = compare(k);
        assertEquals(0, r.unobservable(), r.entries().toString());
        assertFalse(r.agreesButUnobservable());
    }

    @Test
    void anExpectationRemovedWithAnUnobservablyKilledMasterIsCountedApart() {
        KernelComparison.Result r = compare(kernel(T0 + 4 * S, KILLED, NEW));
        KernelExpectation gone = ConntrackText.expectation(EventFormat.timestamp(T0 + 4 * S + 8_000_000L)
                + "\t[DESTROY] 55 proto=17 src=203.0.113.5 dst=203.0.113.2 sport=0 dport=5060 mask-src=255.255.255.255 "
                + "mask-dst=255.255.255.255 sport=0 dport=65535 master-src=192.168.1.10 master-dst=203.0.113.5 sport=5060 "
                + "dport=5060 PERMANENT class=0 helper=sip");
        assertTrue(UnobservableKill.expectationGone(gone, r.unobservableKills(), 20_000_000L) != null);
        KernelExpectation late = ConntrackText.expectation(EventFormat.timestamp(T0 + 6 * S)
                + "\t[DESTROY] 55 proto=17 src=203.0.113.5 dst=203.0.113.2 sport=0 dport=5060 mask-src=255.255.255.255 "
                + "mask-dst=255.255.255.255 sport=0 dport=65535 master-src=192.168.1.10 master-dst=203.0.113.5 sport=5060 "
                + "dport=5060 PERMANENT class=0 helper=sip");
        assertEquals(null, UnobservableKill.expectationGone(late, r.unobservableKills(), 20_000_000L), "not with the kill");
    }
}
