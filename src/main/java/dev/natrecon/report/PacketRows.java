package dev.natrecon.report;

import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Seen;
import dev.natrecon.decode.Disposition;

/**
 * Which frames {@code packets.csv} lists. A per-frame table of millions of rows is not a timeline anyone opens (and
 * writing it took most of a large case's run, issue 18), so by default it lists only the frames that say something
 * went wrong or differently: {@link #NOTABLE}. {@code analyze --packets} (and {@code batch --packets}) asks for
 * {@link #ALL}.
 */
public enum PacketRows {
    /** One row per frame of every capture. */
    ALL,
    /**
     * Only frames whose outcome is not an ordinary forwarding: a private source leaked to the WAN
     * ({@link Outcome#LEAKED}), no counterpart while the other capture ran ({@link Outcome#NO_COUNTERPART}: dropped
     * or filtered), sent back out of the interface it came in on ({@link Outcome#ROUTED_BACK}), or a frame damaged
     * beyond its IP header ({@link Disposition#MALFORMED}). Forwarded, local and outside-the-other-capture frames are
     * counted in summary.json, not listed.
     */
    NOTABLE;

    /** Whether {@code s} gets a row. */
    public boolean keeps(Seen s) {
        return switch (this) {
            case ALL -> true;
            case NOTABLE -> s.outcome == Outcome.LEAKED || s.outcome == Outcome.NO_COUNTERPART
                    || s.outcome == Outcome.ROUTED_BACK || s.disposition == Disposition.MALFORMED;
        };
    }
}
