package dev.natrecon.detect;

import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Seen;
import dev.natrecon.decode.LinkEvent;

/**
 * What kind of frame a {@link Detector} reads, as bits: a detector declares the kinds it needs
 * ({@link Detector#interest()}) and {@link Detection} calls it only for frames with one of them (one bit test per
 * detector per frame instead of a call). Most frames of a large capture are RTP of established flows, which most
 * detectors have nothing to read from (issue 18: nothing done for packets no detector needs).
 *
 * <p>A frame has {@link #ANY} and every other kind that fits; the kinds overlap.
 */
public final class PacketKinds {
    /** Every frame. */
    public static final int ANY = 1;
    /** A frame whose own layer-4 payload was kept ({@link Seen#payload}: SIP). */
    public static final int PAYLOAD = 1 << 1;
    /** A frame whose counterpart's payload was kept ({@link Seen#cpPayload}). */
    public static final int COUNTERPART_PAYLOAD = 1 << 2;
    /** A frame shaped like RTP ({@link Seen#rtpSsrc} set). */
    public static final int RTP = 1 << 3;
    /** A frame without a counterpart, or one copy of a packet sent back out of the interface it came in on. */
    public static final int UNMATCHED = 1 << 4;
    /** A frame that left the WAN with an inside source ({@link Outcome#LEAKED}). */
    public static final int LEAKED = 1 << 5;
    /** A frame carrying a link-control message ({@link Seen#linkEvent}: ARP, PPPoE, DHCP...). */
    public static final int LINK_EVENT = 1 << 6;
    /** None: the detector reads no frames (only events). */
    public static final int NONE = 0;
    /**
     * The kinds of an ordinary frame: after one, {@link Detection} does not ask the detectors again what they need (a
     * detector's interest may grow only after an event or a frame of another kind).
     */
    static final int ORDINARY = ANY | RTP;

    private PacketKinds() {
    }

    /** The kinds of {@code s} (allocation-free). */
    public static int of(Seen s) {
        int k = ANY;
        if (s.payload != null) k |= PAYLOAD;
        if (s.cpPayload != null) k |= COUNTERPART_PAYLOAD;
        if (s.rtpSsrc >= 0) k |= RTP;
        if (s.counterpartFrame == 0 || s.outcome == Outcome.ROUTED_BACK) k |= UNMATCHED;
        if (s.outcome == Outcome.LEAKED) k |= LEAKED;
        if (s.linkEvent != LinkEvent.NONE) k |= LINK_EVENT;
        return k;
    }
}
