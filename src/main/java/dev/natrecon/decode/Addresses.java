package dev.natrecon.decode;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * 128-bit addresses held in two longs. IPv4 a.b.c.d is {@code hi = 0, lo = 0x0000_ffff_abcd} (IPv4-mapped), so one
 * representation, one comparison and one hash serve both families.
 */
public final class Addresses {
    private Addresses() {
    }

    public static final long V4_MAPPED_PREFIX = 0x0000_ffff_0000_0000L;

    public static long v4(int address) {
        return V4_MAPPED_PREFIX | (address & 0xffffffffL);
    }

    public static boolean isV4(long hi, long lo) {
        return hi == 0 && (lo & 0xffff_ffff_0000_0000L) == V4_MAPPED_PREFIX;
    }

    public static int v4Bits(long lo) {
        return (int) lo;
    }

    public static String format(long hi, long lo) {
        if (isV4(hi, lo)) {
            int a = (int) lo;
            return (a >>> 24) + "." + (a >>> 16 & 0xff) + "." + (a >>> 8 & 0xff) + "." + (a & 0xff);
        }
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        try {
            String s = InetAddress.getByAddress(b).getHostAddress();
            return compressV6(s);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "ip:port" or "[v6]:port". */
    public static String endpoint(long hi, long lo, int port) {
        return isV4(hi, lo) ? format(hi, lo) + ":" + port : "[" + format(hi, lo) + "]:" + port;
    }

    /** An IPv4 literal's shape; compiled once ({@code String.matches} compiles its pattern on every call). */
    private static final java.util.regex.Pattern DOTTED_QUAD = java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** The only characters an IPv6 literal (with an embedded IPv4 tail) holds. */
    private static final java.util.regex.Pattern V6_CHARACTERS = java.util.regex.Pattern.compile("[0-9A-Fa-f:.]+");

    /**
     * The IPv4 address {@code text[from, to)} spells when it is written as {@link #format} writes it (four parts
     * 0..255, each without a leading zero), else -1: read without a pattern or an {@code InetAddress} round trip, for
     * the addresses SIP headers and SDP hold by the thousand.
     */
    public static long plainV4(CharSequence text, int from, int to) {
        if (to - from < 7 || to - from > 15) return -1;
        long v = 0;
        int i = from;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (i >= to || text.charAt(i) != '.') return -1;
                i++;
            }
            int s = i, x = 0;
            while (i < to && i - s < 3 && text.charAt(i) >= '0' && text.charAt(i) <= '9') x = x * 10 + (text.charAt(i++) - '0');
            if (i == s || x > 255 || text.charAt(s) == '0' && i - s > 1) return -1;
            v = v << 8 | x;
        }
        return i == to ? v : -1;
    }

