package dev.natrecon.correlate;

import dev.natrecon.decode.Disposition;

/**
 * One frame as the matcher holds it while it waits for a counterpart: primitive copies of what the outputs need, since
 * the frame's bytes are gone by then. Instances are pooled by {@link PacketMatcher}; never keep one after it was
 * handed to the {@link PacketMatcher.Listener}.
 */
public final class Seen {
    /*
     * Field order is layout: HotSpot places the fields by size (longs, ints, booleans, references), each size in the
     * order declared here. The match stage's thread writes a record and the replay's thread reads it, so each of its
     * cache lines the replay thread touches crosses between cores: what a steady-state frame (RTP, UDP) is read for
     * on that thread comes first among the longs and last among the ints (the two ends of the primitives, beside the
     * references), and what only TCP, ICMP errors, link events or the matcher itself read sits between them.
     */
    public long frame;
    public long nanos;
    /**
     * The frame's {@link dev.natrecon.correlate.FlowId} (its file's number for its TCP or UDP tuple), decided where it
     * was decoded; {@code FlowId.NONE} when it has none. Equal numbers mean equal tuples, so a consumer may key what
     * it found for the tuple by it.
     */
    public long flow;
    public long key;
    public long srcHi, srcLo, dstHi, dstLo;
    /**
     * A UDP payload shaped like RTP (RFC 3550 §5.1: version 2, at least the 12-byte fixed header, not RTCP): its SSRC
     * (unsigned) and sequence number; {@code rtpSsrc} is -1 otherwise. Shape only: whether it is media is the reader's
     * call (SDP, ports, a stream of them).
     */
    public long rtpSsrc = -1;
    /** Counterpart's frame (0 if none) and tuple as seen on the other side. */
    public long counterpartFrame;
    public long cpSrcHi, cpSrcLo, cpDstHi, cpDstLo;
    /** Corrected time difference: other side minus this side, in ns (0 if no counterpart). */
    public long counterpartDeltaNanos;
    public long captureNanos;
    public long sequence;
    /** The tuple an ICMP error quotes (protocol 0 when none). */
    public int innerProtocol;
    public long innerSrcHi, innerSrcLo, innerDstHi, innerDstLo;
    public int innerSrcPort, innerDstPort;
    /** PacketMatcher: where this packet's equal-time run of its chain started when it was appended, and its sequence. */
    Seen runStart;
    long runStartSequence;
    /** PacketMatcher's chain of the same key, addresses and TTL. */
    long hopKey;
    /**
     * TCP: sequence and acknowledgment numbers (u32 in ints), window, data length by the IP header, header length (0:
     * no TCP header), window scale (-1 without), SACK permitted and the highest SACK edge after the ACK (else the ACK):
     * what conntrack's window tracking reads.
     */
    public int tcpSeq, tcpAck, tcpWindow, tcpDataLength, tcpHeaderLength, tcpWindowScale = -1, tcpSack;
    public boolean tcpSackPermitted;
    /** A link-control message the frame carries (PPPoE discovery, LCP, IPCP, DHCP), its code and address. */
    public dev.natrecon.decode.LinkEvent linkEvent = dev.natrecon.decode.LinkEvent.NONE;
    public int linkEventCode, linkEventAddress;
    /** TCP flag bits, layer-4 payload length, ICMP type/code (-1 when not ICMP) and whether it is an ICMP error. */
    public int tcpFlags, payloadLength, icmpType = -1, icmpCode;
    public boolean icmpError;
    public int protocol;
    /** Ports, or the ICMP echo id as source port. */
    public int srcPort, dstPort;
    public int length;
    /** IPv4 TTL or IPv6 hop limit. */
    public int ttl;
    public int rtpSeq;
    public int cpSrcPort, cpDstPort;
    /** Counterpart's IP total length (differs when the router rewrote the payload). */
    public int cpLength;
    public boolean hasPorts;
    /**
     * A UDP payload shaped like RTCP (RFC 3550 version 2, packet type 192-223; RFC 5761 §4 tells it from RTP on a
     * shared port by that range): control traffic, not media.
     */
    public boolean rtcp;
    /** For {@link Outcome#ROUTED_BACK}: true on the second copy (the one leaving the router). */
    public boolean routedBackCopy;
    public boolean resolved;
    public Side side;
    /** Capture label when it is not simply the side's ("other:eth2" in a router capture); null otherwise. */
    public String captureLabel;
    public Outcome outcome;
    public Disposition disposition;
    /**
     * The layer-4 payload, kept only for packets a helper may read (SIP; see the engine), else null; and the
     * counterpart's, once matched.
     */
    public byte[] payload, cpPayload;
    /**
     * The kept payload parsed as one SIP message ({@code SipParser.parse}, the redacted form the detectors read), where
     * the frame is filled ({@link #parseSip}: on the match stage's thread when there is one, so the replay's thread
     * does not parse it); null when it was not parsed there. {@link #sipFailed} when that parse threw.
     */
    public dev.natrecon.decode.sip.SipParse sip;
    /** The counterpart's {@link #sip} (its parse of {@link #cpPayload}), once matched; null when it had none. */
    public dev.natrecon.decode.sip.SipParse cpSip;
    public boolean sipFailed;
    /** Next pending packet with the same key on the same side. */
    Seen nextSameKey;
    /** Previous (older) one; the oldest's is the newest of its chain (PacketMatcher's chains are circular that way). */
    Seen prevSameKey;
    Seen nextSameHop;
    Seen prevSameHop;
    boolean inWaiting;
    boolean emitted;
    /** Given back by a listener that kept it ({@link PacketMatcher#release}). */
    boolean released;

