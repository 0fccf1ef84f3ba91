package dev.natrecon.engine;

import dev.natrecon.correlate.MatchKeys;
import dev.natrecon.correlate.PacketMatcher;
import dev.natrecon.correlate.Seen;
import dev.natrecon.decode.Bytes;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.LinkEvent;
import dev.natrecon.decode.Packet;
import dev.natrecon.decode.Protocols;
import java.util.Arrays;

/**
 * What the replay reads of a decoded frame on almost every frame, written by the thread that decoded it (where the
 * packet's bytes are still in that core's cache) as {@link #STRIDE} longs in a primitive array: one record after the
 * other in decoding order, so the replay's core reads two cache lines per frame, in a sequence the hardware prefetches,
 * instead of the {@link DecodedFrame}, its {@link dev.natrecon.capture.RawFrame}, several lines of the {@link Packet}
 * and the payload's first bytes, all written by the other core. The rest (TCP window details, the tuple an ICMP error
 * quotes, link events, payloads) is read from the {@link Packet} for the frames that have it ({@link #flags}).
 *
 * <p>A record is a pure function of its {@link DecodedFrame}: {@link #fill(Seen, long[], int)} gives the
 * {@link Seen} exactly what {@link PacketMatcher#fillTuple} would.
 */
final class FrameRecord {
    /** Longs per record: two 64-byte cache lines. */
    static final int STRIDE = 16;

    static final int ORDER = 0;
    static final int FRAME = 1;
    static final int TIME = 2;
    static final int KEY = 3;
    private static final int SRC_HI = 4;
    private static final int SRC_LO = 5;
    private static final int DST_HI = 6;
    private static final int DST_LO = 7;
    /** Source port (or ICMP echo id) low, destination port high. */
    private static final int PORTS = 8;
    /** IP total length low, layer-4 payload length high. */
    private static final int LENGTHS = 9;
    /** The RTP SSRC (unsigned), or -1 when the payload is not shaped like RTP. */
    private static final int RTP_SSRC = 10;
    /** IP protocol low, RTP sequence number high. */
    private static final int PROTOCOL = 11;
    /** TTL low, TCP flags high. */
    private static final int TTL_FLAGS = 12;
    /** ICMP type low, code high. */
    private static final int ICMP = 13;
    /** Disposition ordinal (bits 0-7), key kind ordinal (8-15), {@link #flags} (16-31). */
    static final int KINDS = 14;
    /** The file's count of the frame's TCP or UDP flow ({@link FlowIds}), 0 for none: see {@link #flow}. */
    private static final int FLOW = 15;

    static final int HAS_PORTS = 1;
    static final int RTCP = 2;
    static final int ICMP_ERROR = 4;
    static final int LINK_EVENT = 8;
    /** TCP with a full header: window tracking's fields are read from the {@link Packet}. */
    static final int TCP_DETAILS = 16;
    /**
     * Set by a stream that handed over the record alone ({@link MediaTap#replayReads} said the replay reads nothing
     * else): the batch slot's {@link DecodedFrame} is then another frame's, and the replay must not read it.
     */
    static final int RECORD_ONLY = 32;

    private static final Disposition[] DISPOSITIONS = Disposition.values();
    private static final MatchKeys.Kind[] KINDS_OF_KEY = MatchKeys.Kind.values();

    private FrameRecord() {
    }

    /**
     * Writes frame {@code d}'s record (decoded, ordered and keyed) at {@code r[b]}, with its flow's count from
     * {@code flows} (the file's, on the thread that decodes it; null: none stamped).
     */
    static void write(long[] r, int b, DecodedFrame d, FlowIds flows) {
        Packet p = d.packet;
        r[b + ORDER] = d.orderNanos;
        r[b + FRAME] = d.frame.frameNumber;
        r[b + TIME] = d.frame.timestampNanos;
        r[b + KEY] = d.key;
        int flags = p.linkEvent != LinkEvent.NONE ? LINK_EVENT : 0;
        if (d.disposition == Disposition.DECODED) {
            boolean hasPorts = p.hasPorts();
            r[b + SRC_HI] = p.srcHi;
            r[b + SRC_LO] = p.srcLo;
            r[b + DST_HI] = p.dstHi;
            r[b + DST_LO] = p.dstLo;
            r[b + PORTS] = low(PacketMatcher.srcPort(p)) | (long) PacketMatcher.dstPort(p) << 32;
            r[b + LENGTHS] = low(p.ipTotalLength) | (long) p.payloadLength << 32;
            int o = p.payloadOffset;
            boolean rtcp = PacketMatcher.rtcpShape(p);
            boolean rtp = PacketMatcher.rtpShape(p, rtcp);
            r[b + RTP_SSRC] = rtp ? Bytes.u32(p.data, o + 8) : -1;
            r[b + PROTOCOL] = low(p.protocol) | (long) (rtp ? Bytes.u16(p.data, o + 2) : 0) << 32;
            r[b + TTL_FLAGS] = low(p.ttl) | (long) (p.protocol == Protocols.TCP ? p.tcpFlags : 0) << 32;
            r[b + ICMP] = low(p.icmpType) | (long) p.icmpCode << 32;
            if (hasPorts) flags |= HAS_PORTS;
            if (rtcp) flags |= RTCP;
            if (p.icmpError) flags |= ICMP_ERROR;
            if (p.protocol == Protocols.TCP && p.tcpHeaderLength >= 20) flags |= TCP_DETAILS;
            r[b + FLOW] = flows != null && hasPorts && (p.protocol == Protocols.TCP || p.protocol == Protocols.UDP)
                    ? flows.count(p.srcHi, p.srcLo, p.dstHi, p.dstLo,
                            (long) p.protocol << 32 | (long) p.srcPort << 16 | p.dstPort)
                    : 0;
        } else {
            Arrays.fill(r, b + SRC_HI, b + KINDS, 0L); // no tuple: nothing left over from the slot's last frame
            r[b + FLOW] = 0;
        }
        r[b + KINDS] = d.disposition.ordinal() | d.keyKind.ordinal() << 8 | flags << 16;
    }

