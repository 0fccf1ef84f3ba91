package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.conntrack.ConntrackEvent;
import dev.natrecon.correlate.Crossing;
import dev.natrecon.correlate.CrossingClassifier;
import dev.natrecon.correlate.Inside;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.LinkEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Link-control messages in the WAN capture move the model's uplink: a PPPoE PADT takes it down (masqueraded entries
 * are flushed, as nf_nat_masquerade does when the device goes), a DHCP ACK with another address replaces the address
 * (entries masqueraded to the old one are flushed), a renewal of the same address changes nothing.
 */
class UplinkMessagesTest {
    private static final long T0 = 1_700_000_000_000_000_000L;

    private final List<ConntrackEvent> events = new ArrayList<>();
    private final List<String> decisions = new ArrayList<>();
    private final CrossingClassifier classifier = new CrossingClassifier(Inside.privateRanges(), List.of(),
            List.of("203.0.113.2"));
    private final ConntrackReplay replay = new ConntrackReplay(ModelSettings.defaults(), classifier, T0,
            decisions, events::add, t -> { });
    private final Crossing crossing = new Crossing();

    /** The frame as the replay hands it on: classified, then offered. */
    private void offer(Seen s) {
        classifier.classify(s, crossing);
        replay.offer(crossing);
    }

    private static long[] ip(String a) {
        long[] r = new long[2];
        Addresses.parse(a, r);
        return r;
    }

    /** A REGISTER from the phone, seen on the LAN and translated to 203.0.113.2:5060 on the WAN. */
    private void register(long frame, double seconds) {
        Seen s = new Seen();
        long[] src = ip("192.168.1.10"), dst = ip("203.0.113.5"), ext = ip("203.0.113.2");
        s.side = Side.LAN;
        s.frame = frame;
        s.nanos = T0 + Math.round(seconds * 1e9);
        s.disposition = Disposition.DECODED;
        s.key = 42 + frame;
        s.protocol = 17;
        s.srcHi = src[0];
        s.srcLo = src[1];
        s.dstHi = dst[0];
        s.dstLo = dst[1];
        s.srcPort = s.dstPort = 5060;
        s.hasPorts = true;
        s.length = 400;
        s.payloadLength = 372;
        s.outcome = Outcome.TRANSLATED;
        s.counterpartFrame = frame;
        s.cpSrcHi = ext[0];
        s.cpSrcLo = ext[1];
        s.cpDstHi = dst[0];
        s.cpDstLo = dst[1];
        s.cpSrcPort = s.cpDstPort = 5060;
        s.cpLength = 400;
        offer(s);
    }

    private void uplink(long frame, double seconds, LinkEvent kind, int code, String address) {
        Seen s = new Seen();
        s.side = Side.WAN;
        s.frame = frame;
        s.nanos = T0 + Math.round(seconds * 1e9);
        s.disposition = kind == LinkEvent.DHCP ? Disposition.DECODED : Disposition.NOT_IP;
        s.protocol = kind == LinkEvent.DHCP ? 17 : -1;
        s.linkEvent = kind;
        s.linkEventCode = code;
        s.linkEventAddress = address == null ? 0 : Addresses.v4Bits(ip(address)[1]);
        offer(s);
    }

    private List<ConntrackEvent.EntryKilled> kills() {
        return events.stream().filter(e -> e instanceof ConntrackEvent.EntryKilled).map(e -> (ConntrackEvent.EntryKilled) e).toList();
    }

    @Test
    void pppoeTerminationFlushesTheMasqueradedEntries() {
        register(1, 0);
        uplink(2, 5, LinkEvent.PPP_LCP, 5, null);          // LCP Terminate-Request
        uplink(3, 5.001, LinkEvent.PPPOE_DISCOVERY, 0xa7, null); // PADT: already down, no second flush
        assertEquals(1, kills().size(), events.toString());
        assertEquals(T0 + 5_000_000_000L, kills().get(0).nanos());
        assertTrue(decisions.stream().anyMatch(d -> d.startsWith("model link change: WAN down (PPP LCP terminate) at wan frame 2")),
                decisions.toString());
        uplink(4, 9, LinkEvent.PPP_IPCP, 2, "203.0.113.2");
        assertTrue(decisions.stream().anyMatch(d -> d.startsWith("model link change: WAN up (PPP IPCP Configure-Ack) at wan frame 4")),
                decisions.toString());
        register(5, 10); // a new entry after the link came back
        assertEquals(2, events.stream().filter(e -> e instanceof ConntrackEvent.EntryCreated).count());
    }

    @Test
    void aDhcpAckWithAnotherAddressReplacesTheOldOne() {
        register(1, 0);
        uplink(2, 3, LinkEvent.DHCP, 5, "203.0.113.2"); // renewal of the same address
        assertEquals(0, kills().size(), events.toString());
        uplink(3, 4, LinkEvent.DHCP, 5, "198.51.100.77");
        assertEquals(1, kills().size(), events.toString());
        assertTrue(decisions.contains("model link change: WAN address 203.0.113.2 -> 198.51.100.77 (DHCP ACK) at wan frame 3, "
                + dev.natrecon.capture.Times.iso(T0 + 4_000_000_000L)), decisions.toString());
    }
}
