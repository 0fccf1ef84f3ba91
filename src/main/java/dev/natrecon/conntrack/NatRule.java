package dev.natrecon.conntrack;

import dev.natrecon.decode.Addresses;
import java.util.List;

/**
 * A source-NAT rule of the router: MASQUERADE (the out-interface's address) or SNAT to a fixed address, applied to
 * the first packet of a flow whose source lies in one of {@code sources} and whose destination does not (traffic
 * between inside hosts is not translated). Simplified: one external address, no port range, no random-fully.
 */
public record NatRule(Kind kind, long toHi, long toLo, List<Prefix> sources) {
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
        return new NatRule(kind, a[0], a[1], java.util.Arrays.stream(sourcePrefixes).map(Prefix::parse).toList());
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
                + sources;
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
