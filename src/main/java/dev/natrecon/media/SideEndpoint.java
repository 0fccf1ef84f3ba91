package dev.natrecon.media;

/**
 * An address and port as one capture side shows it ({@code side}: the {@code Side} ordinal), the key of the SDP
 * endpoint maps (media's {@link SdpAdverts}, the media detector's calls). Stored keys are never changed; a reader may
 * keep one mutable instance to {@link #set} and look RTP packets up with, so a lookup allocates nothing (one per RTP
 * packet, issue 18).
 */
public final class SideEndpoint {
    private int side, port;
    private long hi, lo;

    /** An endpoint of {@code side}: address {@code hi}/{@code lo} (IPv4 in {@code lo}), UDP port {@code port}. */
    public SideEndpoint(int side, long hi, long lo, int port) {
        set(side, hi, lo, port);
    }

    /** Makes this (lookup-only) instance name another endpoint; returns it. */
    public SideEndpoint set(int side, long hi, long lo, int port) {
        this.side = side;
        this.hi = hi;
        this.lo = lo;
        this.port = port;
        return this;
    }

    /** The UDP port. */
    public int port() {
        return port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SideEndpoint k && k.lo == lo && k.port == port && k.hi == hi && k.side == side;
    }

    @Override
    public int hashCode() {
        long h = lo * 0x9E3779B97F4A7C15L ^ hi * 0xC2B2AE3D27D4EB4FL ^ ((long) port << 1 | side);
        return (int) (h ^ h >>> 32);
    }
}
