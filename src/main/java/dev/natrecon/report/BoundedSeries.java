package dev.natrecon.report;

import java.util.Arrays;

/**
 * A time series for a chart that never holds more than {@link #CAP} points: when full, neighbouring points are merged
 * pairwise (the earlier time, the larger value), so peaks survive and memory stays fixed however long the capture.
 */
final class BoundedSeries {
    /**
     * Points kept: one per pixel column of the {@link Charts#WIDTH}-pixel chart, rounded up to a power of two (the
     * merge keeps each pair's larger value, so a peak stays drawn). More cannot be seen and only grow the SVG, two
     * line elements per point: 8192 made a 2.2 MB table.svg on a 4-million-frame case (issue 18).
     */
    static final int CAP = 1024;
    private long[] times = new long[256];
    private double[] values = new double[256];
    private int size;
    private int merges;

    void add(long nanos, double value) {
        if (size == CAP) compact();
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        times[size] = nanos;
        values[size++] = value;
    }

    private void compact() {
        int n = 0;
        for (int i = 0; i < size; i += 2) {
            times[n] = times[i];
            values[n++] = i + 1 < size ? Math.max(values[i], values[i + 1]) : values[i];
        }
        size = n;
        merges++;
    }

    int size() {
        return size;
    }

    long time(int i) {
        return times[i];
    }

    double value(int i) {
        return values[i];
    }

    double max() {
        double m = 0;
        for (int i = 0; i < size; i++) m = Math.max(m, values[i]);
        return m;
    }

    /** How many times the series was halved (0: every point kept). */
    int merges() {
        return merges;
    }
}
