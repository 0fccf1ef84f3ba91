package dev.natrecon.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A listing entry of a tuple the model flushed under an assumed rule: not observable, and only then. */
class AssumedRuleListingTest {
    private static final String KEPT = "ipv4     2 udp      17 118 src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060 "
            + "packets=5 bytes=1900 src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060 packets=2 bytes=729 [ASSURED] "
            + "mark=0 delta-time=9 helper=sip use=1";
    private static final String KEY = "udp src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060";
    private static final long KILL = 5_000_000_000L;
    private static final UnobservableKill.Kill ASSUMED = new UnobservableKill.Kill(KEY, KILL, true, "masquerade on wan0");

    private static EntryView remade(ConntrackTuple reply, int status, long timeout) {
        EntryView k = ConntrackText.entry(KEPT).view();
        return new EntryView(2, k.original(), reply, status, k.state(), timeout, k.helper(), 1, 388, 1, 396, 2);
    }

    private static KernelTableComparison.Result at(long nanos, List<EntryView> model) {
        return KernelTableComparison.compare(List.of(ConntrackText.entry(KEPT)), model, nanos, true, 2);
    }

    @Test
    void theKeptEntryAfterTheAssumedFlushIsNotObservable() {
        KernelTableComparison.Result none = AssumedRuleListing.reclassify(at(KILL + 1, List.of()), List.of(ASSUMED));
        assertEquals(1, none.unobservable(), none.toString());
        assertEquals(0, none.missing());
        assertFalse(none.agrees());
        assertTrue(none.agreesButUnobservable());
        assertTrue(none.entries().get(0).differences().get(0).startsWith("NOT OBSERVABLE from the captures"));
        assertTrue(none.entries().get(0).differences().get(0).contains("masquerade on wan0"));

        EntryView k = ConntrackText.entry(KEPT).view();
        KernelTableComparison.Result younger = AssumedRuleListing.reclassify(
                at(KILL + 1, List.of(remade(k.reply(), Status.CONFIRMED | Status.SEEN_REPLY, 3598))), List.of(ASSUMED));
        assertEquals(1, younger.unobservable(), younger.toString());
        assertTrue(younger.agreesButUnobservable());
    }

    @Test
    void anotherNatAnEarlierListingOrAKillOnNoAssumptionStaysCompared() {
        EntryView k = ConntrackText.entry(KEPT).view();
        ConntrackTuple otherNat = ConntrackTuple.of(17, "203.0.113.5", 5060, "203.0.113.9", 5060);
        KernelTableComparison.Result nat = AssumedRuleListing.reclassify(
                at(KILL + 1, List.of(remade(otherNat, k.status(), 118))), List.of(ASSUMED));
        assertEquals(1, nat.differs(), nat.toString());
        assertEquals(0, nat.unobservable());

        KernelTableComparison.Result before = AssumedRuleListing.reclassify(at(KILL - 1, List.of()), List.of(ASSUMED));
        assertEquals(1, before.missing(), before.toString());

        KernelTableComparison.Result seen = at(KILL + 1, List.of());
        assertSame(seen, AssumedRuleListing.reclassify(seen, List.of(new UnobservableKill.Kill(KEY, KILL))));
    }
}
