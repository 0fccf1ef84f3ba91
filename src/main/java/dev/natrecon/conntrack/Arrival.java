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
    /** For an ICMP error: the tuple of the packet it quotes, as quoted (else null). */
    public ConntrackTuple quoted;
    /** Where the packet came from; null when the caller does not know (the model then guesses from the source). */
    public Ingress ingress = Ingress.LAN;
    public Egress egress = Egress.UNKNOWN;
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
        quoted = null;
        ingress = Ingress.LAN;
        egress = Egress.UNKNOWN;
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
        quoted = null;
        if (p.icmpError && (p.innerProtocol == ConntrackTuple.TCP || p.innerProtocol == ConntrackTuple.UDP)) {
            quoted = ConntrackTuple.ports(p.innerProtocol, p.innerSrcHi, p.innerSrcLo, p.innerDstHi, p.innerDstLo,
                    p.innerSrcPort, p.innerDstPort);
        } else if (p.icmpError && p.innerProtocol > 0) {
            quoted = ConntrackTuple.generic(p.innerProtocol, p.innerSrcHi, p.innerSrcLo, p.innerDstHi, p.innerDstLo);
        }
        return this;
    }

    /** The conntrack tuple of a decoded packet; an ICMP error gets type and code with id -1. */
    public static ConntrackTuple tupleOf(Packet p) {
        if (p.protocol == ConntrackTuple.TCP || p.protocol == ConntrackTuple.UDP) {
            return ConntrackTuple.ports(p.protocol, p.srcHi, p.srcLo, p.dstHi, p.dstLo, p.srcPort, p.dstPort);
        }
        if (p.protocol == ConntrackTuple.ICMP || p.protocol == ConntrackTuple.ICMPV6) {
            return ConntrackTuple.icmp(p.protocol, p.srcHi, p.srcLo, p.dstHi, p.dstLo, p.icmpType, p.icmpCode,
                    p.icmpError ? -1 : p.icmpId);
        }
        return ConntrackTuple.generic(p.protocol, p.srcHi, p.srcLo, p.dstHi, p.dstLo);
    }

    public boolean isIcmpError() {
        return tuple != null && tuple.isIcmp() && tuple.icmpId() < 0;
    }
}
