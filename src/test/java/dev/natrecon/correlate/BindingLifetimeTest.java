package dev.natrecon.correlate;

import static dev.natrecon.correlate.CrossingClassifierTest.PHONE;
import static dev.natrecon.correlate.CrossingClassifierTest.REMOTE;
import static dev.natrecon.correlate.CrossingClassifierTest.ROUTER_WAN;
import static dev.natrecon.correlate.CrossingClassifierTest.copy;
import static dev.natrecon.correlate.CrossingClassifierTest.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.conntrack.ConntrackModel;
import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.conntrack.EventSink;
import dev.natrecon.conntrack.FrameRef;
import dev.natrecon.conntrack.Interfaces;
import dev.natrecon.conntrack.NatRule;
import dev.natrecon.conntrack.NatRuleset;
import dev.natrecon.conntrack.Timeouts;
import dev.natrecon.conntrack.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One row per lifetime of a binding: the phone 192.168.1.10:5060 talks to 198.51.100.7:5060 through a masquerading
 * router (203.0.113.2) whose model (linux-6 timeouts: udp_timeout 30 s) ends and re-creates the entry; each packet
 * goes to the model first, then to the binding table, as the replay does.
 */
class BindingLifetimeTest {
    static final long S = 1_000_000_000L;
    final CrossingClassifier classifier = new CrossingClassifier(Inside.privateRanges(), List.of("192.168.1.1"),
            List.of(ROUTER_WAN));
    ConntrackModel model = new ConntrackModel(Timeouts.linux6(),
            List.of(NatRule.masquerade(ROUTER_WAN, "192.168.1.0/24")));
    final BindingTable table = new BindingTable();
    final EventSink events = table::conntrack;
    final Crossing c = new Crossing();
    long frames;

    /** The phone's packet at {@code nanos}; its WAN copy leaves from {@code natPort} (none when negative). */
    void phone(long nanos, int natPort) {
        ConntrackTuple t = ConntrackTuple.of(17, PHONE, 5060, REMOTE, 5060);
        long f = ++frames;
        Verdict v = model.onPacket(nanos, new FrameRef("lan", f), t, 0, 100, natPort, events);
        Seen s = seen(frame(Side.LAN, PHONE, 5060, REMOTE, 5060), f, nanos);
        if (natPort >= 0) copy(s, ROUTER_WAN, natPort, REMOTE, 5060, 1_000);
        classifier.classify(s, c);
        c.modelled(v, t, model::find, null, null, null);
        table.add(c);
    }

    /** The remote's packet to the router's {@code port} on the WAN that the router did not forward. */
    void remoteUnanswered(long nanos, int port) {
        ConntrackTuple t = ConntrackTuple.of(17, REMOTE, 5060, ROUTER_WAN, port);
        long f = ++frames;
        Verdict v = model.onPacket(nanos, new FrameRef("wan", f), t, 0, 100, -1, events);
        Seen s = seen(frame(Side.WAN, REMOTE, 5060, ROUTER_WAN, port), f, nanos);
        classifier.classify(s, c);
        c.modelled(v, t, model::find, null, null, null);
        table.add(c);
    }

    static Seen seen(Seen s, long f, long nanos) {
        s.frame = f;
        s.nanos = nanos;
        s.key = f;
        s.length = 100;
        return s;
    }

    @Test
    void anExpiredEntryAndItsSuccessorAreTwoLifetimesEachWithItsEnd() {
        phone(0, 5060);
        phone(10 * S, 5060);
        phone(45 * S, 5060); // udp_timeout 30 s after the last packet: the entry died at 40 s, this one makes another
        List<Binding> rows = table.bindings();
        assertEquals(2, rows.size());
        Binding first = rows.get(0), second = rows.get(1);
        assertEquals(1, first.lifetime);
        assertEquals(Ending.EXPIRED, first.ending());
        assertEquals(40 * S, first.endNanos(), "the model's deadline: the last refresh plus udp_timeout");
        assertEquals(0, first.endFrame(), "no packet ended it");
        assertEquals(2, first.packets(Side.LAN, 0));
        assertEquals(2, second.lifetime);
        assertEquals(first.internal(), second.internal());
        assertEquals(first.remote(), second.remote());
        assertEquals("203.0.113.2:5060", second.external(), "the kernel keeps the free port: same external");
        assertTrue(second.entry() != 0 && second.entry() != first.entry(), "another entry of the model");
        assertEquals(Ending.ALIVE, second.ending());
        assertEquals(45 * S, second.firstNanos);
        assertEquals(1, second.packets(Side.LAN, 0));
    }

