package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.bench.SyntheticNatCaptures;
import dev.natrecon.correlate.Crossing;
import dev.natrecon.report.CaseOutputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SIP messages' consumers on their own thread ({@link SipStage}): the same calls in the same order as inline, the
 * same outputs byte for byte, a failure there ends the run with the same error, and no stage thread is left.
 */
class SipStageTest {
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    @AfterEach
    void clearMode() {
        System.clearProperty(SipStage.PROPERTY);
        System.clearProperty(MatchStage.PROPERTY);
    }

    private static long sipThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(SipStage.THREAD_NAME) && t.isAlive()).count();
    }

    private static SipPacket packet(long frame) {
        return new SipPacket(frame, true, "lan", frame, "wan", frame, frame, false, new long[3], new long[3],
                new long[3], new long[3], new byte[] {1}, null, new byte[] {1}, null, null);
    }

    @Test
    void packetsReachTheConsumerInOrderOnTheStagesThread() {
        List<Long> frames = Collections.synchronizedList(new ArrayList<>());
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        assertTimeoutPreemptively(LIMIT, () -> {
            try (SipStage st = new SipStage(p -> {
                frames.add(p.frame());
                threads.add(Thread.currentThread().getName());
            })) {
                for (long i = 1; i <= 5_000; i++) st.offer(packet(i)); // more than the queue holds
                st.finish();
            }
        });
        assertEquals(5_000, frames.size());
        for (int i = 0; i < frames.size(); i++) assertEquals(i + 1, frames.get(i));
        assertTrue(threads.stream().allMatch(SipStage.THREAD_NAME::equals), threads.get(0));
        assertEquals(0, sipThreads());
    }

    @Test
    void aFailureIsThrownByTheNextOfferOrFinishAndTheReplayNeverBlocksOnIt() {
        IllegalStateException failure = new IllegalStateException("consumer failed");
        List<Long> handled = Collections.synchronizedList(new ArrayList<>());
        assertTimeoutPreemptively(LIMIT, () -> {
            try (SipStage st = new SipStage(p -> {
                if (p.frame() == 10) throw failure;
                handled.add(p.frame());
            })) {
                RuntimeException thrown = null;
                // the stage fails at packet 10; offers go on (taken, dropped) until one reports the failure
                for (long i = 1; i <= 100_000 && thrown == null; i++) {
                    try {
                        st.offer(packet(i));
                    } catch (IllegalStateException e) {
                        thrown = e;
                    }
                }
                assertSame(failure, thrown);
                assertSame(failure, assertThrows(IllegalStateException.class, st::finish));
            }
        });
        assertEquals(9, handled.size(), "nothing after the failure");
        assertEquals(0, sipThreads());
    }

    @Test
    void closingWithoutFinishEndsTheThread() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (SipStage st = new SipStage(p -> {
            })) {
                st.offer(packet(1));
            }
        });
        assertEquals(0, sipThreads());
    }

    @Test
    void closingAFailedRunDropsWhatWaitsWithoutInterruptingThePacketBeingHandled() {
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
        List<Long> handled = Collections.synchronizedList(new ArrayList<>());
        assertTimeoutPreemptively(LIMIT, () -> {
            try (SipStage st = new SipStage(p -> {
                busy.countDown();
                try {
                    Thread.sleep(300); // a sink writing its file
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
                handled.add(p.frame());
            })) {
                for (long i = 1; i <= 50; i++) st.offer(packet(i));
                busy.await();
            } // closed without finish: the run failed
        });
        assertFalse(interrupted.get(), "the packet being handled was interrupted");
        assertTrue(handled.size() >= 1 && handled.size() < 50, "handled: " + handled.size());
        assertEquals(0, sipThreads());
    }

    /** Records every SIP call in order (with its thread), and whether any came while the replay's thread ran. */
    private static final class Recorder implements AnalysisSink {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());
        long packets;

        @Override
        public void packet(Crossing c) {
            packets++;
        }

        @Override
        public void sipPacket(SipPacket p) {
            calls.add("packet " + p.side() + "#" + p.frame() + " " + java.util.Arrays.hashCode(p.before()));
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void sipMessage(dev.natrecon.alg.sip.MessageVerdict v) {
            calls.add("message " + v);
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void finish(RunResult result) {
        }
    }

    @Test
    void aPairGivesTheSameSipCallsAndOutputsWithAndWithoutTheStage() throws Exception {
        Path lan = tmp.resolve("lan.pcap"), wan = tmp.resolve("wan.pcap");
        SyntheticNatCaptures.write(SyntheticNatCaptures.Config.of(6, 40), lan, wan);
        AnalysisInputs in = AnalysisInputs.pair(lan, wan);
        Path inline = tmp.resolve("inline"), staged = tmp.resolve("staged");
        Recorder off = new Recorder(), on = new Recorder();
        System.setProperty(MatchStage.PROPERTY, "on"); // the SIP stage runs beside the match stage
        assertTimeoutPreemptively(LIMIT, () -> {
            System.setProperty(SipStage.PROPERTY, "off");
            Analysis.run(in, List.of(new CaseOutputs(inline), off));
            System.clearProperty(SipStage.PROPERTY);
            Analysis.run(in, List.of(new CaseOutputs(staged), on));
        });
        assertTrue(off.calls.size() > 50, "SIP calls: " + off.calls.size());
        assertEquals(off.calls, on.calls);
        assertEquals(off.packets, on.packets);
        assertFalse(off.threads.contains(SipStage.THREAD_NAME), "off: on the replay's thread");
        assertTrue(on.threads.stream().allMatch(SipStage.THREAD_NAME::equals), "on: " + on.threads.get(0));
        MatchStageAnalysisTest.assertSameTree(inline, staged);
        assertTrue(Files.size(staged.resolve("sip.csv")) > 0);
        assertEquals(0, sipThreads());
    }

    @Test
    void aSinkWhoseSipCallFailsEndsTheRunWithItsErrorAndNoStageThreadIsLeft() throws Exception {
        Path lan = tmp.resolve("lan.pcap"), wan = tmp.resolve("wan.pcap");
        SyntheticNatCaptures.write(SyntheticNatCaptures.Config.of(2, 20), lan, wan);
        AnalysisInputs in = AnalysisInputs.pair(lan, wan);
        for (String m : new String[] {"on", "off"}) {
            System.setProperty(SipStage.PROPERTY, m);
            IllegalStateException failure = new IllegalStateException("sink failed");
            IOException ioFailure = new IOException("disk full");
            AnalysisSink throwing = new AnalysisSink() {
                int n;

                @Override
                public void packet(Crossing c) {
                }

                @Override
                public void sipPacket(SipPacket p) {
                    if (++n == 3) throw failure;
                }

                @Override
                public void finish(RunResult result) {
                }
            };
            AnalysisSink ioThrowing = new AnalysisSink() {
                int n;

                @Override
                public void packet(Crossing c) {
                }

                @Override
                public void sipPacket(SipPacket p) throws IOException {
                    if (++n == 3) throw ioFailure;
                }

                @Override
                public void finish(RunResult result) {
                }
            };
            System.setProperty(MatchStage.PROPERTY, "on");
            assertTimeoutPreemptively(LIMIT, () -> assertSame(failure,
                    assertThrows(IllegalStateException.class, () -> Analysis.run(in, List.of(throwing))), m));
            assertEquals(0, sipThreads(), m);
            assertTimeoutPreemptively(LIMIT, () -> assertSame(ioFailure,
                    assertThrows(IOException.class, () -> Analysis.run(in, List.of(ioThrowing))), m));
            assertEquals(0, sipThreads(), m);
        }
    }
}
