package dev.natrecon.engine;

import dev.natrecon.conntrack.ConntrackEvent;
import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.conntrack.EntryView;
import dev.natrecon.conntrack.Status;
import java.util.HashMap;
import java.util.Map;

/** Counts live entries by protocol and status from the events, and reports one sample per changed second. */
final class TableGauge {
    private static final long SECOND = 1_000_000_000L;
    private final java.util.function.Consumer<TableSample> samples;
    /** entry id → {protocol class, status} */
    private final Map<Long, int[]> live = new HashMap<>();
    private final int[] byClass = new int[4];
    private int unreplied, assured;
    private long second = Long.MIN_VALUE;
    private int peakInSecond;
    long peak, peakNanos;

    TableGauge(java.util.function.Consumer<TableSample> samples) {
        this.samples = samples;
    }

    void accept(ConntrackEvent e) {
        if (!(e instanceof ConntrackEvent.EntryCreated || e instanceof ConntrackEvent.EntryUpdated
                || e instanceof ConntrackEvent.EntryExpired || e instanceof ConntrackEvent.EntryKilled)) {
            return; // divergences and drops leave the table as it was
        }
        long s = Math.floorDiv(e.nanos(), SECOND) * SECOND;
        if (s != second) {
            flush();
            second = s;
            peakInSecond = live.size();
        }
        EntryView v = e.entry();
        int[] old = live.get(v.id());
        if (old != null) {
            byClass[old[0]]--;
            if ((old[1] & Status.SEEN_REPLY) == 0) unreplied--;
            if ((old[1] & Status.ASSURED) != 0) assured--;
        }
        if (e instanceof ConntrackEvent.EntryExpired || e instanceof ConntrackEvent.EntryKilled) {
            live.remove(v.id());
        } else {
            int[] now = {protocolClass(v.original().protocol()), v.status()};
            live.put(v.id(), now);
            byClass[now[0]]++;
            if ((now[1] & Status.SEEN_REPLY) == 0) unreplied++;
            if ((now[1] & Status.ASSURED) != 0) assured++;
        }
        if (live.size() > peakInSecond) peakInSecond = live.size();
        if (live.size() > peak) {
            peak = live.size();
            peakNanos = e.nanos();
        }
    }

    void flush() {
        if (second == Long.MIN_VALUE) return;
        samples.accept(new TableSample(second, live.size(), peakInSecond, byClass[0], byClass[1], byClass[2],
                byClass[3], unreplied, assured));
        second = Long.MIN_VALUE;
    }

    static int protocolClass(int protocol) {
        return switch (protocol) {
            case ConntrackTuple.TCP -> 0;
            case ConntrackTuple.UDP -> 1;
            case ConntrackTuple.ICMP, ConntrackTuple.ICMPV6 -> 2;
            default -> 3;
        };
    }
}
