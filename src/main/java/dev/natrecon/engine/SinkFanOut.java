package dev.natrecon.engine;

import dev.natrecon.alg.sip.MessageVerdict;
import dev.natrecon.alg.sip.SipRewriteClassifier;
import dev.natrecon.conntrack.ConntrackEvent;
import dev.natrecon.conntrack.ExpectationEvent;
import dev.natrecon.correlate.Crossing;
import dev.natrecon.capture.ReaderThreads;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place the replay hands something to its sinks: every sink gets every call, in order; the first
 * {@link IOException} a sink throws is remembered (later ones are dropped, the remaining sinks still run) and
 * {@link #rethrow()} raises it where the replay can stop, after the frame that caused it (for the SIP calls a
 * {@link SipStage} makes on its own thread: at the replay's next check after it). Calls go through non-capturing
 * method references, so the per-packet path allocates nothing.
 */
final class SinkFanOut implements AnalysisSink {
    /** One sink call with up to two arguments. */
    @FunctionalInterface
    private interface Call<A, B> {
        void to(AnalysisSink sink, A a, B b) throws IOException;
    }

    private final List<AnalysisSink> sinks;
    /** The same sinks as an array, for the loop of {@link #packet} (every frame): no lambda, no list access. */
    private final AnalysisSink[] array;
    /** The first I/O error: written by the replay's thread and by a {@link SipStage}'s (its SIP calls), so volatile. */
    private volatile IOException failure;

    SinkFanOut(List<AnalysisSink> sinks) {
        this.sinks = List.copyOf(sinks);
        this.array = this.sinks.toArray(new AnalysisSink[0]);
    }

    private <A, B> void each(Call<A, B> call, A a, B b) {
        for (int i = 0; i < sinks.size(); i++) {
            try {
                call.to(sinks.get(i), a, b);
            } catch (IOException e) {
                failed(e);
            }
        }
    }

    /** Keeps {@code e} unless an error came first. */
    private synchronized void failed(IOException e) {
        if (failure == null) failure = e;
    }

    /** Throws the first I/O error any sink met, if one did. */
    void rethrow() throws IOException {
        if (failure != null) throw failure;
    }

    @Override
    public void packet(Crossing c) {
        AnalysisSink[] all = array;
        for (int i = 0; i < all.length; i++) {
            try {
                all[i].packet(c);
            } catch (IOException e) {
                failed(e);
            }
        }
    }

    @Override
    public void conntrack(ConntrackEvent event) {
        each((k, e, unused) -> k.conntrack(e), event, null);
    }

    @Override
    public void expectation(ExpectationEvent event) {
        each((k, e, unused) -> k.expectation(e), event, null);
    }

    @Override
    public void sipPacket(SipPacket packet) {
        each((k, p, unused) -> k.sipPacket(p), packet, null);
    }

    @Override
    public void sipMessage(MessageVerdict verdict) {
        each((k, v, unused) -> k.sipMessage(v), verdict, null);
    }

    @Override
    public void sipMessageJudged(int index, SipRewriteClassifier.JudgedPorts judged) {
        each((k, i, j) -> k.sipMessageJudged(i, j), index, judged);
    }

    @Override
    public void tableSize(TableSample sample) {
        each((k, t, unused) -> k.tableSize(t), sample, null);
    }

    /**
     * The result, to every sink. A sink that {@linkplain AnalysisSink#finishesAlongside() finishes alongside} the
     * others writes its files on a thread of its own meanwhile ({@code CaseOutputs}' CSV files and summary.json beside
     * the report's charts and pages); the others run one after the other on this thread, and unlike the replay's calls
     * the first failure among them stops them (nothing is left to run). Every thread has ended before this returns;
     * the failure thrown is that of the first failing sink in the sinks' order, as when all ran one after the other.
     */
    @Override
    public void finish(RunResult result) throws IOException {
        finish(result, null);
    }

    /** {@link #finish(RunResult)}, each sink's time (the files it writes) told to {@code costs} when there is one. */
    void finish(RunResult result, Costs costs) throws IOException {
        rethrow();
        Throwable[] failures = new Throwable[sinks.size()];
        long[] nanos = new long[sinks.size()];
        List<Thread> alongside = new ArrayList<>();
        try {
            for (int i = 0; i < sinks.size(); i++) {
                AnalysisSink sink = sinks.get(i);
                if (!sink.finishesAlongside()) continue;
                int index = i;
                Thread t = new Thread(() -> failures[index] = finishOne(sink, result, nanos, index),
                        "natrecon-finish " + sink.getClass().getSimpleName());
                t.setDaemon(true);
                t.start();
                alongside.add(t);
            }
            for (int i = 0; i < sinks.size(); i++) {
                if (sinks.get(i).finishesAlongside()) continue;
                failures[i] = finishOne(sinks.get(i), result, nanos, i);
                if (failures[i] != null) break;
            }
        } finally {
            for (Thread t : alongside) ReaderThreads.join(t);
        }
        for (int i = 0; i < sinks.size(); i++) {
            if (failures[i] != null) throw ReaderThreads.rethrow(failures[i]);
            // in the sinks' order, whichever thread ended first
            if (costs != null && nanos[i] > 0) costs.wrote(sinks.get(i).getClass().getSimpleName(), nanos[i]);
        }
    }

    /** Sink {@code index}'s finish, its time put in {@code nanos[index]}: its failure, or null. */
    private static Throwable finishOne(AnalysisSink sink, RunResult result, long[] nanos, int index) {
        long t0 = System.nanoTime();
        try {
            sink.finish(result);
        } catch (IOException | RuntimeException | Error e) {
            return e;
        }
        nanos[index] = Math.max(1, System.nanoTime() - t0);
        return null;
    }
}
