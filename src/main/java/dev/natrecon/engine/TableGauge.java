package dev.natrecon.engine;

import dev.natrecon.conntrack.ConntrackEvent;
import dev.natrecon.conntrack.TableCounts;

/**
 * Samples the model's table once per second of model time in which it changed: the counts are the model's own
 * ({@link TableCounts}, kept by its table), read as each table event passes; the gauge keeps only the counts after the
 * last event (seven numbers, so a new second can report how the previous one ended) and the peaks.
 */
final class TableGauge {
    private static final long SECOND = 1_000_000_000L;
    private final java.util.function.Consumer<TableSample> samples;
    private final TableCounts counts;
    /** the counts after the last table event: entries, tcp, udp, icmp, other, unreplied, assured */
    private int entries, tcp, udp, icmp, other, unreplied, assured;
    private long second = Long.MIN_VALUE;
    private int peakInSecond;
    long peak, peakNanos;

    TableGauge(TableCounts counts, java.util.function.Consumer<TableSample> samples) {
        this.counts = counts;
        this.samples = samples;
    }

    /** One event of the model, after the model applied it to its table. */
    void accept(ConntrackEvent e) {
        if (!(e instanceof ConntrackEvent.EntryCreated || e instanceof ConntrackEvent.EntryUpdated
                || e instanceof ConntrackEvent.EntryExpired || e instanceof ConntrackEvent.EntryKilled)) {
            return; // divergences and drops leave the table as it was
        }
        long s = Math.floorDiv(e.nanos(), SECOND) * SECOND;
        if (s != second) {
            flush();
            second = s;
            peakInSecond = entries;
        }
        entries = counts.entries();
        tcp = counts.of(TableCounts.TCP);
        udp = counts.of(TableCounts.UDP);
        icmp = counts.of(TableCounts.ICMP);
        other = counts.of(TableCounts.OTHER);
        unreplied = counts.unreplied();
        assured = counts.assured();
        if (entries > peakInSecond) peakInSecond = entries;
        if (entries > peak) {
            peak = entries;
            peakNanos = e.nanos();
        }
    }

    void flush() {
        if (second == Long.MIN_VALUE) return;
        samples.accept(new TableSample(second, entries, peakInSecond, tcp, udp, icmp, other, unreplied, assured));
        second = Long.MIN_VALUE;
    }
}
