package dev.natrecon.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Heap use during one measured phase, from three angles:
 * <ul>
 *   <li><b>peak used</b>: {@code totalMemory − freeMemory} sampled by a background thread every few milliseconds.
 *       Includes garbage not yet collected, so it mostly reflects how the collector sizes the young generation;</li>
 *   <li><b>max after GC</b>: the largest heap occupancy right after any collection that ran during the phase (from
 *       the collectors' notifications) — what survives, i.e. what the code holds, plus not-yet-collected old garbage.
 *       Absent when no collection ran (allocation-free hot paths);</li>
 *   <li><b>peak live</b> (only with {@code forceGc}): the sampler calls {@link System#gc()} every sample and records
 *       the heap right after it — the true live set, at the price of perturbing the timing. Used for the memory check,
 *       never for throughput numbers.</li>
 * </ul>
 * The phase starts with a {@link System#gc()} and the pools' peak usage reset.
 */
public final class HeapMonitor implements AutoCloseable {
    /** What one phase used, in bytes; {@code -1} when not measured. */
    public record Usage(long peakUsed, long maxAfterGc, long peakLive, long poolPeakSum, long collections,
                        long collectionMillis, long baseline) {
    }

    private final Runtime runtime = Runtime.getRuntime();
    private final boolean forceGc;
    private final long intervalMillis;
    private final Thread sampler;
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onGc;
    private final Set<String> heapPools = new HashSet<>();
    private final long baseline;
    private final long collectionsAtStart, collectionMillisAtStart;
    private volatile boolean running = true;
    private volatile long peakUsed;
    private volatile long maxAfterGc = -1;
    private volatile long peakLive = -1;

    private HeapMonitor(long intervalMillis, boolean forceGc) {
        this.intervalMillis = intervalMillis;
        this.forceGc = forceGc;
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
                pool.resetPeakUsage();
            }
        }
        baseline = used();
        peakUsed = baseline;
        long[] gc = collections();
        collectionsAtStart = gc[0];
        collectionMillisAtStart = gc[1];
        for (GarbageCollectorMXBean gcBean : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gcBean instanceof NotificationEmitter e) {
                e.addNotificationListener(listener, null, null);
                emitters.add(e);
            }
        }
        sampler = new Thread(this::sample, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts monitoring (after a {@link System#gc()}); {@code forceGc} measures the live set, see the class comment. */
    public static HeapMonitor start(long intervalMillis, boolean forceGc) {
        return new HeapMonitor(intervalMillis, forceGc);
    }

    private long used() {
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static long[] collections() {
        long n = 0, ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
            ms += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {n, ms};
    }

    private void sample() {
        while (running) {
            if (forceGc) {
                System.gc();
                long live = used();
                if (live > peakLive) peakLive = live;
            }
            long u = used();
            if (u > peakUsed) peakUsed = u;
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void onGc(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long after = 0, before = 0;
        for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(e.getKey())) after += e.getValue().getUsed();
        }
        for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageBeforeGc().entrySet()) {
            if (heapPools.contains(e.getKey())) before += e.getValue().getUsed();
        }
        synchronized (this) {
            if (after > maxAfterGc) maxAfterGc = after;
            if (before > peakUsed) peakUsed = before;
        }
    }

    /** Stops sampling and returns what the phase used. */
    public Usage stop() {
        running = false;
        sampler.interrupt();
        try {
            sampler.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long u = used();
        if (u > peakUsed) peakUsed = u;
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(listener);
            } catch (javax.management.ListenerNotFoundException ignored) {
                // already gone
            }
        }
        emitters.clear();
        long poolPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) poolPeak += pool.getPeakUsage().getUsed();
        }
        long[] gc = collections();
        return new Usage(peakUsed, maxAfterGc, peakLive, poolPeak, gc[0] - collectionsAtStart,
                gc[1] - collectionMillisAtStart, baseline);
    }

    @Override
    public void close() {
        if (running) stop();
    }
}