    @Test
    void aNewExternalPortAfterTheExpiryIsTheNextLifetimesExternal() {
        phone(0, 5060);
        phone(45 * S, 2445);
        List<Binding> rows = table.bindings();
        assertEquals(2, rows.size());
        assertEquals("203.0.113.2:5060", rows.get(0).external());
        assertEquals(Ending.EXPIRED, rows.get(0).ending(), "the model's expiry, not the new port, ended it");
        assertEquals("203.0.113.2:2445", rows.get(1).external());
        assertEquals("address+port", rows.get(1).translation());
        assertTrue(rows.get(1).externalSeen());
    }

    @Test
    void anotherTranslationWhileTheModelsEntryLivesReplacesTheLifetime() {
        phone(0, 5060);
        phone(5 * S, 5060);
        phone(6 * S, 7000); // the WAN copy contradicts the live entry's NAT: the router made another entry
        List<Binding> rows = table.bindings();
        assertEquals(2, rows.size());
        Binding old = rows.get(0);
        assertEquals(Ending.REPLACED, old.ending());
        assertEquals(6 * S, old.endNanos(), "at the latest when the replacement's first packet crossed");
        assertEquals(3, old.endFrame());
        assertEquals("by 203.0.113.2:7000", old.endDetail());
        assertEquals("203.0.113.2:7000", rows.get(1).external());
        assertEquals(Ending.ALIVE, rows.get(1).ending());
    }

    @Test
    void anUnansweredPacketToADeadMappingStaysOnTheLifetimeItWasSentTo() {
        phone(0, 5060);
        remoteUnanswered(45 * S, 5060); // the model makes an entry for it, which does not hold the phone
        assertEquals(1, table.bindings().size());
        Binding b = table.bindings().get(0);
        assertEquals(Ending.EXPIRED, b.ending());
        assertEquals(1, b.packets(Side.WAN, 1));
        phone(50 * S, 5060);
        assertEquals(2, table.bindings().size(), "the phone's next packet is the next lifetime");
    }

    @Test
    void aMasqueradeFlushEndsTheLifetimeAsFlushedWithTheKernelsReason() {
        model = new ConntrackModel(Timeouts.linux6(), NatRuleset.parse("table ip nat {\n\tchain postrouting {\n"
                + "\t\ttype nat hook postrouting priority srcnat; policy accept;\n\t\toifname \"wan0\" masquerade\n"
                + "\t}\n}\n"), Interfaces.of("lan0", "wan0").address("lan0", "192.168.1.1/24")
                .address("wan0", "203.0.113.2/24").address("wan0", "198.51.100.2/24"));
        phone(0, 5060);
        model.onLinkDown(2 * S, "wan0", events);
        model.onLinkUp(3 * S, "wan0", events);
        phone(4 * S, 5060);
        List<Binding> rows = table.bindings();
        assertEquals(2, rows.size());
        assertEquals(Ending.FLUSHED, rows.get(0).ending());
        assertEquals(2 * S, rows.get(0).endNanos());
        assertEquals("masquerade: wan0 went down (nf_nat_masquerade.c:masq_device_event)", rows.get(0).endDetail());
        assertEquals(Ending.ALIVE, rows.get(1).ending());
    }

    @Test
    void withoutTheModelOnlyTheCapturesSplitLifetimes() {
        BindingTable bare = new BindingTable();
        for (int i = 0; i < 3; i++) {
            Seen s = seen(frame(Side.LAN, PHONE, 5060, REMOTE, 5060), i + 1, i * 50 * S);
            copy(s, ROUTER_WAN, i < 2 ? 5060 : 9000, REMOTE, 5060, 1_000);
            classifier.classify(s, c);
            bare.add(c);
        }
        assertEquals(2, bare.bindings().size(), "a gap alone proves no end; another port does");
        assertEquals(0, bare.bindings().get(0).entry());
        assertEquals(Ending.REPLACED, bare.bindings().get(0).ending());
        assertFalse(bare.bindings().get(1).ended());
    }

    @Test
    void lifetimesCountAgainstTheBindingsBound() {
        BindingTable one = new BindingTable(1);
        for (int i = 0; i < 3; i++) {
            Seen s = seen(frame(Side.LAN, PHONE, 5060, REMOTE, 5060), i + 1, i * S);
            copy(s, ROUTER_WAN, 5060 + i, REMOTE, 5060, 1_000);
            classifier.classify(s, c);
            one.add(c);
        }
        assertEquals(1, one.bindings().size(), "the bound holds: later translations stay on the row kept");
        assertEquals(3, one.bindings().get(0).packets(Side.LAN, 0));
    }
}
