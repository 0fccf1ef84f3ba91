package dev.natrecon.capture;

/**
 * Maps a capture's own clock onto the reference timeline: {@code corrected = t + offset + drift × (t − anchor)}.
 * The LAN capture is the reference (identity); the WAN capture gets the estimated or given offset.
 *
 * @param offsetNanos  offset added at {@code anchorNanos}
 * @param driftPpm     clock rate difference in parts per million (positive: this clock runs slow)
 * @param anchorNanos  capture-clock instant at which {@code offsetNanos} holds exactly
 */
public record ClockCorrection(long offsetNanos, double driftPpm, long anchorNanos) {
    public static final ClockCorrection NONE = new ClockCorrection(0, 0, 0);

    public static ClockCorrection offsetSeconds(double seconds) {
        return new ClockCorrection(Math.round(seconds * 1e9), 0, 0);
    }

    public long apply(long nanos) {
        if (driftPpm == 0) return nanos + offsetNanos;
        return nanos + offsetNanos + Math.round((nanos - anchorNanos) * driftPpm * 1e-6);
    }
}
