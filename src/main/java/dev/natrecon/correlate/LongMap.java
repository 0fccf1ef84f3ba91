package dev.natrecon.correlate;

import java.util.Arrays;

/**
 * Open-addressing map from a non-zero long to an object, without boxing; used on the per-packet path where a
 * {@code HashMap<Long, …>} would allocate a key per packet. Any non-zero keys: hashes or sequential ids.
 */
final class LongMap<V> {
    private long[] keys = new long[1024];
    private Object[] values = new Object[1024];
    /** A small number stored beside each value (saves a wrapper object where a value needs one more fact). */
    private byte[] tags = new byte[1024];
    private int size;
    private int lastTag;

    /** The value of {@code key}, or null; {@link #lastTag()} is then the tag it was put with. */
    @SuppressWarnings("unchecked")
    V get(long key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                lastTag = tags[i];
                return (V) values[i];
            }
            if (k == 0) return null;
        }
    }

    int lastTag() {
        return lastTag;
    }

    void put(long key, V value) {
        put(key, value, 0);
    }

    /** @param tag 0..127, returned by {@link #lastTag()} after a {@link #get} that finds this key */
    void put(long key, V value, int tag) {
        if (value == null) {
            remove(key);
            return;
        }
        if ((size + 1) * 2 > keys.length) grow();
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                values[i] = value;
                tags[i] = (byte) tag;
                return;
            }
            if (k == 0) {
                keys[i] = key;
                values[i] = value;
                tags[i] = (byte) tag;
                size++;
                return;
            }
        }
    }

    /**
     * The value under {@code key} if there is one (the map unchanged), else null after putting {@code value} under it:
     * one probe where a {@link #get} and a {@link #put} make two.
     */
    @SuppressWarnings("unchecked")
    V putIfAbsent(long key, V value) {
        if ((size + 1) * 2 > keys.length) grow();
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) return (V) values[i];
            if (k == 0) {
                keys[i] = key;
                values[i] = value;
                tags[i] = 0;
                size++;
                return null;
            }
        }
    }

    void remove(long key) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (true) {
            long k = keys[i];
            if (k == 0) return;
            if (k == key) break;
            i = (i + 1) & mask;
        }
        keys[i] = 0;
        values[i] = null;
        size--;
        // Backward-shift deletion keeps probe chains intact without tombstones.
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            long k = keys[j];
            if (k == 0) return;
            int home = slot(k, mask);
            boolean between = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!between) {
                keys[i] = k;
                values[i] = values[j];
                tags[i] = tags[j];
                keys[j] = 0;
                values[j] = null;
                i = j;
            }
        }
    }

    /**
     * The home slot of {@code key}: multiplied by the 64-bit golden ratio (Fibonacci hashing) before its halves are
     * folded, so keys that are not mixed hashes (entry ids 1, 2, 3, ...) do not fill one run of consecutive slots,
     * which would make every probe and every backward-shift deletion walk the whole run (quadratic in entries).
     */
    private static int slot(long key, int mask) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ h >>> 32) & mask;
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        byte[] oldTags = tags;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        tags = new byte[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                @SuppressWarnings("unchecked") V v = (V) oldValues[i];
                put(oldKeys[i], v, oldTags[i]);
            }
        }
        Arrays.fill(oldValues, null);
    }
}
