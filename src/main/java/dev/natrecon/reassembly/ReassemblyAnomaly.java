package dev.natrecon.reassembly;

import dev.natrecon.capture.Anomaly;

/** What can go wrong putting fragments back together. */
public enum ReassemblyAnomaly implements Anomaly {
    DUPLICATE("reassembly.duplicate_fragment", "a fragment covering exactly the bytes of an earlier one was ignored"),
    OVERLAP("reassembly.overlapping_fragments", "fragments overlap; like Linux since 4.19 (RFC 5722 for IPv6) the datagram is discarded"),
    INCONSISTENT_LENGTH("reassembly.inconsistent_length", "fragments disagree about where the datagram ends; discarded"),
    OVERSIZED("reassembly.oversized", "fragments reach beyond 65535 bytes; discarded"),
    TIMEOUT("reassembly.timeout", "a datagram stayed incomplete longer than the reassembly timeout; its fragments were dropped"),
    EVICTED("reassembly.evicted", "the reassembly buffers were full; the oldest incomplete datagram was dropped"),
    INCOMPLETE_AT_END("reassembly.incomplete_at_end", "the capture ended with a datagram still incomplete");

    @Override
    public boolean bound() {
        return this == EVICTED;
    }

    private final String id;
    private final String description;

    ReassemblyAnomaly(String id, String description) {
        this.id = id;
        this.description = description;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return description;
    }
}
