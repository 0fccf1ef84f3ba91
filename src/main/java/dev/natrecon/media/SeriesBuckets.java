package dev.natrecon.media;

/**
 * The running time series of one RTP stream for its chart: at most {@link #CAP} buckets of arrival time, each with
 * the packets received, the packets expected from the extended sequence numbers, and the sum, count and maximum of
 * the RFC 3550 jitter samples taken in it. When the stream outlasts the buckets, neighbours are merged pairwise and
 * the width doubles, so memory per stream is constant and nothing is allocated per packet. The arrays hold one
 * bucket until the stream outlasts its first {@link #FIRST_WIDTH_NANOS}, then all {@link #CAP} at once (about 3.8 KB):
 * the many one-packet or short UDP flows that are taken as RTP candidates cost a few bytes, not a full series.
 * Merging only adds, so the totals over the buckets stay equal to the stream's own.
 *
 * <p>A bucket is four longs side by side in one array (half a cache line): the packets received and the jitter
 * samples (32 bits each: a bucket of 2^32 packets would take over two years at 50 packets a second), the packets
 * expected, and the jitter sum and maximum as the bits of their doubles. A packet in the same bucket as the one before
 * (nearly all: 12 a bucket at 20 ms) finds it by comparing times, without a division, and counts into this object's
 * copy of that bucket ({@link #curCounts} and the three after it), which goes back into the array only when another
 * bucket is selected, the buckets merge or a snapshot is taken: the array's line is read and written once a bucket, not
 * on every packet (a cache miss per packet on a busy site's hundreds of streams). The copy continues exactly what the
 * array held (the same additions in the same order), so the totals are the same to the bit.
 */
final class SeriesBuckets {
    /** Buckets kept at most: 120 columns fill a 960-pixel chart at 8 pixels each (report/Charts.WIDTH). */
    static final int CAP = 120;
    /** The first width: 250 ms holds about 12 packets at RFC 3551's default 20 ms packetisation; 120 of them 30 s. */
    static final long FIRST_WIDTH_NANOS = 250_000_000L;
    /**
     * Per bucket: packets received (low 32 bits) and jitter samples (high 32 bits); packets expected; the jitter sum and
     * maximum (ms) as {@link Double#doubleToRawLongBits} bits.
     */
    private static final int COUNTS = 0, EXPECTED = 1, JITTER_SUM = 2, JITTER_MAX = 3, STRIDE = 4;
    /** One jitter sample in {@link #COUNTS}' high half. */
    private static final long ONE_JITTER = 1L << 32;

    private long[] buckets = new long[STRIDE];
    private long widthNanos = FIRST_WIDTH_NANOS;
    private int used;
    /** The current bucket's first index in {@link #buckets}. */
    private int current;
    /** The current bucket's times since the first packet, [from, to): a packet inside them needs no division. */
    private long currentFrom, currentTo;
    /**
     * The current bucket's four values while it is current (the array's copy is stale until {@link #store}): before
     * the first packet, bucket 0 with nothing in it, as the array holds.
     */
    private long curCounts, curExpected;
    private double curJitterSum, curJitterMax;
    /** The case's budget of full series ({@link SeriesBudget}); null: unbounded (a stream on its own, tests). */
    SeriesBudget budget;
    /** The budget was spent when this stream needed its full series: no series is kept (an empty snapshot). */
    private boolean off;

    /** Selects the bucket of a packet {@code sinceFirstNanos} after the stream's first one (merging when needed). */
    void at(long sinceFirstNanos) {
        if (off) return;
        long t = Math.max(0, sinceFirstNanos);
        if (t >= currentFrom && t < currentTo) return; // the bucket of the packet before
        store();
        long i = t / widthNanos;
        if (i >= 1 && buckets.length == STRIDE) {
            if (budget != null && !budget.take()) {
                off = true;
                current = 0;
                return;
            }
            buckets = java.util.Arrays.copyOf(buckets, CAP * STRIDE); // from the first bucket alone to all (once)
        }
        while (i >= CAP) {
            merge();
            i = t / widthNanos;
        }
        current = (int) i * STRIDE;
        load();
        currentFrom = i * widthNanos;
        currentTo = currentFrom + widthNanos;
        if (i + 1 > used) used = (int) i + 1;
    }

