package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.correlate.Crossing;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SinkFanOutTest {
    /** A sink that records its finish, optionally waiting for a latch or failing. */
    private static final class Recording implements AnalysisSink {
        final String name;
        final boolean alongside;
        final List<String> log;
        CountDownLatch awaits;
        CountDownLatch counts;
        Throwable fails;
        volatile String thread;
        volatile boolean awaited;

        Recording(String name, boolean alongside, List<String> log) {
            this.name = name;
            this.alongside = alongside;
            this.log = log;
        }

        @Override
        public void packet(Crossing c) {
        }

        @Override
        public void finish(RunResult result) throws IOException {
            thread = Thread.currentThread().getName();
            if (counts != null) counts.countDown();
            if (awaits != null) {
                try {
                    awaited = awaits.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            log.add(name);
            if (fails instanceof IOException io) throw io;
            if (fails instanceof RuntimeException r) throw r;
        }

        @Override
        public boolean finishesAlongside() {
            return alongside;
        }
    }

    @Test
    void aSinkThatFinishesAlongsideRunsWhileTheOthersFinish() throws IOException {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Recording csv = new Recording("csv", true, log);
        Recording report = new Recording("report", false, log);
        Recording last = new Recording("last", false, log);
        // the alongside sink waits until the report has started: only possible when both run at once
        CountDownLatch reportStarted = new CountDownLatch(1);
        csv.awaits = reportStarted;
        report.counts = reportStarted;
        new SinkFanOut(List.of(csv, report, last)).finish(null);
        assertTrue(csv.awaited, "the alongside sink saw the report start while it was still finishing");
        assertTrue(log.containsAll(List.of("csv", "report", "last")) && log.size() == 3, log.toString());
        assertTrue(log.indexOf("report") < log.indexOf("last"), "the others keep their order: " + log);
        assertNotEquals(Thread.currentThread().getName(), csv.thread);
        assertEquals(Thread.currentThread().getName(), report.thread);
        assertEquals(Thread.currentThread().getName(), last.thread);
    }

    @Test
    void theFirstFailureInTheSinksOrderIsThrownAfterEveryThreadEnded() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Recording csv = new Recording("csv", true, log);
        Recording report = new Recording("report", false, log);
        IOException first = new IOException("disk full writing csv");
        csv.fails = first;
        report.fails = new IOException("disk full writing report");
        CountDownLatch reportDone = new CountDownLatch(1);
        report.counts = reportDone;
        csv.awaits = reportDone; // the alongside sink fails last in time, first in order
        IOException thrown = assertThrows(IOException.class, () -> new SinkFanOut(List.of(csv, report)).finish(null));
        assertSame(first, thrown);
        assertEquals(2, log.size(), "both finished before the failure was thrown: " + log);
    }

    @Test
    void aFailingSinkStopsTheSinksAfterItButNotTheOnesAlongside() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Recording report = new Recording("report", false, log);
        Recording csv = new Recording("csv", true, log);
        Recording last = new Recording("last", false, log);
        IllegalStateException bug = new IllegalStateException("bug");
        report.fails = bug;
        RuntimeException thrown = assertThrows(RuntimeException.class,
                () -> new SinkFanOut(List.of(report, csv, last)).finish(null));
        assertSame(bug, thrown);
        assertTrue(log.contains("csv") && !log.contains("last"), log.toString());
    }
}
