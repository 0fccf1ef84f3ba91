package dev.natrecon.engine;

import dev.natrecon.capture.Switches;
import dev.natrecon.correlate.FlowId;
import java.util.Arrays;

/**
 * One capture file's flow counts ({@link FlowId}): the decoding thread's map from a TCP or UDP 5-tuple to the count it
 * gave that tuple the first time it met it (from 1, never reused). Open addressing with linear probing over one
 * primitive array (six longs a slot: both addresses, protocol and ports, the count), so a frame costs one hash and,
 * for a live flow, one cache line. Thread-confined: only the thread that decodes the file touches it.
 *
 * <p>Bounded: at {@link #MAX_FLOWS} tuples the table starts afresh; the flows still going get new counts (their
 * consumers' caches then miss once each and ask their own indexes), so memory follows no capture's length.
 */
final class FlowIds {
    /**
     * Tuples held before the table starts afresh: many times the live flows of a busy site (100 calls are about 400
     * RTP/RTCP tuples a side), about 3 MiB of table at the most. A bound on memory, not a kernel value.
     */
    static final int MAX_FLOWS = 1 << 15;
    private static final int STRIDE = 6;
    private static final int SRC_HI = 0, SRC_LO = 1, DST_HI = 2, DST_LO = 3, PORTS = 4, COUNT = 5;
    private static final int INITIAL_SLOTS = 256;
    /**
     * System property: {@code off} stamps no flow numbers, so every consumer asks its own index (for comparisons: the
     * outputs are the same either way).
     */
    static final String PROPERTY = "natrecon.flowIds";

    private long[] slots = new long[INITIAL_SLOTS * STRIDE];
    private int mask = INITIAL_SLOTS - 1;
    private int size;
    private long next = 1;

    /** A file's table for the thread that decodes it, or null when {@value #PROPERTY} is {@code off}. */
    static FlowIds forStream() {
        return Switches.off(PROPERTY) ? null : new FlowIds();
    }

    /**
     * The count of this tuple ({@code protocolPorts}: {@code protocol << 32 | srcPort << 16 | dstPort}, never 0 for TCP
     * or UDP), given now when the tuple is new.
     */
    long count(long srcHi, long srcLo, long dstHi, long dstLo, long protocolPorts) {
        long[] s = slots;
        int m = mask;
        for (int i = hash(srcLo, dstLo, protocolPorts) & m; ; i = i + 1 & m) {
            int b = i * STRIDE;
            long c = s[b + COUNT];
            if (c == 0) return add(b, srcHi, srcLo, dstHi, dstLo, protocolPorts);
            if (s[b + PORTS] == protocolPorts && s[b + SRC_LO] == srcLo && s[b + DST_LO] == dstLo
                    && s[b + SRC_HI] == srcHi && s[b + DST_HI] == dstHi) {
                return c;
            }
        }
    }

    private long add(int b, long srcHi, long srcLo, long dstHi, long dstLo, long protocolPorts) {
        if (size == MAX_FLOWS) {
            Arrays.fill(slots, 0L); // afresh: every tuple gets a new count when it comes back
            size = 0;
            return count(srcHi, srcLo, dstHi, dstLo, protocolPorts);
        }
        if ((size + 1) * 2 > mask + 1) {
            grow();
            return count(srcHi, srcLo, dstHi, dstLo, protocolPorts);
        }
        long[] s = slots;
        s[b + SRC_HI] = srcHi;
        s[b + SRC_LO] = srcLo;
        s[b + DST_HI] = dstHi;
        s[b + DST_LO] = dstLo;
        s[b + PORTS] = protocolPorts;
        s[b + COUNT] = next;
        size++;
        return next++;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        mask = slots.length / STRIDE - 1;
        for (int b = 0; b < old.length; b += STRIDE) {
            if (old[b + COUNT] == 0) continue;
            int i = hash(old[b + SRC_LO], old[b + DST_LO], old[b + PORTS]) & mask;
            while (slots[i * STRIDE + COUNT] != 0) i = i + 1 & mask;
            System.arraycopy(old, b, slots, i * STRIDE, STRIDE);
        }
    }

    /** Tuples held now (for tests). */
    int size() {
        return size;
    }

    /** Mixes the fields that differ most between flows (a multiply-xorshift round, splitmix64's constants). */
    private static int hash(long srcLo, long dstLo, long protocolPorts) {
        long h = (srcLo * 0x9E3779B97F4A7C15L ^ dstLo) * 0xBF58476D1CE4E5B9L ^ protocolPorts * 0x94D049BB133111EBL;
        return (int) (h ^ h >>> 31 ^ h >>> 47);
    }
}
