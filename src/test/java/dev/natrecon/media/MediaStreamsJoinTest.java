package dev.natrecon.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.correlate.Side;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/**
 * The replay feeds each capture input's frames to an accumulator of its own, on the input's decoding thread, and joins
 * them at the end ({@link MediaStreams#finish(List)}): the same streams, figures, ties and order as one accumulator fed
 * the merged stream (ordered by time, ties to the input listed first, one input's frames never reordered).
 */
class MediaStreamsJoinTest {
    /** One datagram of the case: its side, time and content. */
    private record Datagram(Side side, long micros, String src, String dst, byte[] payload, boolean sip) {
    }

    @Test
    void perInputAccumulatorsJoinedGiveWhatOneAccumulatorOfTheMergedStreamGives() {
        for (long seed = 1; seed <= 25; seed++) {
            List<Datagram> lan = new ArrayList<>(), wan = new ArrayList<>();
            generate(new Random(seed), lan, wan);
            MediaFrames whole = new MediaFrames().framesPerSide();
            for (Datagram d : merged(lan, wan)) feed(whole, d);
            MediaFrames lanOnly = new MediaFrames(new MediaStreams(2));
            MediaFrames wanOnly = new MediaFrames(new MediaStreams(2));
            for (Datagram d : lan) feed(lanOnly, d);
            for (Datagram d : wan) feed(wanOnly, d);
            List<StreamSummary> expected = whole.media.finish();
            List<StreamSummary> joined = MediaStreams.finish(List.of(lanOnly.media, wanOnly.media));
            assertTrue(expected.size() >= 4, "seed " + seed + ": a case with streams on both sides");
            assertEquals(describe(expected), describe(joined), "seed " + seed);
            assertEquals(whole.media.rtpPackets(), lanOnly.media.rtpPackets() + wanOnly.media.rtpPackets());
            assertEquals(whole.media.rtcpPackets(), lanOnly.media.rtcpPackets() + wanOnly.media.rtcpPackets());
        }
    }

    @Test
    void eachInputHasItsShareOfTheStreamBound() {
        MediaFrames f = new MediaFrames(new MediaStreams(2));
        int half = MediaStreams.MAX_STREAMS / 2;
        for (int i = 0; i <= half; i++) {
            f.rtp(Side.LAN, i * 0.001, "192.168.1.10:" + (2000 + i % 60000), "203.0.113.5:30000",
                    MediaFrames.rtp(0, false, 1, 0, i, 160));
        }
        assertEquals(1, f.media.streamsNotKept(), "the stream past half the case's bound");
        assertEquals(half, f.media.rtpPackets());
    }

    /** The merged order: by time, ties to the LAN (listed first), each side's own order kept. */
    private static List<Datagram> merged(List<Datagram> lan, List<Datagram> wan) {
        List<Datagram> out = new ArrayList<>();
        int i = 0, j = 0;
        while (i < lan.size() || j < wan.size()) {
            if (j == wan.size() || i < lan.size() && lan.get(i).micros() <= wan.get(j).micros()) out.add(lan.get(i++));
            else out.add(wan.get(j++));
        }
        return out;
    }

    private static void feed(MediaFrames f, Datagram d) {
        f.udp(d.side(), d.micros() / 1000.0, d.src(), d.dst(), d.payload(), d.sip());
    }

