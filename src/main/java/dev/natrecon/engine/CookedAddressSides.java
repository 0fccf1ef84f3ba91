package dev.natrecon.engine;

import dev.natrecon.correlate.Side;

/**
 * Which side's forwarded copies each IP address appeared in, in a router's Linux cooked v1 capture: the LAN hosts'
 * addresses appear only in the LAN copies, the router's WAN address only in the WAN copies, the far ends in both.
 * A link-layer group with no copy pair of its own (packets the router dropped or sent itself) takes the side of an
 * address it shares with only one side ({@link CookedSides}). Open addressing over primitive arrays, at most
 * {@link #MAX_ADDRESSES} addresses (the first ones seen; later ones are not recorded), so memory stays bounded.
 */
final class CookedAddressSides {
    /** Addresses recorded: far more than the hosts behind and in front of one router that a capture shows. */
    static final int MAX_ADDRESSES = 4096;
    static final int LAN = 1, WAN = 2;
    private final long[] hi = new long[MAX_ADDRESSES * 2], lo = new long[MAX_ADDRESSES * 2];
    private final byte[] seen = new byte[MAX_ADDRESSES * 2];
    private int size;

    /** Records that the address appeared in a copy of {@code side}. */
    void add(long addrHi, long addrLo, Side side) {
        int i = slot(addrHi, addrLo);
        if (seen[i] == 0) {
            if (size == MAX_ADDRESSES) return;
            size++;
            hi[i] = addrHi;
            lo[i] = addrLo;
        }
        seen[i] |= side == Side.LAN ? LAN : WAN;
    }

    /** {@link #LAN}, {@link #WAN}, both or'ed, or 0 when never seen in a copy. */
    int sides(long addrHi, long addrLo) {
        return seen[slot(addrHi, addrLo)];
    }

    private int slot(long addrHi, long addrLo) {
        int mask = seen.length - 1;
        long h = (addrHi * 0x9E3779B97F4A7C15L) ^ (addrLo * 0xC2B2AE3D27D4EB4FL);
        int i = (int) (h >>> 40) & mask;
        while (seen[i] != 0 && (hi[i] != addrHi || lo[i] != addrLo)) i = (i + 1) & mask;
        return i;
    }
}
