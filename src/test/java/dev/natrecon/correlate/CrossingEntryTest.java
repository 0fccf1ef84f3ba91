package dev.natrecon.correlate;

import static dev.natrecon.correlate.CrossingClassifierTest.PHONE;
import static dev.natrecon.correlate.CrossingClassifierTest.REMOTE;
import static dev.natrecon.correlate.CrossingClassifierTest.ROUTER_WAN;
import static dev.natrecon.correlate.CrossingClassifierTest.copy;
import static dev.natrecon.correlate.CrossingClassifierTest.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.natrecon.conntrack.ConntrackEntry;
import dev.natrecon.conntrack.ConntrackModel;
import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.conntrack.EventSink;
import dev.natrecon.conntrack.FrameRef;
import dev.natrecon.conntrack.NatRule;
import dev.natrecon.conntrack.Timeouts;
import dev.natrecon.conntrack.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The crossing's view of the model's entry: the arriving copy's entry after the packet, a leaving copy's the entry its
 * arriving copy was tracked under (found by its own tuple reversed), with the timeout in force the model set; none
 * without the model's table.
 */
class CrossingEntryTest {
    static final long S = 1_000_000_000L;
    final CrossingClassifier classifier = new CrossingClassifier(Inside.privateRanges(), List.of("192.168.1.1"),
            List.of(ROUTER_WAN));
    final ConntrackModel model = new ConntrackModel(Timeouts.linux6(),
            List.of(NatRule.masquerade(ROUTER_WAN, "192.168.1.0/24")));
    final Crossing c = new Crossing();

    @Test
    void bothCopiesSeeTheModelsEntryAndItsTimeoutInForce() {
        ConntrackTuple out = ConntrackTuple.of(17, PHONE, 5060, REMOTE, 5060);
        Verdict v = model.onPacket(0, new FrameRef("lan", 1), out, 0, 100, -1, EventSink.IGNORE);
        Seen lan = copy(frame(Side.LAN, PHONE, 5060, REMOTE, 5060), ROUTER_WAN, 5060, REMOTE, 5060, 1_000);
        classifier.classify(lan, c);
        c.modelled(v, out, model::find, null, null, null);
        ConntrackEntry e = model.find(out);
        assertNotNull(e);
        assertSame(e, c.entry());
        assertEquals(Timeouts.Key.UDP, c.timeoutSetting());
        assertEquals(30, c.timeoutInForce());

        // the answer three seconds later: arrives on the WAN (the model takes it), leaves on the LAN
        model.onPacket(3 * S, new FrameRef("wan", 2), ConntrackTuple.of(17, REMOTE, 5060, ROUTER_WAN, 5060), 0, 100, -1,
                EventSink.IGNORE);
        model.onPacket(3 * S + 1, new FrameRef("lan", 3), out, 0, 100, -1, EventSink.IGNORE); // now stream
        Seen back = copy(frame(Side.LAN, REMOTE, 5060, PHONE, 5060), REMOTE, 5060, ROUTER_WAN, 5060, -1_000);
        back.nanos = 3 * S;
        classifier.classify(back, c);
        assertEquals(Crossing.Role.LEAVING, c.role());
        c.readTable(model::find);
        assertSame(e, c.entry(), "the leaving copy's entry, found by its own tuple reversed");
        assertEquals(Timeouts.Key.UDP_STREAM, c.timeoutSetting());
        assertEquals(120, c.timeoutInForce());
    }

    @Test
    void withoutTheModelsTableThereIsNoEntry() {
        classifier.classify(copy(frame(Side.LAN, REMOTE, 5060, PHONE, 5060), REMOTE, 5060, ROUTER_WAN, 5060, -1_000), c);
        assertNull(c.entry());
        assertNull(c.timeoutSetting());
        assertEquals(-1, c.timeoutInForce());
    }
}
