package dev.natrecon.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.natrecon.correlate.Crossing;
import dev.natrecon.correlate.CrossingClassifier;
import dev.natrecon.correlate.FlowId;
import dev.natrecon.correlate.Inside;
import dev.natrecon.correlate.PacketMatcher;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.Protocols;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link HopAttribution}'s flow cache is exact: the same frames give the same ledgers with their flow numbers as
 * without (every arriving copy probed), when one tuple changes its SSRC and back, when two flows share a cache slot,
 * and when a stream appears after the bound on streams was reached.
 */
class HopAttributionFlowsTest {
    private static final long MS = 1_000_000L;
    private final CrossingClassifier classifier = new CrossingClassifier(Inside.privateRanges(), List.of(), List.of());

    /** One outbound RTP packet: the LAN copy (arriving) and its WAN copy (leaving), translated. */
    private record Packet(long flow, int lanPort, long ssrc, int seq, long ms) {
    }

    /** Fills {@code s}, a record of the matcher, as one copy of an RTP packet (the copies share their match key). */
    private static void fill(Seen s, Side side, long frame, long flow, int srcPort, long ssrc, int seq, long ms) {
        s.side = side;
        s.frame = frame;
        s.nanos = ms * MS + (side == Side.WAN ? MS / 10 : 0);
        s.captureNanos = s.nanos;
        s.disposition = Disposition.DECODED;
        s.key = frame * 7 + 1;
        s.flow = flow;
        s.protocol = Protocols.UDP;
        s.hasPorts = true;
        long[] a = new long[2];
        Addresses.parse(side == Side.LAN ? "192.168.1.10" : "203.0.113.2", a);
        s.srcHi = a[0];
        s.srcLo = a[1];
        Addresses.parse("198.51.100.7", a);
        s.dstHi = a[0];
        s.dstLo = a[1];
        s.srcPort = srcPort;
        s.dstPort = 30000;
        s.length = 200;
        s.ttl = side == Side.LAN ? 64 : 63;
        s.rtpSsrc = ssrc;
        s.rtpSeq = seq;
    }

    /** A matcher whose resolved frames are classified and given to {@code hops}. */
    private PacketMatcher matcherInto(HopAttribution hops) {
        Crossing c = new Crossing();
        return new PacketMatcher(1000 * MS, new long[] {0, Long.MAX_VALUE}, new long[] {0, Long.MAX_VALUE},
                Set.of("203.0.113.2"), r -> {
                    classifier.classify(r, c);
                    hops.packet(c);
                });
    }

    /** The ledgers after {@code packets}, with their flow numbers or ({@code flows} false) without. */
    private List<String> ledgers(List<Packet> packets, boolean flows) {
        HopAttribution hops = new HopAttribution();
        PacketMatcher matcher = matcherInto(hops);
        long frame = 0;
        for (Packet p : packets) {
            frame++;
            Seen lan = matcher.obtain();
            fill(lan, Side.LAN, frame, flows ? p.flow() : FlowId.NONE, p.lanPort(), p.ssrc(), p.seq(), p.ms());
            matcher.offer(lan);
            Seen wan = matcher.obtain();
            fill(wan, Side.WAN, frame, flows ? FlowId.of(1, p.flow() & 0xffff_ffffL) : FlowId.NONE,
                    p.lanPort() + 10000, p.ssrc(), p.seq(), p.ms());
            matcher.offer(wan);
        }
        matcher.finish();
        List<String> out = new ArrayList<>();
        for (HopLedger l : hops.ledgers()) {
            out.add(l.ssrc() + " " + l.src() + " " + l.dst() + " packets " + l.packets() + " forwarded " + l.forwarded()
                    + " expected " + l.expected());
        }
        out.add("not followed " + hops.packetsNotFollowed());
        return out;
    }

    @Test
    void ssrcChangesOnOneFlowAndSharedSlotsGiveTheProbedLedgers() {
        long a = FlowId.of(0, 1), b = FlowId.of(0, 2), shared = FlowId.of(0, 1 + 4096); // a and shared: one cache slot
        List<Packet> packets = new ArrayList<>();
        int seq = 100;
        for (int i = 0; i < 40; i++) {
            // flow a: SSRC 11, then 12 (a new stream on the same tuple), then 11 again; flow b interleaved; from the
            // 20th packet on, now and then a packet of a flow that takes a's cache slot, with a's SSRC
            long ssrc = i < 15 || i >= 30 ? 11 : 12;
            packets.add(new Packet(a, 4000, ssrc, seq + i, 20L * i));
            packets.add(new Packet(b, 4002, 21, seq + i, 20L * i + 5));
            if (i >= 20 && i % 4 == 0) packets.add(new Packet(shared, 4004, 11, seq + i, 20L * i + 10));
        }
        List<String> probed = ledgers(packets, false);
        assertEquals(List.of(
                "11 192.168.1.10:4000 198.51.100.7:30000 packets 25 forwarded 25 expected 40",
                "21 192.168.1.10:4002 198.51.100.7:30000 packets 40 forwarded 40 expected 40",
                "12 192.168.1.10:4000 198.51.100.7:30000 packets 15 forwarded 15 expected 15",
                "11 192.168.1.10:4004 198.51.100.7:30000 packets 5 forwarded 5 expected 17",
                "not followed 0"), probed);
        assertEquals(probed, ledgers(packets, true));
    }

