package dev.natrecon.decode.sip;

/**
 * One anomaly found in a message: its name, a sentence about this occurrence (which header, what jain-sip said), and
 * where in the payload it is ({@code null} when it concerns the whole message).
 */
public record SipIssue(SipAnomaly anomaly, String detail, Span where) {
    @Override
    public String toString() {
        return anomaly.id() + ": " + detail + (where == null ? "" : " at " + where.start());
    }
}
