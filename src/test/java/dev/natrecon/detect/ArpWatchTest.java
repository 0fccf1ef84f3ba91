package dev.natrecon.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.LinkEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArpWatchTest {
    private static final long S = 1_000_000_000L;

    private static Seen arp(long nanos, long frame, int op, String address) {
        Seen s = new Seen();
        s.nanos = nanos;
        s.frame = frame;
        s.side = Side.WAN;
        s.linkEvent = LinkEvent.ARP;
        s.linkEventCode = op;
        long[] a = new long[2];
        Addresses.parse(address, a);
        s.linkEventAddress = (int) a[1];
        return s;
    }

    private static Seen other(long nanos) {
        Seen s = new Seen();
        s.nanos = nanos;
        s.side = Side.WAN;
        return s;
    }

    @Test
    void aRequestAnsweredAtOnceLosesNothing() {
        ArpWatch w = new ArpWatch();
        assertEquals(List.of(), w.offer(arp(0, 1, 1, "203.0.113.2")));
        assertEquals(List.of(), w.offer(arp(1_000_000, 2, 2, "203.0.113.2")));
        assertEquals(List.of(), w.offer(arp(2 * S, 3, 1, "203.0.113.2")));
        assertEquals(List.of(), w.offer(arp(2 * S + 1_000_000, 4, 2, "203.0.113.2")));
        assertEquals(List.of(), w.offer(other(10 * S)));
    }

    @Test
    void aRepeatedRequestWithoutAReplyIsUnanswered() {
        ArpWatch w = new ArpWatch();
        assertEquals(List.of(), w.offer(arp(4 * S, 6, 1, "203.0.113.2")));
        assertEquals(List.of(), w.offer(other(4 * S + S / 2)));
        List<ArpWatch.Unanswered> lost = w.offer(arp(5 * S, 8, 1, "203.0.113.2"));
        assertEquals(1, lost.size());
        ArpWatch.Unanswered u = lost.get(0);
        assertEquals("203.0.113.2", u.address());
        assertEquals(4 * S, u.nanos());
        assertEquals(6, u.frame());
        assertEquals(List.of(), w.offer(arp(6 * S, 11, 1, "203.0.113.2")), "reported once");
        assertEquals(List.of(6L, 8L, 11L), u.frames());
    }

    @Test
    void aSingleRequestIsUnansweredOnceItsSecondHasPassed() {
        ArpWatch w = new ArpWatch();
        w.offer(arp(4 * S, 6, 1, "203.0.113.2"));
        assertEquals(List.of(), w.offer(other(5 * S)), "a reply may take up to a second");
        List<ArpWatch.Unanswered> lost = w.offer(other(5 * S + 1));
        assertEquals(1, lost.size());
        assertTrue(lost.get(0).frames().contains(6L));
    }

    @Test
    void theLanSideAndOtherInterfacesAreNotTheRoutersWan() {
        ArpWatch w = new ArpWatch();
        Seen lan = arp(0, 1, 1, "192.168.1.1");
        lan.side = Side.LAN;
        w.offer(lan);
        Seen other = arp(0, 2, 1, "198.51.100.1");
        other.captureLabel = "other:eth2";
        w.offer(other);
        assertEquals(List.of(), w.offer(other(30 * S)));
    }
}
