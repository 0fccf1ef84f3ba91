package dev.natrecon.conntrack;

import dev.natrecon.decode.Packet;

/**
 * One packet as it arrived at the router, with what the captures showed of its fate: the model's only packet input.
 * A mutable carrier that the caller fills and reuses; the model copies what it keeps.
 *
 * <p>The model decides what the kernel would have done; {@link #egress} and the observed translation are what the
 * other capture showed, used where the kernel's choice cannot be predicted (a random port, a route) and to record
 * divergences where it could.
 */
public final class Arrival {
    /** Where the packet came from. */
    public enum Ingress {
        /** the LAN interface (PREROUTING, then FORWARD or INPUT) */
        LAN,
        /** the WAN interface */
        WAN,
        /** the router itself (OUTPUT) */
        LOCAL
    }

    /** Where the captures show the packet went. */
    public enum Egress {
        /** seen leaving on the WAN interface */
        WAN,
        /** seen leaving on the LAN interface (inbound traffic, or a LAN packet routed back out of the LAN) */
        LAN,
        /** addressed to the router itself */
        ROUTER,
        /** not seen leaving although the other capture was running: dropped (no route, filtered, helper drop) */
        DROPPED,
        /** the other capture does not cover this moment, or there is no other capture */
        UNKNOWN
    }

    public long nanos;
    public FrameRef frame = FrameRef.NONE;
    /** The packet's own tuple, before any translation by this router. */
    public ConntrackTuple tuple;
    /** TCP flag bits (FIN 0x01, SYN 0x02, RST 0x04, ACK 0x10); 0 for other protocols. */
    public int tcpFlags;
    /** IP total length, for the counters. */
    public int ipLength;
    /** Layer-4 payload length (helpers act only on packets that carry data). */
    public int payloadLength;
    /**
     * TCP fields the window tracker reads (nf_conntrack_proto_tcp.c:tcp_in_window), as on the wire (u32 values kept
     * in ints); only meaningful when {@link #tcpSequenceKnown}. Without them the model tracks TCP by flags alone.
     */
    public boolean tcpSequenceKnown;
    public int tcpSeq, tcpAck, tcpWindow;
    /** Bytes of TCP data by the IP header's length (segment_seq_plus_len), not as captured. */
    public int tcpDataLength;
    /** Length of the TCP options (header length − 20): tcp_options resets scale and flags only when there are any. */
    public int tcpOptionsLength;
    /** The window scale option's shift (capped at 14), or -1 without one. */
    public int tcpWindowScale = -1;
    public boolean tcpSackPermitted;
    /** The highest right edge of the first SACK option's blocks that lies after the ACK, else {@link #tcpAck} (tcp_sack). */
    public int tcpSack;
    /**
     * The layer-4 payload, for helpers (the SIP helper reads and rewrites it); null when the caller did not keep it.
     * {@link #observedPayload} is the counterpart's payload after the router, when the other capture showed it.
     */
    public byte[] payload, observedPayload;
    /** Set by the model: the payload as the entry's helper left it (its rewrite), or null when no helper ran. */
    public byte[] helperPayload;
    /** For an ICMP error: the tuple of the packet it quotes, as quoted (else null). */
    public ConntrackTuple quoted;
    /** Where the packet came from; null when the caller does not know (the model then guesses from the source). */
    public Ingress ingress = Ingress.LAN;
    public Egress egress = Egress.UNKNOWN;
    /**
     * With {@link Egress#DROPPED}: the router answered the packet with ICMP net/host unreachable, so it died in routing
     * (after PREROUTING, before the helper and NAT, which run at POSTROUTING/confirmation), and the router's ICMP error,
     * tracked as RELATED to the packet's entry, delivered that entry's cached events when it was confirmed
     * (nf_conntrack_core.c:nf_conntrack_confirm → nf_ct_deliver_cached_events).
     */
    public boolean diedInRouting;
    /**
     * The interface names, when the caller knows them; null: the model takes the first interface of the role
     * ({@link Interfaces#name}) for LAN/WAN, none for LOCAL/ROUTER.
     */
    public String ingressInterface, egressInterface;
    /**
     * The packet as the other capture showed it after the router (its counterpart), when there was one. An address
     * left at 0/0 (never a real source or destination) is unknown, e.g. when only the port was given.
     */
    public boolean observed;
    public long observedSrcHi, observedSrcLo, observedDstHi, observedDstLo;
    /** Observed ports, or the ICMP id as source port; -1 when unknown. */
    public int observedSrcPort = -1, observedDstPort = -1;

    /** Resets everything to "nothing known" for the next packet. */
    public Arrival clear() {
        nanos = 0;
        frame = FrameRef.NONE;
        tuple = null;
        tcpFlags = ipLength = payloadLength = 0;
        tcpSequenceKnown = false;
        tcpSeq = tcpAck = tcpWindow = tcpDataLength = tcpOptionsLength = tcpSack = 0;
        tcpWindowScale = -1;
        tcpSackPermitted = false;
        quoted = null;
        payload = observedPayload = helperPayload = null;
        ingress = Ingress.LAN;
        egress = Egress.UNKNOWN;
        diedInRouting = false;
        ingressInterface = egressInterface = null;
        observed = false;
        observedSrcHi = observedSrcLo = observedDstHi = observedDstLo = 0;
        observedSrcPort = observedDstPort = -1;
        return this;
    }

