package dev.natrecon.capture;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts anomalies by id, remembering the first frame each was seen in. Anomalies are rare, so a map is cheap enough;
 * the hot path only pays when something is wrong.
 */
public final class AnomalyCounts {
    private final Map<String, long[]> counts = new TreeMap<>();
    private final Map<String, Anomaly> kinds = new LinkedHashMap<>();

    /** Counts one occurrence of {@code anomaly} in frame {@code frameNumber} (0 if no frame applies). */
    public void add(Anomaly anomaly, long frameNumber) {
        long[] c = counts.get(anomaly.id());
        if (c == null) {
            counts.put(anomaly.id(), new long[] {1, frameNumber});
            kinds.put(anomaly.id(), anomaly);
        } else {
            c[0]++;
        }
    }

    public long count(String id) {
        long[] c = counts.get(id);
        return c == null ? 0 : c[0];
    }

    public long firstFrame(String id) {
        long[] c = counts.get(id);
        return c == null ? 0 : c[1];
    }

    public long total() {
        long t = 0;
        for (long[] c : counts.values()) t += c[0];
        return t;
    }

    /** Counts by id, sorted by id. */
    public Map<String, Long> asMap() {
        Map<String, Long> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v[0]));
        return m;
    }

    public Anomaly kind(String id) {
        return kinds.get(id);
    }

    public void addAll(AnomalyCounts other) {
        other.counts.forEach((id, c) -> {
            long[] mine = counts.get(id);
            if (mine == null) {
                counts.put(id, new long[] {c[0], c[1]});
                kinds.put(id, other.kinds.get(id));
            } else {
                mine[0] += c[0];
            }
        });
    }
}
