package dev.natrecon.capture;

/**
 * Turns one file's timestamps into a time that never goes backwards, for ordering.
 *
 * <ul>
 *   <li>A frame older than the time reached so far is ordered at that time (clamped) and counted as
 *       {@link CaptureAnomaly#TIME_WENT_BACKWARDS}.</li>
 *   <li>A frame more than {@link #MAX_JUMP_NANOS} ahead is suspect (bogus timestamps such as a year-2041 frame in a
 *       2017 capture): it is ordered at the time reached so far and counted as {@link CaptureAnomaly#TIME_JUMPED};
 *       only when the next frame is within the same margin of it is the jump accepted as real (a capture resumed
 *       later). One wild frame therefore cannot drag the rest of the file to its time.</li>
 * </ul>
 * The frame's own timestamp is never changed; only its place in the merged stream.
 */
public final class FileClock {
    /** One hour: longer than any pause inside a support capture's burst, far shorter than a bogus clock. */
    public static final long MAX_JUMP_NANOS = 3_600_000_000_000L;

    private long reached = Long.MIN_VALUE;
    private long suspect = Long.MIN_VALUE;
    private boolean hasSuspect;

    /** Ordering time of a frame stamped {@code t}; anomalies are counted into {@code anomalies}. */
    public long order(long t, long frameNumber, AnomalyCounts anomalies) {
        if (reached == Long.MIN_VALUE) {
            reached = t;
            return t;
        }
        if (hasSuspect) {
            hasSuspect = false;
            if (Math.abs(t - suspect) <= MAX_JUMP_NANOS) { // confirmed: the capture really continues later
                reached = Math.max(t, suspect);
                return t >= suspect ? t : reached;
            }
        }
        if (t > reached + MAX_JUMP_NANOS) {
            anomalies.add(CaptureAnomaly.TIME_JUMPED, frameNumber);
            suspect = t;
            hasSuspect = true;
            return reached;
        }
        if (t < reached) {
            anomalies.add(CaptureAnomaly.TIME_WENT_BACKWARDS, frameNumber);
            return reached;
        }
        reached = t;
        return t;
    }
}
