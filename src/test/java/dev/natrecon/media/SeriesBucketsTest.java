package dev.natrecon.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The series' copy of its current bucket ({@link SeriesBuckets} counts into it and writes it back when another bucket
 * is selected): every change of bucket keeps what each bucket got, forward, back to an earlier bucket (a capture's
 * clock stepping back), into the first bucket again after it grew, and across a merge; the result is what a bucket-by-
 * bucket sum by hand gives.
 */
class SeriesBucketsTest {
    private static final long MS = 1_000_000L;

    private static void packet(SeriesBuckets s, long ms, long expected, double jitter) {
        s.at(ms * MS);
        s.packet(expected);
        if (!Double.isNaN(jitter)) s.jitter(jitter);
    }

    @Test
    void eachBucketKeepsItsOwnCountsWhicheverWayTheTimeGoes() {
        SeriesBuckets s = new SeriesBuckets();
        packet(s, 0, 1, Double.NaN);
        packet(s, 20, 1, 0.5);
        packet(s, 600, 2, 3.0);    // bucket 2 (the array grows from one bucket to all)
        packet(s, 100, 1, 0.25);   // back to bucket 0: what it held before is still there
        packet(s, 610, 1, 1.0);    // bucket 2 again
        packet(s, 300, 1, Double.NaN); // bucket 1, no jitter sample
        StreamSeries ser = s.snapshot(0);
        assertEquals(3, ser.size());
        assertEquals(3, ser.packets(0));
        assertEquals(1, ser.packets(1));
        assertEquals(2, ser.packets(2));
        assertEquals(0, ser.lost(0));
        assertEquals(0, ser.lost(1));
        assertEquals(1, ser.lost(2), "3 expected, 2 received");
        assertEquals((0.5 + 0.25) / 2, ser.meanJitterMs(0), 0);
        assertEquals(0.5, ser.maxJitterMs(0), 0);
        assertEquals(Double.NaN, ser.meanJitterMs(1));
        assertEquals(2.0, ser.meanJitterMs(2), 0);
        assertEquals(3.0, ser.maxJitterMs(2), 0);
        // a snapshot writes the current bucket back; packets after it are still counted
        packet(s, 320, 1, 7.0);
        StreamSeries again = s.snapshot(0);
        assertEquals(2, again.packets(1));
        assertEquals(7.0, again.maxJitterMs(1), 0);
        assertEquals(3, again.packets(0), "the earlier snapshot did not count anything twice");
    }

    @Test
    void aMergeSumsTheCurrentBucketToo() {
        SeriesBuckets s = new SeriesBuckets();
        // one packet every 125 ms (two a bucket) for CAP buckets, then one more that needs the width doubled
        long n = 2L * SeriesBuckets.CAP;
        for (long i = 0; i < n; i++) packet(s, i * 125, 1, i);
        packet(s, n * 125, 1, 0.0);
        StreamSeries ser = s.snapshot(0);
        assertEquals(2 * SeriesBuckets.FIRST_WIDTH_NANOS, ser.widthNanos());
        assertEquals(SeriesBuckets.CAP / 2 + 1, ser.size());
        for (int k = 0; k < SeriesBuckets.CAP / 2; k++) {
            assertEquals(4, ser.packets(k), "bucket " + k);
            double sum = 4 * k + (4 * k + 1) + (4 * k + 2) + (4 * k + 3);
            assertEquals(sum / 4, ser.meanJitterMs(k), 0, "bucket " + k);
            assertEquals(4 * k + 3, ser.maxJitterMs(k), 0, "bucket " + k);
        }
        assertEquals(1, ser.packets(SeriesBuckets.CAP / 2));
        assertEquals(n + 1, ser.totalPackets());
    }
}
