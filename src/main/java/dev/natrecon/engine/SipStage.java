package dev.natrecon.engine;

import dev.natrecon.capture.ReaderThreads;
import dev.natrecon.capture.Switches;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * The SIP messages' consumers on a thread of their own ({@value #THREAD_NAME}): what the replay hands on for each SIP
 * packet that reached the router model ({@link SipPacket}: the rewrite classification, {@link SipRewrites}, and the
 * sinks' {@link AnalysisSink#sipPacket}) runs there, in the replay's order, while the replay's thread goes on with
 * the next frames. On the bench pair these few thousand messages (jain-sip's grammar for the address headers, the
 * rewrite judgement, the call ladder's parses) were about a quarter of the replay thread's CPU.
 *
 * <p><b>One direction.</b> Nothing flows back into the replay: a {@link SipPacket} is an immutable record of fresh
 * arrays, {@link SipRewrites} is read only after {@link #finish} (its verdicts, bounds and contradictions at the end of
 * the run), and the sinks' SIP calls ({@code sipPacket}, {@code sipMessage}) touch only what those calls own (the call
 * ladder, sip.csv's rows), never what the replay's calls to the same sinks write. The order of the SIP calls among
 * themselves is the replay's, so every output is byte-identical to running them inline.
 *
 * <p><b>Handed over in groups.</b> The replay's thread hands the packets over {@link #GROUP} at a time (the last group
 * at {@link #finish}): the stage's thread, idle between messages, is woken once per group instead of once per message
 * (on the bench pair about 150 instead of 1,150 waits per run), and nothing but {@link #finish} waits for it.
 *
 * <p><b>Bounded.</b> At most {@link #CAPACITY} packets wait in handed-over groups, besides the group being filled; the
 * replay's thread blocks when they do.
 *
 * <p><b>Errors, no hang.</b> The first failure on the stage's thread is kept (the packets after it are taken and
 * dropped, so the replay never blocks on a dead consumer) and thrown, as the same object, by the next {@link #offer}
 * or by {@link #finish}; {@link #close()} without {@link #finish} drops what waits and waits for the thread to end.
 */
final class SipStage implements AutoCloseable {
    /** The stage's thread's name. */
    static final String THREAD_NAME = "natrecon-sip";
    /** Packets waiting at most: a burst of SIP (a registration storm) without a hand-over per message blocking. */
    static final int CAPACITY = 1024;
    /** Packets per hand-over. */
    static final int GROUP = 16;
    /** System property: {@code off} runs the SIP messages' consumers on the replay's thread (for comparisons). */
    static final String PROPERTY = "natrecon.sipAhead";
    /** After the last packet. */
    private static final Object END = new Object();

    /** Full groups ({@code SipPacket[]}, the last one possibly ended by a null), then {@link #END}. */
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CAPACITY / GROUP);
    private final Thread thread;
    /** The group the replay's thread is filling (only that thread touches it). */
    private SipPacket[] group = new SipPacket[GROUP];
    private int grouped;
    private volatile Throwable failure;
    /** Set by {@link #close()} without {@link #finish}: the rest of the group being handled is dropped too. */
    private volatile boolean dropping;
    private boolean finished;

    /** Whether the replay runs the stage beside its {@link MatchStage} (unless {@link #PROPERTY} is {@code off}). */
    static boolean wanted() {
        return !Switches.off(PROPERTY);
    }

    /** Starts the stage's thread, which hands each packet to {@code consumer} in order. */
    SipStage(Consumer<SipPacket> consumer) {
        this.thread = new Thread(() -> loop(consumer), THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop(Consumer<SipPacket> consumer) {
        try {
            while (true) {
                Object o = queue.take();
                if (o == END) return;
                if (failure != null) continue; // after a failure: taken, so the replay never waits on a dead consumer
                try {
                    for (SipPacket p : (SipPacket[]) o) {
                        if (p == null || dropping) break;
                        consumer.accept(p);
                    }
                } catch (RuntimeException | Error e) {
                    failure = e;
                }
            }
        } catch (InterruptedException e) {
            // interrupted from outside (the JVM ending): nothing more is wanted
        }
    }

    /**
     * Hands {@code p} to the stage's thread with the rest of its group (waits while {@link #CAPACITY} packets wait);
     * throws its failure first.
     */
    void offer(SipPacket p) {
        failed();
        group[grouped++] = p;
        if (grouped == GROUP) handOver();
    }

    /** Hands the group over, if it holds a packet. */
    private void handOver() {
        if (grouped == 0) return;
        SipPacket[] g = group;
        group = new SipPacket[GROUP];
        grouped = 0;
        put(g);
    }

    /** After the last packet: waits until the stage's thread has handled every packet, then throws its failure. */
    void finish() {
        if (!finished) {
            finished = true;
            handOver();
            put(END);
            ReaderThreads.join(thread);
        }
        failed();
    }

    /** Throws the stage's failure, if it met one (only unchecked ones can reach it: the consumer throws no other). */
    private void failed() {
        Throwable t = failure;
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
    }

    private void put(Object o) {
        try {
            queue.put(o);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(
                    new InterruptedIOException("interrupted while handing a SIP message to " + THREAD_NAME));
        }
    }

    /**
     * Ends the stage's thread and waits for it: when {@link #finish} was not reached (a failed run), the packets still
     * waiting are dropped and the thread ends after the one it is handling (not interrupted: a sink may be writing a
     * file, and an interrupt would close its channel under it).
     */
    @Override
    public void close() {
        if (!finished) {
            finished = true;
            dropping = true;
            queue.clear();
            queue.offer(END); // this thread is the only one that puts: after the clear there is room
        }
        ReaderThreads.join(thread);
    }
}