    @Test
    void pastTheBoundTheCacheKeepsNoStreamThatWasNotFollowed() {
        List<Packet> packets = new ArrayList<>();
        // one packet each for the bound's streams (one flow each, SSRC by flow), then more of the last ones
        int n = HopAttribution.MAX_STREAMS + 3;
        for (int i = 0; i < n; i++) packets.add(new Packet(FlowId.of(0, i + 1), 4000 + i % 60000, 1000 + i, 1, i));
        for (int i = n - 5; i < n; i++) packets.add(new Packet(FlowId.of(0, i + 1), 4000 + i % 60000, 1000 + i, 2, n + i));
        List<String> probed = ledgers(packets, false);
        assertEquals("not followed 6", probed.get(probed.size() - 1)); // 3 streams past the bound, each twice
        assertEquals(probed, ledgers(packets, true));
    }

    /** One outbound RTP packet whose WAN copy leaves 30 ms after the LAN copy, from external port {@code wanPort}. */
    private record Late(long lanFlow, int lanPort, long wanFlow, int wanPort, long ssrc, int seq, long ms) {
    }

    /**
     * The ledgers (with their leaving copies counted) after {@code packets}, 20 ms apart, each WAN copy after the next
     * packet's LAN copy (so it is never the copy right after its own arriving one), with the flow numbers or without.
     */
    private List<String> lateLedgers(List<Late> packets, boolean flows) {
        HopAttribution hops = new HopAttribution();
        PacketMatcher matcher = matcherInto(hops);
        long frame = 0;
        Late previous = null;
        for (Late p : packets) {
            frame++;
            Seen lan = matcher.obtain();
            fill(lan, Side.LAN, frame, flows ? p.lanFlow() : FlowId.NONE, p.lanPort(), p.ssrc(), p.seq(), p.ms());
            matcher.offer(lan);
            if (previous != null) wan(matcher, previous, frame - 1, flows);
            previous = p;
        }
        wan(matcher, previous, frame, flows);
        matcher.finish();
        List<String> out = new ArrayList<>();
        for (HopLedger l : hops.ledgers()) {
            out.add(l.ssrc() + " " + l.src() + " packets " + l.packets() + " forwarded " + l.forwarded() + " left "
                    + l.egressPackets() + " reordered after " + l.reorderedAfter());
        }
        return out;
    }

    private static void wan(PacketMatcher matcher, Late p, long frame, boolean flows) {
        Seen wan = matcher.obtain();
        fill(wan, Side.WAN, frame, flows ? p.wanFlow() : FlowId.NONE, p.wanPort(), p.ssrc(), p.seq(), p.ms());
        wan.nanos = wan.captureNanos = p.ms() * MS + 30 * MS;
        matcher.offer(wan);
    }

    @Test
    void aLeavingCopyFollowsTheArrivingTupleItsFlowLeftFrom() {
        // two phones interleaved; from the 20th packet on, the first phone's stream comes from another LAN port (a new
        // LAN flow, same SSRC) that the router maps to the same external port: the WAN flow is the same, its
        // counterpart's tuple is not, and its leaving copies belong to the new stream's ledger
        long a = FlowId.of(0, 1), b = FlowId.of(0, 2), moved = FlowId.of(0, 3);
        long wanA = FlowId.of(1, 1), wanB = FlowId.of(1, 2);
        List<Late> packets = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            packets.add(new Late(i < 20 ? a : moved, i < 20 ? 4000 : 4010, wanA, 14000, 11, 100 + i, 40L * i));
            packets.add(new Late(b, 4002, wanB, 14002, 21, 100 + i, 40L * i + 20));
        }
        List<String> probed = lateLedgers(packets, false);
        assertEquals(List.of(
                "11 192.168.1.10:4000 packets 20 forwarded 20 left 20 reordered after 0",
                "21 192.168.1.10:4002 packets 40 forwarded 40 left 40 reordered after 0",
                "11 192.168.1.10:4010 packets 20 forwarded 20 left 20 reordered after 0"), probed);
        assertEquals(probed, lateLedgers(packets, true));
    }
}
