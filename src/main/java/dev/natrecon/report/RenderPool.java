package dev.natrecon.report;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small bounded pool that renders a case's charts at the end of the run ({@link ReportSink#finish}), while the
 * calling thread writes the text reports: the replay is single-threaded, so at its end the other core is idle.
 * Each job computes one chart and writes its own files (atomically, under names fixed before it starts), so the
 * files are the same whatever order the jobs run in. {@link #await(Future)} returns a job's result or rethrows its
 * failure as it was thrown (an {@link IOException} stays one); {@link #close()} waits for every job, so no job is
 * still writing into the case folder when {@code finish} returns, and stops the threads (none outlives the case).
 */
final class RenderPool implements AutoCloseable {
    /** Threads at most: the machines this runs on have 2 cores or more; more would only contend with the caller. */
    static final int MAX_THREADS = 2;
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ExecutorService pool;
    private final List<Future<?>> jobs = new ArrayList<>();

    /** A pool of {@code min(MAX_THREADS, available processors)} daemon threads. */
    RenderPool() {
        this(Math.max(1, Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors())));
    }

    RenderPool(int threads) {
        int id = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "natrecon-render-" + id + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues {@code job}; its result (or failure) is taken with {@link #await(Future)}. */
    <T> Future<T> submit(Callable<T> job) {
        Future<T> f = pool.submit(job);
        jobs.add(f);
        return f;
    }

    /** The job's result once it is done; its failure rethrown unwrapped. */
    static <T> T await(Future<T> job) throws IOException {
        try {
            return job.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the charts were drawn");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            if (cause instanceof UncheckedIOException u) throw u.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IOException(cause);
        }
    }

    /** Waits for every job in the order they were submitted; the first failure in that order is rethrown. */
    void awaitAll() throws IOException {
        for (Future<?> f : jobs) await(f);
    }

    /** Waits for every job still running (their failures were or will not be reported here), then stops the threads. */
    @Override
    public void close() {
        pool.shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.MINUTES)) break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
