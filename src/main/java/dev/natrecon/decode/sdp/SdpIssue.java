package dev.natrecon.decode.sdp;

import dev.natrecon.decode.sip.Span;

/** One anomaly found in an SDP body, with a sentence and the line it is about (null for the whole body). */
public record SdpIssue(SdpAnomaly anomaly, String detail, Span where) {
    @Override
    public String toString() {
        return anomaly.id() + ": " + detail + (where == null ? "" : " at " + where.start());
    }
}
