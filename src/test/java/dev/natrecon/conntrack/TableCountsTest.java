package dev.natrecon.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The counts the table keeps as entries come, gain status bits and go equal a walk over the live entries after every
 * step: UDP, TCP and ICMP entries created, answered, assured, expired and killed by a RST.
 */
class TableCountsTest {
    static final long MS = 1_000_000L;
    static final int SYN = 0x02, ACK = 0x10, RST = 0x04;

    @Test
    void countsEqualAWalkOfTheLiveEntriesAfterEveryStep() {
        Timeouts timeouts = Timeouts.linux6();
        ConntrackModel model = new ConntrackModel(timeouts, List.of(NatRule.masquerade("203.0.113.2", "192.168.1.0/24")));
        Random random = new Random(14);
        long t = 0;
        int steps = 0, sawAssured = 0, sawUnreplied = 0, sawShrink = 0, last = 0;
        for (int i = 0; i < 4000; i++) {
            t += random.nextInt(900) * MS;
            int port = 40000 + random.nextInt(60);
            int kind = random.nextInt(6);
            int proto = kind < 3 ? ConntrackTuple.UDP : kind < 5 ? ConntrackTuple.TCP : ConntrackTuple.ICMP;
            boolean reply = random.nextBoolean();
            int flags = proto != ConntrackTuple.TCP ? 0 : reply ? (random.nextInt(8) == 0 ? RST : SYN | ACK)
                    : random.nextBoolean() ? SYN : ACK;
            ConntrackTuple tuple = proto == ConntrackTuple.ICMP
                    ? (reply ? ConntrackTuple.icmp(1, 0, v4("203.0.113.5"), 0, v4("203.0.113.2"), 0, 0, port)
                            : ConntrackTuple.icmp(1, 0, v4("192.168.1.10"), 0, v4("203.0.113.5"), 8, 0, port))
                    : reply ? ConntrackTuple.of(proto, "203.0.113.5", 5060, "203.0.113.2", port)
                    : ConntrackTuple.of(proto, "192.168.1.10", port, "203.0.113.5", 5060);
            model.onPacket(t, new FrameRef(reply ? "wan" : "lan", i + 1), tuple, flags, 100, -1, EventSink.IGNORE);
            model.advanceTo(t, EventSink.IGNORE);
            TableCounts c = model.counts();
            int entries = 0, unreplied = 0, assured = 0;
            int[] byClass = new int[4];
            for (ConntrackEntry e : model.entries()) {
                entries++;
                byClass[TableCounts.protocolClass(e.original().protocol())]++;
                if (!e.has(Status.SEEN_REPLY)) unreplied++;
                if (e.has(Status.ASSURED)) assured++;
            }
            assertEquals(entries, c.entries(), "entries after step " + i);
            for (int k = 0; k < 4; k++) assertEquals(byClass[k], c.of(k), "class " + k + " after step " + i);
            assertEquals(unreplied, c.unreplied(), "unreplied after step " + i);
            assertEquals(assured, c.assured(), "assured after step " + i);
            steps++;
            if (assured > 0) sawAssured++;
            if (unreplied > 0) sawUnreplied++;
            if (entries < last) sawShrink++;
            last = entries;
        }
        // the walk covered what it is meant to: assured and unreplied entries, and entries leaving the table
        assertEquals(4000, steps);
        org.junit.jupiter.api.Assertions.assertTrue(sawAssured > 0 && sawUnreplied > 0 && sawShrink > 0,
                "assured " + sawAssured + ", unreplied " + sawUnreplied + ", shrinking " + sawShrink);
    }


    private static long v4(String dotted) {
        String[] p = dotted.split("\\.");
        return dev.natrecon.decode.Addresses.v4((Integer.parseInt(p[0]) << 24) | (Integer.parseInt(p[1]) << 16)
                | (Integer.parseInt(p[2]) << 8) | Integer.parseInt(p[3]));
    }
}
