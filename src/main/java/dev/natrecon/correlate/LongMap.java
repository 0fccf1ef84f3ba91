package dev.natrecon.correlate;

import java.util.Arrays;

/**
 * Open-addressing map from a non-zero long to an object, without boxing; used on the per-packet path where a
 * {@code HashMap<Long, …>} would allocate a key per packet. Keys are expected to be well mixed hashes.
 */
final class LongMap<V> {
    private long[] keys = new long[1024];
    private Object[] values = new Object[1024];
    private int size;

    @SuppressWarnings("unchecked")
    V get(long key) {
        int mask = keys.length - 1;
        for (int i = (int) (key ^ key >>> 32) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) return (V) values[i];
            if (k == 0) return null;
        }
    }

    void put(long key, V value) {
        if (value == null) {
            remove(key);
            return;
        }
        if ((size + 1) * 2 > keys.length) grow();
        int mask = keys.length - 1;
        for (int i = (int) (key ^ key >>> 32) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                values[i] = value;
                return;
            }
            if (k == 0) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
        }
    }

    void remove(long key) {
        int mask = keys.length - 1;
        int i = (int) (key ^ key >>> 32) & mask;
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
            int home = (int) (k ^ k >>> 32) & mask;
            boolean between = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!between) {
                keys[i] = k;
                values[i] = values[j];
                keys[j] = 0;
                values[j] = null;
                i = j;
            }
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                @SuppressWarnings("unchecked") V v = (V) oldValues[i];
                put(oldKeys[i], v);
            }
        }
        Arrays.fill(oldValues, null);
    }
}
