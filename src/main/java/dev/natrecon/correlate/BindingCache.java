package dev.natrecon.correlate;

/**
 * The {@link BindingTable}'s answers for recently seen tuples, per side: kept in the frame's flow record
 * ({@link FlowRecord}, one comparison) or, for a frame without one, in a direct-mapped cache keyed by its own fields
 * (protocol, addresses, ports): the tuple's hash, its binding (or none) and the direction it is filed under. RTP
 * streams interleave, so the table's one-tuple memory per side rarely holds the next frame's flow; here each live flow
 * keeps its answer, and a hit costs one or five comparisons instead of the tuple hash and the map's probe.
 *
 * <p>Exact, never stale: an answer holds only while the table's tuple index has not changed since it was cached
 * ({@link #invalidate}, called on every change); after a change every answer is refilled from the index on its next
 * use. A flow record names one tuple on one side, so an answer kept in it is the answer for the frame's fields.
 */
final class BindingCache {
    /**
     * Slots per side (a power of two): several times the concurrent tuples of a busy site (100 calls are about 400
     * RTP/RTCP tuples a side), so that streams seldom share a slot.
     */
    static final int SLOTS = 2048;
    /** Longs per slot: a slot's key and answer (version and direction, ports, addresses, hash). */
    private static final int STRIDE = 7;
    private static final int VERSION_DIR = 0, PORTS = 1, SRC_HI = 2, SRC_LO = 3, DST_HI = 4, DST_LO = 5, HASH = 6;

    private final long[] slots = new long[2 * SLOTS * STRIDE];
    private final Binding[] binding = new Binding[2 * SLOTS];
    /** The tuple index's version: slots cached at another one are empty (0 is never current). */
    private long current = 1;

    /** The tuple index changed: every answer cached so far is void. */
    void invalidate() {
        current++;
    }

    /** The slot of a frame's tuple on {@code side} (0 LAN, 1 WAN). */
    static int slot(int side, long srcLo, long dstLo, long protocolPorts) {
        long h = ((srcLo * 31 + dstLo) * 31 + protocolPorts) * 0x9E37_79B9_7F4A_7C15L;
        return side * SLOTS + (int) (h >>> 53);
    }

    /**
     * {@code protocol << 32 | srcPort << 16 | dstPort}, exact for a protocol of 0..255 and ports of 0..65535; -1 (not
     * cached, the table is asked) for any other values.
     */
    static long packed(int protocol, int srcPort, int dstPort) {
        if ((protocol >>> 8 | srcPort >>> 16 | dstPort >>> 16) != 0) return -1;
        return (long) protocol << 32 | (long) srcPort << 16 | dstPort;
    }

    /** Whether {@code slot} holds this tuple's answer at the index's current version. */
    boolean hit(int slot, long sHi, long sLo, long dHi, long dLo, long pp) {
        int i = slot * STRIDE;
        long[] d = slots;
        return d[i + VERSION_DIR] >>> 1 == current && d[i + PORTS] == pp
                && d[i + SRC_LO] == sLo && d[i + DST_LO] == dLo && d[i + SRC_HI] == sHi && d[i + DST_HI] == dHi;
    }

    /** Whether the flow record {@code r} holds its tuple's answer at the index's current version. */
    boolean hit(FlowRecord r) {
        return r.bindingAt == current && r.bindingOwner == this;
    }

    /** Keeps the index's answer for the tuple of the flow record {@code r}, as {@link #put} does for a slot. */
    void put(FlowRecord r, long tupleHash, Binding b, int dir) {
        r.bindingOwner = this;
        r.bindingAt = current;
        r.bindingHash = tupleHash;
        r.binding = b;
        r.bindingDirection = dir;
    }

    long hash(int slot) {
        return slots[slot * STRIDE + HASH];
    }

    Binding binding(int slot) {
        return binding[slot];
    }

    int direction(int slot) {
        return (int) slots[slot * STRIDE + VERSION_DIR] & 1;
    }

    /**
     * Keeps the index's answer for this tuple: its hash, its binding or null, and the direction (0 or 1) it is filed
     * under.
     */
    void put(int slot, long sHi, long sLo, long dHi, long dLo, long pp, long tupleHash, Binding b,
             int dir) {
        int i = slot * STRIDE;
        slots[i + VERSION_DIR] = current << 1 | dir;
        slots[i + PORTS] = pp;
        slots[i + SRC_HI] = sHi;
        slots[i + SRC_LO] = sLo;
        slots[i + DST_HI] = dHi;
        slots[i + DST_LO] = dLo;
        slots[i + HASH] = tupleHash;
        binding[slot] = b;
    }
}