    /** Parses a literal IPv4 or IPv6 address into {@code out[0]=hi, out[1]=lo}; false if it is not one. */
    public static boolean parse(String text, long[] out) {
        long plain = text == null ? -1 : plainV4(text, 0, text.length());
        if (plain >= 0) {
            out[0] = 0;
            out[1] = v4((int) plain);
            return true;
        }
        if (text == null || text.isEmpty() || !(text.indexOf(':') >= 0 || Character.isDigit(text.charAt(0)))) return false;
        if (text.indexOf(':') < 0 && !DOTTED_QUAD.matcher(text).matches()) return false;
        // Only literal characters reach InetAddress: a name it cannot read as IPv6 goes to the system resolver, a
        // DNS query for a name taken from the input (seen in the issue 13 fuzzing campaign: "zz:1" asked the resolver).
        if (text.indexOf(':') >= 0 && !V6_CHARACTERS.matcher(text).matches()) return false;
        try {
            byte[] b = InetAddress.getByName(text).getAddress();
            if (b.length == 4) {
                out[0] = 0;
                out[1] = v4(Bytes.i32(b, 0));
            } else {
                out[0] = Bytes.i64(b, 0);
                out[1] = Bytes.i64(b, 8);
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Private addresses, and only those: RFC 1918 (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16) and RFC 4193 unique
     * local IPv6 (fc00::/7). The one notion behind every "private address" claim (a private source leaking on the WAN,
     * a private address in a SIP header or SDP on the WAN). Not private: RFC 6598 shared space ({@link
     * #isSharedAddressSpace}, a carrier NAT's), loopback ({@link #isLoopback}) and link-local ({@link #isLinkLocal}).
     */
    public static boolean isPrivate(long hi, long lo) {
        if (isV4(hi, lo)) return isPrivateV4((int) lo);
        return (int) (hi >>> 57) == (0xfc >>> 1); // fc00::/7
    }

    /** {@link #isPrivate} of an IPv4 address: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (RFC 1918). */
    public static boolean isPrivateV4(int a) {
        return a >>> 24 == 10 || a >>> 20 == 0xac1 || a >>> 16 == 0xc0a8;
    }

    /**
     * RFC 6598 shared address space, 100.64.0.0/10: the addresses a carrier-grade NAT gives its subscribers' routers.
     * On a router's WAN it is the carrier's side, not a leak; on a LAN it is the operator's choice of inside network.
     */
    public static boolean isSharedAddressSpace(long hi, long lo) {
        if (!isV4(hi, lo)) return false;
        return isSharedAddressSpaceV4((int) lo);
    }

    /** {@link #isSharedAddressSpace} of an IPv4 address: 100.64.0.0/10, the second octet 64..127 (RFC 6598). */
    public static boolean isSharedAddressSpaceV4(int a) {
        return a >>> 22 == (100 << 2 | 1);
    }

    /** Link-local: 169.254.0.0/16 (RFC 3927) or fe80::/10 (RFC 4291 2.5.6); a router never forwards it. */
    public static boolean isLinkLocal(long hi, long lo) {
        if (isV4(hi, lo)) return (int) lo >>> 16 == 0xa9fe;
        return (int) (hi >>> 54) == (0xfe80 >>> 6);
    }

    /**
     * Loopback or link-local ({@link #isLoopback}, {@link #isLinkLocal}): never forwarded by a router, so never a
     * crossing (RFC 1122 3.2.1.3, RFC 3927 2.7). One family test for both ranges: it runs for every frame.
     */
    public static boolean isHostOrLinkScope(long hi, long lo) {
        if (isV4(hi, lo)) {
            int a = (int) lo;
            return a >>> 24 == 127 || a >>> 16 == 0xa9fe;
        }
        return hi == 0 && lo == 1 || (int) (hi >>> 54) == (0xfe80 >>> 6);
    }

    /**
     * Whether either end of a packet is loopback or link-local ({@link #isHostOrLinkScope}): a packet no router
     * forwards, so no crossing, leak or translation. The one statement of that rule for the matcher, the one-capture
     * ALG detectors, the lone-capture survey and the analysis survey.
     */
    public static boolean eitherHostOrLinkScope(long srcHi, long srcLo, long dstHi, long dstLo) {
        return isHostOrLinkScope(srcHi, srcLo) || isHostOrLinkScope(dstHi, dstLo);
    }

    /** Loopback: 127.0.0.0/8 (RFC 1122 3.2.1.3) or ::1 (RFC 4291 2.5.3). */
    public static boolean isLoopback(long hi, long lo) {
        return isV4(hi, lo) ? (int) lo >>> 24 == 127 : hi == 0 && lo == 1;
    }

    /** Broadcast, multicast or unspecified: never forwarded through a NAT as unicast. */
    public static boolean isMulticastOrBroadcast(long hi, long lo) {
        if (isV4(hi, lo)) {
            int a = (int) lo;
            int o1 = a >>> 24;
            return (o1 >= 224 && o1 <= 239) || a == -1 || a == 0;
        }
        return (hi >>> 56) == 0xff;
    }

    private static String compressV6(String full) {
        // InetAddress gives 0:0:0:0:0:0:0:1 style; compress the longest run of zero groups like RFC 5952.
        String[] g = full.split(":");
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < g.length; ) {
            if (g[i].equals("0")) {
                int j = i;
                while (j < g.length && g[j].equals("0")) j++;
                if (j - i > bestLen && j - i > 1) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) return full;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bestStart; i++) sb.append(i > 0 ? ":" : "").append(g[i]);
        sb.append("::");
        for (int i = bestStart + bestLen; i < g.length; i++) sb.append(i > bestStart + bestLen ? ":" : "").append(g[i]);
        return sb.toString();
    }
}
