package dev.natrecon.correlate;

import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.Protocols;

/**
 * A NAT binding as the captures show it: the internal endpoint (as seen on the LAN), the external endpoint the router
 * gave it (as seen on the WAN) and the remote endpoint, with traffic per direction and side.
 */
public final class Binding {
    public final int id;
    public final int protocol;
    public final long internalHi, internalLo;
    public final int internalPort;
    public final long externalHi, externalLo;
    public final int externalPort;
    public final long remoteHi, remoteLo;
    public final int remotePort;
    public long firstNanos = Long.MAX_VALUE;
    public long lastNanos = Long.MIN_VALUE;
    public long firstLanFrame, firstWanFrame;
    /** Counters by side and direction (0 outbound, 1 inbound), flat: index side × 2 + direction (one per packet). */
    private final long[] packets = new long[4];
    private final long[] bytes = new long[4];

    public long packets(Side side, int direction) {
        return packets[side.ordinal() * 2 + direction];
    }

    public long bytes(Side side, int direction) {
        return bytes[side.ordinal() * 2 + direction];
    }

    Binding(int id, int protocol, long ih, long il, int ip, long eh, long el, int ep, long rh, long rl, int rp) {
        this.id = id;
        this.protocol = protocol;
        internalHi = ih;
        internalLo = il;
        internalPort = ip;
        externalHi = eh;
        externalLo = el;
        externalPort = ep;
        remoteHi = rh;
        remoteLo = rl;
        remotePort = rp;
    }

    public String protocolName() {
        return Protocols.name(protocol);
    }

    public String internal() {
        return Addresses.endpoint(internalHi, internalLo, internalPort);
    }

    public String external() {
        return Addresses.endpoint(externalHi, externalLo, externalPort);
    }

    public String remote() {
        return Addresses.endpoint(remoteHi, remoteLo, remotePort);
    }

    /** "masquerade/snat", "port-translated", or "unchanged" for a binding the router forwarded without rewriting. */
    public String translation() {
        boolean addr = internalHi != externalHi || internalLo != externalLo;
        boolean port = internalPort != externalPort;
        if (addr && port) return "address+port";
        if (addr) return "address";
        if (port) return "port";
        return "none";
    }

    void count(Side side, int direction, int length, long nanos, long frame) {
        int i = side.ordinal() * 2 + direction;
        packets[i]++;
        bytes[i] += length;
        firstNanos = Math.min(firstNanos, nanos);
        lastNanos = Math.max(lastNanos, nanos);
        if (side == Side.LAN && firstLanFrame == 0) firstLanFrame = frame;
        if (side == Side.WAN && firstWanFrame == 0) firstWanFrame = frame;
    }
}
