package dev.natrecon.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The bounded time series of a stream: however long the stream, at most {@link SeriesBuckets#CAP} buckets, and the
 * merging that keeps it bounded keeps the totals exact (packets and lost sum to the stream's, the largest bucket max
 * jitter is the stream's max jitter).
 */
class StreamSeriesTest {
    private static final long MS = 1_000_000L;

    /** A PCMU packet: seq, RTP timestamp, no marker. */
    private static byte[] rtp(int seq, long ts, int pt) {
        byte[] b = new byte[172];
        b[0] = (byte) 0x80;
        b[1] = (byte) pt;
        b[2] = (byte) (seq >> 8);
        b[3] = (byte) seq;
        b[4] = (byte) (ts >> 24);
        b[5] = (byte) (ts >> 16);
        b[6] = (byte) (ts >> 8);
        b[7] = (byte) ts;
        b[11] = 7;
        return b;
    }

    private static RtpStream stream() {
        return new RtpStream(0, 7, 0, 0x0000_ffff_c0a8_010aL, 40000, 0, 0x0000_ffff_cb00_7105L, 30000, true, null, null);
    }

    /**
     * Ten minutes of 20 ms packets (30,000), the sequence wrapping, about 3 % dropped in bursts, some reordered and
     * duplicated, arrival times jittered: the width doubles past 30 s and the buckets still add up to the stream.
     */
    @Test
    void doublingKeepsTotalsExact() {
        RtpStream s = stream();
        Random rnd = new Random(19);
        long frame = 0;
        int firstSeq = 60_000; // wraps at 65,535 after about 110 s
        byte[] held = null;
        long heldAt = 0;
        for (int k = 0; k < 30_000; k++) {
            int seq = (firstSeq + k) & 0xffff;
            long ts = 160L * k;
            long at = 1_000 * MS + k * 20 * MS + (long) (rnd.nextGaussian() * 3 * MS);
            if (rnd.nextInt(100) < 3) continue; // lost
            byte[] b = rtp(seq, ts, 0);
            if (held == null && rnd.nextInt(500) == 0) { // reordered: sent after the next one
                held = b;
                heldAt = at;
                continue;
            }
            s.packet(++frame, at, at, b, 0, b.length);
            if (rnd.nextInt(700) == 0) s.packet(++frame, at + MS, at + MS, b, 0, b.length); // duplicate
            if (held != null) {
                s.packet(++frame, Math.max(heldAt, at) + MS, Math.max(heldAt, at) + MS, held, 0, held.length);
                held = null;
            }
        }
        StreamSummary sum = s.summary("lan");
        StreamSeries ser = sum.series();
        assertTrue(ser.size() <= SeriesBuckets.CAP && ser.size() > SeriesBuckets.CAP / 2, "buckets " + ser.size());
        assertTrue(ser.widthNanos() > SeriesBuckets.FIRST_WIDTH_NANOS, "the width doubled");
        assertEquals(0, ser.widthNanos() % SeriesBuckets.FIRST_WIDTH_NANOS);
        assertEquals(1, Long.bitCount(ser.widthNanos() / SeriesBuckets.FIRST_WIDTH_NANOS), "a power of two");
        assertTrue(sum.lost() > 600 && sum.duplicates() > 0 && sum.outOfOrder() > 0, sum.toString());
        assertEquals(sum.packets(), ser.totalPackets());
        assertEquals(sum.lost(), ser.totalLost());
        assertEquals(sum.maxJitterMs(), ser.maxJitterMs(), 0.0);
        assertEquals(sum.firstNanos(), ser.startNanos());
        // the span covers the stream: the last bucket holds the last packet
        assertTrue(ser.startNanos() + ser.size() * ser.widthNanos() >= sum.lastNanos());
        for (int i = 0; i < ser.size(); i++) {
            assertTrue(Double.isNaN(ser.meanJitterMs(i)) || ser.meanJitterMs(i) <= ser.maxJitterMs(i));
        }
    }

    /** A gap in the middle of a stream (packets the router dropped) shows as loss in the buckets of the gap only. */
    @Test
    void lossLandsInItsBucket() {
        RtpStream s = stream();
        long frame = 0;
        for (int k = 0; k < 500; k++) { // 10 s, first width 250 ms: 40 buckets, no merge
            if (k >= 200 && k < 225) continue; // 25 packets (500 ms) missing from 4.0 s
            long at = k * 20 * MS;
            byte[] b = rtp(k, 160L * k, 0);
            s.packet(++frame, at, at, b, 0, b.length);
        }
        StreamSeries ser = s.summary("wan").series();
        assertEquals(SeriesBuckets.FIRST_WIDTH_NANOS, ser.widthNanos());
        assertEquals(40, ser.size());
        // the loss is counted when the next packet arrives: 4.5 s, bucket 18
        for (int i = 0; i < ser.size(); i++) {
            assertEquals(i == 18 ? 25 : 0, ser.lost(i), "bucket " + i);
            assertEquals(i == 16 || i == 17 ? 0 : 12 + (i % 2 == 0 ? 1 : 0), ser.packets(i), "bucket " + i);
        }
        assertEquals(25, ser.totalLost());
    }

    /** Summaries built from figures (tests, other tools) carry an empty series. */
    @Test
    void figuresOnlySummaryHasEmptySeries() {
        StreamSummary s = new StreamSummary("lan", "", "", 1, 0, "PCMU", "0", 8000, "a", "b", false, 1, 2, 0, 0, 2,
                2, 0, 0, 0, 0, 0, 0, 20, 20, 20, 0, 0, 0, 0, 0, 0, Double.NaN, 0, Double.NaN, Double.NaN, 0, "");
        assertEquals(0, s.series().size());
        assertTrue(Double.isNaN(s.series().maxJitterMs()));
    }

    /** A stream shorter than the first bucket keeps one bucket; its figures are the stream's. */
    @Test
    void shortStreamKeepsOneBucket() {
        RtpStream s = stream();
        for (int k = 0; k < 10; k++) {
            if (k == 4) continue;
            byte[] b = rtp(k, 160L * k, 0);
            s.packet(k + 1, k * 20 * MS, k * 20 * MS, b, 0, b.length);
        }
        StreamSummary sum = s.summary("lan");
        assertEquals(1, sum.series().size());
        assertEquals(9, sum.series().packets(0));
        assertEquals(1, sum.series().lost(0));
        assertEquals(sum.maxJitterMs(), sum.series().maxJitterMs(), 0.0);
    }
}
