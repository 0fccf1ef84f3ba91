package dev.natrecon.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A packet's tuple asked through its flow ({@link ConntrackModel#packetTuple(FlowAnswer, int, long, long, long, long,
 * int, int, int, int, int)}) answers what the lookup by its fields answers, whatever happened to the table in between:
 * an entry that died and a new one on the same tuple, a flush, a NAT revealed (the reply tuple re-keyed), an answer
 * forgotten or kept by another table. A stale per-flow answer would name the dead entry, or none where there is one.
 */
class FlowAnswerTest {
    static final long S = 1_000_000_000L;
    static final NatRule MASQ = NatRule.masquerade("203.0.113.2", "192.168.1.0/24");
    static final ConntrackTuple OUT = ConntrackTuple.of(ConntrackTuple.UDP, "192.168.1.10", 4000, "198.51.100.7", 5004);
    /** One object per flow (the engine's records), by the engine's flow number. */
    private final java.util.Map<Long, FlowAnswer> flows = new java.util.HashMap<>();
    private final FlowAnswer OUT_FLOW = flow(0, 1);

    @Test
    void anEntryThatDiesAndANewOneOnTheSameTuple() {
        Recorder rec = new Recorder();
        ConntrackModel model = new ConntrackModel(Timeouts.linux6(), List.of(MASQ));
        assertAgrees(model, OUT_FLOW, OUT, null);
        model.onPacket(1 * S, new FrameRef("lan", 1), byFlow(model, OUT_FLOW, OUT), 0, 100, -1, rec);
        ConntrackEntry first = model.find(OUT);
        assertNotNull(first);
        assertAgrees(model, OUT_FLOW, OUT, first);
        assertAgrees(model, OUT_FLOW, OUT, first); // the kept answer
        model.advanceTo(1000 * S, rec); // expired
        assertAgrees(model, OUT_FLOW, OUT, null);
        model.onPacket(1000 * S, new FrameRef("lan", 2), byFlow(model, OUT_FLOW, OUT), 0, 100, -1, rec);
        ConntrackEntry second = model.find(OUT);
        assertNotSame(first, second);
        assertAgrees(model, OUT_FLOW, OUT, second);
        // the reply's flow (the WAN file's number for the reply's fields) finds the same entry in the reply direction
        FlowAnswer replyFlow = flow(1, 1);
        assertSame(second.reply(), byFlow(model, replyFlow, second.reply()));
        assertSame(second, model.find(byFlow(model, replyFlow, second.reply())));
    }

