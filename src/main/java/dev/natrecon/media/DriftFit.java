package dev.natrecon.media;

/**
 * The least-squares line of one stream's media time (RTP timestamp in ms of the payload clock) against its arrival
 * time (ms of the capture's clock), kept as running sums: constant memory, no allocation per point.
 *
 * <p>Wireshark's RTP analysis reports the clock drift as {@code duration * (slope - 1)} with {@code slope} the
 * least-squares slope of nominal time on arrival time ({@code ui/tap-rtp-analysis.c} gathers {@code sumt, sumTS,
 * sumt2, sumtTS}; {@code ui/tap-rtp-common.c rtpstream_info_calculate} divides {@code n*sumtTS - sumt*sumTS} by
 * {@code n*sumt2 - sumt^2}). The same slope is computed here with Welford's running means and co-moments instead of
 * raw sums, which lose every significant digit to cancellation on a long stream (an hour is 3.6e6 ms; its squares
 * summed over 180,000 packets pass 1e17, where a double keeps no fractional part).
 */
final class DriftFit {
    private long n;
    private double meanX, meanY, varianceSum, covarianceSum;

    /** One point: arrival {@code x} and media time {@code y}, both in ms from the stream's first in-order packet. */
    void add(double x, double y) {
        n++;
        double dx = x - meanX;
        meanX += dx / n;
        meanY += (y - meanY) / n;
        varianceSum += dx * (x - meanX);
        covarianceSum += dx * (y - meanY);
    }

    /** Points added so far. */
    long points() {
        return n;
    }

    /** The slope of media time on arrival time (1 for a sender whose clock keeps time), NaN below two instants. */
    double slope() {
        return n >= 2 && varianceSum > 0 ? covarianceSum / varianceSum : Double.NaN;
    }
}
