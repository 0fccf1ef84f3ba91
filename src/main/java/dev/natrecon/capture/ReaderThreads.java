package dev.natrecon.capture;

/**
 * The end of a thread that reads (or decodes, or matches) a capture ahead of the analysis, and how its failure reaches
 * the consumer.
 */
public final class ReaderThreads {
    private ReaderThreads() {
    }

    /**
     * Interrupts {@code thread} and waits until it has ended, however often the caller is interrupted meanwhile (the
     * caller's interrupt status is kept): no reading thread outlives its stream's {@code close()}.
     */
    public static void stop(Thread thread) {
        thread.interrupt();
        join(thread);
    }

    /**
     * Waits until {@code thread} has ended, however often the caller is interrupted meanwhile (the caller's interrupt
     * status is kept).
     */
    public static void join(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /**
     * A failure caught on a reading thread, for its consumer to throw: an {@link java.io.IOException} as itself (to
     * throw), a {@link RuntimeException} or {@link Error} thrown here as itself, anything else wrapped.
     */
    public static java.io.IOException rethrow(Throwable t) {
        if (t instanceof java.io.IOException io) return io;
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        return new java.io.IOException(t);
    }
}
