package dev.natrecon.correlate;

import static dev.natrecon.correlate.CrossingClassifierTest.PHONE;
import static dev.natrecon.correlate.CrossingClassifierTest.REMOTE;
import static dev.natrecon.correlate.CrossingClassifierTest.ROUTER_WAN;
import static dev.natrecon.correlate.CrossingClassifierTest.copy;
import static dev.natrecon.correlate.CrossingClassifierTest.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.conntrack.ConntrackModel;
import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.conntrack.EventSink;
import dev.natrecon.conntrack.FrameRef;
import dev.natrecon.conntrack.NatRule;
import dev.natrecon.conntrack.Timeouts;
import dev.natrecon.conntrack.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ended lifetimes retire once more than the table's bound are held: the held ones then follow the live flows, and
 * {@link BindingTable#bindings()} still lists every lifetime, in order, with the values it had.
 */
class BindingRetirementTest {
    static final long S = 1_000_000_000L;

    /** {@code flows} one-datagram flows from the phone's ports 10000 up, one a second, into a model (udp 30 s). */
    static BindingTable run(int flows, int retireAbove, int[] peakHeld) {
        CrossingClassifier classifier = new CrossingClassifier(Inside.privateRanges(), List.of("192.168.1.1"),
                List.of(ROUTER_WAN));
        ConntrackModel model = new ConntrackModel(Timeouts.linux6(),
                List.of(NatRule.masquerade(ROUTER_WAN, "192.168.1.0/24")));
        BindingTable table = new BindingTable(BindingTable.MAX_BINDINGS, retireAbove);
        EventSink events = table::conntrack;
        Crossing c = new Crossing();
        for (int i = 0; i < flows; i++) {
            long nanos = i * S;
            int port = 10_000 + i;
            ConntrackTuple t = ConntrackTuple.of(17, PHONE, port, REMOTE, 5060);
            Verdict v = model.onPacket(nanos, new FrameRef("lan", i + 1), t, 0, 100, port, events);
            Seen s = frame(Side.LAN, PHONE, port, REMOTE, 5060);
            s.frame = i + 1;
            s.nanos = nanos;
            s.key = i + 1;
            s.length = 100;
            copy(s, ROUTER_WAN, port, REMOTE, 5060, 1_000);
            classifier.classify(s, c);
            c.modelled(v, t, model::find, null, null, null);
            table.add(c);
            peakHeld[0] = Math.max(peakHeld[0], table.held());
        }
        return table;
    }

    static List<String> describe(List<Binding> bindings) {
        List<String> out = new ArrayList<>();
        for (Binding b : bindings) {
            out.add(b.id + " " + b.lifetime + " " + b.protocolName() + " " + b.internal() + " " + b.external() + " "
                    + b.remote() + " " + b.firstNanos + "-" + b.lastNanos + " " + b.firstLanFrame + "/"
                    + b.firstWanFrame + " " + b.packets(Side.LAN, 0) + "/" + b.bytes(Side.LAN, 0) + " "
                    + b.packets(Side.WAN, 0) + "/" + b.bytes(Side.WAN, 0) + " entry " + b.entry() + " "
                    + b.externalSeen() + " " + b.ending() + " " + b.endNanos() + " " + b.endFrame() + " '"
                    + b.endDetail() + "'");
        }
        return out;
    }

    @Test
    void endedLifetimesRetireAndAreStillListedWithTheirValues() {
        int[] keptPeak = {0}, retiringPeak = {0};
        BindingTable kept = run(400, BindingTable.RETIRE_ABOVE, keptPeak);
        BindingTable retiring = run(400, 40, retiringPeak);
        assertEquals(400, keptPeak[0], "below the bound nothing retires");
        assertEquals(0, kept.retired());
        assertTrue(retiring.retired() > 300, "retired: " + retiring.retired());
        assertTrue(retiringPeak[0] <= 41, "held follows the ~31 live flows: " + retiringPeak[0]);
        assertEquals(describe(kept.bindings()), describe(retiring.bindings()));
        assertTrue(kept.bindings().get(0).ended(), "the first flow expired (udp_timeout 30 s)");
    }

    @Test
    void aRetiredLifetimeReadsBackEveryField() {
        Binding b = new Binding(7, 3, 17, 1L << 40, -5L, 5060, 0, 0xFFFF_CB00_7102L, 1024, 3, 4, 65535);
        b.firstNanos = -1_700_000_000_123_456_789L;
        b.lastNanos = Long.MAX_VALUE;
        b.firstLanFrame = 123_456_789_012L;
        b.firstWanFrame = 9;
        b.count(Side.WAN, 1, 1500, 5, 10);
        b.count(Side.LAN, 0, 60, 6, 11);
        b.entry = 42;
        b.externalSeen = true;
        b.end(77, Ending.KILLED, "early drop: réseau plein", 99);
        RetiredBindings r = new RetiredBindings();
        r.put(Binding.of(1, 6, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        r.put(b);
        Binding back = r.get(7);
        assertNotSame(b, back);
        assertEquals(describe(List.of(b)), describe(List.of(back)));
        assertEquals(b.packets(Side.WAN, 1), back.packets(Side.WAN, 1));
        assertEquals(b.bytes(Side.WAN, 1), back.bytes(Side.WAN, 1));
        assertEquals("1 1 tcp", describe(List.of(r.get(1))).get(0).substring(0, 7));
        assertEquals(2, r.size());
    }
}
