package dev.natrecon.engine;

import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.Packet;
import dev.natrecon.decode.Protocols;
import dev.natrecon.media.MediaStreams;
import java.util.Arrays;
import java.util.Map;

/**
 * The RTP/RTCP statistics of one capture input ({@link MediaStreams}), fed where the input is decoded: on its
 * {@link DecodeAheadStream}'s thread, or inline on the replay's thread ({@link InlineDecodedStream}). A side's
 * statistics depend only on that side's frames in capture order and on the SDP of the SIP payloads on the same side,
 * and every side comes from one input, so this gives what feeding them in the merged order gave, off the replay's
 * thread.
 *
 * <p>It decides per frame what {@link Replay}'s frame step decides for the same frame, from the same plan: the side
 * (the input's, or a router capture's interface side; a frame of an interface facing neither side is skipped) and
 * whether the payload is one the replay keeps as a possible SIP message (helper and SIP ports, a SIP match key, STUN
 * on one capture), which goes to the SDP reader instead of the RTP statistics. Only this input's thread calls
 * {@link #frame}; the replay reads {@link #media()} after the input's last frame (the hand-over of that frame orders
 * the writes before the read). Allocation-free per frame except a copy of a kept SIP payload, as the replay makes.
 */
final class MediaTap {
    private final MediaStreams media;
    /** The input's side; null for a router capture, whose frames are sided by interface. */
    private final Side fixedSide;
    private final Map<Integer, Side> sideOf;
    private final CookedSides cooked;
    /** The replay's ports whose payloads a helper may read (shared, read-only once the replay is built). */
    private final boolean[] helperPort;
    private final boolean single;
    /** A router capture's last interface key and its side (a capture runs long stretches on one interface). */
    private int lastInterface = Integer.MIN_VALUE;
    private Side lastSide;

    MediaTap(MediaStreams media, Side fixedSide, Map<Integer, Side> sideOf, CookedSides cooked, boolean[] helperPort,
             boolean single) {
        this.media = media;
        this.fixedSide = fixedSide;
        this.sideOf = sideOf;
        this.cooked = cooked;
        this.helperPort = helperPort;
        this.single = single;
    }

    MediaStreams media() {
        return media;
    }

    /**
     * One decoded, keyed frame of this input, in file order; returns {@link #replayReads} of it (the payload rule
     * both need is decided once per frame).
     */
    boolean frame(DecodedFrame d) {
        boolean kept = keptPayload(d);
        feed(d, kept);
        return reads(d, kept);
    }

    /** {@code kept}: the frame's payload is one the replay keeps ({@link #keptPayload}). */
    private void feed(DecodedFrame d, boolean kept) {
        if (d.disposition != Disposition.DECODED) return;
        Packet p = d.packet;
        if (p.protocol != Protocols.UDP || !p.hasPorts()) return;
        Side side = fixedSide;
        if (side == null) {
            int ik = Analysis.interfaceKey(d.frame, p, cooked);
            if (ik != lastInterface) {
                lastInterface = ik;
                lastSide = sideOf.get(ik);
            }
            side = lastSide;
            if (side == null) return; // an interface facing neither side: not a side's media
        }
        // the file's own numbering: this accumulator is fed this input's frames only
        long flow = FrameRecord.flow(d.records, d.base, 0);
        byte[] payload = kept ? Arrays.copyOfRange(p.data, p.payloadOffset, p.payloadOffset + p.payloadLength) : null;
        media.frame(side, d.frame.frameNumber, d.orderNanos, d.frame.timestampNanos, flow, payload, p);
    }

    /**
     * Whether frame {@code d} is a decoded TCP or UDP frame with ports whose payload the replay keeps as a possible
     * SIP message ({@link Replay#keepsPayload}).
     */
    private boolean keptPayload(DecodedFrame d) {
        if (d.disposition != Disposition.DECODED) return false;
        Packet p = d.packet;
        return p.payloadLength > 0 && p.hasPorts() && (p.protocol == Protocols.UDP || p.protocol == Protocols.TCP)
                && Replay.keepsPayload(helperPort, single, p.srcPort, p.dstPort, d.key, d.keyKind, p);
    }

    /**
     * Whether the replay's frame step reads frame {@code d} (keyed, its {@link FrameRecord} written) beyond its record:
     * the packet or raw frame of a router capture's frame (its interface), of a frame with a link event, TCP details
     * or an ICMP error's quote ({@link FrameRecord#fill}), or of a payload it keeps ({@link Replay#keepsPayload}, with
     * the same facts the replay reads from the record). A stream may hand over any other frame's record alone.
     */
    boolean replayReads(DecodedFrame d) {
        return reads(d, keptPayload(d));
    }

    private boolean reads(DecodedFrame d, boolean kept) {
        if (fixedSide == null) return true;
        int flags = FrameRecord.flags(d.records, d.base);
        return (flags & (FrameRecord.LINK_EVENT | FrameRecord.TCP_DETAILS | FrameRecord.ICMP_ERROR)) != 0 || kept;
    }
}