    void clear() {
        outcome = null;
        resolved = false;
        counterpartFrame = 0;
        cpSrcHi = cpSrcLo = cpDstHi = cpDstLo = 0;
        cpSrcPort = cpDstPort = cpLength = 0;
        counterpartDeltaNanos = 0;
        nextSameKey = null;
        prevSameKey = null;
        runStart = null;
        nextSameHop = null;
        prevSameHop = null;
        inWaiting = false;
        emitted = false;
        released = false;
        key = 0;
        flow = 0;
        hasPorts = false;
        protocol = -1;
        srcHi = srcLo = dstHi = dstLo = 0;
        srcPort = dstPort = length = ttl = 0;
        routedBackCopy = false;
        tcpFlags = payloadLength = icmpCode = innerProtocol = 0;
        icmpType = -1;
        icmpError = false;
        rtcp = false;
        tcpSeq = tcpAck = tcpWindow = tcpDataLength = tcpHeaderLength = tcpSack = 0;
        tcpWindowScale = -1;
        tcpSackPermitted = false;
        linkEvent = dev.natrecon.decode.LinkEvent.NONE;
        payload = cpPayload = null;
        sip = cpSip = null;
        sipFailed = false;
        linkEventCode = linkEventAddress = 0;
        innerSrcHi = innerSrcLo = innerDstHi = innerDstLo = 0;
        innerSrcPort = innerDstPort = 0;
    }

    /**
     * Parses the kept payload as one SIP message into {@link #sip} (or notes {@link #sipFailed}): called where the frame
     * is filled, after its payload, for a frame of a side.
     */
    public void parseSip() {
        if (payload == null || payload.length == 0) return;
        try {
            sip = dev.natrecon.decode.sip.SipParser.parse(payload, 0, payload.length);
        } catch (RuntimeException e) {
            sipFailed = true;
        }
    }

    /** This packet's tuple as seen on the LAN (its own, or its counterpart's when it was seen on the WAN). */
    public TupleView lanView() {
        return side == Side.LAN ? own() : counterpart();
    }

    /** This packet's tuple as seen on the WAN. */
    public TupleView wanView() {
        return side == Side.WAN ? own() : counterpart();
    }

    private TupleView own() {
        return new TupleView(srcHi, srcLo, srcPort, dstHi, dstLo, dstPort);
    }

    private TupleView counterpart() {
        return new TupleView(cpSrcHi, cpSrcLo, cpSrcPort, cpDstHi, cpDstLo, cpDstPort);
    }

    public boolean sameTupleAsCounterpart() {
        return srcHi == cpSrcHi && srcLo == cpSrcLo && dstHi == cpDstHi && dstLo == cpDstLo && srcPort == cpSrcPort
                && dstPort == cpDstPort;
    }
}
