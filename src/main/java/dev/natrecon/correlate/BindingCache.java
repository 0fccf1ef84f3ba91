package dev.natrecon.correlate;

/**
 * The {@link BindingTable}'s answers for recently seen tuples, per side: a direct-mapped cache from a frame's own
 * fields (protocol, addresses, ports) to the tuple's hash, its binding (or none) and the direction it is filed under.
 * RTP streams interleave, so the table's one-tuple memory per side rarely holds the next frame's flow; here each live
 * flow keeps a slot, and a hit costs five comparisons instead of the tuple hash and the map's probe.
 *
 * <p>Exact, never stale: an answer holds only while the table's tuple index has not changed since it was cached
 * ({@link #invalidate}, called on every change); after a change every slot is refilled from the index on its next use.
 */
final class BindingCache {
    /** Slots per side (a power of two): more than the concurrent flows of a busy site's calls. */
    static final int SLOTS = 256;

    private final long[] srcHi = new long[2 * SLOTS], srcLo = new long[2 * SLOTS];
    private final long[] dstHi = new long[2 * SLOTS], dstLo = new long[2 * SLOTS];
    /** protocol, source and destination port packed ({@link #packed}); -1 in a slot never filled. */
    private final long[] protocolPorts = new long[2 * SLOTS];
    private final long[] hash = new long[2 * SLOTS];
    private final Binding[] binding = new Binding[2 * SLOTS];
    private final byte[] direction = new byte[2 * SLOTS];
    private final long[] version = new long[2 * SLOTS];
    /** The tuple index's version: slots cached at another one are empty. */
    private long current = 1;

    BindingCache() {
        java.util.Arrays.fill(protocolPorts, -1);
    }

    /** The tuple index changed: every answer cached so far is void. */
    void invalidate() {
        current++;
    }

    /** The slot of a frame's tuple on {@code side} (0 LAN, 1 WAN). */
    static int slot(int side, long srcLo, long dstLo, long protocolPorts) {
        long h = ((srcLo * 31 + dstLo) * 31 + protocolPorts) * 0x9E37_79B9_7F4A_7C15L;
        return side * SLOTS + (int) (h >>> 56);
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
        return version[slot] == current && protocolPorts[slot] == pp && srcLo[slot] == sLo && dstLo[slot] == dLo
                && srcHi[slot] == sHi && dstHi[slot] == dHi;
    }

    long hash(int slot) {
        return hash[slot];
    }

    Binding binding(int slot) {
        return binding[slot];
    }

    int direction(int slot) {
        return direction[slot];
    }

    /** Keeps the index's answer for this tuple: its hash, its binding or null, and the direction it is filed under. */
    void put(int slot, long sHi, long sLo, long dHi, long dLo, long pp, long tupleHash, Binding b, int dir) {
        srcHi[slot] = sHi;
        srcLo[slot] = sLo;
        dstHi[slot] = dHi;
        dstLo[slot] = dLo;
        protocolPorts[slot] = pp;
        hash[slot] = tupleHash;
        binding[slot] = b;
        direction[slot] = (byte) dir;
        version[slot] = current;
    }
}
