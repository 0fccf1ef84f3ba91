package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.correlate.Seen;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The match stage hands the replay's thread every entry its feed made, in order, across many batches; each resolved
 * record comes back to the matcher exactly once, only after the replay's thread is done with it; a failure on either
 * thread ends the run with that failure (the same object), and no stage thread outlives {@code close()}.
 */
class MatchStageTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    /**
     * A feed of {@code frames} frames: frame i is seen, and resolved one frame later (the last at the end), each with a
     * record from a small pool the released records go back to; it throws {@code failure} at frame {@code failAt}.
     */
    private static final class ScriptedFeed implements MatchStage.Feed {
        final int frames;
        final int failAt;
        final IOException failure;
        final List<Seen> pool = new ArrayList<>();
        final Map<Seen, Boolean> out = new IdentityHashMap<>();
        MatchStage stage;
        Seen pending;
        int i;
        int allocated;

        ScriptedFeed(int frames, int failAt, IOException failure) {
            this.frames = frames;
            this.failAt = failAt;
            this.failure = failure;
        }

        void release(Seen s) {
            assertTrue(out.remove(s) != null, "a record released that the replay did not hold, or twice");
            pool.add(s);
        }

        @Override
        public boolean step() throws IOException {
            if (i == failAt) throw failure;
            if (i == frames) return false;
            Seen s = pool.isEmpty() ? new Seen() : pool.remove(pool.size() - 1);
            if (s.frame == 0) allocated++;
            s.frame = i + 1;
            out.put(s, true);
            stage.seen(s);
            if (pending != null) stage.resolved(pending);
            pending = s;
            i++;
            return true;
        }

        @Override
        public void end() {
            if (pending != null) stage.resolved(pending);
        }
    }

    /** What the replay's thread saw: "s3", "r2", ... */
    private static final class Recorder implements MatchStage.Downstream {
        final List<String> entries = new ArrayList<>();
        final int throwAt;
        final RuntimeException failure;

        Recorder(int throwAt, RuntimeException failure) {
            this.throwAt = throwAt;
            this.failure = failure;
        }

        @Override
        public void seen(Seen s) {
            entries.add("s" + s.frame);
        }

        @Override
        public void resolved(Seen s) {
            if (entries.size() == throwAt) throw failure;
            entries.add("r" + s.frame);
        }

        @Override
        public void afterEach() {
        }
    }

    private static List<String> expected(int frames) {
        List<String> e = new ArrayList<>();
        for (int f = 1; f <= frames; f++) {
            e.add("s" + f);
            if (f > 1) e.add("r" + (f - 1));
        }
        if (frames > 0) e.add("r" + frames);
        return e;
    }

    @Test
    void everyEntryArrivesInOrderAndEveryRecordComesBackOnce() {
        int frames = MatchStage.BATCH_ENTRIES * MatchStage.BATCHES * 5 + 7;
        ScriptedFeed feed = new ScriptedFeed(frames, -1, null);
        Recorder rec = new Recorder(-1, null);
        assertTimeoutPreemptively(LIMIT, () -> {
            try (MatchStage stage = new MatchStage(feed, feed::release)) {
                feed.stage = stage;
                stage.run(rec);
                assertFalse(waitEnd(stage), "the stage's thread ended after the end of the stream");
            }
        });
        assertSameEntries(expected(frames), rec.entries);
        // bounded: records are reused, at most what the batches in flight hold
        assertTrue(feed.allocated <= MatchStage.BATCH_ENTRIES * (MatchStage.BATCHES + 2),
                "records allocated: " + feed.allocated);
        // the records of the batches not handed back yet are still out; none came back twice (release asserts)
        assertTrue(feed.out.size() <= MatchStage.BATCH_ENTRIES * (MatchStage.BATCHES + 1), "held: " + feed.out.size());
    }

    @Test
    void aFeedFailureReachesTheReplayAsTheSameObjectAfterTheEntriesBeforeIt() {
        IOException failure = new IOException("lan.pcap: frame 5000: record length 70000 exceeds the snapshot length");
        ScriptedFeed feed = new ScriptedFeed(Integer.MAX_VALUE, 5000, failure);
        Recorder rec = new Recorder(-1, null);
        assertTimeoutPreemptively(LIMIT, () -> {
            try (MatchStage stage = new MatchStage(feed, feed::release)) {
                feed.stage = stage;
                IOException thrown = assertThrows(IOException.class, () -> stage.run(rec));
                assertSame(failure, thrown);
                stage.close();
                assertFalse(stage.threadAlive());
            }
        });
        List<String> want = expected(5000);
        want.remove(want.size() - 1); // frames 1-5000 were offered; 5000 is not resolved: the failure came first
        assertSameEntries(want, rec.entries);
    }

    @Test
    void aReplayFailureEndsTheRunAndStopsTheStagesThread() {
        // the feed never ends by itself: only close() stops it
        ScriptedFeed feed = new ScriptedFeed(Integer.MAX_VALUE, -1, null);
        IllegalStateException failure = new IllegalStateException("a detector failed");
        Recorder rec = new Recorder(3 * MatchStage.BATCH_ENTRIES + 12, failure); // a "resolved" entry
        MatchStage[] made = new MatchStage[1];
        assertTimeoutPreemptively(LIMIT, () -> {
            try (MatchStage stage = new MatchStage(feed, feed::release)) {
                made[0] = stage;
                feed.stage = stage;
                assertSame(failure, assertThrows(IllegalStateException.class, () -> stage.run(rec)));
            }
        });
        assertFalse(made[0].threadAlive(), "close() waited for the stage's thread");
        assertEquals(3 * MatchStage.BATCH_ENTRIES + 12, rec.entries.size());
    }

    @Test
    void aStageNeverStartedClosesCleanly() {
        ScriptedFeed feed = new ScriptedFeed(10, -1, null);
        MatchStage stage = new MatchStage(feed, feed::release);
        stage.close();
        assertFalse(stage.threadAlive());
    }

    private static void assertSameEntries(List<String> want, List<String> got) {
        for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
            assertEquals(want.get(i), got.get(i), "entry " + i);
        }
        assertEquals(want.size(), got.size(), "entries");
    }

    /** Waits (bounded) for the stage's thread to end after the last batch; returns whether it is still alive. */
    private static boolean waitEnd(MatchStage stage) throws InterruptedException {
        for (int i = 0; i < 200 && stage.threadAlive(); i++) Thread.sleep(10);
        return stage.threadAlive();
    }
}
