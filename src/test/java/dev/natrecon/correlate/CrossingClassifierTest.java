package dev.natrecon.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.conntrack.Arrival;
import dev.natrecon.conntrack.NatRule;
import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.Disposition;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The classifier's rules one by one, on hand-filled frames: both copies of a translated pair (whichever side comes
 * first), a routed-back pair, the unmatched cases (dropped, to and from the router, a leak, between inside hosts), and
 * the case's {@code --inside} deciding an untranslated pair. One {@link Crossing} is reused throughout, as the replay
 * does.
 */
class CrossingClassifierTest {
    static final String PHONE = "192.168.1.10", ROUTER_WAN = "203.0.113.2", REMOTE = "198.51.100.7";
    final CrossingClassifier classifier = new CrossingClassifier(Inside.privateRanges(), List.of("192.168.1.1"),
            List.of(ROUTER_WAN));
    final Crossing c = new Crossing();

    static Seen frame(Side side, String src, int sport, String dst, int dport) {
        Seen s = new Seen();
        s.side = side;
        s.frame = 1;
        s.disposition = Disposition.DECODED;
        s.protocol = 17;
        long[] a = new long[2];
        Addresses.parse(src, a);
        s.srcHi = a[0];
        s.srcLo = a[1];
        Addresses.parse(dst, a);
        s.dstHi = a[0];
        s.dstLo = a[1];
        s.srcPort = sport;
        s.dstPort = dport;
        s.hasPorts = true;
        s.outcome = Outcome.NO_COUNTERPART;
        return s;
    }

    /** Makes {@code s} matched to a copy with this tuple, {@code deltaNanos} later (other side minus this side). */
    static Seen copy(Seen s, String src, int sport, String dst, int dport, long deltaNanos) {
        long[] a = new long[2];
        Addresses.parse(src, a);
        s.cpSrcHi = a[0];
        s.cpSrcLo = a[1];
        Addresses.parse(dst, a);
        s.cpDstHi = a[0];
        s.cpDstLo = a[1];
        s.cpSrcPort = sport;
        s.cpDstPort = dport;
        s.counterpartFrame = 2;
        s.counterpartDeltaNanos = deltaNanos;
        s.outcome = Outcome.TRANSLATED;
        return s;
    }

    @Test
    void bothCopiesOfATranslatedPairAgreeOnTheDirectionWhateverTheClocksSay() {
        // the WAN copy a microsecond *before* the LAN one (corrected clocks): the addresses still say outbound
        classifier.classify(copy(frame(Side.LAN, PHONE, 5060, REMOTE, 5060), ROUTER_WAN, 5060, REMOTE, 5060, -1_000), c);
        assertEquals(Crossing.Role.ARRIVING, c.role());
        assertEquals(Crossing.Direction.OUT, c.direction());
        assertTrue(c.outbound());
        assertEquals(Arrival.Ingress.LAN, c.ingress());
        assertEquals(Arrival.Egress.WAN, c.egress());
        assertEquals("wan", c.counterpartCapture());
        classifier.classify(copy(frame(Side.WAN, ROUTER_WAN, 5060, REMOTE, 5060), PHONE, 5060, REMOTE, 5060, 1_000), c);
        assertEquals(Crossing.Role.LEAVING, c.role());
        assertEquals(Crossing.Direction.OUT, c.direction());
        assertTrue(c.outbound());
        assertNull(c.ingress(), "only the arriving copy has an ingress");
        // the answer: inbound, arriving on the WAN
        classifier.classify(copy(frame(Side.WAN, REMOTE, 5060, ROUTER_WAN, 5060), REMOTE, 5060, PHONE, 5060, 1_000), c);
        assertEquals(Crossing.Role.ARRIVING, c.role());
        assertEquals(Crossing.Direction.IN, c.direction());
        assertFalse(c.outbound());
        assertEquals("lan", c.counterpartCapture());
    }

    @Test
    void aRoutedBackPairArrivesAndLeavesOnTheSameSide() {
        Seen first = copy(frame(Side.LAN, PHONE, 5060, ROUTER_WAN, 5060), PHONE, 5060, ROUTER_WAN, 5060, 50_000);
        first.outcome = Outcome.ROUTED_BACK;
        classifier.classify(first, c);
        assertEquals(Crossing.Direction.ROUTED_BACK, c.direction());
        assertEquals(Crossing.Role.ARRIVING, c.role());
        assertEquals(Arrival.Egress.LAN, c.egress());
        assertEquals("lan", c.counterpartCapture(), "the counterpart of a routed-back copy is on the same side");
        first.routedBackCopy = true;
        classifier.classify(first, c);
        assertEquals(Crossing.Role.LEAVING, c.role());
    }

    @Test
    void unmatchedFramesByTheirAddresses() {
        classifier.classify(frame(Side.LAN, PHONE, 5060, REMOTE, 5060), c);
        assertEquals(Crossing.Direction.DROPPED, c.direction(), "an inside source absent on the running WAN capture");
        assertEquals(Arrival.Egress.DROPPED, c.egress());
        classifier.classify(frame(Side.LAN, PHONE, 53, "192.168.1.1", 53), c);
        assertEquals(Crossing.Direction.LOCAL, c.direction());
        assertEquals(Arrival.Egress.ROUTER, c.egress());
        classifier.classify(frame(Side.WAN, REMOTE, 5060, ROUTER_WAN, 5060), c);
        assertEquals(Crossing.Direction.LOCAL, c.direction(), "to the router, never delivered to the LAN");
        assertEquals(Arrival.Ingress.WAN, c.ingress());
        classifier.classify(frame(Side.WAN, PHONE, 5060, REMOTE, 5060), c);
        assertEquals(Crossing.Role.LEAVING, c.role(), "an inside source on the WAN: a leak, leaving");
        assertTrue(c.outbound());
        Seen lanOnly = frame(Side.LAN, PHONE, 5060, "192.168.1.20", 5060);
        lanOnly.outcome = Outcome.LOCAL;
        classifier.classify(lanOnly, c);
        assertEquals(Crossing.Direction.NONE, c.direction(), "between inside hosts the router forwards nothing");
        Seen other = frame(Side.LAN, PHONE, 5060, REMOTE, 5060);
        other.captureLabel = "other:eth2";
        classifier.classify(other, c);
        assertEquals(Crossing.Direction.NONE, c.direction());
        assertEquals("other:eth2", c.capture());
    }

    @Test
    void theCasesInsideNetworksOrientAnUntranslatedPair() {
        // no NAT at all (routed public LAN): only inside-ness tells which end is the LAN's
        String lanHost = "198.51.100.10", far = "203.0.113.5";
        Seen s = copy(frame(Side.WAN, far, 5060, lanHost, 5060), far, 5060, lanHost, 5060, -5_000);
        s.outcome = Outcome.UNCHANGED;
        CrossingClassifier byCase = new CrossingClassifier(Inside.of(List.of(NatRule.Prefix.parse("198.51.100.0/24"))),
                List.of(), List.of());
        byCase.classify(s, c);
        assertFalse(c.outbound(), "from the outside in: the destination is inside");
        assertEquals(Crossing.Role.ARRIVING, c.role());
        assertTrue(c.dstInside());
        assertFalse(c.srcInside());
        // the fixed ranges see two outside ends and fall back to the copies' order (the LAN copy 5 µs earlier)
        classifier.classify(s, c);
        assertTrue(c.outbound());
        assertEquals(Crossing.Role.LEAVING, c.role());
    }
}
