package dev.natrecon.conntrack;

import static dev.natrecon.conntrack.Packets.ACK;
import static dev.natrecon.conntrack.Packets.SYN;
import static dev.natrecon.conntrack.Packets.icmp;
import static dev.natrecon.conntrack.Packets.tcp;
import static dev.natrecon.conntrack.Packets.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.natrecon.conntrack.ConntrackEvent.NatPort;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The counters of {@code conntrack -S} as the model keeps them, and their rendering. */
class ConntrackStatsTest {
    static final long S = 1_000_000_000L;
    static final NatRule MASQ = NatRule.masquerade("203.0.113.2", "192.168.1.0/24");

    final Recorder rec = new Recorder();
    final ConntrackModel model = new ConntrackModel(Timeouts.linux6(), List.of(MASQ));

    @AfterEach
    void nothingLeftOver() {
        rec.none();
    }

    @Test
    void aNatClashAnInvalidSegmentAndAnUnmatchedErrorAreCountedWhereTheKernelCountsThem() {
        // keepalive-gap lab: the provider's packet holds 203.0.113.2:5060 ↔ .5:5060, so the phone's flow cannot keep
        // its port: nf_conntrack_tuple_taken finds the tuple (found), the kernel then picks 2445
        model.onPacket(udp(0, "wan", "203.0.113.5", 5060, "203.0.113.2", 5060, 360), rec);
        Arrival phone = udp(S, "lan", "192.168.1.10", 5060, "203.0.113.5", 5060, 360);
        phone.observed = true;
        phone.observedSrcPort = 2445;
        model.onPacket(phone, rec);
        assertEquals(NatPort.OBSERVED, ((ConntrackEvent.EntryCreated) rec.events.get(1)).natPort());
        rec.events.clear();
        // a SYN/ACK without an entry (tcp_new refuses it): invalid
        model.onPacket(tcp(2 * S, "wan", "203.0.113.9", 443, "203.0.113.2", 40000, SYN | ACK, 0), rec);
        // a port unreachable about a flow nobody has: error
        model.onPacket(icmp(3 * S, "wan", "203.0.113.9", "203.0.113.2", 3, 3,
                ConntrackTuple.of(17, "203.0.113.2", 7777, "203.0.113.9", 53)), rec);
        ConntrackStats st = model.stats();
        assertEquals(1, st.found());
        assertEquals(1, st.invalid());
        assertEquals(1, st.error());
        assertEquals(0, st.insert(), "6.x counts insert only for ctnetlink insertions");
        assertEquals(2, st.count());
        assertEquals("cpu=0   \tfound=1 invalid=1 insert=0 insert_failed=0 drop=0 early_drop=0 error=1 "
                + "search_restart=0 clash_resolve=0 chaintoolong=0 ", st.conntrackS(0));
        assertEquals("cpu=12  \t", st.conntrackS(12).substring(0, 9));
        assertEquals("cpu=0   \tfound=1 invalid=1 insert=0 insert_failed=0 drop=0 early_drop=0 error=1 "
                + "search_restart=0 clash_resolve=0 chaintoolong=0 count=2 peak=2", st.toString());
    }

    @Test
    void invalidTcpOnAnExistingEntryIsCountedAndChangesNothing() {
        model.onPacket(tcp(0, "lan", "192.168.1.10", 40000, "203.0.113.5", 443, SYN, 0), rec);
        rec.events.clear();
        // SYN_SENT + a FIN from the client: invalid in the state table (reference §3.2)
        assertEquals(Verdict.INVALID, model.onPacket(tcp(S, "lan", "192.168.1.10", 40000, "203.0.113.5", 443, 0x01, 0), rec));
        assertEquals(1, model.stats().invalid());
        assertEquals(120 * S, model.entries().iterator().next().deadlineNanos());
    }
}
