package dev.natrecon.correlate;

/**
 * The {@link FlowRecord}s of the flows the replay meets, direct-mapped by flow number and side: a flow's record is
 * found by one array read and one comparison; a flow whose slot another flow holds takes the record over (reset), so
 * two flows that share a slot alternately cost their consumers' own lookups, never a wrong answer.
 */
public final class FlowRecords {
    /** Slots (a power of two): several times a busy site's concurrent flows per side, as the consumers' caches had. */
    static final int SLOTS = 4096;
    private final FlowRecord[] records = new FlowRecord[SLOTS];

    /** The record of {@code flow} on {@code side} (0 LAN, 1 WAN), emptied if it was another's; null for {@link FlowId#NONE}. */
    public FlowRecord of(long flow, int side) {
        if (flow == FlowId.NONE) return null;
        int i = FlowId.index(flow, SLOTS - 1) ^ side * (SLOTS / 2);
        FlowRecord r = records[i];
        if (r == null) return records[i] = new FlowRecord(flow, side);
        if (!r.is(flow, side)) r.reset(flow, side);
        return r;
    }
}
