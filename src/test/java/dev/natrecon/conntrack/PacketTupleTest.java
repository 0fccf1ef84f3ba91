package dev.natrecon.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.natrecon.decode.Addresses;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A packet's tuple looked up by its fields ({@link TupleIndex#getPorts}, {@link ConntrackModel#packetTuple}) finds
 * what the lookup of a made tuple finds, in the same direction, and the remembered answer never outlives a change of
 * the table (an entry that expired or was killed in between is not found).
 */
class PacketTupleTest {
    static final long S = 1_000_000_000L;
    static final NatRule MASQ = NatRule.masquerade("203.0.113.2", "192.168.1.0/24");

    @Test
    void lookupByFieldsFindsWhatTheTupleFinds() {
        Random r = new Random(18);
        TupleIndex index = new TupleIndex();
        List<ConntrackTuple> present = new ArrayList<>();
        int[] edgePorts = {0, 1, 5060, 32767, 32768, 65535};
        for (int i = 0; i < 3000; i++) {
            int protocol = r.nextBoolean() ? ConntrackTuple.UDP : ConntrackTuple.TCP;
            boolean v6 = r.nextInt(5) == 0;
            long sHi = v6 ? r.nextLong() : 0, sLo = v6 ? r.nextLong() : Addresses.v4(r.nextInt());
            long dHi = v6 ? r.nextLong() : 0, dLo = v6 ? r.nextLong() : Addresses.v4(r.nextInt());
            int sp = r.nextInt(4) == 0 ? edgePorts[r.nextInt(edgePorts.length)] : r.nextInt(65536);
            int dp = r.nextInt(4) == 0 ? edgePorts[r.nextInt(edgePorts.length)] : r.nextInt(65536);
            ConntrackTuple t = ConntrackTuple.ports(protocol, sHi, sLo, dHi, dLo, sp, dp);
            ConntrackTuple reply = ConntrackTuple.ports(protocol, dHi, dLo, Addresses.v4(0xcb007102), dLo ^ 1, dp, sp);
            ConntrackEntry e = new ConntrackEntry(i + 1, t, reply, 0, FrameRef.NONE);
            index.add(e);
            present.add(t);
            present.add(reply);
        }
        for (ConntrackTuple t : present) {
            ConntrackEntry want = index.get(t);
            int dir = index.lastDirection();
            ConntrackEntry got = index.getPorts(t.srcHi(), t.srcLo(), t.dstHi(), t.dstLo(),
                    (long) t.protocol() << 32 | (long) t.srcPort() << 16 | t.dstPort());
            assertSame(want, got, t.text());
            assertEquals(dir, index.lastDirection(), t.text());
            // the other protocol with the same addresses and ports is another tuple
            int other = t.protocol() == ConntrackTuple.UDP ? ConntrackTuple.TCP : ConntrackTuple.UDP;
            ConntrackTuple o = ConntrackTuple.ports(other, t.srcHi(), t.srcLo(), t.dstHi(), t.dstLo(), t.srcPort(),
                    t.dstPort());
            assertSame(index.get(o), index.getPorts(o.srcHi(), o.srcLo(), o.dstHi(), o.dstLo(),
                    (long) other << 32 | (long) o.srcPort() << 16 | o.dstPort()), o.text());
        }
    }

    @Test
    void thePacketsTupleIsTheLiveEntrysOwnAndItsLookupEndsWithTheEntry() {
        Recorder rec = new Recorder();
        ConntrackModel model = new ConntrackModel(Timeouts.linux6(), List.of(MASQ));
        ConntrackTuple out = ConntrackTuple.of(ConntrackTuple.UDP, "192.168.1.10", 5060, "198.51.100.7", 5060);
        model.onPacket(1 * S, new FrameRef("lan", 1), out, 0, 100, -1, rec);
        ConntrackEntry e = model.find(out);
        // the same fields again: the entry's own original tuple, and the model's find answers with the entry
        ConntrackTuple again = packetTuple(model, out);
        assertSame(e.original(), again);
        assertSame(e, model.find(again));
        // the reply's fields: the entry's reply tuple
        ConntrackTuple back = packetTuple(model, e.reply());
        assertSame(e.reply(), back);
        assertSame(e, model.find(back));
        // unknown fields: a new tuple, equal to the made one, found nowhere
        ConntrackTuple other = ConntrackTuple.of(ConntrackTuple.UDP, "192.168.1.11", 5060, "198.51.100.7", 5060);
        ConntrackTuple made = packetTuple(model, other);
        assertEquals(other, made);
        assertNotSame(other, made);
        assertNull(model.find(made));
        // looked up, then the entry expires before the packet is tracked: the remembered answer is not used
        ConntrackTuple late = packetTuple(model, out);
        assertSame(e, model.find(late));
        model.advanceTo(1000 * S, rec);
        assertNull(model.find(late));
        assertEquals(Verdict.NEW, model.onPacket(1000 * S, new FrameRef("lan", 2), late, 0, 100, -1, rec));
        assertNotSame(e, model.find(late));
        // ICMP and ports out of range take the made tuple's way, with the same answers
        ConntrackTuple ping = ConntrackTuple.icmp(ConntrackTuple.ICMP, 0, Addresses.v4(0xc0a8010a), 0,
                Addresses.v4(0xc6336407), 8, 0, 77);
        model.onPacket(1001 * S, new FrameRef("lan", 3), ping, 0, 84, -1, rec);
        ConntrackTuple pingAgain = model.packetTuple(ConntrackTuple.ICMP, ping.srcHi(), ping.srcLo(), ping.dstHi(),
                ping.dstLo(), -1, -1, 8, 0, 77);
        assertEquals(ping, pingAgain);
        assertSame(model.find(ping), model.find(pingAgain));
        ConntrackTuple odd = model.packetTuple(ConntrackTuple.UDP, 0, 1, 0, 2, -1, 70000, -1, -1, -1);
        assertEquals(Arrival.tuple(ConntrackTuple.UDP, 0, 1, 0, 2, -1, 70000, -1, -1, -1), odd);
    }

    private static ConntrackTuple packetTuple(ConntrackModel model, ConntrackTuple t) {
        return model.packetTuple(t.protocol(), t.srcHi(), t.srcLo(), t.dstHi(), t.dstLo(), t.srcPort(), t.dstPort(),
                t.icmpType(), t.icmpCode(), t.icmpId());
    }
}
