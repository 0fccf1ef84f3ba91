package dev.natrecon.conntrack;

import dev.natrecon.decode.Addresses;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The match part of a NAT (or helper) rule: what nftables' {@code iifname/oifname}, {@code ip saddr/daddr},
 * {@code meta l4proto} and {@code udp/tcp/th sport/dport} expressions, or iptables' {@code -i -o -s -d -p --sport
 * --dport} options test. Every part is optional (null: no condition) and may be negated ({@code !=}, {@code !}); sets
 * ({@code { a, b }}, {@code -m multiport}) match when any element does.
 *
 * @param family   4 or 6 when the rule only sees one family (an {@code ip} or {@code ip6} table, an {@code ip saddr}
 *                 match), 0 for both ({@code inet} tables without an address match)
 * @param iif      input interface names ({@code iifname}, {@code -i}); evaluated in PREROUTING/INPUT/OUTPUT hooks
 * @param oif      output interface names ({@code oifname}, {@code -o}); evaluated in POSTROUTING/OUTPUT hooks
 * @param protocol layer-4 protocol numbers ({@code meta l4proto}, {@code ip protocol}, {@code -p}; implied by a port
 *                 match, as nft adds the dependency {@code meta l4proto udp} to {@code udp dport})
 */
public record NatMatch(int family, Names iif, Names oif, AddressSet saddr, AddressSet daddr, Protocols protocol,
                       Ports sport, Ports dport) {
    public static final NatMatch ANY = new NatMatch(0, null, null, null, null, null, null, null);

    /**
     * True when the packet's tuple (as it is at this hook: after DNAT in POSTROUTING) matches. An interface name the
     * caller does not know ({@code null}) matches any interface condition: without a router description the model
     * cannot evaluate {@code oifname}, and rules built by hand rarely name interfaces.
     */
    public boolean matches(ConntrackTuple t, String iifName, String oifName) {
        if (family == 4 && !t.isV4() || family == 6 && t.isV4()) return false;
        if (iif != null && iifName != null && !iif.matches(iifName)) return false;
        if (oif != null && oifName != null && !oif.matches(oifName)) return false;
        if (saddr != null && !saddr.matches(t.srcHi(), t.srcLo())) return false;
        if (daddr != null && !daddr.matches(t.dstHi(), t.dstLo())) return false;
        if (protocol != null && !protocol.matches(t.protocol())) return false;
        if (sport != null && (!t.hasPorts() || !sport.matches(t.srcPort()))) return false;
        return dport == null || t.hasPorts() && dport.matches(t.dstPort());
    }

    public NatMatch withFamily(int f) {
        return new NatMatch(f, iif, oif, saddr, daddr, protocol, sport, dport);
    }

    public NatMatch withIif(Names n) {
        return new NatMatch(family, n, oif, saddr, daddr, protocol, sport, dport);
    }

    public NatMatch withOif(Names n) {
        return new NatMatch(family, iif, n, saddr, daddr, protocol, sport, dport);
    }

    public NatMatch withSaddr(AddressSet a) {
        return new NatMatch(family, iif, oif, a, daddr, protocol, sport, dport);
    }

    public NatMatch withDaddr(AddressSet a) {
        return new NatMatch(family, iif, oif, saddr, a, protocol, sport, dport);
    }

    public NatMatch withProtocol(Protocols p) {
        return new NatMatch(family, iif, oif, saddr, daddr, p, sport, dport);
    }

    public NatMatch withSport(Ports p) {
        return new NatMatch(family, iif, oif, saddr, daddr, protocol, p, dport);
    }

    public NatMatch withDport(Ports p) {
        return new NatMatch(family, iif, oif, saddr, daddr, protocol, sport, p);
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (family != 0) parts.add("ipv" + family);
        if (iif != null) parts.add("iif " + iif);
        if (oif != null) parts.add("oif " + oif);
        if (saddr != null) parts.add("saddr " + saddr);
        if (daddr != null) parts.add("daddr " + daddr);
        if (protocol != null) parts.add("proto " + protocol);
        if (sport != null) parts.add("sport " + sport);
        if (dport != null) parts.add("dport " + dport);
        return parts.isEmpty() ? "any" : String.join(" ", parts);
    }

    /**
     * Interface names; a pattern ending in {@code *} (nft) or {@code +} (iptables) matches every name with that prefix
     * (net/netfilter/nft_cmp.c prefix compare, xt ifname mask).
     */
    public record Names(List<String> patterns, boolean negated) {
        public Names {
            patterns = List.copyOf(patterns);
        }

        public static Names of(String... names) {
            return new Names(List.of(names), false);
        }

        public boolean matches(String name) {
            boolean any = false;
            for (String p : patterns) {
                boolean wild = p.endsWith("*") || p.endsWith("+");
                if (wild ? name.startsWith(p.substring(0, p.length() - 1)) : name.equals(p)) {
                    any = true;
                    break;
                }
            }
            return any != negated;
        }

        @Override
        public String toString() {
            return (negated ? "!= " : "") + (patterns.size() == 1 ? patterns.get(0) : patterns.toString());
        }
    }

    /** Address ranges (prefixes and {@code a-b} ranges alike), possibly negated. */
    public record AddressSet(List<AddressRange> ranges, boolean negated) {
        public AddressSet {
            ranges = List.copyOf(ranges);
        }

        public static AddressSet of(String... texts) {
            List<AddressRange> r = new ArrayList<>();
            for (String t : texts) r.add(AddressRange.parse(t));
            return new AddressSet(r, false);
        }

        public AddressSet negate() {
            return new AddressSet(ranges, !negated);
        }

        public boolean matches(long hi, long lo) {
            boolean any = false;
            for (AddressRange r : ranges) {
                if (r.contains(hi, lo)) {
                    any = true;
                    break;
                }
            }
            return any != negated;
        }

        /** 4 or 6 when every range is of one family, else 0. */
        int family() {
            int f = 0;
            for (AddressRange r : ranges) {
                int rf = r.isV4() ? 4 : 6;
                if (f != 0 && f != rf) return 0;
                f = rf;
            }
            return f;
        }

        @Override
        public String toString() {
            return (negated ? "!= " : "") + (ranges.size() == 1 ? ranges.get(0).toString() : ranges.toString());
        }
    }

    /** An inclusive address range over the 128-bit representation of {@link Addresses} (unsigned order). */
    public record AddressRange(long minHi, long minLo, long maxHi, long maxLo) {
        /** "a.b.c.d", "a.b.c.d/len", "a-b", and the same for IPv6 (an IPv6 literal may be bracketed). */
        public static AddressRange parse(String text) {
            String s = text.trim();
            int dash = s.indexOf('-');
            if (dash > 0) {
                long[] a = address(s.substring(0, dash)), b = address(s.substring(dash + 1));
                if (Addresses.isV4(a[0], a[1]) != Addresses.isV4(b[0], b[1]) || compare(a[0], a[1], b[0], b[1]) > 0) {
                    throw new IllegalArgumentException("bad address range: " + text);
                }
                return new AddressRange(a[0], a[1], b[0], b[1]);
            }
            int slash = s.indexOf('/');
            long[] a = address(slash < 0 ? s : s.substring(0, slash));
            boolean v4 = Addresses.isV4(a[0], a[1]);
            int len;
            try {
                len = slash < 0 ? (v4 ? 32 : 128) : Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length: " + text);
            }
            if (len < 0 || len > (v4 ? 32 : 128)) throw new IllegalArgumentException("bad prefix length: " + text);
            int bits = v4 ? 96 + len : len; // host bits = 128 - bits
            long hiMask = bits >= 64 ? -1L : bits == 0 ? 0 : -1L << (64 - bits);
            long loMask = bits <= 64 ? 0 : bits == 128 ? -1L : -1L << (128 - bits);
            return new AddressRange(a[0] & hiMask, a[1] & loMask, a[0] | ~hiMask, a[1] | ~loMask);
        }

        public static AddressRange single(long hi, long lo) {
            return new AddressRange(hi, lo, hi, lo);
        }

        static long[] address(String text) {
            String t = text.trim();
            if (t.startsWith("[") && t.endsWith("]")) t = t.substring(1, t.length() - 1);
            return ConntrackTuple.address(t);
        }

        static int compare(long hi1, long lo1, long hi2, long lo2) {
            int c = Long.compareUnsigned(hi1, hi2);
            return c != 0 ? c : Long.compareUnsigned(lo1, lo2);
        }

        public boolean contains(long hi, long lo) {
            return compare(hi, lo, minHi, minLo) >= 0 && compare(hi, lo, maxHi, maxLo) <= 0;
        }

        public boolean isSingle() {
            return minHi == maxHi && minLo == maxLo;
        }

        public boolean isV4() {
            return Addresses.isV4(minHi, minLo);
        }

        @Override
        public String toString() {
            String a = Addresses.format(minHi, minLo);
            if (isSingle()) return a;
            for (int len = 0; len <= (isV4() ? 32 : 128); len++) {
                if (parse(a + "/" + len).equals(this)) return a + "/" + len;
            }
            return a + "-" + Addresses.format(maxHi, maxLo);
        }
    }

    /** Port ranges ({@code 5060}, {@code 1000-2000}, iptables {@code 1000:2000}), possibly negated. */
    public record Ports(List<PortRange> ranges, boolean negated) {
        public Ports {
            ranges = List.copyOf(ranges);
        }

        public static Ports of(int... ports) {
            List<PortRange> r = new ArrayList<>();
            for (int p : ports) r.add(new PortRange(p, p));
            return new Ports(r, false);
        }

        public boolean matches(int port) {
            boolean any = false;
            for (PortRange r : ranges) {
                if (port >= r.min && port <= r.max) {
                    any = true;
                    break;
                }
            }
            return any != negated;
        }

        @Override
        public String toString() {
            return (negated ? "!= " : "") + (ranges.size() == 1 ? ranges.get(0).toString() : ranges.toString());
        }
    }

    public record PortRange(int min, int max) {
        public PortRange {
            if (min < 0 || max > 65535 || min > max) throw new IllegalArgumentException("bad port range " + min + "-" + max);
        }

        @Override
        public String toString() {
            return min == max ? String.valueOf(min) : min + "-" + max;
        }
    }

    /** Layer-4 protocol numbers, possibly negated. */
    public record Protocols(Set<Integer> numbers, boolean negated) {
        public Protocols {
            numbers = Set.copyOf(numbers);
        }

        public static Protocols of(int... numbers) {
            Set<Integer> s = new java.util.TreeSet<>();
            for (int n : numbers) s.add(n);
            return new Protocols(s, false);
        }

        public boolean matches(int protocol) {
            return numbers.contains(protocol) != negated;
        }

        @Override
        public String toString() {
            return (negated ? "!= " : "") + new java.util.TreeSet<>(numbers);
        }
    }
}
