package dev.natrecon.alg.sip;

import dev.natrecon.decode.Addresses;
import java.util.Locale;

/**
 * An address and a port as the rewrite analysis compares them: {@code host} normalised by {@link #normalize} (an IP
 * literal in natrecon's canonical form, without IPv6 brackets; anything else in lower case), {@code port} -1 when
 * unknown.
 */
public record Endpoint(String host, int port) implements Comparable<Endpoint> {
    public Endpoint {
        host = normalize(host);
    }

    /** Parses {@code "ip:port"} or {@code "[v6]:port"}. */
    public static Endpoint parse(String text) {
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            return new Endpoint(text.substring(1, close), Integer.parseInt(text.substring(close + 2)));
        }
        int colon = text.lastIndexOf(':');
        return new Endpoint(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
    }

    /** The endpoint of a decoded packet's address (two longs, see {@link Addresses}) and port. */
    public static Endpoint of(long hi, long lo, int port) {
        return new Endpoint(Addresses.format(hi, lo), port);
    }

    /** True when {@code host} is an IPv4 or IPv6 literal. */
    public boolean isIp() {
        return isIp(host);
    }

    /** An IP literal in canonical form (brackets removed, IPv6 compressed), else the text in lower case. */
    public static String normalize(String host) {
        if (host == null) return "";
        String h = host.trim();
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (plainV4(h) >= 0) return h;
        long[] a = new long[2];
        if (Addresses.parse(h, a)) return Addresses.format(a[0], a[1]);
        return h.toLowerCase(Locale.ROOT);
    }

    public static boolean isIp(String host) {
        String n = normalize(host);
        return plainV4(n) >= 0 || Addresses.parse(n, new long[2]);
    }

    /**
     * The IPv4 address {@code h} spells when it is four parts 0..255, each without a leading zero (the form
     * {@link Addresses#format} writes, so already canonical), else -1: read here, as {@link Addresses#parse} would
     * read it, without its pattern match and {@code InetAddress} round trip (SIP headers hold mostly such addresses).
     */
    static long plainV4(String h) {
        int n = h.length();
        if (n < 7 || n > 15) return -1;
        long v = 0;
        int i = 0;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (i >= n || h.charAt(i) != '.') return -1;
                i++;
            }
            int s = i, x = 0;
            while (i < n && i - s < 3 && h.charAt(i) >= '0' && h.charAt(i) <= '9') x = x * 10 + (h.charAt(i++) - '0');
            if (i == s || x > 255 || h.charAt(s) == '0' && i - s > 1) return -1;
            v = v << 8 | x;
        }
        return i == n ? v : -1;
    }

    /** A private address ({@link Addresses#isPrivate}: RFC 1918, RFC 4193), one that must not be seen on a WAN. */
    public static boolean isPrivate(String host) {
        String n = normalize(host);
        long v4 = plainV4(n);
        if (v4 >= 0) return Addresses.isPrivate(0, Addresses.v4((int) v4));
        long[] a = new long[2];
        return Addresses.parse(n, a) && Addresses.isPrivate(a[0], a[1]);
    }

    @Override
    public int compareTo(Endpoint o) {
        int c = host.compareTo(o.host);
        return c != 0 ? c : Integer.compare(port, o.port);
    }

    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port < 0 ? h : h + ":" + port;
    }
}