    @Test
    void aFlushAndANewEntryAfterIt() {
        Recorder rec = new Recorder();
        ConntrackModel model = new ConntrackModel(Timeouts.linux6(), List.of(MASQ));
        List<ConntrackTuple> tuples = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ConntrackTuple t = ConntrackTuple.of(ConntrackTuple.UDP, "192.168.1.10", 4000 + 2 * i, "198.51.100.7",
                    5004);
            tuples.add(t);
            model.onPacket(1 * S, new FrameRef("lan", i + 1), byFlow(model, flow(0, i + 1), t), 0, 100, -1, rec);
        }
        for (int i = 0; i < tuples.size(); i++) {
            assertAgrees(model, flow(0, i + 1), tuples.get(i), model.find(tuples.get(i)));
        }
        int deleted = model.onUserspaceDelete(2 * S, t -> true, "conntrack -F", rec);
        assertEquals(20, deleted);
        for (int i = 0; i < tuples.size(); i++) assertAgrees(model, flow(0, i + 1), tuples.get(i), null);
        model.onPacket(3 * S, new FrameRef("lan", 30), byFlow(model, flow(0, 5), tuples.get(4)), 0, 100, -1, rec);
        assertAgrees(model, flow(0, 5), tuples.get(4), model.find(tuples.get(4)));
        assertNotNull(model.find(tuples.get(4)));
        assertAgrees(model, flow(0, 6), tuples.get(5), null);
    }

    @Test
    void aNatRevealedReKeysTheReply() {
        Interfaces ifs = Interfaces.of("lan0", "wan0").address("lan0", "192.168.1.1/24")
                .address("wan0", "203.0.113.2/24");
        ConntrackModel model = new ConntrackModel(Timeouts.linux6(), List.of(MASQ), t -> null, ifs);
        Recorder rec = new Recorder();
        model.addUplink("uncaptured", UnknownNat.ADDRESS + "/32");
        ConntrackTuple out = ConntrackTuple.of(17, "192.168.1.10", 5060, "198.18.0.5", 5060);
        model.onPacket(1 * S, new FrameRef("lan", 1), byFlow(model, OUT_FLOW, out), 0, 100, -1, rec);
        ConntrackEntry e = model.find(out);
        assertTrue(UnknownNat.is(e.reply()), e.reply().text());
        ConntrackTuple before = e.reply();
        FlowAnswer oldReplyFlow = flow(1, 1), newReplyFlow = flow(1, 2);
        assertAgrees(model, oldReplyFlow, before, e);
        long[] a = ConntrackTuple.address("198.51.100.2");
        model.revealNat(e, a[0], a[1], 5060);
        ConntrackTuple after = e.reply();
        assertNotSame(before, after);
        assertAgrees(model, oldReplyFlow, before, null); // the stand-in's tuple is nobody's any more
        assertAgrees(model, newReplyFlow, after, e);
        assertAgrees(model, OUT_FLOW, out, e);
    }

    @Test
    void anAnswerForgottenOrKeptByAnotherTableIsNotGiven() {
        Recorder rec = new Recorder();
        ConntrackModel model = new ConntrackModel(Timeouts.linux6(), List.of(MASQ));
        ConntrackModel other = new ConntrackModel(Timeouts.linux6(), List.of(MASQ));
        model.onPacket(1 * S, new FrameRef("lan", 1), byFlow(model, OUT_FLOW, OUT), 0, 100, -1, rec);
        ConntrackEntry e = model.find(OUT);
        assertNull(model.keptTuple(OUT_FLOW), "the entry's confirmation changed the index");
        assertSame(e.original(), byFlow(model, OUT_FLOW, OUT));
        assertSame(e.original(), model.keptTuple(OUT_FLOW), "kept");
        assertNull(other.keptTuple(OUT_FLOW), "another table at the same version");
        assertAgrees(other, OUT_FLOW, OUT, null);
        assertNull(model.keptTuple(OUT_FLOW), "the other table asked last: kept for it");
        assertAgrees(model, OUT_FLOW, OUT, e);
        OUT_FLOW.forgetAnswer(); // the object stands for another tuple now
        assertNull(model.keptTuple(OUT_FLOW));
        ConntrackTuple t = ConntrackTuple.of(ConntrackTuple.UDP, "192.168.1.11", 4000, "198.51.100.7", 5004);
        assertAgrees(model, OUT_FLOW, t, null);
    }

    /**
     * The flow's answer (looked up twice: the second from the kept answer when nothing changed) is the fields' answer:
     * the same tuple object (the entry's own when one holds it), the same entry ({@code want}) and direction.
     */
    private static void assertAgrees(ConntrackModel model, FlowAnswer flow, ConntrackTuple t, ConntrackEntry want) {
        for (int round = 0; round < 2; round++) {
            ConntrackTuple byFlow = byFlow(model, flow, t);
            ConntrackEntry found = model.find(byFlow);
            ConntrackTuple byFields = model.packetTuple(t.protocol(), t.srcHi(), t.srcLo(), t.dstHi(), t.dstLo(),
                    t.srcPort(), t.dstPort(), t.icmpType(), t.icmpCode(), t.icmpId());
            assertEquals(t, byFlow, t.text());
            // what the replay asks first: the kept tuple, which is the same or nothing (after a change of the table)
            ConntrackTuple kept = model.keptTuple(flow);
            assertTrue(kept == null || kept == byFlow, t.text());
            if (kept != null) assertSame(want, model.find(kept), t.text());
            assertSame(want, found, t.text());
            assertSame(want, model.find(byFields), t.text());
            if (want == null) {
                assertNull(found);
            } else {
                assertSame(byFields, byFlow, "the entry's own tuple: " + t.text());
                assertSame(want.original().equals(t) ? want.original() : want.reply(), byFlow, t.text());
            }
        }
    }

    /** The object of file {@code file}'s {@code n}-th flow (by correlate.FlowId's number, not imported here). */
    private FlowAnswer flow(int file, long n) {
        return flows.computeIfAbsent((long) (file + 1) << 48 | n, k -> new FlowAnswer());
    }

    private static ConntrackTuple byFlow(ConntrackModel model, FlowAnswer flow, ConntrackTuple t) {
        return model.packetTuple(flow, t.protocol(), t.srcHi(), t.srcLo(), t.dstHi(), t.dstLo(), t.srcPort(),
                t.dstPort(), t.icmpType(), t.icmpCode(), t.icmpId());
    }
}
