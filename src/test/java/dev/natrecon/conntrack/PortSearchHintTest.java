package dev.natrecon.conntrack;

import static dev.natrecon.conntrack.Packets.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The port search's hints ({@link ConntrackTable#firstFree}): the same port, and the same {@code found} hits
 * (nf_conntrack_tuple_taken), as asking {@link ConntrackTable#taken} for every port in turn, while entries come and
 * go: phones behind one MASQUERADE address all sending from port 5060 to one server's 5060, so every flow after the
 * first searches the 1024–65535 range and entries expire (UDP's 30 s unreplied, 120 s replied) below the hints.
 */
class PortSearchHintTest {
    static final long S = 1_000_000_000L;
    static final String SERVER = "198.51.100.10", ROUTER = "203.0.113.2";
    /** The translated tuple the searches are for, with its source port left out. */
    static final ConntrackTuple BASE = ConntrackTuple.of(ConntrackTuple.UDP, ROUTER, 0, SERVER, 5060);

    final ConntrackModel model = new ConntrackModel(Timeouts.linux6(), List.of(NatRule.masquerade(ROUTER, "10.0.0.0/8")));
    final ConntrackTable table = model.table();
    final Recorder rec = new Recorder();

    @Test
    void aHintedSearchFindsWhatAWalkOfEveryPortFindsAndCountsTheSameHits() {
        Random random = new Random(18);
        long t = 0;
        int searchedAt = 0, freedBelow = 0, last = -1;
        for (int i = 0; i < 4_000; i++) {
            t += random.nextInt(40) * S / 1000 + (random.nextInt(100) == 0 ? 31 * S : 0);
            String phone = "10.0." + (i / 250) + "." + (i % 250 + 1);
            model.onPacket(udp(t, "lan", phone, 5060, SERVER, 5060, 40), rec);
            ConntrackEntry e = model.find(ConntrackTuple.of(ConntrackTuple.UDP, phone, 5060, SERVER, 5060));
            if (e != null && random.nextInt(3) == 0) {
                // answered: lives 120 s after a second packet instead of 30 s
                model.onPacket(udp(t, "wan", SERVER, 5060, ROUTER, e.reply.dstPort(), 40), rec);
            }
            rec.events.clear();
            if (i % 7 != 0) continue;
            long f0 = model.stats().found();
            int hinted = table.firstFree(BASE, 1024, 65535);
            long f1 = model.stats().found();
            int walked = walk(table, BASE, 1024, 65535);
            long f2 = model.stats().found();
            assertEquals(walked, hinted, "first free port after flow " + i);
            assertEquals(f2 - f1, f1 - f0, "found hits after flow " + i);
            if (hinted > 1024) searchedAt++;
            if (last >= 0 && hinted < last) freedBelow++;
            last = hinted;
        }
        // the cases that make the hints matter happened: searches past many taken ports, and ports freed below a hint
        assertTrue(searchedAt > 100, "searches past taken ports: " + searchedAt);
        assertTrue(freedBelow > 10, "ports freed below a hint: " + freedBelow);
    }

    @Test
    void aFullRangeIsAnsweredFromTheHintAndAFreedPortIsFoundAgain() {
        // 50 phones fill 1030..1079 (sport 1030+k each keeps its port), then the search range 1030..1079 is full
        for (int k = 0; k < 50; k++) {
            model.onPacket(udp(0, "lan", "10.0.1." + (k + 1), 1030 + k, SERVER, 5060, 40), rec);
        }
        long f0 = model.stats().found();
        assertEquals(-1, table.firstFree(BASE, 1030, 1079));
        assertEquals(50, model.stats().found() - f0, "one found hit per taken port");
        long f1 = model.stats().found();
        assertEquals(-1, table.firstFree(BASE, 1030, 1079), "from the hint");
        assertEquals(50, model.stats().found() - f1, "the same hits counted from the hint");
        assertEquals(1080, table.firstFree(BASE, 1030, 1080));
        // every entry expires after 30 s unreplied: the first packet after that frees them all, 1030 is free again
        model.onPacket(udp(31 * S, "lan", "10.0.2.1", 2000, SERVER, 5060, 40), rec);
        rec.events.clear();
        assertEquals(1030, table.firstFree(BASE, 1030, 1079));
    }

    /** What the search did before the hints: every port in turn. */
    private static int walk(ConntrackTable table, ConntrackTuple base, int from, int to) {
        for (int p = from; p <= to; p++) {
            if (!table.taken(base.withSource(base.srcHi(), base.srcLo(), p))) return p;
        }
        return -1;
    }
}
