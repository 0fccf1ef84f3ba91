package dev.natrecon.conntrack;

import static dev.natrecon.conntrack.Packets.ACK;
import static dev.natrecon.conntrack.Packets.SYN;
import static dev.natrecon.conntrack.Packets.tcp;
import static dev.natrecon.conntrack.Packets.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.natrecon.conntrack.ConntrackEvent.EntryKilled;
import dev.natrecon.conntrack.ConntrackEvent.PacketDropped;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * nf_conntrack_max (nf_conntrack_core.c:__nf_conntrack_alloc, early_drop): a full table evicts one non-ASSURED entry
 * (the model's choice: nearest its deadline) or drops the packet with the rate-limited kernel warning; the counters
 * and gauges follow ({@code conntrack -S}, {@code conntrack -C}).
 */
class TableLimitTest {
    static final long S = 1_000_000_000L, MS = 1_000_000L;
    static final NatRule MASQ = NatRule.masquerade("203.0.113.2", "192.168.1.0/24");
    static final String PHONE = "192.168.1.10", SERVER = "203.0.113.5", ROUTER = "203.0.113.2";

    final Recorder rec = new Recorder();
    ConntrackModel model = new ConntrackModel(Timeouts.linux6().with("nf_conntrack_max=3"), List.of(MASQ));

    @AfterEach
    void nothingLeftOver() {
        rec.none();
    }

    static String o(int sport) {
        return "src=192.168.1.10 dst=203.0.113.5 sport=" + sport + " dport=53";
    }

    static String r(int sport) {
        return "src=203.0.113.5 dst=203.0.113.2 sport=53 dport=" + sport;
    }

    Verdict query(long t, int sport) {
        return model.onPacket(udp(t, "lan", PHONE, sport, SERVER, 53, 40), rec);
    }

    @Test
    void fullTableEvictsTheUnassuredEntryNearestItsDeadline() {
        query(0, 1000);                 // deadline 30 s
        query(1 * S, 1001);             // deadline 31 s
        query(2 * S, 1002);             // deadline 32 s
        query(3 * S, 1000);             // refreshed: deadline 33 s, so 1001 is now nearest its end
        rec.events.clear();
        assertEquals(3, model.stats().count());
        assertEquals(Verdict.NEW, query(4 * S, 1003));
        List<ConntrackEvent> ev = rec.expect(
                "[DESTROY] ipv4     2 udp      17 27 " + o(1001) + " [UNREPLIED] " + r(1001),
                "    [NEW] ipv4     2 udp      17 30 " + o(1003) + " [UNREPLIED] " + r(1003));
        EntryKilled k = assertInstanceOf(EntryKilled.class, ev.get(0));
        assertEquals("early_drop", k.reason());
        assertEquals(4 * S, k.nanos());
        assertNull(model.find(ConntrackTuple.of(17, PHONE, 1001, SERVER, 53)));
        assertEquals(1, model.stats().earlyDrop());
        assertEquals(3, model.stats().count());
        assertEquals(3, model.stats().peak());
        assertEquals(2 * S, model.stats().peakNanos(), "first reached when the third entry was created");
        assertEquals(0, model.stats().drop());
    }

    @Test
    void assuredEntriesAreNeverEvictedAndTheNewPacketIsDropped() {
        model = new ConntrackModel(Timeouts.linux6().with("nf_conntrack_max=2"), List.of(MASQ));
        query(0, 1000);
        query(0, 1001);
        for (int port : new int[] {1000, 1001}) model.onPacket(udp(10 * MS, "wan", SERVER, 53, ROUTER, port, 80), rec);
        query(3 * S, 1000); // answered and used again after 2 s: ASSURED
        query(3 * S, 1001);
        rec.events.clear();
        assertEquals(Verdict.DROPPED, query(4 * S, 1002));
        PacketDropped d = assertInstanceOf(PacketDropped.class, rec.expect(
                "[DROPPED] ipv4     2 udp      17 " + o(1002) + " [UNREPLIED] src=203.0.113.5 dst=192.168.1.10 sport=53 dport=1002")
                .get(0));
        assertEquals("table full", d.reason());
        assertEquals("nf_conntrack: nf_conntrack: table full, dropping packet", d.kernelLog());
        assertNull(model.find(ConntrackTuple.of(17, PHONE, 1002, SERVER, 53)));
        assertEquals(1, model.stats().drop());
        assertEquals(0, model.stats().earlyDrop());
        assertEquals(2, model.stats().count());
        // existing entries keep working
        assertEquals(Verdict.ESTABLISHED, query(5 * S, 1000));
        // and once one expires there is room again (1001's stream deadline: 3 s + 120 s)
        assertEquals(Verdict.NEW, query(124 * S, 1002));
        rec.expect("[DESTROY] ipv4     2 udp      17 " + o(1001) + " " + r(1001) + " [ASSURED]",
                "    [NEW] ipv4     2 udp      17 30 " + o(1002) + " [UNREPLIED] " + r(1002));
        assertEquals(
                "cpu=0   \tfound=0 invalid=0 insert=0 insert_failed=0 drop=1 early_drop=0 error=0 search_restart=0 "
                        + "clash_resolve=0 chaintoolong=0 ",
                model.stats().conntrackS(0));
    }

    @Test
    void theWarningIsRateLimitedTenPerFiveSeconds() {
        model = new ConntrackModel(Timeouts.linux6().with("nf_conntrack_max=1"), List.of(MASQ));
        query(0, 1000);
        model.onPacket(udp(10 * MS, "wan", SERVER, 53, ROUTER, 1000, 80), rec);
        query(3 * S, 1000); // ASSURED: nothing can be evicted
        rec.events.clear();
        int logged = 0;
        for (int i = 0; i < 12; i++) { // 12 drops between 4.0 and 4.11 s
            query(4 * S + i * 10 * MS, 2000 + i);
            if (((PacketDropped) rec.events.remove(0)).kernelLog() != null) logged++;
        }
        assertEquals(10, logged);
        assertEquals(10, model.stats().tableFullLogged());
        assertEquals(2, model.stats().tableFullSuppressed());
        query(9 * S, 3000);  // 5 s after the window began: not yet "before jiffies"
        assertNull(((PacketDropped) rec.events.remove(0)).kernelLog());
        query(9 * S + 1, 3001); // more than 5 s later: a new window
        assertEquals(ConntrackModel.TABLE_FULL_LOG, ((PacketDropped) rec.events.remove(0)).kernelLog());
        assertEquals(14, model.stats().drop());
    }

    @Test
    void anInvalidPacketStillAllocatesAndCanEvictBeforeTheTrackerRefusesIt() {
        // __nf_conntrack_alloc runs before tcp_new: with tcp_loose=0 a stray ACK evicts an entry and is then invalid
        model = new ConntrackModel(Timeouts.linux6().with("nf_conntrack_max=1").with("nf_conntrack_tcp_loose=0"),
                List.of(MASQ));
        query(0, 1000);
        rec.events.clear();
        assertEquals(Verdict.INVALID, model.onPacket(tcp(S, "lan", PHONE, 40000, SERVER, 443, ACK, 0), rec));
        rec.expect("[DESTROY] ipv4     2 udp      17 29 " + o(1000) + " [UNREPLIED] " + r(1000));
        assertEquals(1, model.stats().earlyDrop());
        assertEquals(1, model.stats().invalid());
        assertEquals(0, model.stats().count());
        assertEquals(Verdict.NEW, model.onPacket(tcp(2 * S, "lan", PHONE, 40000, SERVER, 443, SYN, 0), rec));
        rec.events.clear();
    }

    @Test
    void limitComesFromTheSysctlDumpAndZeroMeansNone() {
        Timeouts t = Timeouts.linux6().withSysctlDump("net.netfilter.nf_conntrack_count = 0\n"
                + "net.netfilter.nf_conntrack_max = 2\n", "router.sysctl");
        assertEquals(2, t.conntrackMax());
        assertEquals("router.sysctl:2", t.source(Timeouts.Key.CONNTRACK_MAX));
        assertEquals(262144, Timeouts.linux6().conntrackMax());
        model = new ConntrackModel(Timeouts.linux6().with("nf_conntrack_max=0"), List.of(MASQ));
        for (int p = 1000; p < 1100; p++) assertEquals(Verdict.NEW, query(0, p));
        rec.events.clear();
        assertEquals(100, model.stats().count());
        assertEquals(0, model.stats().earlyDrop() + model.stats().drop());
    }

    @Test
    void countFollowsExpiryAndPeakKeepsItsTime() {
        model = new ConntrackModel(Timeouts.linux6(), List.of(MASQ));
        query(0, 1000);
        query(5 * S, 1001);
        query(40 * S, 1002); // 1000 (30 s) and 1001 (35 s) expired first
        rec.events.clear();
        assertEquals(1, model.stats().count());
        assertEquals(2, model.stats().peak());
        assertEquals(5 * S, model.stats().peakNanos());
        model.advanceTo(70 * S, rec);
        rec.events.clear();
        assertEquals(0, model.stats().count());
    }
}
