package dev.natrecon.conntrack;

import dev.natrecon.conntrack.NatMatch.AddressRange;
import dev.natrecon.conntrack.NatMatch.AddressSet;
import dev.natrecon.decode.Addresses;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One NAT rule of the router, as nftables' {@code type nat} chains or iptables' {@code nat} table hold it: a
 * {@link NatMatch} and what to do with the first packet of a flow that matches
 * (nf_nat_core.c:nf_nat_inet_fn runs the chains only for a flow's first packet; the mapping is fixed then).
 *
 * <ul>
 *   <li>{@link Kind#MASQUERADE} (POSTROUTING): source NAT to the address the out-interface would use
 *       (nf_nat_masquerade.c:nf_nat_masquerade_ipv4, inet_select_addr); the entry remembers the interface
 *       ({@code masq_index}) so that link and address events can flush it. A rule built by hand may carry a fixed
 *       address ({@link #masquerade(String, String...)}), used only when the model knows no interface addresses.</li>
 *   <li>{@link Kind#SNAT} (POSTROUTING, INPUT): source NAT to {@link #to()} (one address or a range).</li>
 *   <li>{@link Kind#DNAT} (PREROUTING, OUTPUT): destination NAT to {@link #to()}, port range optional.</li>
 *   <li>{@link Kind#REDIRECT} (PREROUTING, OUTPUT): DNAT to the incoming interface's primary address
 *       (nf_nat_redirect.c:nf_nat_redirect_ipv4).</li>
 *   <li>{@link Kind#ACCEPT}: {@code accept}/{@code return}/{@code -j ACCEPT}: ends this chain without NAT; if no
 *       later chain of the hook translates, the flow gets a null binding.</li>
 * </ul>
 *
 * <p>{@link #portMin()}..{@link #portMax()} is the rule's port range ({@code :1024-65535}, {@code --to-ports}), -1 when
 * none is given (NF_NAT_RANGE_PROTO_SPECIFIED unset). Flags: {@link #RANDOM} ({@code random}, {@code --random}),
 * {@link #FULLY_RANDOM} ({@code fully-random}, {@code --random-fully}) — both NF_NAT_RANGE_PROTO_RANDOM_ALL in
 * nf_nat_core.c:get_unique_tuple: no "keep the port", no reuse of a live mapping, the port searched from a random
 * offset — and {@link #PERSISTENT} (find_best_ips_proto ignores the destination when hashing over an address range).
 */
public final class NatRule {
    public enum Kind {
        MASQUERADE, SNAT, DNAT, REDIRECT, ACCEPT
    }

    /** The netfilter hook of the chain holding the rule. */
    public enum Hook {
        PREROUTING, INPUT, OUTPUT, POSTROUTING
    }

    public static final int RANDOM = 1, FULLY_RANDOM = 2, PERSISTENT = 4;

    private final Kind kind;
    private final Hook hook;
    private final String chain;
    private final NatMatch match;
    private final AddressRange to;
    private final int portMin, portMax;
    private final int flags;
    private final String origin;

    public NatRule(Kind kind, Hook hook, String chain, NatMatch match, AddressRange to, int portMin, int portMax,
                   int flags, String origin) {
        if ((kind == Kind.SNAT || kind == Kind.DNAT) && to == null && portMin < 0) {
            throw new IllegalArgumentException(kind + " needs an address or a port: " + origin);
        }
        if ((portMin < 0) != (portMax < 0) || portMin > portMax || portMax > 65535) {
            throw new IllegalArgumentException("bad port range " + portMin + "-" + portMax + ": " + origin);
        }
        this.kind = kind;
        this.hook = hook;
        this.chain = chain == null ? "" : chain;
        this.match = match == null ? NatMatch.ANY : match;
        this.to = to;
        this.portMin = portMin;
        this.portMax = portMax;
        this.flags = flags;
        this.origin = origin == null ? "" : origin;
    }

    /**
     * A hand-made masquerade rule for sources in {@code sourcePrefixes} whose destination is not in them (traffic
     * between inside hosts is not translated), with the address the out-interface has; no interface match.
     */
    public static NatRule masquerade(String external, String... sourcePrefixes) {
        return of(Kind.MASQUERADE, external, sourcePrefixes);
    }

    /** A hand-made SNAT rule to {@code external}, matched like {@link #masquerade(String, String...)}. */
    public static NatRule snat(String external, String... sourcePrefixes) {
        return of(Kind.SNAT, external, sourcePrefixes);
    }

    private static NatRule of(Kind kind, String external, String... sourcePrefixes) {
        AddressRange to = AddressRange.parse(external);
        List<AddressRange> inside = new ArrayList<>();
        for (String p : sourcePrefixes) inside.add(AddressRange.parse(p));
        AddressSet src = new AddressSet(inside, false);
        NatMatch m = NatMatch.ANY.withFamily(to.isV4() ? 4 : 6).withSaddr(src).withDaddr(src.negate());
        return new NatRule(kind, Hook.POSTROUTING, "", m, to, -1, -1, 0,
                kind.name().toLowerCase(Locale.ROOT) + " to " + external + " for " + List.of(sourcePrefixes));
    }

    /** The same rule with {@code random} (NF_NAT_RANGE_PROTO_RANDOM). */
    public NatRule withRandomPorts() {
        return new NatRule(kind, hook, chain, match, to, portMin, portMax, flags | RANDOM, origin);
    }

    public Kind kind() {
        return kind;
    }

    public Hook hook() {
        return hook;
    }

    /** The chain's name ({@code table/chain} for nftables); an {@link Kind#ACCEPT} ends only its own chain. */
    public String chain() {
        return chain;
    }

    public NatMatch match() {
        return match;
    }

    /** The address (range) to translate to; for MASQUERADE only the hand-made fallback address, else null. */
    public AddressRange to() {
        return to;
    }

    public int portMin() {
        return portMin;
    }

    public int portMax() {
        return portMax;
    }

    public boolean hasPortRange() {
        return portMin >= 0;
    }

    public int flags() {
        return flags;
    }

    /** {@code random} or {@code fully-random} (NF_NAT_RANGE_PROTO_RANDOM_ALL). */
    public boolean random() {
        return (flags & (RANDOM | FULLY_RANDOM)) != 0;
    }

    public boolean persistent() {
        return (flags & PERSISTENT) != 0;
    }

    /** Where the rule came from ("line 5: oifname \"wan0\" masquerade"), for messages. */
    public String origin() {
        return origin;
    }

    /** The first address of {@link #to()} (0 when none), kept for callers of the first version. */
    public long toHi() {
        return to == null ? 0 : to.minHi();
    }

    public long toLo() {
        return to == null ? 0 : to.minLo();
    }

    /** The match alone, interfaces unknown. */
    public boolean matches(ConntrackTuple t) {
        return match.matches(t, null, null);
    }

    public boolean matches(ConntrackTuple t, String iif, String oif) {
        return match.matches(t, iif, oif);
    }

    /** Source NAT kinds (POSTROUTING/INPUT): MASQUERADE, SNAT; destination NAT: DNAT, REDIRECT. */
    public boolean isSource() {
        return kind == Kind.MASQUERADE || kind == Kind.SNAT;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(hook.name().toLowerCase(Locale.ROOT)).append(": ").append(match).append(" → ")
                .append(kind.name().toLowerCase(Locale.ROOT));
        if (to != null) sb.append(" to ").append(to);
        if (portMin >= 0) sb.append(" :").append(portMin == portMax ? String.valueOf(portMin) : portMin + "-" + portMax);
        if ((flags & RANDOM) != 0) sb.append(" random");
        if ((flags & FULLY_RANDOM) != 0) sb.append(" fully-random");
        if ((flags & PERSISTENT) != 0) sb.append(" persistent");
        return sb.toString();
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
