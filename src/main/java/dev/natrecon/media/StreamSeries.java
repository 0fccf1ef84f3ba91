package dev.natrecon.media;

import java.util.Arrays;

/**
 * One RTP stream's jitter and loss over time, as equal buckets of arrival time from its first packet (at most
 * {@link SeriesBuckets#CAP}; the width doubled each time the stream outlasted them). Per bucket: packets received,
 * packets lost (expected from the extended sequence numbers minus received, counted the way the stream's own
 * {@link StreamSummary#lost()} is, so the buckets sum to it; a bucket can be negative when a late packet of an
 * earlier bucket arrives in it), and the mean and max of the RFC 3550 jitter samples the stream's mean and max are
 * taken from (NaN where there were none). Immutable: the getters return copies.
 */
public final class StreamSeries {
    /** The series of a stream that had none (summaries built outside the analysis). */
    public static final StreamSeries EMPTY = new StreamSeries(0, SeriesBuckets.FIRST_WIDTH_NANOS, new int[0],
            new long[0], new double[0], new double[0]);
    /** The series of a stream that needed a full one after the case's budget was spent ({@code SeriesBudget}). */
    public static final StreamSeries NOT_KEPT = new StreamSeries(0, SeriesBuckets.FIRST_WIDTH_NANOS, new int[0],
            new long[0], new double[0], new double[0]);

    private final long startNanos, widthNanos;
    private final int[] packets;
    private final long[] lost;
    private final double[] meanJitterMs, maxJitterMs;

    StreamSeries(long startNanos, long widthNanos, int[] packets, long[] lost, double[] meanJitterMs,
                 double[] maxJitterMs) {
        this.startNanos = startNanos;
        this.widthNanos = widthNanos;
        this.packets = packets;
        this.lost = lost;
        this.meanJitterMs = meanJitterMs;
        this.maxJitterMs = maxJitterMs;
    }

    /** Buckets in the series. */
    public int size() {
        return packets.length;
    }

    /** Where bucket 0 starts: the stream's first packet (case clock, ns). */
    public long startNanos() {
        return startNanos;
    }

    /** The width of every bucket (ns). */
    public long widthNanos() {
        return widthNanos;
    }

    /** Packets received in bucket {@code i}. */
    public long packets(int i) {
        return packets[i];
    }

    /** Packets lost in bucket {@code i} (expected minus received; negative when late packets arrived in it). */
    public long lost(int i) {
        return lost[i];
    }

    /** Mean jitter (ms) of bucket {@code i}, NaN when no sample fell in it. */
    public double meanJitterMs(int i) {
        return meanJitterMs[i];
    }

    /** Max jitter (ms) of bucket {@code i}, NaN when no sample fell in it. */
    public double maxJitterMs(int i) {
        return maxJitterMs[i];
    }

    /** Sum of packets over the buckets. */
    public long totalPackets() {
        return Arrays.stream(packets).asLongStream().sum();
    }

    /** Sum of lost over the buckets. */
    public long totalLost() {
        return Arrays.stream(lost).sum();
    }

    /** Largest max jitter over the buckets, NaN when none. */
    public double maxJitterMs() {
        double m = Double.NaN;
        for (double d : maxJitterMs) if (!Double.isNaN(d) && (Double.isNaN(m) || d > m)) m = d;
        return m;
    }
}