    private static long low(int v) {
        return v & 0xffffffffL;
    }

    static Disposition disposition(long[] r, int b) {
        return DISPOSITIONS[(int) r[b + KINDS] & 0xff];
    }

    static MatchKeys.Kind keyKind(long[] r, int b) {
        return KINDS_OF_KEY[(int) (r[b + KINDS] >>> 8) & 0xff];
    }

    static int flags(long[] r, int b) {
        return (int) (r[b + KINDS] >>> 16);
    }

    /** Marks the record at {@code r[b]} {@link #RECORD_ONLY}. */
    static void markRecordOnly(long[] r, int b) {
        r[b + KINDS] |= (long) RECORD_ONLY << 16;
    }

    static int protocol(long[] r, int b) {
        return (int) r[b + PROTOCOL];
    }

    static int srcPort(long[] r, int b) {
        return (int) r[b + PORTS];
    }

    static int dstPort(long[] r, int b) {
        return (int) (r[b + PORTS] >>> 32);
    }

    /**
     * The frame's {@link dev.natrecon.correlate.FlowId} as input {@code input}'s: the same number for every frame of the
     * file with this frame's TCP or UDP tuple while the file's {@link FlowIds} remember it; {@code FlowId.NONE} when
     * the frame has no such tuple.
     */
    static long flow(long[] r, int b, int input) {
        long n = r[b + FLOW];
        return n == 0 ? dev.natrecon.correlate.FlowId.NONE : dev.natrecon.correlate.FlowId.of(input, n);
    }

    static int payloadLength(long[] r, int b) {
        return (int) (r[b + LENGTHS] >>> 32);
    }

    /**
     * Copies the tuple fields of a decoded frame's record into {@code s} with match key {@code key}, as
     * {@link PacketMatcher#fillTuple} does from the packet; the TCP and ICMP error details
     * come from {@code frame}'s packet when the record says the frame has them (the frame is not touched otherwise).
     */
    static void fill(Seen s, long[] r, int b, long key, DecodedFrame frame) {
        s.key = key;
        int flags = flags(r, b);
        s.protocol = protocol(r, b);
        s.srcHi = r[b + SRC_HI];
        s.srcLo = r[b + SRC_LO];
        s.dstHi = r[b + DST_HI];
        s.dstLo = r[b + DST_LO];
        s.hasPorts = (flags & HAS_PORTS) != 0;
        long ports = r[b + PORTS];
        s.srcPort = (int) ports;
        s.dstPort = (int) (ports >>> 32);
        long lengths = r[b + LENGTHS];
        s.length = (int) lengths;
        s.payloadLength = (int) (lengths >>> 32);
        long ttlFlags = r[b + TTL_FLAGS];
        s.ttl = (int) ttlFlags;
        s.tcpFlags = (int) (ttlFlags >>> 32);
        s.rtcp = (flags & RTCP) != 0;
        s.rtpSsrc = r[b + RTP_SSRC];
        s.rtpSeq = (int) (r[b + PROTOCOL] >>> 32);
        long icmp = r[b + ICMP];
        s.icmpType = (int) icmp;
        s.icmpCode = (int) (icmp >>> 32);
        s.icmpError = (flags & ICMP_ERROR) != 0;
        if ((flags & (TCP_DETAILS | ICMP_ERROR)) != 0) PacketMatcher.fillDetails(s, frame.packet);
    }
}
