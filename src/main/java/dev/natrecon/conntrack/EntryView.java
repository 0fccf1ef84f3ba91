package dev.natrecon.conntrack;

/**
 * An immutable picture of an entry at one instant, as an event carries it.
 *
 * @param id              the model's entry number, from 1 in order of creation
 * @param state           TCP state name, or null for protocols without one
 * @param timeoutSeconds  whole seconds left at that instant (floor), -1 when not printed (DESTROY on expiry)
 * @param helper          helper name ("sip") or null
 * @param origPackets     counters of the original direction (as with nf_conntrack_acct=1), -1 when not printed
 * @param deltaSeconds    seconds since creation (nf_conntrack_timestamp=1 on DESTROY), -1 when not printed
 */
public record EntryView(long id, ConntrackTuple original, ConntrackTuple reply, int status, String state,
                        long timeoutSeconds, String helper, long origPackets, long origBytes, long replyPackets,
                        long replyBytes, long deltaSeconds) {
    public boolean has(int bit) {
        return (status & bit) != 0;
    }

    /** The same picture with other tuples (a one-sided table's endpoints completed, {@code engine.OneSideTable}). */
    public EntryView withTuples(ConntrackTuple original, ConntrackTuple reply) {
        return new EntryView(id, original, reply, status, state, timeoutSeconds, helper, origPackets, origBytes,
                replyPackets, replyBytes, deltaSeconds);
    }

    /** The same picture with {@code seconds} left (a listing at a later instant). */
    public EntryView withTimeout(long seconds) {
        return new EntryView(id, original, reply, status, state, seconds, helper, origPackets, origBytes, replyPackets,
                replyBytes, deltaSeconds);
    }

    /** The same picture without counters and delta-time. */
    public EntryView withoutAccounting() {
        return new EntryView(id, original, reply, status, state, timeoutSeconds, helper, -1, -1, -1, -1, -1);
    }

    /**
     * A live entry's picture kept in place, as {@link ConntrackEntry#view} with the seconds left and without counters
     * would make it: for a detector that follows a flow packet by packet and needs the picture only for a finding at
     * the end (one per flow, no EntryView per packet).
     */
    public static final class Latest {
        private long id, timeoutSeconds;
        private ConntrackTuple original, reply;
        private int status;
        private String state, helper;

        /** {@code e} as at {@code nowNanos}. */
        public void set(ConntrackEntry e, long nowNanos) {
            id = e.id;
            original = e.original;
            reply = e.reply;
            status = e.status;
            state = e.tcpState() == null ? null : e.tcpState.name();
            timeoutSeconds = e.secondsLeft(nowNanos);
            helper = e.helper;
        }

        public EntryView view() {
            return new EntryView(id, original, reply, status, state, timeoutSeconds, helper, -1, -1, -1, -1, -1);
        }
    }
}
