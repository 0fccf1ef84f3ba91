package dev.natrecon.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Builds well-formed Ethernet/IPv4/UDP frames for tests (checksums left zero: natrecon does not verify them). */
public final class Frames {
    private Frames() {
    }

    public static int ip(String dotted) {
        String[] p = dotted.split("\\.");
        return Integer.parseInt(p[0]) << 24 | Integer.parseInt(p[1]) << 16 | Integer.parseInt(p[2]) << 8 | Integer.parseInt(p[3]);
    }

    /** Ethernet II + IPv4 (no options) + UDP + payload. */
    public static byte[] udp(String src, int sport, String dst, int dport, int ipId, int ttl, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8 + payload.length);
        b.put(new byte[] {0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0x66, 0x77, (byte) 0x88, (byte) 0x99, (byte) 0xaa});
        b.putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (28 + payload.length)).putShort((short) ipId)
                .putShort((short) 0).put((byte) ttl).put((byte) 17).putShort((short) 0).putInt(ip(src)).putInt(ip(dst));
        b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length)).putShort((short) 0);
        b.put(payload);
        return b.array();
    }

    public static byte[] udp(String src, int sport, String dst, int dport, String payload) {
        return udp(src, sport, dst, dport, 1, 64, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** TCP flag bits (RFC 9293). */
    public static final int FIN = 0x01, SYN = 0x02, PSH = 0x08, ACK = 0x10;

    /** Ethernet II + IPv4 (no options) + TCP (no options, window 65535) + payload. */
    public static byte[] tcp(String src, int sport, String dst, int dport, long seq, long ack, int flags, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 20 + payload.length);
        b.put(new byte[] {0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0x66, 0x77, (byte) 0x88, (byte) 0x99, (byte) 0xaa});
        b.putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (40 + payload.length)).putShort((short) 1)
                .putShort((short) 0x4000).put((byte) 64).put((byte) 6).putShort((short) 0).putInt(ip(src)).putInt(ip(dst));
        b.putShort((short) sport).putShort((short) dport).putInt((int) seq).putInt((int) ack)
                .put((byte) 0x50).put((byte) flags).putShort((short) 0xffff).putShort((short) 0).putShort((short) 0);
        b.put(payload);
        return b.array();
    }

    /** A 172-byte G.711 RTP packet payload. */
    public static byte[] rtp(long ssrc, int seq, long ts) {
        ByteBuffer b = ByteBuffer.allocate(172);
        b.put((byte) 0x80).put((byte) 0).putShort((short) seq).putInt((int) ts).putInt((int) ssrc);
        return b.array();
    }

    /** Ethernet II + IPv4 + TCP (20-byte header, window 65535) + payload; {@code flags} as in the TCP header (0x18 PSH|ACK). */
    public static byte[] tcp(String src, int sport, String dst, int dport, long seq, int flags, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 20 + payload.length);
        b.put(new byte[] {0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0x66, 0x77, (byte) 0x88, (byte) 0x99, (byte) 0xaa});
        b.putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (40 + payload.length)).putShort((short) 1)
                .putShort((short) 0x4000).put((byte) 64).put((byte) 6).putShort((short) 0).putInt(ip(src)).putInt(ip(dst));
        b.putShort((short) sport).putShort((short) dport).putInt((int) seq).putInt(0).put((byte) 0x50).put((byte) flags)
                .putShort((short) 0xffff).putShort((short) 0).putShort((short) 0);
        b.put(payload);
        return b.array();
    }
}
