package dev.natrecon.capture;

/** The end of a thread that reads (or decodes) a capture ahead of the analysis. */
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
}
