package dev.natrecon.conntrack;

import static dev.natrecon.conntrack.Packets.ACK;
import static dev.natrecon.conntrack.Packets.FIN;
import static dev.natrecon.conntrack.Packets.RST;
import static dev.natrecon.conntrack.Packets.SYN;
import static dev.natrecon.conntrack.Packets.seg;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client reconnecting on the same ports while the router still holds the old entry in a state the SYN cannot reopen
 * (nf_conntrack_proto_tcp.c nf_conntrack_tcp_packet, TCP_CONNTRACK_IGNORE): the SYN is ignored and annotated
 * (last_index, last_dir, last_end, last_win, its options); a SYN/ACK from the server that acknowledges exactly it
 * (ack_seq == last_end) puts the entry back in sync as SYN_SENT → SYN_RECV, and the connection goes on in the same
 * entry: one lifetime, no NEW, no DESTROY. A SYN/ACK acknowledging something else stays ignored.
 *
 * <p>Fixtures with sequence numbers (window tracking on): phone 192.168.1.10:5060 → provider 203.0.113.5:5060 behind a
 * masquerade to 203.0.113.2; first connection ISNs 1000 / 5000, the reconnect's 90000 / 70000; windows 64000; 1 ms apart.
 */
class TcpResyncTest {
    static final String O = "src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060";
    static final String R = "src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060";
    static final long MS = 1_000_000L;

    final Recorder rec = new Recorder();
    final ConntrackModel model = new ConntrackModel(Timeouts.linux6(),
            List.of(NatRule.masquerade("203.0.113.2", "192.168.1.0/24")));
    long t;

    Verdict phone(int flags, long seq, long ack) {
        return model.onPacket(seg(t += MS, "lan", "192.168.1.10", 5060, "203.0.113.5", 5060, flags, seq, ack, 64000, 0, -1), rec);
    }

    Verdict provider(int flags, long seq, long ack) {
        return model.onPacket(seg(t += MS, "wan", "203.0.113.5", 5060, "203.0.113.2", 5060, flags, seq, ack, 64000, 0, -1), rec);
    }

    @BeforeEach
    void established() {
        phone(SYN, 1000, 0);
        provider(SYN | ACK, 5000, 1001);
        phone(ACK, 1001, 5001);
        rec.expect("    [NEW] ipv4     2 tcp      6 120 SYN_SENT " + O + " [UNREPLIED] " + R,
                " [UPDATE] ipv4     2 tcp      6 60 SYN_RECV " + O + " " + R,
                " [UPDATE] ipv4     2 tcp      6 432000 ESTABLISHED " + O + " " + R + " [ASSURED]");
    }

    @AfterEach
    void nothingLeftOver() {
        rec.none();
    }

    @Test
    void aSynAckAnsweringTheIgnoredSynResynchronisesTheEntry() {
        // the phone restarted: a new SYN on the same ports while the entry is ESTABLISHED (tcp_conntracks: IGNORE)
        assertEquals(Verdict.IGNORED, phone(SYN, 90000, 0));
        rec.expect();
        // the provider had dropped the old connection and answers the SYN: ack_seq 90001 == last_end
        assertEquals(Verdict.ESTABLISHED, provider(SYN | ACK, 70000, 90001));
        rec.expect(" [UPDATE] ipv4     2 tcp      6 60 SYN_RECV " + O + " " + R + " [ASSURED]");
        assertEquals(Verdict.ESTABLISHED, phone(ACK, 90001, 70001));
        rec.expect(" [UPDATE] ipv4     2 tcp      6 432000 ESTABLISHED " + O + " " + R + " [ASSURED]");
        // the windows follow the new connection: data and its ACK are in window
        assertEquals(Verdict.ESTABLISHED, phone(ACK, 90001, 70001));
        assertEquals(Verdict.ESTABLISHED, provider(ACK, 70001, 90001));
        assertEquals(1, model.entries().size());
        assertEquals(1, model.entries().iterator().next().id(), "one lifetime: the same entry");
    }

    @Test
    void aSynAckAcknowledgingSomethingElseStaysIgnored() {
        assertEquals(Verdict.IGNORED, phone(SYN, 90000, 0));
        assertEquals(Verdict.IGNORED, provider(SYN | ACK, 70000, 12345));
        rec.expect();
        assertEquals(TcpState.ESTABLISHED, model.entries().iterator().next().tcpState());
    }

    @Test
    void afterTheResyncAFinCloseCanBeReopenedAgain() {
        phone(SYN, 90000, 0);
        provider(SYN | ACK, 70000, 90001);
        phone(ACK, 90001, 70001);
        rec.events.clear();
        phone(FIN | ACK, 90001, 70001);
        provider(FIN | ACK, 70001, 90002);
        phone(ACK, 90002, 70002);
        rec.expect(" [UPDATE] ipv4     2 tcp      6 120 FIN_WAIT " + O + " " + R + " [ASSURED]",
                " [UPDATE] ipv4     2 tcp      6 30 LAST_ACK " + O + " " + R + " [ASSURED]",
                " [UPDATE] ipv4     2 tcp      6 120 TIME_WAIT " + O + " " + R + " [ASSURED]");
        assertEquals(Verdict.NEW, phone(SYN, 200000, 0));
        rec.expect("[DESTROY] ipv4     2 tcp      6 119 TIME_WAIT " + O + " " + R + " [ASSURED]",
                "    [NEW] ipv4     2 tcp      6 120 SYN_SENT " + O + " [UNREPLIED] " + R);
    }

    @Test
    void aRstFromTheProviderThenTheSynIsIgnoredAndTheSynAckResynchronises() {
        // the RST came from the other side and no FIN was seen: the SYN cannot reopen, it is ignored
        provider(RST | ACK, 5001, 1001);
        rec.expect(" [UPDATE] ipv4     2 tcp      6 10 CLOSE " + O + " " + R + " [ASSURED]");
        assertEquals(Verdict.IGNORED, phone(SYN, 90000, 0));
        assertEquals(Verdict.ESTABLISHED, provider(SYN | ACK, 70000, 90001));
        rec.expect(" [UPDATE] ipv4     2 tcp      6 60 SYN_RECV " + O + " " + R + " [ASSURED]");
    }
}
