package dev.natrecon.engine;

import dev.natrecon.alg.sip.MessageVerdict;
import dev.natrecon.alg.sip.SipRewriteClassifier;
import dev.natrecon.correlate.Crossing;
import java.io.IOException;

/**
 * Something that renders the replay: receives every frame once, in merged order, then the result.
 *
 * <p><b>Threads.</b> {@link #sipPacket} and {@link #sipMessage} may be called on a thread of their own
 * ({@link SipStage}), in their own order, while the replay's thread makes the other calls: what they write must be
 * theirs alone (a sink's SIP rows, its call ladder). Every call has returned before {@link #sipMessageJudged} and
 * {@link #finish}.
 */
public interface AnalysisSink {
    /**
     * One resolved frame as it crossed the router ({@link Crossing#capture()} labels where it was seen: "lan", "wan",
     * or "other:NAME"). The record is reused for the next frame: copy what you keep.
     */
    void packet(Crossing c) throws IOException;

    /** One event of the router model, in model-time order (interleaved with the frames that caused them). */
    default void conntrack(dev.natrecon.conntrack.ConntrackEvent event) throws IOException {
    }

    /** An expectation the model created or removed ({@code conntrack -E expect}). */
    default void expectation(dev.natrecon.conntrack.ExpectationEvent event) throws IOException {
    }

    /** A SIP packet reached the router: as it arrived, as the helper would send it, as the router did. */
    default void sipPacket(SipPacket packet) throws IOException {
    }

    /**
     * One SIP message seen on both sides, classified, in the order the messages reached the router. Its parsed copies
     * are released when this returns: render it now. When {@link MessageVerdict#unjudgedPorts()} is not null the class
     * and findings are provisional, completed by {@link #sipMessageJudged} after the last packet.
     */
    default void sipMessage(MessageVerdict verdict) throws IOException {
    }

    /**
     * After the last packet: the class and findings of the provisional message number {@code index} (counting the
     * {@link #sipMessage} calls from 0), judged against the bindings the matcher learnt.
     */
    default void sipMessageJudged(int index, SipRewriteClassifier.JudgedPorts judged) throws IOException {
    }

    /** The model's table size during one second in which it changed. */
    default void tableSize(TableSample sample) throws IOException {
    }

    /** Called once after the last packet. */
    void finish(RunResult result) throws IOException;

    /**
     * Whether {@link #finish} may run on a thread of its own while the other sinks finish: true only for a sink whose
     * finish reads the result (never changing it) and writes only its own files, sharing nothing else with another
     * sink. False by default: such sinks finish one after the other, in order.
     */
    default boolean finishesAlongside() {
        return false;
    }
}
