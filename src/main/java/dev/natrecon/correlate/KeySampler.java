package dev.natrecon.correlate;

import dev.natrecon.decode.Packet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A bounded, consistent sample of one capture's match keys: a key is kept when its hash is below a threshold that
 * halves whenever the sample outgrows its capacity. Both captures keep the same keys (same hash, same rule), so the
 * joined sample is a uniform draw of matched pairs over the whole overlap, in memory independent of capture length.
 */
public final class KeySampler {
    /** One sampled packet. {@code count > 1} marks a key seen several times on this side: unusable for timing. */
    public static final class Sample {
        public long nanos;
        public long frame;
        public long srcHi, srcLo, dstHi, dstLo;
        public int srcPort, dstPort;
        public int count;
    }

    private final int capacity;
    private long threshold = Long.MAX_VALUE;
    private final Map<Long, Sample> samples = new HashMap<>();

    public KeySampler(int capacity) {
        this.capacity = capacity;
    }

    public void add(long key, long nanos, long frame, Packet p) {
        if (key == 0 || (key >>> 1) >= threshold) return;
        Sample s = samples.get(key);
        if (s != null) {
            s.count++;
            return;
        }
        s = new Sample();
        s.nanos = nanos;
        s.frame = frame;
        s.srcHi = p.srcHi;
        s.srcLo = p.srcLo;
        s.dstHi = p.dstHi;
        s.dstLo = p.dstLo;
        s.srcPort = p.hasPorts() ? p.srcPort : p.icmpId;
        s.dstPort = p.hasPorts() ? p.dstPort : 0;
        s.count = 1;
        samples.put(key, s);
        if (samples.size() > capacity) lowerThreshold(threshold / 2);
    }

    public long threshold() {
        return threshold;
    }

    /** Lowers the threshold (to align two samplers) and drops what no longer qualifies. */
    public void lowerThreshold(long t) {
        if (t >= threshold) return;
        threshold = t;
        Iterator<Long> it = samples.keySet().iterator();
        while (it.hasNext()) if ((it.next() >>> 1) >= threshold) it.remove();
    }

    public Map<Long, Sample> samples() {
        return samples;
    }
}