    /** One packet received in the current bucket; {@code expectedStep}: how far the extended last sequence moved. */
    void packet(long expectedStep) {
        curCounts++;
        curExpected += expectedStep;
    }

    /** One jitter sample (ms) counted in the stream's mean and max, in the current bucket. */
    void jitter(double ms) {
        curJitterSum += ms;
        if (jitterCount(curCounts) == 0 || ms > curJitterMax) curJitterMax = ms;
        curCounts += ONE_JITTER;
    }

    /** Writes the current bucket's values back into the array. */
    private void store() {
        long[] b = buckets;
        int c = current;
        b[c + COUNTS] = curCounts;
        b[c + EXPECTED] = curExpected;
        b[c + JITTER_SUM] = bits(curJitterSum);
        b[c + JITTER_MAX] = bits(curJitterMax);
    }

    /** Takes the values of the bucket at {@link #current} from the array (it may have been current before). */
    private void load() {
        long[] b = buckets;
        int c = current;
        curCounts = b[c + COUNTS];
        curExpected = b[c + EXPECTED];
        curJitterSum = value(b[c + JITTER_SUM]);
        curJitterMax = value(b[c + JITTER_MAX]);
    }

    private static int received(long counts) {
        return (int) counts;
    }

    private static int jitterCount(long counts) {
        return (int) (counts >>> 32);
    }

    private static long bits(double v) {
        return Double.doubleToRawLongBits(v);
    }

    private static double value(long bits) {
        return Double.longBitsToDouble(bits);
    }

    private void merge() {
        long[] b = buckets;
        for (int k = 0; k < CAP / 2; k++) {
            int x = 2 * k * STRIDE, y = x + STRIDE, to = k * STRIDE;
            int countX = jitterCount(b[x + COUNTS]), countY = jitterCount(b[y + COUNTS]);
            double maxX = value(b[x + JITTER_MAX]), maxY = value(b[y + JITTER_MAX]);
            long received = (long) received(b[x + COUNTS]) + received(b[y + COUNTS]);
            b[to + COUNTS] = received & 0xffffffffL | (long) (countX + countY) << 32;
            b[to + EXPECTED] = b[x + EXPECTED] + b[y + EXPECTED];
            b[to + JITTER_SUM] = bits(value(b[x + JITTER_SUM]) + value(b[y + JITTER_SUM]));
            b[to + JITTER_MAX] = bits(countX == 0 ? maxY : countY == 0 ? maxX : Math.max(maxX, maxY));
        }
        java.util.Arrays.fill(b, CAP / 2 * STRIDE, CAP * STRIDE, 0L);
        used = (used + 1) / 2;
        widthNanos *= 2;
        currentFrom = currentTo = 0; // the next packet finds its bucket at the new width
    }

    /** An immutable copy, starting at {@code firstNanos} (the stream's first packet on the case's clock). */
    StreamSeries snapshot(long firstNanos) {
        if (off) return StreamSeries.NOT_KEPT;
        store();
        long[] lost = new long[used];
        double[] mean = new double[used], max = new double[used];
        int[] packets = new int[used];
        for (int k = 0; k < used; k++) {
            int c = k * STRIDE;
            int jitterCount = jitterCount(buckets[c + COUNTS]);
            packets[k] = received(buckets[c + COUNTS]);
            lost[k] = buckets[c + EXPECTED] - packets[k];
            mean[k] = jitterCount == 0 ? Double.NaN : value(buckets[c + JITTER_SUM]) / jitterCount;
            max[k] = jitterCount == 0 ? Double.NaN : value(buckets[c + JITTER_MAX]);
        }
        return new StreamSeries(firstNanos, widthNanos, packets, lost, mean, max);
    }
}