    /**
     * Calls on both sides: SDP on each side (the WAN copy rewritten), RTP both ways with loss and reordering, a
     * latching peer (tied by the reverse stream), a LAN stream no LAN SDP names (tied by SSRC), heuristic streams,
     * RTCP; streams start on a 20 ms grid so that the two sides' first packets often share a time.
     */
    private static void generate(Random r, List<Datagram> lan, List<Datagram> wan) {
        int calls = 2 + r.nextInt(4);
        List<List<Datagram>> lanParts = new ArrayList<>(), wanParts = new ArrayList<>();
        for (int c = 0; c < calls; c++) {
            long t0 = 20_000L * r.nextInt(10);
            String callId = "call-" + c + "@x";
            int phonePort = 4000 + 2 * c, natPort = 40000 + 2 * c, remotePort = 30000 + 2 * c;
            String phone = "192.168.1." + (10 + c) + ":" + phonePort, nat = "198.51.100.1:" + natPort;
            String remote = "203.0.113.5:" + remotePort;
            List<Datagram> l = new ArrayList<>(), w = new ArrayList<>();
            l.add(new Datagram(Side.LAN, t0, "192.168.1." + (10 + c) + ":5060", "203.0.113.1:5060",
                    MediaStreamsTest.invite(callId, "192.168.1." + (10 + c), phonePort, ""), true));
            w.add(new Datagram(Side.WAN, t0, "198.51.100.1:5060", "203.0.113.1:5060",
                    MediaStreamsTest.invite(callId, "198.51.100.1", natPort, ""), true));
            w.add(new Datagram(Side.WAN, t0 + 1000, "203.0.113.1:5060", "198.51.100.1:5060",
                    MediaStreamsTest.invite(callId, "203.0.113.5", remotePort, ""), true));
            if (r.nextBoolean()) {
                l.add(new Datagram(Side.LAN, t0 + 1000, "203.0.113.1:5060", "192.168.1." + (10 + c) + ":5060",
                        MediaStreamsTest.invite(callId, "203.0.113.5", remotePort, ""), true));
            }
            boolean latching = r.nextBoolean();
            String remoteFrom = latching ? "203.0.113.5:" + (remotePort + 1000) : remote;
            long ssrcOut = 0x1000 + c, ssrcIn = 0x2000 + c;
            int packets = 5 + r.nextInt(30);
            long start = t0 + 20_000L * (1 + r.nextInt(3));
            for (int i = 0; i < packets; i++) {
                long t = start + 20_000L * i;
                int seq = i + 1;
                if (r.nextInt(10) == 0) continue; // lost on both sides
                byte[] out = MediaFrames.rtp(0, i == 0, seq, 160L * i, ssrcOut, 160);
                l.add(new Datagram(Side.LAN, t, phone, remote, out, false));
                if (r.nextInt(12) != 0) {
                    w.add(new Datagram(Side.WAN, t + r.nextInt(3) * 1000, nat, remote, out, false));
                }
                byte[] in = MediaFrames.rtp(0, false, r.nextInt(15) == 0 ? seq + 3 : seq, 160L * i, ssrcIn, 160);
                w.add(new Datagram(Side.WAN, t + 5000, remoteFrom, nat, in, false));
                l.add(new Datagram(Side.LAN, t + 5000 + r.nextInt(2) * 1000, remoteFrom, phone, in, false));
                if (i % 10 == 9) {
                    w.add(new Datagram(Side.WAN, t + 6000, "203.0.113.5:" + (remotePort + 1),
                            "198.51.100.1:" + (natPort + 1), receiverReport(0x9999, ssrcOut), false));
                }
            }
            if (r.nextBoolean()) { // a heuristic stream with no SDP on one side
                List<Datagram> on = r.nextBoolean() ? l : w;
                Side side = on == l ? Side.LAN : Side.WAN;
                for (int i = 0; i < 6; i++) {
                    on.add(new Datagram(side, t0 + 20_000L * i, "192.0.2.77:" + (9000 + c), "192.0.2.88:9100",
                            MediaFrames.rtp(8, false, 100 + i, 160L * i, 0x7000 + c, 40), false));
                }
            }
            lanParts.add(l);
            wanParts.add(w);
        }
        lan.addAll(byTime(lanParts));
        wan.addAll(byTime(wanParts));
    }

    /** A side's capture: its datagrams by time, stable (a capture's order). */
    private static List<Datagram> byTime(List<List<Datagram>> parts) {
        List<Datagram> all = new ArrayList<>();
        parts.forEach(all::addAll);
        all.sort(java.util.Comparator.comparingLong(Datagram::micros));
        return all;
    }

    /** An RTCP RR (RFC 3550 6.4.2) from {@code reporter} with one block about {@code about}. */
    private static byte[] receiverReport(long reporter, long about) {
        return MediaFrames.hex(String.format("81c90007 %08x %08x 10000001 00010005 00000050 00000000 00000000",
                reporter, about));
    }

    /** Every field of every summary, the chart series included, as text. */
    private static String describe(List<StreamSummary> all) {
        StringBuilder sb = new StringBuilder();
        for (StreamSummary s : all) {
            StringJoiner j = new StringJoiner(" | ");
            for (RecordComponent rc : StreamSummary.class.getRecordComponents()) {
                try {
                    Object v = rc.getAccessor().invoke(s);
                    if (v instanceof StreamSeries series) {
                        StringBuilder b = new StringBuilder("series " + series.size() + "@" + series.startNanos());
                        for (int i = 0; i < series.size(); i++) {
                            b.append(' ').append(series.packets(i)).append('/').append(series.lost(i)).append('/')
                                    .append(series.meanJitterMs(i)).append('/').append(series.maxJitterMs(i));
                        }
                        v = b;
                    }
                    j.add(rc.getName() + "=" + v);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
            sb.append(j).append('\n');
        }
        return sb.toString();
    }
}
