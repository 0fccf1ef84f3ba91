package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.conntrack.ConntrackEvent;
import dev.natrecon.conntrack.ConntrackModel;
import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.conntrack.FrameRef;
import dev.natrecon.conntrack.NatRule;
import dev.natrecon.conntrack.Timeouts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An operator's conntrack -D / -F from the case settings: the entries its filter selects, deleted within the window. */
class OperatorFlushTest {
    static final long S = 1_000_000_000L, T0 = 1_795_000_000L * S;
    static final ConntrackTuple SIP = ConntrackTuple.of(17, "192.168.1.10", 5060, "203.0.113.5", 5060);
    static final ConntrackTuple RTP = ConntrackTuple.of(17, "192.168.1.10", 40000, "203.0.113.5", 30000);

    static ConntrackModel twoEntries(List<ConntrackEvent> out) {
        ConntrackModel m = new ConntrackModel(Timeouts.linux6(), List.of(NatRule.masquerade("203.0.113.2", "192.168.1.0/24")));
        m.onPacket(T0, new FrameRef("lan", 1), SIP, 0, 400, -1, out::add);
        m.onPacket(T0 + S / 10, new FrameRef("lan", 2), RTP, 0, 200, -1, out::add);
        return m;
    }

    @Test
    void aDeleteKillsOnlyTheEntriesItsFilterSelectsWithinThePrecisionGiven() {
        List<ConntrackEvent> out = new ArrayList<>();
        ConntrackModel m = twoEntries(out);
        int n = OperatorFlush.apply(m, "conntrack -D -p udp --orig-src 192.168.1.10 --orig-port-src 5060 --orig-dst "
                + "203.0.113.5 --orig-port-dst 5060", T0 + 4 * S, S / 20, T0 + S / 10, out::add);
        assertEquals(1, n);
        assertEquals(1, m.entries().size());
        ConntrackEvent.EntryKilled k = (ConntrackEvent.EntryKilled) out.get(out.size() - 1);
        assertEquals(SIP, k.entry().original());
        assertEquals(T0 + 4 * S, k.nanos(), "at the instant the settings give");
        assertEquals(T0 + 4 * S - S / 20, k.inferred().earliestNanos());
        assertEquals(T0 + 4 * S + S / 20, k.inferred().latestNanos());
    }

    @Test
    void aFlushKillsEverythingAndAnotherFilterNothing() {
        List<ConntrackEvent> out = new ArrayList<>();
        assertEquals(2, OperatorFlush.apply(twoEntries(out), "conntrack -F", T0 + 4 * S, 0, Long.MIN_VALUE, out::add));
        assertEquals(0, OperatorFlush.apply(twoEntries(out), "conntrack -D -p tcp", T0 + 4 * S, 0, Long.MIN_VALUE, out::add));
        OperatorFlush.Filter f = OperatorFlush.Filter.parse("conntrack -D --orig-port-dst 30000");
        assertTrue(f.matches(RTP));
        assertFalse(f.matches(SIP));
    }
}
