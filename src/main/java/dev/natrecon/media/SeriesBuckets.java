package dev.natrecon.media;

/**
 * The running time series of one RTP stream for its chart: at most {@link #CAP} buckets of arrival time, each with
 * the packets received, the packets expected from the extended sequence numbers, and the sum, count and maximum of
 * the RFC 3550 jitter samples taken in it. When the stream outlasts the buckets, neighbours are merged pairwise and
 * the width doubles, so memory per stream is constant and nothing is allocated per packet. The arrays hold one
 * bucket until the stream outlasts its first {@link #FIRST_WIDTH_NANOS}, then all {@link #CAP} at once (about 3.4 KB):
 * the many one-packet or short UDP flows that are taken as RTP candidates cost a few bytes, not a full series.
 * Merging only adds, so the totals over the buckets stay equal to the stream's own.
 */
final class SeriesBuckets {
    /** Buckets kept at most: 120 columns fill a 960-pixel chart at 8 pixels each (report/Charts.WIDTH). */
    static final int CAP = 120;
    /** The first width: 250 ms holds about 12 packets at RFC 3551's default 20 ms packetisation; 120 of them 30 s. */
    static final long FIRST_WIDTH_NANOS = 250_000_000L;

    private int[] received = new int[1];
    private long[] expected = new long[1];
    private double[] jitterSum = new double[1];
    private int[] jitterCount = new int[1];
    private double[] jitterMax = new double[1];
    private long widthNanos = FIRST_WIDTH_NANOS;
    private int used;
    private int current;
    /** The case's budget of full series ({@link SeriesBudget}); null: unbounded (a stream on its own, tests). */
    SeriesBudget budget;
    /** The budget was spent when this stream needed its full series: no series is kept (an empty snapshot). */
    private boolean off;

    /** Selects the bucket of a packet {@code sinceFirstNanos} after the stream's first one (merging when needed). */
    void at(long sinceFirstNanos) {
        if (off) return;
        long t = Math.max(0, sinceFirstNanos);
        long i = t / widthNanos;
        if (i >= 1 && received.length == 1) {
            if (budget != null && !budget.take()) {
                off = true;
                current = 0;
                return;
            }
            grow();
        }
        while (i >= CAP) {
            merge();
            i = t / widthNanos;
        }
        current = (int) i;
        if (current + 1 > used) used = current + 1;
    }

    /** One packet received in the current bucket; {@code expectedStep}: how far the extended last sequence moved. */
    void packet(long expectedStep) {
        received[current]++;
        expected[current] += expectedStep;
    }

    /** One jitter sample (ms) counted in the stream's mean and max, in the current bucket. */
    void jitter(double ms) {
        jitterSum[current] += ms;
        if (jitterCount[current] == 0 || ms > jitterMax[current]) jitterMax[current] = ms;
        jitterCount[current]++;
    }

    /** From the first bucket alone to all of them (once per stream). */
    private void grow() {
        received = java.util.Arrays.copyOf(received, CAP);
        expected = java.util.Arrays.copyOf(expected, CAP);
        jitterSum = java.util.Arrays.copyOf(jitterSum, CAP);
        jitterCount = java.util.Arrays.copyOf(jitterCount, CAP);
        jitterMax = java.util.Arrays.copyOf(jitterMax, CAP);
    }

    private void merge() {
        for (int k = 0; k < CAP / 2; k++) {
            int a = 2 * k, b = a + 1;
            received[k] = received[a] + received[b];
            expected[k] = expected[a] + expected[b];
            jitterSum[k] = jitterSum[a] + jitterSum[b];
            double max = jitterCount[a] == 0 ? jitterMax[b] : jitterCount[b] == 0 ? jitterMax[a]
                    : Math.max(jitterMax[a], jitterMax[b]);
            jitterMax[k] = max;
            jitterCount[k] = jitterCount[a] + jitterCount[b];
        }
        for (int k = CAP / 2; k < CAP; k++) {
            received[k] = 0;
            expected[k] = 0;
            jitterSum[k] = 0;
            jitterCount[k] = 0;
            jitterMax[k] = 0;
        }
        used = (used + 1) / 2;
        widthNanos *= 2;
    }

    /** An immutable copy, starting at {@code firstNanos} (the stream's first packet on the case's clock). */
    StreamSeries snapshot(long firstNanos) {
        if (off) return StreamSeries.NOT_KEPT;
        long[] lost = new long[used];
        double[] mean = new double[used], max = new double[used];
        int[] packets = java.util.Arrays.copyOf(received, used);
        for (int k = 0; k < used; k++) {
            lost[k] = expected[k] - received[k];
            mean[k] = jitterCount[k] == 0 ? Double.NaN : jitterSum[k] / jitterCount[k];
            max[k] = jitterCount[k] == 0 ? Double.NaN : jitterMax[k];
        }
        return new StreamSeries(firstNanos, widthNanos, packets, lost, mean, max);
    }
}
