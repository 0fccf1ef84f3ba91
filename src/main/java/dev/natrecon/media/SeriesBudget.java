package dev.natrecon.media;

/**
 * How many streams of one case keep a full time series for their chart ({@link SeriesBuckets}, about 3.8 KB each):
 * the first {@link #MAX_SERIES} streams that outlast one bucket. The charts draw the 20 streams with the most packets,
 * so a case with more long streams than this loses only charts of later streams, and memory stays bounded (50,000
 * streams with a full series each would hold about 190 MB; issue 18's 512 MB).
 */
final class SeriesBudget {
    /** Full series per case: 2,000 x 3.8 KB, about 8 MB. */
    static final int MAX_SERIES = 2_000;

    private int left;
    private long refused;

    SeriesBudget(int max) {
        left = max;
    }

    /** Takes one full series; false once they are spent (counted). */
    boolean take() {
        if (left > 0) {
            left--;
            return true;
        }
        refused++;
        return false;
    }

    /** Streams that needed a full series after the budget was spent. */
    long refused() {
        return refused;
    }
}
