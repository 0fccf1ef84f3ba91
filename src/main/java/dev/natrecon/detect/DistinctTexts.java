package dev.natrecon.detect;

import dev.natrecon.correlate.DistinctLongs;

/**
 * How many distinct texts were seen, in about 16 bytes per text: each text is kept as a 64-bit hash in a
 * {@link DistinctLongs}, not as itself. For keys a detector only counts past its listing bound (the From addresses of
 * a hundred thousand phones), where a set of the strings themselves would grow with every phone the case ever saw.
 * Two texts share a hash with a probability of about n^2 / 2^65 (under 10^-7 for a million texts), so the count is
 * exact for any case a capture holds.
 */
final class DistinctTexts {
    private final DistinctLongs hashes = new DistinctLongs();

    /** Counts {@code text} unless it was seen before; returns whether it was new. */
    boolean add(String text) {
        return hashes.add(hash(text));
    }

    /** The distinct texts added (at most {@link DistinctLongs#MAX}). */
    int size() {
        return hashes.size();
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
