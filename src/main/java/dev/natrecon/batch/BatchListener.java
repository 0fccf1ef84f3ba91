package dev.natrecon.batch;

/** Progress of a batch, for the CLI to render (a bar on a terminal, log lines otherwise). Called from worker threads. */
public interface BatchListener {
    /** A case starts (after its files are available). */
    default void started(CaseSpec c) {
    }

    /** More packets were replayed in some case. */
    default void packets(long count) {
    }

    /** A case is done (run, failed, or skipped as unchanged); {@code done} of {@code total} cases are. */
    default void finished(CaseOutcome outcome, int done, int total) {
    }

    BatchListener NONE = new BatchListener() {
    };
}
