package dev.natrecon.conntrack;

import dev.natrecon.decode.Addresses;
import java.util.List;

/**
 * A source-NAT rule of the router: MASQUERADE (the out-interface's address) or SNAT to a fixed address, applied to
 * the first packet of a flow whose source lies in one of {@code sources} and whose destination does not (traffic
 * between inside hosts is not translated). Simplified: one external address, no port range.
 *
 * @param random {@code random} / {@code random-fully} (NF_NAT_RANGE_PROTO_RANDOM[_FULLY]): get_unique_tuple skips
 *               keeping the port and reusing a mapping, the port is always searched from a random offset, so the
 *               model can only take the port the WAN showed
 */
public record NatRule(Kind kind, long toHi, long toLo, List<Prefix> sources, boolean random) {
    public enum Kind {
        MASQUERADE, SNAT
    }

    public static NatRule masquerade(String external, String... sourcePrefixes) {
        return of(Kind.MASQUERADE, external, sourcePrefixes);
    }

    public static NatRule snat(String external, String... sourcePrefixes) {
        return of(Kind.SNAT, external, sourcePrefixes);
    }

    private static NatRule of(Kind kind, String external, String... sourcePrefixes) {
        long[] a = ConntrackTuple.address(external);
        return new NatRule(kind, a[0], a[1], java.util.Arrays.stream(sourcePrefixes).map(Prefix::parse).toList(), false);
    }

    /** The same rule with {@code random} (or {@code random-fully}). */
    public NatRule withRandomPorts() {
        return new NatRule(kind, toHi, toLo, sources, true);
    }

    public boolean matches(ConntrackTuple t) {
        boolean src = false;
        for (Prefix p : sources) {
            if (p.contains(t.dstHi(), t.dstLo())) return false;
            if (p.contains(t.srcHi(), t.srcLo())) src = true;
        }
        return src;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " to " + Addresses.format(toHi, toLo) + " for "
                + sources + (random ? " random" : "");
    }

    /** An address prefix over the 128-bit representation (IPv4 prefixes count bits of the IPv4 address). */
    public record Prefix(long hi, long lo, int bits) {
        public static Prefix parse(String text) {
            int slash = text.indexOf('/');
            long[] a = ConntrackTuple.address(slash < 0 ? text : text.substring(0, slash));
            boolean v4 = Addresses.isV4(a[0], a[1]);
            int len = slash < 0 ? (v4 ? 32 : 128) : Integer.parseInt(text.substring(slash + 1));
            if (len < 0 || len > (v4 ? 32 : 128)) throw new IllegalArgumentException("bad prefix length: " + text);
            return new Prefix(a[0], a[1], v4 ? 96 + len : len);
        }

        public boolean contains(long h, long l) {
            return (bits >= 64 ? h == hi : (h ^ hi) >>> (64 - bits) == 0 || bits == 0)
                    && (bits <= 64 || ((l ^ lo) >>> (128 - bits)) == 0);
        }

        @Override
        public String toString() {
            boolean v4 = Addresses.isV4(hi, lo);
            return Addresses.format(hi, lo) + "/" + (v4 ? bits - 96 : bits);
        }
    }
}
