package dev.natrecon.conntrack;

import java.util.List;

/**
 * What makes a model event inferred rather than seen: the captures show no packet that caused it, only that it must
 * have happened between two instants. The kernel never re-NATs a confirmed entry (nf_nat_core.c:nf_nat_setup_info runs
 * once per entry, at its first packet), so a later packet translated otherwise proves the old entry gone; a packet
 * the router answered with ICMP net/host unreachable proves its route gone, and masquerade's flush with it
 * (nf_nat_masquerade.c). The model applies such an event at {@link #earliestNanos}, right after the last packet the
 * captures show handled by what it removed: the instant at which its counters agree with the kernel's.
 *
 * @param earliestNanos the last instant the captures show the old state alive (its last packet), the model's instant
 * @param latestNanos   the first packet that proves the event happened
 * @param evidence      the frames it rests on: the last one handled by the old state, then the proof
 * @param why           one line: the rule that makes it necessary
 * @param assumption    null, or the rule the model assumed for lack of the router's ruleset that the inference rests
 *                      on (masquerade: under SNAT the same captures mean no flush), see {@link AssumedRuleKill}
 */
public record Inferred(long earliestNanos, long latestNanos, List<FrameRef> evidence, String why, String assumption) {
    public Inferred {
        if (latestNanos < earliestNanos) throw new IllegalArgumentException("window ends before it starts");
        evidence = List.copyOf(evidence);
    }

    /** An inference that rests on no assumed rule. */
    public Inferred(long earliestNanos, long latestNanos, List<FrameRef> evidence, String why) {
        this(earliestNanos, latestNanos, evidence, why, null);
    }

    /** This inference, resting on {@code assumption} (a rule the model assumed, no ruleset being given). */
    public Inferred assuming(String assumption) {
        return new Inferred(earliestNanos, latestNanos, evidence, why, assumption);
    }

    /** "lan#3, lan#4" */
    public String frames() {
        StringBuilder sb = new StringBuilder();
        for (FrameRef f : evidence) {
            if (sb.length() > 0) sb.append(", ");
            sb.append(f);
        }
        return sb.toString();
    }

    /** Whether {@code nanos} lies inside the window, {@code lateNanos} after its end included. */
    public boolean admits(long nanos, long lateNanos) {
        return nanos >= earliestNanos && nanos <= latestNanos + lateNanos;
    }
}
