package dev.natrecon.correlate;

/**
 * How many distinct 64-bit keys were seen, in about 16 bytes per key: an open-addressing table of the keys
 * themselves, for things only counted past a listing bound (texts hashed to 64 bits by the detectors, the RTP streams
 * past the analysed bound). Past {@link #MAX} keys it stops growing and counts no more, so a capture that claims
 * millions of them costs at most 32 MiB here. A key of 0 counts as 1 (keys are hashes). Hashed keys share a value with
 * a probability of about n^2 / 2^65 (under 10^-7 for a million), so the count is exact for any case a capture holds.
 */
public final class DistinctLongs {
    /** The most distinct keys counted: 2^21, a table of at most 2^22 longs (32 MiB). */
    public static final int MAX = 1 << 21;
    private long[] slots = new long[16]; // 0 marks an empty slot; a key of 0 is stored as 1
    private int size;

    /** Counts {@code key} unless it was seen before (or {@link #MAX} are counted); returns whether it was new. */
    public boolean add(long key) {
        long h = key == 0 ? 1 : key;
        int mask = slots.length - 1;
        for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
            if (slots[i] == h) return false;
            if (slots[i] == 0) {
                if (size >= MAX) return false;
                slots[i] = h;
                if (++size * 2 > slots.length) grow();
                return true;
            }
        }
    }

    /** The distinct keys added (at most {@link #MAX}: a lower bound once it is reached). */
    public int size() {
        return size;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        int mask = slots.length - 1;
        for (long h : old) {
            if (h == 0) continue;
            int i = spread(h) & mask;
            while (slots[i] != 0) i = (i + 1) & mask;
            slots[i] = h;
        }
    }

    /** MurmurHash3's 64-bit finaliser (fmix64), folded to an int: sequential keys spread like hashed ones. */
    private static int spread(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) (h ^ h >>> 32);
    }
}
