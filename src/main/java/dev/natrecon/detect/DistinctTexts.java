package dev.natrecon.detect;

/**
 * How many distinct texts were seen, in about 16 bytes per text: each text is kept as a 64-bit hash in an
 * open-addressing table, not as itself. For keys a detector only counts past its listing bound (the From addresses of
 * a hundred thousand phones), where a set of the strings themselves would grow with every phone the case ever saw.
 * Two texts share a hash with a probability of about n^2 / 2^65 (under 10^-7 for a million texts), so the count is
 * exact for any case a capture holds.
 */
final class DistinctTexts {
    private long[] slots = new long[16]; // 0 marks an empty slot; a hash of 0 is stored as 1
    private int size;

    /** Counts {@code text} unless it was seen before; returns whether it was new. */
    boolean add(String text) {
        long h = hash(text);
        if (h == 0) h = 1;
        int mask = slots.length - 1;
        for (int i = (int) (h ^ (h >>> 32)) & mask; ; i = (i + 1) & mask) {
            if (slots[i] == h) return false;
            if (slots[i] == 0) {
                slots[i] = h;
                if (++size * 2 > slots.length) grow();
                return true;
            }
        }
    }

    /** The distinct texts added. */
    int size() {
        return size;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        int mask = slots.length - 1;
        for (long h : old) {
            if (h == 0) continue;
            int i = (int) (h ^ (h >>> 32)) & mask;
            while (slots[i] != 0) i = (i + 1) & mask;
            slots[i] = h;
        }
    }

    /** FNV-1a over the UTF-16 units, then MurmurHash3's 64-bit finaliser (fmix64) to spread the bits. */
    static long hash(String text) {
        long h = 0xcbf29ce484222325L; // FNV-1a 64-bit offset basis
        for (int i = 0; i < text.length(); i++) {
            h ^= text.charAt(i);
            h *= 0x100000001b3L; // FNV-1a 64-bit prime
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb93fe53ba881L;
        return h ^ (h >>> 33);
    }
}
