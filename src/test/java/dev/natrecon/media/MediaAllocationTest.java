package dev.natrecon.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Packet;
import dev.natrecon.decode.Protocols;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The per-packet path allocates nothing once a stream exists (issue 18's rule for hot paths), measured with the JVM's
 * per-thread allocation counter over 400,000 RTP packets of 200 interleaved streams on both sides.
 */
class MediaAllocationTest {
    @Test
    void steadyStateRtpAllocatesNothing() {
        MediaStreams media = new MediaStreams();
        Seen s = new Seen();
        Packet p = new Packet();
        p.protocol = Protocols.UDP;
        p.layers = Packet.L_UDP;
        p.data = new byte[42 + 172];
        p.payloadOffset = 42;
        p.payloadLength = 172;
        int streams = 200;
        feed(media, s, p, streams, 0, 50); // streams open, the JIT warms up
        ThreadMXBean bean = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long before = bean.getThreadAllocatedBytes(tid);
        int n = feed(media, s, p, streams, 50, 2050);
        long allocated = bean.getThreadAllocatedBytes(tid) - before;
        assertEquals(400_000, n);
        // a few hundred bytes of slack for the counter itself and a safepoint's bookkeeping
        assertTrue(allocated < 4096, allocated + " bytes allocated for " + n + " RTP packets");
        java.util.List<StreamSummary> done = media.finish();
        assertEquals(streams, done.size());
        // 41 s of packets: the chart series merged its buckets (SeriesBuckets) inside the measured run
        assertTrue(done.get(0).series().widthNanos() > SeriesBuckets.FIRST_WIDTH_NANOS);
        assertEquals(2050, done.get(0).series().totalPackets());
        assertEquals(streams * 2050L, media.rtpPackets());
    }

    private static int feed(MediaStreams media, Seen s, Packet p, int streams, int from, int to) {
        int n = 0;
        byte[] b = p.data;
        for (int k = from; k < to; k++) {
            for (int i = 0; i < streams; i++) {
                s.side = (i & 1) == 0 ? Side.LAN : Side.WAN;
                s.frame = (long) k * streams + i + 1;
                s.nanos = s.captureNanos = k * 20_000_000L + i * 10_000L;
                p.srcHi = p.dstHi = 0;
                p.srcLo = 0x0000_ffff_0a00_0000L + i;
                p.dstLo = 0x0000_ffff_cb00_7105L;
                p.srcPort = 10_000 + 2 * i;
                p.dstPort = 30_000;
                b[42] = (byte) 0x80;
                b[43] = 0;
                int seq = k + 1;
                b[44] = (byte) (seq >> 8);
                b[45] = (byte) seq;
                long ts = 160L * k;
                b[46] = (byte) (ts >> 24);
                b[47] = (byte) (ts >> 16);
                b[48] = (byte) (ts >> 8);
                b[49] = (byte) ts;
                b[50] = 0;
                b[51] = 0;
                b[52] = (byte) (i >> 8);
                b[53] = (byte) i;
                media.frame(s, p);
                n++;
            }
        }
        return n;
    }
}
