package dev.natrecon.detect;

import dev.natrecon.decode.sdp.SdpDirection;

/**
 * One party's media endpoint as its SDP advertises it on one capture side, over the call: the endpoint in force now,
 * the one it replaced (a re-INVITE or UPDATE that moved the media, a late offer in the ACK) and when, so media is
 * judged against the SDP negotiated for its own period, not the first one nor the last one (RFC 3264 section 8: a new
 * offer/answer replaces the session description).
 *
 * <p>A sender switches to a new endpoint once its offer/answer completes, and packets sent from the old one are still
 * in flight then: the endpoint it replaced still counts for {@link #SWITCH_NANOS} after the change. A failed re-INVITE
 * or UPDATE (a final response of 300 or more: 488 to a T.38 offer, 491 glare) leaves the earlier session in force
 * ({@link #revertSince}). An advertised unspecified address (c=0.0.0.0, RFC 3264 section 8.4's old-style hold) names
 * no endpoint: nothing is compared while it is in force.
 */
final class SdpInForce {
    /**
     * How long the replaced endpoint still counts after the change: the offer/answer round trip (the 200 OK and ACK
     * of a re-INVITE) plus packets in flight, the same 2 s as the answer window ({@link MediaDetector#ANSWER_WINDOW_NANOS}:
     * phones send within a packetization interval, 20 ms by RFC 3551's default ptime, of the answer).
     */
    static final long SWITCH_NANOS = MediaDetector.ANSWER_WINDOW_NANOS;

    private SipFacts.Host current, previous;
    private long changedAt = Long.MIN_VALUE;
    private boolean previousHeld;
    private boolean held;
    private boolean everHeld;
    /*
     * current's and previous' fields as fits reads them, copied here when they change: a packet's check reads this
     * object alone, not the Host records (one cache miss fewer per RTP packet).
     */
    private boolean anyFits = true, previousAny;
    private boolean currentLiteral, previousLiteral;
    private long currentHi, currentLo, previousHi, previousLo;
    private int currentPort, previousPort;

    /** The endpoint in force, or null when no SDP of this party has been seen on this side. */
    SipFacts.Host current() {
        return current;
    }

    /** Whether any SDP of this party on this side put the media on hold or made it one-way (sendonly, recvonly, inactive, c=0.0.0.0). */
    boolean everHeld() {
        return everHeld;
    }

    /** A new SDP of this party seen at {@code nanos}, its audio endpoint {@code h} and direction. */
    void advertise(SipFacts.Host h, SdpDirection direction, long nanos) {
        boolean hold = h.unspecified() || direction != SdpDirection.SENDRECV;
        everHeld |= hold;
        if (current != null && current.sameAddress(h.hi(), h.lo()) && current.port() == h.port() && held == hold) return;
        previous = current;
        previousHeld = held;
        current = h;
        held = hold;
        changedAt = nanos;
        copyForFits();
    }

    /** A re-INVITE or UPDATE failed at {@code nanos}: a change made since {@code since} did not take effect. */
    void revertSince(long since) {
        if (previous == null || changedAt < since) return;
        current = previous;
        held = previousHeld;
        previous = null;
        changedAt = Long.MIN_VALUE;
        copyForFits();
    }

    private void copyForFits() {
        anyFits = current == null || current.unspecified();
        if (current != null) {
            currentLiteral = current.literal();
            currentHi = current.hi();
            currentLo = current.lo();
            currentPort = current.port();
        }
        if (previous != null) {
            previousAny = previous.unspecified();
            previousLiteral = previous.literal();
            previousHi = previous.hi();
            previousLo = previous.lo();
            previousPort = previous.port();
        }
    }

    /**
     * Whether a packet sent by this party from {@code hi/lo:port} at {@code nanos} fits the SDP in force (true too when
     * there is nothing to compare with: no SDP yet, or an unspecified address). Allocation-free (per packet).
     */
    boolean fits(long hi, long lo, int port, long nanos) {
        if (anyFits) return true;
        if (currentLiteral && currentHi == hi && currentLo == lo && currentPort == port) return true;
        return previous != null && nanos - changedAt <= SWITCH_NANOS
                && (previousAny || previousLiteral && previousHi == hi && previousLo == lo && previousPort == port);
    }
}
