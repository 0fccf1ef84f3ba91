package dev.natrecon.engine;

import dev.natrecon.alg.sip.MessageVerdict;
import dev.natrecon.alg.sip.SipRewriteClassifier;
import dev.natrecon.conntrack.ConntrackEvent;
import dev.natrecon.conntrack.ExpectationEvent;
import dev.natrecon.correlate.Crossing;
import java.io.IOException;
import java.util.List;

/**
 * The one place the replay hands something to its sinks: every sink gets every call, in order; the first
 * {@link IOException} a sink throws is remembered (later ones are dropped, the remaining sinks still run) and
 * {@link #rethrow()} raises it where the replay can stop, after the frame that caused it. Calls go through
 * non-capturing method references, so the per-packet path allocates nothing.
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
    private IOException failure;

    SinkFanOut(List<AnalysisSink> sinks) {
        this.sinks = List.copyOf(sinks);
        this.array = this.sinks.toArray(new AnalysisSink[0]);
    }

    private <A, B> void each(Call<A, B> call, A a, B b) {
        for (int i = 0; i < sinks.size(); i++) {
            try {
                call.to(sinks.get(i), a, b);
            } catch (IOException e) {
                if (failure == null) failure = e;
            }
        }
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
                if (failure == null) failure = e;
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

    /** The result, to every sink; unlike the replay's calls, the first failure stops here (nothing is left to run). */
    @Override
    public void finish(RunResult result) throws IOException {
        rethrow();
        for (AnalysisSink sink : sinks) sink.finish(result);
    }

    /** {@link #finish(RunResult)}, each sink's time (the files it writes) told to {@code costs} when there is one. */
    void finish(RunResult result, Costs costs) throws IOException {
        if (costs == null) {
            finish(result);
            return;
        }
        rethrow();
        for (AnalysisSink sink : sinks) {
            long t0 = System.nanoTime();
            sink.finish(result);
            costs.wrote(sink.getClass().getSimpleName(), System.nanoTime() - t0);
        }
    }
}
