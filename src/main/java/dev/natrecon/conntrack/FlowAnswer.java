package dev.natrecon.conntrack;

/**
 * The table's last answer for one flow (a TCP or UDP tuple the caller numbers, so that one object stands for one
 * tuple; the engine's {@code correlate.FlowRecord} is one): the tuple the packet's fields made, the live entry holding
 * it (or none) and in which direction, and the table and the version of its tuple index they were read at. A packet
 * of a flow seen before costs one comparison of the owner and one of the version instead of the tuple's hash and the
 * index's probe ({@link ConntrackModel#keptTuple}).
 *
 * <p>Exact, never stale: an answer holds only for the table that kept it and at the version it was read at, and the
 * table changes the version on every change of its index (an entry confirmed, killed, expired, flushed or re-keyed by
 * NAT), so after any change each flow asks the index again. The caller {@link #forgetAnswer forgets} the answer when
 * the object comes to stand for another tuple.
 */
public class FlowAnswer {
    ConntrackTable owner;
    /** The index version plus one (0: none kept). */
    long version;
    ConntrackTuple tuple;
    ConntrackEntry entry;
    int direction;

    /** Forgets the kept answer: this object stands for another tuple now. */
    protected final void forgetAnswer() {
        owner = null;
        version = 0;
        tuple = null;
        entry = null;
        direction = 0;
    }
}
