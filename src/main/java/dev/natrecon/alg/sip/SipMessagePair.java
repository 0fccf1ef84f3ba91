package dev.natrecon.alg.sip;

import java.util.ArrayList;
import java.util.List;

/**
 * The LAN and WAN copies of one SIP message, the direction it crossed the router, and optionally the router output a
 * model predicted for it. The packets' own IP and UDP/TCP headers give the translation the router applied to this
 * packet ({@link #translations()}): the phone's internal endpoint, the router's external endpoint and the remote peer.
 */
public final class SipMessagePair {
    private final SipObservation lan;
    private final SipObservation wan;
    private final Direction direction;
    private final byte[] predictedOutput;
    private final boolean redact;
    private SipRewriteDiff diff;

    public SipMessagePair(SipObservation lan, SipObservation wan, Direction direction) {
        this(lan, wan, direction, null, true);
    }

    private SipMessagePair(SipObservation lan, SipObservation wan, Direction direction, byte[] predictedOutput,
                           boolean redact) {
        if (lan.capture() != CapturePoint.LAN || wan.capture() != CapturePoint.WAN) {
            throw new IllegalArgumentException("a pair is a LAN copy and a WAN copy: " + lan + " / " + wan);
        }
        this.lan = lan;
        this.wan = wan;
        this.direction = direction;
        this.predictedOutput = predictedOutput == null ? null : predictedOutput.clone();
        this.redact = redact;
    }

    /** The same pair whose diff keeps credential values in its text ({@code --no-redact}); redacted by default. */
    public SipMessagePair showingCredentials() {
        return new SipMessagePair(lan, wan, direction, predictedOutput, false);
    }

    /**
     * The same pair with the router output a model predicted (WAN bytes for an outbound message, LAN bytes for an
     * inbound one); null removes it.
     */
    public SipMessagePair withPrediction(byte[] predictedOutput) {
        return new SipMessagePair(lan, wan, direction, predictedOutput, redact);
    }

    public SipObservation lan() {
        return lan;
    }

    public SipObservation wan() {
        return wan;
    }

    public Direction direction() {
        return direction;
    }

    /** The copy the router received. */
    public SipObservation input() {
        return direction == Direction.OUTBOUND ? lan : wan;
    }

    /** The copy the router sent. */
    public SipObservation output() {
        return direction == Direction.OUTBOUND ? wan : lan;
    }

    /** Credential values are left out of the diff's text (the default; see {@link #showingCredentials()}). */
    boolean redacted() {
        return redact;
    }

    public boolean hasPrediction() {
        return predictedOutput != null;
    }

    /** The field diff of the two copies (computed once). */
    public synchronized SipRewriteDiff diff() {
        if (diff == null) diff = SipRewriteDiff.of(direction, lan.raw(), wan.raw(), predictedOutput, redact);
        return diff;
    }

    /**
     * Drops the cached diff and parses (made again when asked for), so that a case's many classified pairs hold
     * their bytes only.
     */
    public void release() {
        diff = null;
        lan.release();
        wan.release();
    }

    /** What the router translated in this packet: source and/or destination, as far as they differ. */
    public List<Translation> translations() {
        List<Translation> out = new ArrayList<>(2);
        SipObservation i = input(), o = output();
        if (!i.source().equals(o.source())) out.add(new Translation(i.source(), o.source()));
        if (!i.destination().equals(o.destination())) out.add(new Translation(i.destination(), o.destination()));
        return out;
    }

    /** The phone's endpoint as the LAN shows it (source of an outbound message, destination of an inbound one). */
    public Endpoint internal() {
        return direction == Direction.OUTBOUND ? lan.source() : lan.destination();
    }

    /** The router's endpoint as the WAN shows it. */
    public Endpoint external() {
        return direction == Direction.OUTBOUND ? wan.source() : wan.destination();
    }

    /** The peer as the LAN shows it. */
    public Endpoint remote() {
        return direction == Direction.OUTBOUND ? lan.destination() : lan.source();
    }

    /** Identifies the signalling flow: transport, internal and remote endpoint (LAN view). */
    public String flow() {
        return lan.transport().name().toLowerCase(java.util.Locale.ROOT) + " " + internal() + " <-> " + remote();
    }

    /** The LAN and the WAN frame. */
    public List<FrameRef> frames() {
        return List.of(lan.frameRef(), wan.frameRef());
    }

    @Override
    public String toString() {
        SipPairKey k = input().key();
        return direction.label() + " " + (k == null ? "?" : k.label()) + " lan " + lan.frame() + " wan " + wan.frame();
    }
}
