package dev.natrecon.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.natrecon.correlate.Crossing;
import dev.natrecon.correlate.CrossingClassifier;
import dev.natrecon.correlate.FlowId;
import dev.natrecon.correlate.Inside;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.Protocols;
import java.util.ArrayList;
import java.util.List;
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

    private static Seen seen(Side side, long frame, long flow, int srcPort, long ssrc, int seq, long ms, long cpFrame) {
        Seen s = new Seen();
        s.side = side;
        s.frame = frame;
        s.nanos = ms * MS;
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
        s.counterpartFrame = cpFrame;
        return s;
    }

    private static void pair(Seen lan, Seen wan) {
        lan.cpSrcHi = wan.srcHi;
        lan.cpSrcLo = wan.srcLo;
        lan.cpDstHi = wan.dstHi;
        lan.cpDstLo = wan.dstLo;
        lan.cpSrcPort = wan.srcPort;
        lan.cpDstPort = wan.dstPort;
        wan.cpSrcHi = lan.srcHi;
        wan.cpSrcLo = lan.srcLo;
        wan.cpDstHi = lan.dstHi;
        wan.cpDstLo = lan.dstLo;
        wan.cpSrcPort = lan.srcPort;
        wan.cpDstPort = lan.dstPort;
        lan.counterpartDeltaNanos = MS / 10;
        wan.counterpartDeltaNanos = -MS / 10;
        lan.outcome = wan.outcome = Outcome.TRANSLATED;
        lan.resolved = wan.resolved = true;
    }

    /** The ledgers after {@code packets}, with their flow numbers or ({@code flows} false) without. */
    private List<String> ledgers(List<Packet> packets, boolean flows) {
        HopAttribution hops = new HopAttribution();
        Crossing c = new Crossing();
        long frame = 0;
        for (Packet p : packets) {
            frame++;
            long lanFlow = flows ? p.flow() : FlowId.NONE;
            long wanFlow = flows ? FlowId.of(1, p.flow() & 0xffff_ffffL) : FlowId.NONE;
            Seen lan = seen(Side.LAN, frame, lanFlow, p.lanPort(), p.ssrc(), p.seq(), p.ms(), frame);
            Seen wan = seen(Side.WAN, frame, wanFlow, p.lanPort() + 10000, p.ssrc(), p.seq(), p.ms(), frame);
            pair(lan, wan);
            classifier.classify(lan, c);
            hops.packet(c);
            classifier.classify(wan, c);
            hops.packet(c);
        }
        List<String> out = new ArrayList<>();
        for (HopLedger l : hops.ledgers()) {
            out.add(l.ssrc() + " " + l.src() + " " + l.dst() + " packets " + l.packets() + " forwarded " + l.forwarded()
                    + " expected " + l.expected());
        }
        out.add("not followed " + hops.streamsNotFollowed());
        return out;
    }

    @Test
    void ssrcChangesOnOneFlowAndSharedSlotsGiveTheProbedLedgers() {
        long a = FlowId.of(0, 1), b = FlowId.of(0, 1 + 4096); // one cache slot for both
        List<Packet> packets = new ArrayList<>();
        int seq = 100;
        for (int i = 0; i < 40; i++) {
            // flow a: SSRC 11, then 12 (a new stream on the same tuple), then 11 again; flow b interleaved
            long ssrc = i < 15 || i >= 30 ? 11 : 12;
            packets.add(new Packet(a, 4000, ssrc, seq + i, 20L * i));
            packets.add(new Packet(b, 4002, 21, seq + i, 20L * i + 5));
        }
        List<String> probed = ledgers(packets, false);
        assertEquals(List.of(
                "11 192.168.1.10:4000 198.51.100.7:30000 packets 25 forwarded 25 expected 40",
                "21 192.168.1.10:4002 198.51.100.7:30000 packets 40 forwarded 40 expected 40",
                "12 192.168.1.10:4000 198.51.100.7:30000 packets 15 forwarded 15 expected 15",
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
}
