package dev.natrecon.media;

import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.Packet;
import dev.natrecon.decode.Protocols;
import java.util.HexFormat;

/** Builds decoded UDP frames for the media tests: a {@link Seen} and a {@link Packet} over a given payload. */
final class MediaFrames {
    final MediaStreams media;
    private final Seen seen = new Seen();
    private final Packet packet = new Packet();
    private long frame;
    /** Frame numbers counted per side (each side its own capture), when set; else one count for all. */
    private long[] sideFrames;

    MediaFrames() {
        this(new MediaStreams());
    }

    /** Numbers each side's frames on their own, as two captures do. */
    MediaFrames framesPerSide() {
        sideFrames = new long[2];
        return this;
    }

    /** Frames fed to {@code media} (one input's accumulator of a case). */
    MediaFrames(MediaStreams media) {
        this.media = media;
    }

    /** One UDP datagram {@code src -> dst} ("192.0.2.1:4000") on {@code side} at {@code ms}; {@code sip}: kept payload. */
    void udp(Side side, double ms, String src, String dst, byte[] payload, boolean sip) {
        long[] a = new long[2];
        int sc = src.lastIndexOf(':'), dc = dst.lastIndexOf(':');
        Addresses.parse(src.substring(0, sc), a);
        packet.srcHi = a[0];
        packet.srcLo = a[1];
        Addresses.parse(dst.substring(0, dc), a);
        packet.dstHi = a[0];
        packet.dstLo = a[1];
        packet.srcPort = Integer.parseInt(src.substring(sc + 1));
        packet.dstPort = Integer.parseInt(dst.substring(dc + 1));
        packet.protocol = Protocols.UDP;
        packet.layers = Packet.L_UDP;
        byte[] data = new byte[42 + payload.length];
        System.arraycopy(payload, 0, data, 42, payload.length);
        packet.data = data;
        packet.payloadOffset = 42;
        packet.payloadLength = payload.length;
        seen.side = side;
        seen.frame = sideFrames != null ? ++sideFrames[side.ordinal()] : ++frame;
        seen.nanos = seen.captureNanos = Math.round(ms * 1e6);
        seen.payload = sip ? payload : null;
        media.frame(seen, packet);
    }

    void rtp(Side side, double ms, String src, String dst, byte[] payload) {
        udp(side, ms, src, dst, payload, false);
    }

    /** An RTP packet: version 2, {@code pt}, marker, sequence, timestamp, SSRC and {@code payload} bytes of zeros. */
    static byte[] rtp(int pt, boolean marker, int seq, long ts, long ssrc, int payload) {
        byte[] b = new byte[12 + payload];
        b[0] = (byte) 0x80;
        b[1] = (byte) (pt | (marker ? 0x80 : 0));
        b[2] = (byte) (seq >> 8);
        b[3] = (byte) seq;
        for (int i = 0; i < 4; i++) b[4 + i] = (byte) (ts >> (24 - 8 * i));
        for (int i = 0; i < 4; i++) b[8 + i] = (byte) (ssrc >> (24 - 8 * i));
        return b;
    }

    static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replaceAll("\\s+|#[^\\n]*", ""));
    }
}
