package dev.natrecon.conntrack;

/**
 * The table's last answer per flow: for a packet's flow number (a number the caller gives each TCP or UDP tuple, so
 * that equal numbers mean equal tuples, the engine's {@code correlate.FlowId}; {@link #NONE} for none), the tuple its
 * fields made, the live entry holding it (or none) and in which direction, and the version of the tuple index they
 * were read at. A
 * direct-mapped cache indexed by the number's low bits: a packet of a flow seen before costs one comparison of its
 * number and one of the version instead of the tuple's hash and the index's probe.
 *
 * <p>Exact, never stale: an answer holds only at the version it was read at, and the table changes the version on
 * every change of its index (an entry confirmed, killed, expired, flushed or re-keyed by NAT), so after any change each
 * flow asks the index again. A flow number names one tuple, so a hit is the index's answer.
 */
final class FlowTuples {
    /** No flow number: the tuple is looked up by its fields. */
    static final long NONE = 0;
    /** Slots (a power of two): several times the live flows of a busy site, so that flows seldom share a slot. */
    static final int SLOTS = 4096;
    private static final int MASK = SLOTS - 1;

    /** Per slot: the flow number, then the index version (plus one: 0 is never a version) and direction. */
    private final long[] keys = new long[2 * SLOTS];
    /** Per slot: the tuple, then the entry or null. */
    private final Object[] answers = new Object[2 * SLOTS];

    /** The slot of {@code flow}. */
    static int slot(long flow) {
        return (int) (flow ^ flow >>> 40) & MASK; // the count's low bits, with the file's number mixed in
    }

    /** Whether {@code slot} holds {@code flow}'s answer read at index version {@code version}. */
    boolean hit(int slot, long flow, long version) {
        int i = 2 * slot;
        return keys[i] == flow && keys[i + 1] >>> 1 == version + 1;
    }

    ConntrackTuple tuple(int slot) {
        return (ConntrackTuple) answers[2 * slot];
    }

    ConntrackEntry entry(int slot) {
        return (ConntrackEntry) answers[2 * slot + 1];
    }

    int direction(int slot) {
        return (int) keys[2 * slot + 1] & 1;
    }

    /** Keeps {@code flow}'s answer, read at index version {@code version}. */
    void put(int slot, long flow, long version, ConntrackTuple tuple, ConntrackEntry entry, int direction) {
        int i = 2 * slot;
        keys[i] = flow;
        keys[i + 1] = (version + 1) << 1 | direction;
        answers[i] = tuple;
        answers[i + 1] = entry;
    }
}
