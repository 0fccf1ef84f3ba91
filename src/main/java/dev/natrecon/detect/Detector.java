package dev.natrecon.detect;

import dev.natrecon.conntrack.ConntrackEvent;
import dev.natrecon.conntrack.ExpectationEvent;
import dev.natrecon.correlate.Crossing;
import java.util.List;
import java.util.function.Consumer;

/**
 * One detector: reads the replay's stream as it goes, keeps what it needs per live flow or binding, and reports its
 * findings at the end. Detectors never change the model and never do I/O; {@link Detection} drives them.
 *
 * <p>The stream arrives in merged time order: frames after matching ({@link #packet}, the matcher's output order,
 * which may run behind the model's events by up to the match window), the model's conntrack events and expectation
 * events in model time.
 */
public interface Detector {
    /** The rules this detector can report, each with its own id. */
    List<Rule> rules();

    /**
     * The {@link PacketKinds} of frame this detector reads now: {@link #packet} is called only for frames with one of
     * them ({@link PacketKinds#ANY} by default: every frame). {@link Detection} asks again after every event and after
     * every frame with a kind beyond {@link PacketKinds#ORDINARY}, so an interest may grow only in those calls (or
     * in an event method); it may shrink at any time (the detector still checks each frame it is given). It depends
     * on the detector's own state only.
     */
    default int interest() {
        return PacketKinds.ANY;
    }

    /**
     * A frame after matching (its outcome and counterpart known). The record is recycled after the call: copy what
     * you keep. Frames of a router interface that faces neither side carry {@code captureLabel}.
     */
    default void packet(Crossing c) {
    }

    /** An event of the router model. */
    default void conntrack(ConntrackEvent e) {
    }

    /** An expectation the model created or removed. */
    default void expectation(ExpectationEvent e) {
    }

    /**
     * The router's uplink changed as the model applied it (link down/up, WAN address removed/added), after the model's
     * own events for it (the masqueraded entries it flushed).
     */
    default void uplink(UplinkChange c) {
    }

    /** The replay is over: report findings. */
    void finish(DetectionContext context, Consumer<Finding> findings);

    /**
     * Findings this detector counted without keeping them while it ran (past
     * {@link Detection#MAX_FINDINGS_PER_RULE} findings of one rule, whole findings only), by rule id; after
     * {@link #finish}.
     */
    default java.util.Map<String, Long> findingsNotKept() {
        return java.util.Map.of();
    }

    /** The bounds this detector's own state reached (calls held, frames remembered), with how often; after {@link #finish}. */
    default java.util.Map<dev.natrecon.capture.Bound, Long> boundsHit() {
        return java.util.Map.of();
    }
}
