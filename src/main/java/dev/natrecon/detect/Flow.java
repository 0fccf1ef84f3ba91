package dev.natrecon.detect;

import dev.natrecon.correlate.Seen;
import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.Protocols;

/**
 * A directed flow as one capture shows it (protocol, source and destination address and port; ports are 0 for
 * protocols without them): the key detectors keep their per-flow state under, and its Wireshark display filter.
 */
public record Flow(int protocol, long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort) {
    /** The flow of a frame's own addresses (not its counterpart's). */
    public static Flow of(Seen s) {
        return new Flow(s.protocol, s.srcHi, s.srcLo, s.hasPorts ? s.srcPort : 0, s.dstHi, s.dstLo,
                s.hasPorts ? s.dstPort : 0);
    }

    /** The flow of a frame's counterpart on the other side (the frame must have one). */
    public static Flow counterpartOf(Seen s) {
        return new Flow(s.protocol, s.cpSrcHi, s.cpSrcLo, s.hasPorts ? s.cpSrcPort : 0, s.cpDstHi, s.cpDstLo,
                s.hasPorts ? s.cpDstPort : 0);
    }

    /**
     * Written out (as {@link #hashCode}): a record's generated equals and hashCode are method-handle chains spun at
     * run time and slow under C1, and flows are hash keys on every SIP message's path.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Flow f && f.protocol == protocol && f.srcHi == srcHi && f.srcLo == srcLo && f.srcPort == srcPort
                && f.dstHi == dstHi && f.dstLo == dstLo && f.dstPort == dstPort;
    }

    /** The generated hash's own formula (31 * h + component hash, in component order), so hash orders are unchanged. */
    @Override
    public int hashCode() {
        int h = Integer.hashCode(protocol);
        h = h * 31 + Long.hashCode(srcHi);
        h = h * 31 + Long.hashCode(srcLo);
        h = h * 31 + Integer.hashCode(srcPort);
        h = h * 31 + Long.hashCode(dstHi);
        h = h * 31 + Long.hashCode(dstLo);
        return h * 31 + Integer.hashCode(dstPort);
    }

    public Flow reversed() {
        return new Flow(protocol, dstHi, dstLo, dstPort, srcHi, srcLo, srcPort);
    }

    public boolean hasPorts() {
        return protocol == Protocols.UDP || protocol == Protocols.TCP || protocol == Protocols.SCTP;
    }

    public String source() {
        return hasPorts() ? Addresses.endpoint(srcHi, srcLo, srcPort) : Addresses.format(srcHi, srcLo);
    }

    public String destination() {
        return hasPorts() ? Addresses.endpoint(dstHi, dstLo, dstPort) : Addresses.format(dstHi, dstLo);
    }

    /** "udp 192.168.1.10:5060 -> 198.51.100.2:5060". */
    public String text() {
        return Protocols.name(protocol) + " " + source() + " -> " + destination();
    }

    /** A Wireshark display filter for this direction of the flow only. */
    public String displayFilter() {
        return DisplayFilters.flow(this, false);
    }

    /** A Wireshark display filter for both directions of the flow. */
    public String displayFilterBothWays() {
        return DisplayFilters.flow(this, true);
    }

    @Override
    public String toString() {
        return text();
    }
}
