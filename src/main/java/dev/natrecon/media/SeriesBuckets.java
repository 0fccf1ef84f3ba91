package dev.natrecon.media;

/**
 * The running time series of one RTP stream for its chart: at most {@link #CAP} buckets of arrival time, each with
 * the packets received, the packets expected from the extended sequence numbers, and the sum, count and maximum of
 * the RFC 3550 jitter samples taken in it. When the stream outlasts the buckets, neighbours are merged pairwise and
 * the width doubles, so memory per stream is constant (arrays allocated once, with the stream) and nothing is
 * allocated per packet. Merging only adds, so the totals over the buckets stay equal to the stream's own.
 */
final class SeriesBuckets {
    /** Buckets kept at most: 120 columns fill a 960-pixel chart at 8 pixels each (report/Charts.WIDTH). */
    static final int CAP = 120;
    /** The first width: 250 ms holds about 12 packets at RFC 3551's default 20 ms packetisation; 120 of them 30 s. */
    static final long FIRST_WIDTH_NANOS = 250_000_000L;

    private final int[] received = new int[CAP];
    private final long[] expected = new long[CAP];
    private final double[] jitterSum = new double[CAP];
    private final int[] jitterCount = new int[CAP];
    private final double[] jitterMax = new double[CAP];
    private long widthNanos = FIRST_WIDTH_NANOS;
    private int used;
    private int current;

    /** Selects the bucket of a packet {@code sinceFirstNanos} after the stream's first one (merging when needed). */
    void at(long sinceFirstNanos) {
        long t = Math.max(0, sinceFirstNanos);
        long i = t / widthNanos;
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
