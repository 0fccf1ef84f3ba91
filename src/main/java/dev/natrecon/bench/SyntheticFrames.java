package dev.natrecon.bench;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Frame bytes for the synthetic captures: Ethernet II + IPv4 (no options, DF) + UDP headers, the IPv4 header checksum
 * and UDP checksum (RFC 768, RFC 1071 one's-complement sums), and the small encoders they need.
 */
final class SyntheticFrames {
    /** Ethernet II header (no VLAN tag), IPv4 header without options, UDP header: bytes. */
    static final int ETH = 14, IP = 20, UDP = 8, HEADERS = ETH + IP + UDP;

    private SyntheticFrames() {
    }

    /** Builds Ethernet + IPv4 + UDP + {@code text} into {@code b}; returns the frame length. */
    static int udpFrame(byte[] b, long srcMac, long dstMac, int src, int dst, int tos, int ttl, int id, int sport,
                        int dport, String text) {
        byte[] payload = text.getBytes(StandardCharsets.US_ASCII);
        header(b, srcMac, dstMac, src, dst, tos, ttl, sport, dport, payload.length);
        System.arraycopy(payload, 0, b, HEADERS, payload.length);
        finish(b, id, sum16(b, HEADERS, payload.length));
        return HEADERS + payload.length;
    }

    /** The constant part of an Ethernet/IPv4/UDP header (id and checksums are set by {@link #finish}). */
    static void header(byte[] b, long srcMac, long dstMac, int src, int dst, int tos, int ttl, int sport, int dport,
                       int payloadLength) {
        putMac(b, 0, dstMac);
        putMac(b, 6, srcMac);
        put16(b, 12, 0x0800);
        b[ETH] = 0x45;
        b[ETH + 1] = (byte) tos;
        put16(b, ETH + 2, IP + UDP + payloadLength);
        put16(b, ETH + 6, 0x4000); // DF
        b[ETH + 8] = (byte) ttl;
        b[ETH + 9] = 17;
        put32(b, ETH + 12, src);
        put32(b, ETH + 16, dst);
        put16(b, ETH + IP, sport);
        put16(b, ETH + IP + 2, dport);
        put16(b, ETH + IP + 4, UDP + payloadLength);
    }

    /** Sets the IP id and both checksums, given the one's-complement sum of the UDP payload. */
    static void finish(byte[] b, int id, long payloadSum) {
        put16(b, ETH + 4, id);
        put16(b, ETH + 10, 0);
        put16(b, ETH + 10, ~fold(sum16(b, ETH, IP)) & 0xffff);
        int udpLength = ((b[ETH + IP + 4] & 0xff) << 8) | (b[ETH + IP + 5] & 0xff);
        put16(b, ETH + IP + 6, 0);
        long sum = sum16(b, ETH + 12, 8) + 17 + udpLength + sum16(b, ETH + IP, UDP) + payloadSum;
        int c = ~fold(sum) & 0xffff;
        put16(b, ETH + IP + 6, c == 0 ? 0xffff : c);
    }

    static long sum16(byte[] b, int off, int len) {
        long s = 0;
        int i = 0;
        for (; i + 1 < len; i += 2) s += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        if (i < len) s += (b[off + i] & 0xff) << 8;
        return s;
    }

    static int fold(long s) {
        while ((s >>> 16) != 0) s = (s & 0xffff) + (s >>> 16);
        return (int) s;
    }

    static void put16(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 8);
        b[o + 1] = (byte) v;
    }

    static void put32(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }

    static void putMac(byte[] b, int o, long mac) {
        for (int i = 0; i < 6; i++) b[o + i] = (byte) (mac >>> (40 - 8 * i));
    }

    static int ipv4(int a, int b, int c, int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }

    static String dotted(int ip) {
        return (ip >>> 24) + "." + ((ip >>> 16) & 0xff) + "." + ((ip >>> 8) & 0xff) + "." + (ip & 0xff);
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    static String hex(SplittableRandom rng, int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) c[i] = HEX[rng.nextInt(16)];
        return new String(c);
    }
}
