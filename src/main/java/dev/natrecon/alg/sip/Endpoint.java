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

    /**
     * Written out (as {@link #hashCode}): a record's generated equals and hashCode are method-handle chains spun at
     * run time and run through those chains under C1, and endpoints are compared on every SIP message's rewrite
     * classification.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoint e && e.port == port && e.host.equals(host);
    }

    /** The generated hash's own formula (31 * host's hash + port), so hash orders are unchanged. */
    @Override
    public int hashCode() {
        return host.hashCode() * 31 + Integer.hashCode(port);
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
        if (Addresses.plainV4(h, 0, h.length()) >= 0) return h; // already as format writes it
        long[] a = new long[2];
        if (Addresses.parse(h, a)) return Addresses.format(a[0], a[1]);
        return h.toLowerCase(Locale.ROOT);
    }

    public static boolean isIp(String host) {
        return Addresses.parse(normalize(host), new long[2]);
    }

    /** A private address ({@link Addresses#isPrivate}: RFC 1918, RFC 4193), one that must not be seen on a WAN. */
    public static boolean isPrivate(String host) {
        long[] a = new long[2];
        return Addresses.parse(normalize(host), a) && Addresses.isPrivate(a[0], a[1]);
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
