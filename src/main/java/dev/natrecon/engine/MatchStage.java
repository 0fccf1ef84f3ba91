package dev.natrecon.engine;

import dev.natrecon.capture.ReaderThreads;
import dev.natrecon.capture.Switches;
import dev.natrecon.correlate.Seen;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * The replay's second pipeline stage: the merge of the decoded captures, the filling of each frame's {@link Seen} and
 * the {@link dev.natrecon.correlate.PacketMatcher} run on a thread of their own ({@value #THREAD_NAME}), which hands
 * the replay's thread what the matcher produced, in batches, as one sequence of entries in the order the inline
 * replay makes the same calls: "a frame entered the matcher" ({@link Downstream#seen}, for the model's
 * {@code frameSeen}) and "a frame was resolved" ({@link Downstream#resolved}). The replay's thread runs them in that
 * order, so every result is byte-identical to running the stage inline.
 *
 * <p><b>One direction.</b> Nothing flows back from the replay into matching but the records themselves: what the
 * matcher needs (the spans, the external addresses, the inside ranges, the helper ports) is fixed before the stage
 * starts, and the captures' ends are found by the merge on the stage's thread.
 *
 * <p><b>Ownership.</b> A record belongs to the stage's thread until the batch holding it is handed over, then to the
 * replay's thread until the batch comes back empty, when the stage gives its records back to the matcher
 * ({@code release}) for reuse. The matcher keeps only its own bookkeeping flags on records it has handed over (see
 * {@link dev.natrecon.correlate.PacketMatcher#keepRecordsUntilReleased}). A "seen" entry and the later "resolved"
 * entry of one frame hold the same record; the matcher writes the match fields (outcome, counterpart) of a record
 * whose "seen" entry was handed over before, never the frame fields the model's {@code frameSeen} reads.
 *
 * <p><b>Bounded, no allocation per frame.</b> {@link #BATCHES} reusable batches of {@link #BATCH_ENTRIES} entries;
 * the stage's thread blocks when every batch is full.
 *
 * <p><b>Errors, no hang.</b> A failure on the stage's thread (a reader's {@code CaptureException} naming the file and
 * frame, a bug) reaches the replay's thread, as the same object, after the entries before it; a failure on the
 * replay's thread ends the run there, and {@link #close()} interrupts the stage's thread and waits for it to end.
 */
final class MatchStage implements AutoCloseable {
    /** The stage's thread's name. */
    static final String THREAD_NAME = "natrecon-match";
    /**
     * Entries per hand-over (each frame makes one or two): large enough that the queue's cost per frame vanishes,
     * small enough that a batch's records are still in the shared cache when the replay reads them. Measured on the
     * bench pair (per-thread CPU, 2 cores): 256 to 2048 alike within the noise, 8192 no better.
     */
    static final int BATCH_ENTRIES = 1024;
    /** Batches: one being consumed, one being filled, two ready. */
    static final int BATCHES = 4;
    /**
     * System property: {@code off} runs the merge and the matcher on the replay's thread (the way before the stage, for
     * comparisons); {@code on} runs the stage even for small captures (decoded inline), for tests and comparisons.
     */
    static final String PROPERTY = "natrecon.matchAhead";

    /** What the stage's thread runs: one frame merged and offered per step, then the end of the stream. */
    interface Feed {
        /** Merges and offers the next frame; false when every capture is exhausted. */
        boolean step() throws IOException;

        /** After the last frame: the matcher releases what it still holds. */
        void end() throws IOException;
    }

    /** What the replay's thread does with the entries, in order. */
    interface Downstream {
        /** A frame entered the matcher (before the frames resolved by its offer). */
        void seen(Seen s);

        /** A frame was resolved. */
        void resolved(Seen s);

        /** After each entry: a failure the entry caused is thrown here. */
        void afterEach() throws IOException;
    }

    /** One hand-over: entries, then possibly the end of the stream or the failure that ended it. */
    private static final class Batch {
        final Seen[] records = new Seen[BATCH_ENTRIES];
        /** Per entry: true for "seen", false for "resolved". */
        final boolean[] seen = new boolean[BATCH_ENTRIES];
        int count;
        boolean end;
        Throwable failure;
    }

    /** Thrown through the matcher's listener when the stage is stopped while it waits for an empty batch. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    private final BlockingQueue<Batch> filled = new ArrayBlockingQueue<>(BATCHES);
    private final BlockingQueue<Batch> empty = new ArrayBlockingQueue<>(BATCHES);
    private final Consumer<Seen> release;
    private final Thread thread;
    /** The batch the stage's thread fills (only that thread touches it). */
    private Batch filling;

    /**
     * A stage that runs {@code feed} on its own thread (started by {@link #run}); records come back to the matcher
     * through {@code release}, on the stage's thread.
     */
    MatchStage(Feed feed, Consumer<Seen> release) {
        this.release = release;
        for (int i = 0; i < BATCHES; i++) empty.add(new Batch());
        this.thread = new Thread(() -> produce(feed), THREAD_NAME);
        thread.setDaemon(true);
    }

    /** Whether the replay of {@code inputs} runs this stage: some capture is decoded ahead and the property allows it. */
    static boolean wanted(java.util.List<dev.natrecon.capture.MergedFrameSource.Input> inputs) {
        if (Switches.off(PROPERTY)) return false;
        if ("on".equalsIgnoreCase(System.getProperty(PROPERTY, "").strip())) return true;
        for (var in : inputs) if (in.reader().ownThread()) return true;
        return false;
    }

    private void produce(Feed feed) {
        try {
            filling = take();
            try {
                while (feed.step()) {
                    // entries are added by the feed (seen, resolved)
                }
                feed.end();
                filling.end = true;
            } catch (Stopped | InterruptedIOException e) {
                return; // close(): nothing more is wanted
            } catch (IOException | RuntimeException | Error e) {
                filling.failure = e;
            }
            filled.put(filling);
        } catch (InterruptedException | Stopped e) {
            // close(): nothing more is wanted
        }
    }

    /** On the stage's thread: a frame entered the matcher. */
    void seen(Seen s) {
        add(s, true);
    }

    /** On the stage's thread: the matcher resolved a frame. */
    void resolved(Seen s) {
        add(s, false);
    }

    private void add(Seen s, boolean seen) {
        Batch b = filling;
        if (b.count == BATCH_ENTRIES) {
            try {
                filled.put(b);
                b = filling = take();
            } catch (InterruptedException e) {
                throw new Stopped();
            }
        }
        b.records[b.count] = s;
        b.seen[b.count] = seen;
        b.count++;
    }

    /** An empty batch, its records (back from the replay's thread) given back to the matcher. */
    private Batch take() throws InterruptedException {
        Batch b = empty.take();
        for (int i = 0; i < b.count; i++) {
            if (!b.seen[i]) release.accept(b.records[i]);
        }
        Arrays.fill(b.records, 0, b.count, null);
        b.count = 0;
        b.end = false;
        b.failure = null;
        return b;
    }

    /**
     * On the replay's thread: starts the stage and runs every entry through {@code out} until the end of the stream;
     * throws the stage's failure (the same object) after the entries before it, or {@code out}'s.
     */
    void run(Downstream out) throws IOException {
        thread.start();
        while (true) {
            Batch b;
            try {
                b = filled.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while matching ahead");
            }
            Seen[] records = b.records;
            boolean[] seen = b.seen;
            for (int i = 0, n = b.count; i < n; i++) {
                if (seen[i]) out.seen(records[i]);
                else out.resolved(records[i]);
                out.afterEach();
            }
            if (b.failure != null) throw ReaderThreads.rethrow(b.failure);
            if (b.end) return;
            empty.add(b);
        }
    }


    /** Stops the stage's thread, if it runs, and waits for it to end: no stage outlives its replay. */
    @Override
    public void close() {
        if (thread.isAlive()) ReaderThreads.stop(thread);
    }

    /** Whether the stage's thread is running (for tests). */
    boolean threadAlive() {
        return thread.isAlive();
    }
}
