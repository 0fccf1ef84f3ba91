package dev.natrecon.correlate;

import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.Protocols;

/**
 * One lifetime of a NAT binding as the captures show it: the internal endpoint (as seen on the LAN), the external
 * endpoint the router gave it (as seen on the WAN) and the remote endpoint, with traffic per direction and side, the
 * router model's entry that held it, and when and how it ended ({@link Ending}). The same internal and remote endpoints
 * get a new lifetime (a new row, {@link #lifetime} counting up) when the model's entry for them ended and another was
 * made, or when the captures show another translation.
 */
public final class Binding {
    public final int id;
    /** 1 for the first lifetime of these internal and remote endpoints, 2 for the next, … */
    public final int lifetime;
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
    /** The model's entry id (0: none known). */
    long entry;
    /** Whether a WAN copy showed the external endpoint (else the model's entry gave it). */
    boolean externalSeen;
    long endNanos = Long.MIN_VALUE;
    Ending ending = Ending.ALIVE;
    String endDetail = "";
    long endFrame;
    /** The remote end as the LAN sees it (a DNAT would make it differ from the WAN's view), for the next lifetime. */
    long lanRemoteHi, lanRemoteLo;
    int lanRemotePort;

    public long packets(Side side, int direction) {
        return packets[side.ordinal() * 2 + direction];
    }

    public long bytes(Side side, int direction) {
        return bytes[side.ordinal() * 2 + direction];
    }

    /** A first lifetime of these endpoints, not seen yet (tests and generators; the table learns its own). */
    public static Binding of(int id, int protocol, long ih, long il, int ip, long eh, long el, int ep, long rh, long rl,
                             int rp) {
        return new Binding(id, 1, protocol, ih, il, ip, eh, el, ep, rh, rl, rp);
    }

    Binding(int id, int lifetime, int protocol, long ih, long il, int ip, long eh, long el, int ep, long rh, long rl,
            int rp) {
        this.id = id;
        this.lifetime = lifetime;
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

    /** The router model's entry this lifetime was, or 0 when the model took none of its packets. */
    public long entry() {
        return entry;
    }

    /**
     * Whether a WAN copy of this lifetime showed {@link #external()}; false when no packet of it crossed the WAN capture
     * and the external endpoint is the model entry's translation.
     */
    public boolean externalSeen() {
        return externalSeen;
    }

    /** How this lifetime ended; {@link Ending#ALIVE} when it outlived the captures. */
    public Ending ending() {
        return ending;
    }

    /**
     * When it ended (the model's event time; for {@link Ending#REPLACED} the first packet of the next lifetime), or
     * {@link Long#MIN_VALUE} while alive.
     */
    public long endNanos() {
        return endNanos;
    }

    /** The model's reason for a kill or flush, or what replaced it; empty otherwise. */
    public String endDetail() {
        return endDetail;
    }

    /** The frame that ended it (a replacement's first frame, the kill's packet), 0 when no frame did (expiry, flush). */
    public long endFrame() {
        return endFrame;
    }

    void end(long nanos, Ending how, String detail, long frame) {
        if (ending != Ending.ALIVE) return;
        endNanos = nanos;
        ending = how;
        endDetail = detail == null ? "" : detail;
        endFrame = frame;
    }

    /** Whether this lifetime has ended. */
    public boolean ended() {
        return ending != Ending.ALIVE;
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

    /** Sets the counters of index side × 2 + direction ({@link RetiredBindings} reading a lifetime back). */
    void restore(int i, long packets, long bytes) {
        this.packets[i] = packets;
        this.bytes[i] = bytes;
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
