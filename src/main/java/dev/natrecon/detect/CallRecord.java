package dev.natrecon.detect;

import dev.natrecon.correlate.Side;
import java.util.List;

/**
 * One call (INVITE dialog, by Call-ID) as {@code calls.csv}, the report's call list and the ladders' media bars show
 * it: its SIP milestones, how it ended, its codecs and, per capture side and direction, its media.
 *
 * @param callId      the Call-ID as the message carries it (renderers redact credentials)
 * @param from        the INVITE's From URI ({@code user@host}), as the first copy seen writes it
 * @param to          the INVITE's To URI
 * @param phoneIsCaller whether the party behind the router (the phone) sent the INVITE
 * @param startNanos  the first INVITE
 * @param answerNanos the first 2xx to the INVITE, or -1 when never answered
 * @param endNanos    the BYE, CANCEL or final failure response, or -1 when none was seen
 * @param endReason   "BYE from the phone (caller)", "CANCEL from the caller", "486 response", or "capture ended…"
 * @param codecs      the codecs of each party's latest SDP ("phone: PCMU, telephone-event; remote: PCMU")
 * @param codec       the codec the answer put first (the one in use), or empty when no SDP answer was seen
 * @param legs        the media per side (LAN, WAN) and direction (to the phone, to the remote): four legs
 * @param ptimeMs     the SDP answer's a=ptime, 0 when none
 */
public record CallRecord(String callId, String from, String to, boolean phoneIsCaller, long startNanos,
                         long answerNanos, long endNanos, String endReason, String codecs, String codec,
                         List<Leg> legs, int ptimeMs) {
    public CallRecord {
        legs = List.copyOf(legs);
    }

    /**
     * One direction of the media on one capture side. {@code captured}: the case has a capture of that side (else the
     * counts are unknown, not zero). Quality fields are -1 (and {@code score} null) when not measured.
     *
     * @param toPhone     media to the phone (else to the remote)
     * @param packets     RTP packets to that party's SDP endpoint on that side
     * @param firstNanos  first packet, -1 when none
     * @param lastNanos   last packet, -1 when none
     * @param lost        packets lost (RFC 3550 A.3: expected - received), -1 when not measured
     * @param expected    packets expected from the sequence numbers, -1 when not measured
     * @param jitterMeanMs mean RFC 3550 interarrival jitter, ms, -1 when not measured
     * @param jitterMaxMs largest RFC 3550 interarrival jitter, ms, -1 when not measured
     * @param score       the E-model score of that direction ({@link EModel#score}), null when not scored
     * @param maxDeltaMs  the largest gap between two of its packets (ms) in its streams, -1 when not measured
     * @param sources     the sources its packets came from ("192.0.2.1:4000", at most 4), for tying RTP streams to it
     */
    public record Leg(Side side, boolean toPhone, boolean captured, long packets, long firstNanos, long lastNanos,
                      long lost, long expected, double jitterMeanMs, double jitterMaxMs, EModel.Score score,
                      double maxDeltaMs, List<String> sources) {
        public Leg {
            sources = List.copyOf(sources);
        }

        /** "to the phone" or "to the remote". */
        public String direction() {
            return toPhone ? "to the phone" : "to the remote";
        }
    }

    /** This record with other legs. */
    public CallRecord withLegs(List<Leg> newLegs) {
        return new CallRecord(callId, from, to, phoneIsCaller, startNanos, answerNanos, endNanos, endReason, codecs,
                codec, newLegs, ptimeMs);
    }

    /** The leg of {@code side} and direction. */
    public Leg leg(Side side, boolean toPhone) {
        for (Leg l : legs) if (l.side() == side && l.toPhone() == toPhone) return l;
        return null;
    }

    /** Setup time (INVITE to answer) in nanoseconds, or -1 when not answered. */
    public long setupNanos() {
        return answerNanos < 0 ? -1 : answerNanos - startNanos;
    }

    /** Talk time (answer to end) in nanoseconds, or -1 when not answered or no end was seen. */
    public long durationNanos() {
        return answerNanos < 0 || endNanos < 0 ? -1 : endNanos - answerNanos;
    }
}
