package dev.natrecon.conntrack;

/**
 * What happened to an expectation ({@code conntrack -E expect}: [NEW] and [DESTROY] only; activating an expectation
 * or moving its timer emits nothing, as in the kernel).
 */
public sealed interface ExpectationEvent {
    long nanos();

    FrameRef frame();

    ExpectView expectation();

    /** Inserted (nf_ct_expect_insert): its timeout is the helper policy's, whatever the helper set. */
    record ExpectationCreated(long nanos, FrameRef frame, ExpectView expectation) implements ExpectationEvent {
    }

    /**
     * Removed, for {@code reason}; the picture carries the seconds it had left. {@code inferred} is non-null when its
     * master's end was inferred ({@link Inferred}).
     */
    record ExpectationRemoved(long nanos, FrameRef frame, ExpectView expectation, Reason reason, Inferred inferred)
            implements ExpectationEvent {
        public ExpectationRemoved(long nanos, FrameRef frame, ExpectView expectation, Reason reason) {
            this(nanos, frame, expectation, reason, null);
        }
    }

    /** Why an expectation went. */
    enum Reason {
        /** its timer ran out (nf_ct_expectation_timed_out) */
        EXPIRED,
        /** a connection matched it and it was not PERMANENT (nf_ct_find_expectation unlinks it) */
        USED,
        /** its helper removed it (a BYE, a failed response, a new INVITE, a registration refused or released) */
        REMOVED,
        /** an identical expectation of the same master and class replaced it (__nf_ct_expect_check) */
        REPLACED,
        /** its master reached the class's max_expected and this was the oldest (evict_oldest_expect) */
        EVICTED,
        /** its master entry was deleted (nf_ct_remove_expectations) */
        MASTER_GONE
    }
}
