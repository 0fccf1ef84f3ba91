package dev.natrecon.detect;

import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.conntrack.EntryView;
import dev.natrecon.conntrack.EventFormat;

/**
 * The model's live conntrack table as the detectors may read it: the entry a flow belongs to (looked up by either
 * direction's tuple), viewed at a given time, the "conntrack entry involved" of a finding. It keeps no copy: the engine
 * {@link #attach attaches} the model's own table, read-only; a frame reaches the detectors after the model has taken
 * it, so the entry a frame belongs to is the one the model holds then. Without a table (the detectors' own tests, or
 * {@code natrecon explain}) every lookup answers none.
 */
public final class LiveEntries {
    /** The model's table, read-only: the entry holding {@code tuple} (as a key of either direction), viewed at a time. */
    @FunctionalInterface
    public interface Table {
        EntryView view(ConntrackTuple tuple, long nanos);
    }

    private Table table = (tuple, nanos) -> null;

    /** Reads the model's table from now on. */
    public void attach(Table table) {
        this.table = table;
    }

    /** The live entry a packet of {@code flow} belongs to (in either direction) at {@code nanos}, or null. */
    public EntryView of(Flow flow, long nanos) {
        if (!flow.hasPorts()) return null;
        ConntrackTuple t = ConntrackTuple.ports(flow.protocol(), flow.srcHi(), flow.srcLo(), flow.dstHi(), flow.dstLo(),
                flow.srcPort(), flow.dstPort());
        EntryView v = table.view(t, nanos);
        return v != null ? v : table.view(t.invert(), nanos);
    }

    /** The entry as {@code conntrack -L} prints it at {@code nanos} (without the use count), or empty without one. */
    public String text(Flow flow, long nanos) {
        EntryView v = of(flow, nanos);
        return v == null ? "" : EventFormat.entry(v);
    }
}
