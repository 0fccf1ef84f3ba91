package dev.natrecon.spark;

import dev.natrecon.correlate.Crossing;
import dev.natrecon.engine.AnalysisSink;
import java.io.IOException;

/**
 * The per-case time limit of a Spark task: a sink that stops the case's analysis at the first packet after the limit
 * (checked every {@value #EVERY} packets, so the check costs nothing per packet), with a one-line reason. Batch's own
 * code turns that into a failed row; the task decides whether Spark retries it ({@link RunCase}).
 */
final class CaseDeadline implements AnalysisSink {
    /** Packets between two clock reads: about a millisecond of analysis at natrecon's replay rate (README, Performance). */
    static final int EVERY = 1024;

    private final long limitSeconds;
    private final long limitNanos;
    private final long start = System.nanoTime();
    private int sinceCheck;
    private long packets;
    private volatile boolean expired;

    CaseDeadline(long limitSeconds) {
        this.limitSeconds = limitSeconds;
        this.limitNanos = limitSeconds * 1_000_000_000L;
    }

    @Override
    public void packet(Crossing c) throws IOException {
        packets++;
        if (++sinceCheck < EVERY) return;
        sinceCheck = 0;
        if (System.nanoTime() - start > limitNanos) {
            expired = true;
            throw new IOException("ran past the per-case time limit of " + limitSeconds + " s (stopped after "
                    + packets + " packets)");
        }
    }

    @Override
    public void finish(dev.natrecon.engine.RunResult result) {
    }

    /** Whether the limit stopped the case. */
    boolean expired() {
        return expired;
    }
}
