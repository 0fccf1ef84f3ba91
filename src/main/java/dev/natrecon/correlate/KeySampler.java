package dev.natrecon.correlate;

import dev.natrecon.decode.Packet;
import java.util.Arrays;

/**
 * A bounded, consistent sample of one capture's match keys: a key is kept when its hash is below a threshold that
 * halves whenever the sample outgrows its capacity. Both captures keep the same keys (same hash, same rule), so the
 * joined sample is a uniform draw of matched pairs over the whole overlap, in memory independent of capture length.
 *
 * <p>The sample is kept in columns of primitives in the order the keys were first seen (the capture's frame order),
 * with an open-addressing index from key to position: the survey offers every frame of the clock sample
 * (2 &times; 262,144 on a long pair), and a {@code HashMap<Long, Sample>} boxed a key per offer and allocated a node
 * and a sample per key kept, most of them dropped again as the threshold halved.
 */
public final class KeySampler {
    private final int capacity;
    private long threshold = Long.MAX_VALUE;
    /** The samples, in the order their keys were first seen; {@code count > 1}: seen several times, no timing. */
    private long[] keys = new long[0];
    private long[] nanos = keys, frames = keys, srcHi = keys, srcLo = keys, dstHi = keys, dstLo = keys;
    private int[] srcPort = new int[0], dstPort = srcPort, count = srcPort;
    private int size;
    /** Open addressing: a key's slot holds its position + 1 (0: empty); at most half full. */
    private int[] index = new int[16];

    public KeySampler(int capacity) {
        this.capacity = capacity;
    }

    public void add(long key, long nanos, long frame, Packet p) {
        if (key == 0 || (key >>> 1) >= threshold) return;
        int mask = index.length - 1;
        int slot = slot(key, mask);
        for (int at; (at = index[slot]) != 0; slot = (slot + 1) & mask) {
            if (keys[at - 1] == key) {
                count[at - 1]++;
                return;
            }
        }
        if (size == keys.length) {
            grow();
            mask = index.length - 1;
            slot = slot(key, mask);
            while (index[slot] != 0) slot = (slot + 1) & mask;
        }
        int i = size++;
        keys[i] = key;
        this.nanos[i] = nanos;
        frames[i] = frame;
        srcHi[i] = p.srcHi;
        srcLo[i] = p.srcLo;
        dstHi[i] = p.dstHi;
        dstLo[i] = p.dstLo;
        srcPort[i] = p.hasPorts() ? p.srcPort : p.icmpId;
        dstPort[i] = p.hasPorts() ? p.dstPort : 0;
        count[i] = 1;
        index[slot] = i + 1;
        if (size > capacity) lowerThreshold(threshold / 2);
    }

    public long threshold() {
        return threshold;
    }

    /** Lowers the threshold (to align two samplers) and drops what no longer qualifies. */
    public void lowerThreshold(long t) {
        if (t >= threshold) return;
        threshold = t;
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if ((keys[i] >>> 1) >= threshold) continue;
            if (kept != i) {
                keys[kept] = keys[i];
                nanos[kept] = nanos[i];
                frames[kept] = frames[i];
                srcHi[kept] = srcHi[i];
                srcLo[kept] = srcLo[i];
                dstHi[kept] = dstHi[i];
                dstLo[kept] = dstLo[i];
                srcPort[kept] = srcPort[i];
                dstPort[kept] = dstPort[i];
                count[kept] = count[i];
            }
            kept++;
        }
        size = kept;
        reindex(index.length);
    }

    /** Keys sampled. */
    public int size() {
        return size;
    }

    /** Position of {@code key} in the sample, or -1. */
    public int indexOf(long key) {
        if (key == 0) return -1;
        int mask = index.length - 1;
        for (int slot = slot(key, mask), at; (at = index[slot]) != 0; slot = (slot + 1) & mask) {
            if (keys[at - 1] == key) return at - 1;
        }
        return -1;
    }

    /** The sample at {@code i} (0 &le; i &lt; {@link #size()}, in the order first seen): its key. */
    public long key(int i) {
        return keys[i];
    }

    /** Capture time of the first packet with the key. */
    public long nanos(int i) {
        return nanos[i];
    }

    /** Frame number of the first packet with the key. */
    public long frame(int i) {
        return frames[i];
    }

    public long srcHi(int i) {
        return srcHi[i];
    }

    public long srcLo(int i) {
        return srcLo[i];
    }

    public long dstHi(int i) {
        return dstHi[i];
    }

    public long dstLo(int i) {
        return dstLo[i];
    }

    /** Source port, or the ICMP echo id. */
    public int srcPort(int i) {
        return srcPort[i];
    }

    /** Destination port (0 for ICMP). */
    public int dstPort(int i) {
        return dstPort[i];
    }

    /** Packets seen with the key: more than 1 makes it unusable for timing. */
    public int count(int i) {
        return count[i];
    }

    private void grow() {
        int n = Math.max(64, Math.min(keys.length * 2, capacity + 1));
        if (n <= keys.length) n = keys.length + 1;
        keys = Arrays.copyOf(keys, n);
        nanos = Arrays.copyOf(nanos, n);
        frames = Arrays.copyOf(frames, n);
        srcHi = Arrays.copyOf(srcHi, n);
        srcLo = Arrays.copyOf(srcLo, n);
        dstHi = Arrays.copyOf(dstHi, n);
        dstLo = Arrays.copyOf(dstLo, n);
        srcPort = Arrays.copyOf(srcPort, n);
        dstPort = Arrays.copyOf(dstPort, n);
        count = Arrays.copyOf(count, n);
        reindex(Integer.highestOneBit(n) * 4);
    }

    private void reindex(int slots) {
        if (index.length == slots) Arrays.fill(index, 0);
        else index = new int[slots];
        int mask = slots - 1;
        for (int i = 0; i < size; i++) {
            int slot = slot(keys[i], mask);
            while (index[slot] != 0) slot = (slot + 1) & mask;
            index[slot] = i + 1;
        }
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
