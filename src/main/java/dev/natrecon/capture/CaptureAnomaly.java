package dev.natrecon.capture;

/** Anomalies of the capture container itself. */
public enum CaptureAnomaly implements Anomaly {
    TRUNCATED_RECORD("capture.truncated_record", "the file ends inside a packet record or block; the partial record is skipped"),
    RECORD_TOO_LARGE("capture.record_too_large", "a record claims more captured bytes than libpcap's maximum snap length "
            + "(256 KiB; pcapng blocks 1 MiB), a lying header: a pcap file cannot be read past it, a pcapng packet block is skipped"),
    OVER_SNAPLEN("capture.record_over_snaplen", "a record's captured length exceeds the snap length in the file header "
            + "(but not libpcap's maximum); the frame was read whole"),
    CAPTURED_LONGER_THAN_ORIGINAL("capture.captured_longer_than_original", "a record's captured length exceeds its original length"),
    BAD_BLOCK_LENGTH("capture.pcapng.bad_block_length", "a pcapng block length is not a multiple of 4 or smaller than a block; the rest of the file cannot be read"),
    TRAILING_LENGTH_MISMATCH("capture.pcapng.trailing_length_mismatch", "a pcapng block's trailing length differs from its leading length"),
    UNKNOWN_INTERFACE("capture.pcapng.unknown_interface", "a packet block names an interface that no Interface Description Block defined; skipped"),
    UNKNOWN_BLOCK("capture.pcapng.unknown_block", "a pcapng block of an unknown type was skipped"),
    SIMPLE_PACKET_NO_TIMESTAMP("capture.pcapng.simple_packet_without_time", "a Simple Packet Block has no timestamp; the previous frame's time is used"),
    TIME_JUMPED("capture.time_jumped", "a frame is stamped more than an hour after the one before it; unless the next frame confirms the jump it is ordered at the previous time"),
    TIME_WENT_BACKWARDS("capture.time_went_backwards", "a frame is older than the one before it in the same file; it is ordered as if taken at the previous time");

    @Override
    public boolean bound() {
        return this == RECORD_TOO_LARGE;
    }

    private final String id;
    private final String description;

    CaptureAnomaly(String id, String description) {
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
