package dev.natrecon.detect;

import dev.natrecon.correlate.Binding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;

/**
 * The overlapping pairs of one large group of bindings sharing an external endpoint, counted in one sweep over time
 * instead of pair by pair: bindings in order of their first packet, with the ones still live (last packet at or after
 * the current one's first) in a queue by their last packet. Each binding overlaps exactly the live ones before it; the
 * pairs of one internal endpoint with itself (its lifetimes, its other remotes) are taken off with a queue per internal
 * endpoint. n bindings cost O(n log n) whatever the number of pairs (n(n-1)/2 at worst).
 *
 * <p>What it gives: the first {@link PortClashDetector#MAX_PAIRS_PER_PORT} pairs in time order (a binding with the
 * live ones it overlaps), the number of the other pairs, their time span, up to {@code maxNamed} endpoints and the
 * first frames of the bindings in them.
 */
final class SharedPortSweep {
    /**
     * Live bindings looked at per binding to find pairs to list: a binding whose live companions are mostly its own
     * internal endpoint's lifetimes must not make the listing quadratic.
     */
    static final int LIST_SCAN = 64;

    final List<Binding[]> listed = new ArrayList<>();
    long more;
    long restFirst = Long.MAX_VALUE, restLast = Long.MIN_VALUE;
    final Set<String> endpoints = new TreeSet<>();
    /** Bindings in one or more of the counted pairs, in sweep order (their first frames are the evidence). */
    final List<Binding> inRest = new ArrayList<>();
    private static final int MAX_EVIDENCE_BINDINGS = 2 * Finding.MAX_FRAMES;

    SharedPortSweep(List<Binding> group, int maxListed, int maxNamed) {
        List<Binding> sorted = new ArrayList<>(group);
        sorted.sort(Comparator.comparingLong((Binding b) -> b.firstNanos).thenComparingInt(b -> b.id));
        PriorityQueue<Binding> live = new PriorityQueue<>(Comparator.comparingLong((Binding b) -> b.lastNanos));
        Map<Internal, PriorityQueue<Long>> ownLive = new HashMap<>();
        long maxLast = Long.MIN_VALUE;
        for (Binding b : sorted) {
            while (!live.isEmpty() && live.peek().lastNanos < b.firstNanos) live.poll();
            PriorityQueue<Long> own = ownLive.computeIfAbsent(internalKey(b), k -> new PriorityQueue<>());
            while (!own.isEmpty() && own.peek() < b.firstNanos) own.poll();
            long partners = live.size() - own.size();
            if (partners > 0) {
                int listedNow = 0;
                if (listed.size() < maxListed) {
                    int scanned = 0;
                    for (Iterator<Binding> it = live.iterator(); it.hasNext() && listed.size() < maxListed
                            && scanned < LIST_SCAN; scanned++) {
                        Binding a = it.next();
                        if (sameInternal(a, b)) continue;
                        listed.add(new Binding[] {a, b});
                        listedNow++;
                    }
                }
                if (partners > listedNow) {
                    more += partners - listedNow;
                    // b starts every pair it makes with a live one; the earliest end is the live set's head's
                    restFirst = Math.min(restFirst, Math.min(b.firstNanos, Math.min(live.peek().lastNanos, b.lastNanos)));
                    restLast = Math.max(restLast, Math.max(b.firstNanos, Math.min(maxLast, b.lastNanos)));
                    if (endpoints.size() < maxNamed) endpoints.add(b.internal());
                    if (endpoints.size() < maxNamed && !sameInternal(live.peek(), b)) endpoints.add(live.peek().internal());
                    if (inRest.size() < MAX_EVIDENCE_BINDINGS) inRest.add(b);
                }
            }
            live.add(b);
            own.add(b.lastNanos);
            maxLast = Math.max(maxLast, b.lastNanos);
        }
    }

    private static boolean sameInternal(Binding a, Binding b) {
        return a.internalHi == b.internalHi && a.internalLo == b.internalLo && a.internalPort == b.internalPort;
    }

    /** An internal endpoint as a key. */
    private record Internal(long hi, long lo, int port) {
    }

    private static Internal internalKey(Binding b) {
        return new Internal(b.internalHi, b.internalLo, b.internalPort);
    }
}
