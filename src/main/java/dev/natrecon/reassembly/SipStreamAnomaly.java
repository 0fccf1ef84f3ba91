package dev.natrecon.reassembly;

import dev.natrecon.capture.Anomaly;

/** What can go wrong delimiting SIP messages in one direction of a TCP stream. */
public enum SipStreamAnomaly implements Anomaly {
    SIP_STREAM_GAP("reassembly.sip_stream.gap", "a segment starts after the next expected sequence number: bytes are missing; a partial message was dropped and the stream resyncs at the next start line"),
    SIP_STREAM_RETRANSMISSION("reassembly.sip_stream.retransmission", "a segment repeats bytes already consumed; they were ignored (new bytes in a partly overlapping segment were used)"),
    SIP_STREAM_OVERFLOW("reassembly.sip_stream.buffer_overflow", "a message (or a header block that never ends) is larger than the per-stream buffer cap; it was dropped: exactly its bytes when its Content-Length is known, else up to the next start line"),
    SIP_STREAM_GARBAGE("reassembly.sip_stream.garbage", "where a message should start there is no SIP start line; bytes were skipped up to the next start line"),
    SIP_STREAM_NO_CONTENT_LENGTH("reassembly.sip_stream.no_content_length", "a message on a stream has no Content-Length (mandatory over TCP, RFC 3261 §18.3); its body is taken as empty"),
    SIP_STREAM_BAD_CONTENT_LENGTH("reassembly.sip_stream.bad_content_length", "a message's Content-Length is not a number; its body is taken as empty"),
    SIP_STREAM_INCOMPLETE_AT_END("reassembly.sip_stream.incomplete_at_end", "the stream ended inside a message");

    @Override
    public boolean bound() {
        return this == SIP_STREAM_OVERFLOW;
    }

    private final String id;
    private final String description;

    SipStreamAnomaly(String id, String description) {
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