    /** Records the counterpart the other capture showed: the packet's addresses and ports after the router. */
    public Arrival observe(long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort) {
        observed = true;
        observedSrcHi = srcHi;
        observedSrcLo = srcLo;
        observedSrcPort = srcPort;
        observedDstHi = dstHi;
        observedDstLo = dstLo;
        observedDstPort = dstPort;
        return this;
    }

    /** The counterpart as a tuple (ports, or the ICMP id as source port). */
    public Arrival observe(ConntrackTuple after) {
        return observe(after.srcHi(), after.srcLo(), after.sourceKey(), after.dstHi(), after.dstLo(),
                after.isIcmp() ? -1 : after.dstPort());
    }

    boolean observedSourceAddressKnown() {
        return observed && (observedSrcHi != 0 || observedSrcLo != 0);
    }

    boolean observedDestinationAddressKnown() {
        return observed && (observedDstHi != 0 || observedDstLo != 0);
    }

    /** The observed source port (or ICMP id) after translation, or -1. */
    public int observedNatPort() {
        return observed ? observedSrcPort : -1;
    }

    /**
     * Fills the packet fields from a decoded packet: its tuple (ports, ICMP type/code/id, or addresses only), TCP flags,
     * lengths and, for an ICMP error, the quoted tuple.
     */
    public Arrival packet(long nanos, FrameRef frame, Packet p) {
        this.nanos = nanos;
        this.frame = frame;
        tuple = tupleOf(p);
        tcpFlags = p.protocol == ConntrackTuple.TCP ? p.tcpFlags : 0;
        ipLength = p.ipTotalLength;
        payloadLength = p.payloadLength;
        tcpSequenceKnown = false;
        tcpWindowScale = -1;
        tcpSackPermitted = false;
        tcpOptionsLength = tcpDataLength = 0;
        if (p.protocol == ConntrackTuple.TCP && p.tcpHeaderLength >= 20 && p.payloadOffset >= p.l4Offset + 20) tcp(p);
        quoted = p.icmpError ? quoted(p.innerProtocol, p.innerSrcHi, p.innerSrcLo, p.innerDstHi, p.innerDstLo,
                p.innerSrcPort, p.innerDstPort) : null;
        return this;
    }

    /** Sequence fields and the options conntrack reads, as the decoder found them. */
    private void tcp(Packet p) {
        tcp((int) p.tcpSeq, (int) p.tcpAck, p.tcpWindow, Math.max(0, p.l4Length - p.tcpHeaderLength),
                p.tcpHeaderLength - 20, p.tcpWindowScale, p.tcpSackPermitted, (int) p.tcpSack);
    }

    /**
     * Sets the TCP fields the window tracker reads (u32 values in ints).
     *
     * @param dataLength    bytes of data by the IP header's length
     * @param optionsLength TCP header length − 20
     * @param windowScale   the window scale option's shift, or -1
     * @param sack          the highest SACK right edge after the ACK, else the ACK
     */
    public Arrival tcp(int seq, int ack, int window, int dataLength, int optionsLength, int windowScale,
                       boolean sackPermitted, int sack) {
        tcpSequenceKnown = true;
        tcpSeq = seq;
        tcpAck = ack;
        tcpWindow = window;
        tcpDataLength = dataLength;
        tcpOptionsLength = optionsLength;
        tcpWindowScale = windowScale;
        tcpSackPermitted = sackPermitted;
        tcpSack = sack;
        return this;
    }

    /** The conntrack tuple of a decoded packet; an ICMP error gets type and code with id -1. */
    public static ConntrackTuple tupleOf(Packet p) {
        return tuple(p.protocol, p.srcHi, p.srcLo, p.dstHi, p.dstLo, p.srcPort, p.dstPort, p.icmpType, p.icmpCode,
                p.icmpError ? -1 : p.icmpId);
    }

    /**
     * A packet's tuple from its fields: ports for TCP/UDP; type, code and id for ICMP/ICMPv6 (an id of -1 for types
     * that carry none); addresses only for any other protocol.
     */
    public static ConntrackTuple tuple(int protocol, long srcHi, long srcLo, long dstHi, long dstLo, int srcPort,
                                       int dstPort, int icmpType, int icmpCode, int icmpId) {
        if (protocol == ConntrackTuple.TCP || protocol == ConntrackTuple.UDP) {
            return ConntrackTuple.ports(protocol, srcHi, srcLo, dstHi, dstLo, srcPort, dstPort);
        }
        if (protocol == ConntrackTuple.ICMP || protocol == ConntrackTuple.ICMPV6) {
            return ConntrackTuple.icmp(protocol, srcHi, srcLo, dstHi, dstLo, icmpType, icmpCode, icmpId);
        }
        return ConntrackTuple.generic(protocol, srcHi, srcLo, dstHi, dstLo);
    }

    /** The tuple an ICMP error quotes (ports for TCP/UDP, addresses otherwise), or null when it quotes nothing. */
    public static ConntrackTuple quoted(int protocol, long srcHi, long srcLo, long dstHi, long dstLo, int srcPort,
                                        int dstPort) {
        if (protocol <= 0) return null;
        return tuple(protocol, srcHi, srcLo, dstHi, dstLo, srcPort, dstPort, -1, -1, -1);
    }

    public boolean isIcmpError() {
        return tuple != null && tuple.isIcmp() && tuple.icmpId() < 0;
    }
}
