package dev.natrecon.conntrack;

import dev.natrecon.conntrack.ConntrackEvent.NatPort;
import dev.natrecon.conntrack.NatMatch.AddressRange;
import dev.natrecon.decode.Addresses;
import java.util.ArrayList;
import java.util.List;

/**
 * The NAT of a flow's first packet, as nf_nat_core.c does it: DNAT in PREROUTING (OUTPUT for the router's own
 * packets), routing, then SNAT/MASQUERADE in POSTROUTING (INPUT when the packet is for the router itself), or a null
 * binding when no rule translates (nf_nat_core.c:nf_nat_inet_fn, nf_nat_alloc_null_binding). The translated tuple
 * is chosen as nf_nat_core.c:get_unique_tuple does; where the kernel chooses at random (a port search, an address
 * out of a range) the model takes what the captures showed. Pure: reads the table through {@link Table}, changes
 * nothing; the model creates the entry.
 */
final class NatTranslator {
    /** What the translator needs to see of the table. */
    interface Table {
        /** nf_nat_core.c:nf_nat_used_tuple: the reply tuple of {@code translated} is already some entry's tuple. */
        boolean taken(ConntrackTuple translated);

        /**
         * The first port (or ICMP id) {@code p} in {@code from..to} for which {@code base} with source key {@code p} is
         * not {@link #taken}, or -1 when all are: the same answer, and the same {@code taken} hits counted, as asking
         * {@link #taken} for each in turn, which is what this default does.
         */
        default int firstFree(ConntrackTuple base, int from, int to) {
            for (int p = from; p <= to; p++) {
                if (!taken(base.withSource(base.srcHi(), base.srcLo(), p))) return p;
            }
            return -1;
        }

        /** Live entries whose original tuple has this source (protocol, address, port or ICMP id), newest first. */
        List<ConntrackEntry> sameSource(ConntrackTuple original);

        /** The reply tuple of the entry with this original tuple that expired last, if the model remembers one. */
        ConntrackTuple expiredReply(ConntrackTuple original);

        /** The original tuple of a remembered expired entry whose reply tuple is {@code reply}, or null. */
        ConntrackTuple expiredOriginal(ConntrackTuple reply);
    }

    /** Where a packet goes after routing: to the router itself, or out of {@code oif} (null: not known). */
    record Route(boolean local, String oif) {
    }

    /** One contradiction between the captures and the prediction. */
    record Finding(Divergence kind, String detail) {
    }

    /**
     * NAT set up before any rule by an expectation's callback (nf_nat_sip_expected): the destination always; the
     * source when {@link #snat} (to the address, and the port unless it is -1: then kept when free).
     */
    static final class Preset {
        long dstHi, dstLo;
        int dstPort;
        boolean snat;
        long srcHi, srcLo;
        int srcPort = -1;
    }

    /** The outcome for one new flow. */
    static final class Result {
        /** the tuple as the packet leaves the router; the entry's reply tuple is its inverse */
        ConntrackTuple translated;
        NatPort natPort = NatPort.NONE;
        String masqInterface;
        /** non-null: Linux drops the packet in NAT, no entry */
        String dropReason;
        final List<Finding> findings = new ArrayList<>();
    }

    /** The NAT rules in force; replaced whole when a ruleset is loaded ({@link #load}). */
    private List<NatRule> rules;
    private final Interfaces interfaces;
    private final Table table;

    NatTranslator(List<NatRule> rules, Interfaces interfaces, Table table) {
        this.interfaces = interfaces;
        this.table = table;
        load(rules);
    }

    /**
     * A ruleset loaded ({@code nft -f}, {@code iptables-restore}): new entries get these rules; confirmed entries keep
     * the NAT they have (nf_nat_core.c:nf_nat_setup_info runs once per entry, at its first packet; reference §5).
     */
    void load(List<NatRule> rules) {
        for (NatRule r : rules) {
            if (r.kind() == NatRule.Kind.MASQUERADE && r.to() == null && interfaces == null) {
                throw new IllegalArgumentException("masquerade needs the interfaces' addresses (" + r.origin() + ")");
            }
            if (r.kind() == NatRule.Kind.REDIRECT && interfaces == null) {
                throw new IllegalArgumentException("redirect needs the interfaces' addresses (" + r.origin() + ")");
            }
        }
        this.rules = List.copyOf(rules);
    }

    // ---- interfaces and routing

    /** The input interface name: null when unknown, "" for the router's own packets (no input device). */
    String ingressName(Arrival a) {
        if (a.ingressInterface != null) return a.ingressInterface;
        if (a.ingress == Arrival.Ingress.LOCAL) return "";
        if (interfaces == null) return null;
        if (a.ingress == null) return interfaces.arrivalInterface(a.tuple.srcHi(), a.tuple.srcLo());
        return interfaces.name(a.ingress == Arrival.Ingress.LAN ? Interfaces.Role.LAN : Interfaces.Role.WAN);
    }

    /**
     * Where the packet (with destination {@code t} after DNAT) goes: as the captures showed it, else as the model
     * routes it ({@link Interfaces#route}); without a router description the out-interface is unknown.
     */
    Route route(Arrival a, ConntrackTuple t) {
        if (a.egress == Arrival.Egress.ROUTER) return new Route(true, "");
        if (a.egressInterface != null) return new Route(false, a.egressInterface);
        if (a.egress == Arrival.Egress.WAN || a.egress == Arrival.Egress.LAN) {
            String n = interfaces == null ? null
                    : interfaces.name(a.egress == Arrival.Egress.WAN ? Interfaces.Role.WAN : Interfaces.Role.LAN);
            return new Route(false, n);
        }
        if (interfaces == null) return new Route(false, null);
        String oif = interfaces.route(t.dstHi(), t.dstLo());
        return interfaces.isLocal(t.dstHi(), t.dstLo()) ? new Route(true, "") : new Route(false, oif);
    }

    /**
     * The interface {@link #route} names for a packet of {@code e}'s original direction (its destination after DNAT
     * is the reply's source), or null when it goes to the router itself or nowhere known: the per-packet question of
     * masquerade's out-interface check, asked without making the route or the inverted tuple.
     */
    String outInterface(Arrival a, ConntrackEntry e) {
        if (a.egress == Arrival.Egress.ROUTER) return null;
        if (a.egressInterface != null) return a.egressInterface;
        if (interfaces == null) return null;
        if (a.egress == Arrival.Egress.WAN) return interfaces.name(Interfaces.Role.WAN);
        if (a.egress == Arrival.Egress.LAN) return interfaces.name(Interfaces.Role.LAN);
        long hi = e.reply.srcHi(), lo = e.reply.srcLo();
        return interfaces.isLocal(hi, lo) ? null : interfaces.route(hi, lo);
    }

    /** Is the arrival from the WAN side? */
    private boolean fromWan(Arrival a, String iif) {
        if (a.ingress == Arrival.Ingress.WAN) return true;
        return iif != null && !iif.isEmpty() && interfaces != null && interfaces.has(iif)
                && interfaces.role(iif) == Interfaces.Role.WAN;
    }

    // ---- rules

    /**
     * The first rule of {@code hook} that matches and translates; chains in priority order, an ACCEPT ends its own
     * chain only (nf_nat_inet_fn walks the hook's NAT chains until one sets up NAT). Null: null binding.
     */
    private NatRule pick(NatRule.Hook hook, ConntrackTuple t, String iif, String oif) {
        String skipChain = null;
        for (NatRule r : rules) {
            if (r.hook() != hook) continue;
            if (skipChain != null && skipChain.equals(r.chain())) continue;
            if (!r.matches(t, iif, oif)) continue;
            if (r.kind() == NatRule.Kind.ACCEPT) {
                skipChain = r.chain();
                continue;
            }
            return r;
        }
        return null;
    }

    // ---- the translation of a new flow

    Result translate(Arrival a) {
        return translate(a, null);
    }

    /** The translation of a new flow, with the NAT an expectation set up first ({@code preset}, or null). */
    Result translate(Arrival a, Preset preset) {
        Result res = new Result();
        ConntrackTuple tuple = a.tuple;
        String iif = ingressName(a);
        boolean localOut = a.ingress == Arrival.Ingress.LOCAL;

        // 1. DNAT: PREROUTING, or OUTPUT for the router's own packets (routed before OUTPUT)
        NatRule.Hook dHook = localOut ? NatRule.Hook.OUTPUT : NatRule.Hook.PREROUTING;
        String dOif = localOut ? route(a, tuple).oif() : "";
        NatRule dRule = preset != null ? null : pick(dHook, tuple, localOut ? "" : iif, dOif);
        ConntrackTuple cur = preset == null ? tuple : withDestination(tuple, preset.dstHi, preset.dstLo, preset.dstPort);
        boolean dnatGuess = false;
        if (dRule != null) {
            Choice d = destination(dRule, tuple, iif, localOut, a);
            if (d == null) {
                res.dropReason = "redirect: " + iif + " has no address (nf_nat_redirect.c:nf_nat_redirect_ipv4)";
                forwardedAnyway(a, res);
                return res;
            }
            cur = d.tuple;
            dnatGuess = !d.deterministicPort || !d.deterministicAddress;
        }
        if (a.observed && observedDestinationDiffers(a, cur)) {
            ConntrackTuple seen = withDestination(cur, a.observedDestinationAddressKnown() ? a.observedDstHi : cur.dstHi(),
                    a.observedDestinationAddressKnown() ? a.observedDstLo : cur.dstLo(),
                    a.observedDstPort >= 0 && cur.hasPorts() ? a.observedDstPort : cur.dstPort());
            Divergence kind = dRule == null && fromWan(a, iif) ? Divergence.INBOUND_WITHOUT_ENTRY : Divergence.DESTINATION;
            String linux = dRule == null
                    ? (kind == Divergence.INBOUND_WITHOUT_ENTRY && interfaces != null
                    && interfaces.isLocal(tuple.dstHi(), tuple.dstLo())
                    ? "no entry and no DNAT rule: Linux delivers it to the router itself"
                    : "no DNAT rule: Linux keeps the destination " + dst(tuple))
                    : "the DNAT rule (" + dRule.origin() + ") gives " + dst(cur);
            String detail = linux + "; the captures show it forwarded to " + dst(seen);
            ConntrackTuple expired = dRule == null ? table.expiredOriginal(tuple) : null;
            if (expired != null && expired.srcHi() == seen.dstHi() && expired.srcLo() == seen.dstLo()
                    && expired.sourceKey() == (seen.isIcmp() ? seen.icmpId() : seen.dstPort())) {
                kind = Divergence.EXPIRED_MAPPING_USED; // a reply of the expired flow, translated back as before
                detail += ", as the reply direction of the entry that expired at the model's deadline";
            }
            if (!table.taken(seen)) {
                cur = seen;
            } else {
                detail += " (that tuple is in use in the model: kept the prediction)";
            }
            if (!dnatGuess || dRule == null) res.findings.add(new Finding(kind, detail));
        }

        // 2. routing, 3. SNAT: POSTROUTING, or INPUT for packets to the router itself
        Route route = route(a, cur);
        if (!route.local() && route.oif() == null && interfaces != null) {
            // no route (reference §6: the packet never reaches POSTROUTING, no entry)
            res.dropReason = "no route to " + dst(cur) + " (no interface up for it)";
            forwardedAnyway(a, res);
            return res;
        }
        NatRule.Hook sHook = route.local() ? NatRule.Hook.INPUT : NatRule.Hook.POSTROUTING;
        boolean presetSource = preset != null && preset.snat;
        NatRule sRule = presetSource ? null : pick(sHook, cur, localOut ? "" : iif, route.local() ? "" : route.oif());
        AddressRange range;
        int pmin = -1, pmax = -1;
        boolean random = false;
        String why;
        if (presetSource) {
            range = AddressRange.single(preset.srcHi, preset.srcLo);
            if (preset.srcPort >= 0) pmin = pmax = preset.srcPort;
            why = "the expectation's NAT (nf_nat_sip.c:nf_nat_sip_expected)";
        } else if (sRule == null) { // null binding (nf_nat_core.c:nf_nat_alloc_null_binding): the own source address
            range = AddressRange.single(cur.srcHi(), cur.srcLo());
            why = "no source NAT rule applies";
        } else {
            pmin = sRule.portMin();
            pmax = sRule.portMax();
            random = sRule.random();
            if (sRule.kind() == NatRule.Kind.MASQUERADE) {
                if (interfaces != null && route.oif() != null) {
                    Interfaces.Address addr = interfaces.select(route.oif(), cur.dstHi(), cur.dstLo(),
                            a.egress != Arrival.Egress.DROPPED);
                    if (addr == null) {
                        res.dropReason = "masquerade: " + route.oif() + " has no address (nf_nat_masquerade.c:"
                                + "nf_nat_masquerade_ipv4: \"" + route.oif() + " ate my IP address\")";
                        forwardedAnyway(a, res);
                        return res;
                    }
                    range = AddressRange.single(addr.hi(), addr.lo());
                    res.masqInterface = route.oif();
                    why = "masquerade on " + route.oif() + " (" + sRule.origin() + ")";
                } else {
                    range = sRule.to();
                    why = "masquerade to " + range + " (" + sRule.origin() + ")";
                }
            } else {
                range = sRule.to() != null ? sRule.to() : AddressRange.single(cur.srcHi(), cur.srcLo());
                why = "SNAT (" + sRule.origin() + ")";
            }
        }
        Choice s = source(cur, range, pmin, pmax, random, a);
        if (s == null) {
            res.dropReason = "no free source port in range (nf_nat_core.c:nf_nat_l4proto_unique_tuple gives up; the "
                    + "clash fails at nf_conntrack_core.c:__nf_conntrack_confirm)";
            forwardedAnyway(a, res);
            return res;
        }
        ConntrackTuple out = s.tuple;
        NatPort how = s.how;
        if (a.observed && !route.local()) {
            boolean addrKnown = a.observedSourceAddressKnown();
            long oh = addrKnown ? a.observedSrcHi : out.srcHi(), ol = addrKnown ? a.observedSrcLo : out.srcLo();
            int op = a.observedSrcPort >= 0 && (out.hasPorts() || out.isIcmp()) ? a.observedSrcPort : out.sourceKey();
            boolean addrDiffers = oh != out.srcHi() || ol != out.srcLo();
            boolean portDiffers = op != out.sourceKey();
            if (addrDiffers || portDiffers) {
                ConntrackTuple seen = out.withSource(oh, ol, op);
                ConntrackTuple old = table.expiredReply(tuple);
                boolean oldMapping = old != null && old.dstHi() == oh && old.dstLo() == ol && old.isIcmp() == out.isIcmp()
                        && (old.isIcmp() ? old.icmpId() : old.dstPort()) == op;
                String linux = "Linux: " + src(out) + " (" + why + ", " + describe(how, s) + ")";
                String detail = linux + "; the captures show " + src(seen);
                boolean adopted = !table.taken(seen);
                if (!adopted) detail += " (that tuple is in use in the model: kept the prediction)";
                if (addrDiffers && s.deterministicAddress) res.findings.add(new Finding(Divergence.SOURCE_ADDRESS, detail));
                if (portDiffers && s.deterministicPort) {
                    res.findings.add(oldMapping
                            ? new Finding(Divergence.EXPIRED_MAPPING_USED, detail + ", the mapping of the entry that "
                            + "expired at the model's deadline")
                            : new Finding(Divergence.SOURCE_PORT, detail));
                }
                if (adopted) {
                    out = seen;
                    how = NatPort.OBSERVED;
                }
            }
        }
        res.translated = out;
        res.natPort = how;
        return res;
    }

    /** The captures show the packet leaving although Linux drops it in NAT. */
    private static void forwardedAnyway(Arrival a, Result res) {
        if (a.observed) {
            res.findings.add(new Finding(Divergence.FORWARDED_BUT_DROPPED, "Linux drops it: " + res.dropReason
                    + "; the captures show it forwarded"));
        }
    }

    private static boolean observedDestinationDiffers(Arrival a, ConntrackTuple cur) {
        if (a.observedDestinationAddressKnown() && (a.observedDstHi != cur.dstHi() || a.observedDstLo != cur.dstLo())) {
            return true;
        }
        return a.observedDstPort >= 0 && cur.hasPorts() && a.observedDstPort != cur.dstPort();
    }

    private static String describe(NatPort how, Choice c) {
        return switch (how) {
            case KEPT -> c.tuple.sourceKey() >= 0 ? "port kept: free" : "kept";
            case REUSED -> "the live mapping of the same source reused";
            case OBSERVED, GUESSED -> "port searched from a random offset";
            case NONE -> "unchanged";
        };
    }

    /** The outcome of get_unique_tuple. */
    private record Choice(ConntrackTuple tuple, NatPort how, boolean deterministicPort, boolean deterministicAddress) {
    }

    /**
     * nf_nat_core.c:get_unique_tuple for NF_NAT_MANIP_SRC over {@code range} (ports {@code pmin..pmax}, -1: none given).
     * Null when every port is taken.
     */
    private Choice source(ConntrackTuple cur, AddressRange range, int pmin, int pmax, boolean random, Arrival a) {
        if (!random) {
            // 1) the original tuple if it is in range and unused, else the mapping of a live entry with the same
            //    original source if that is in range and unused (find_appropriate_src)
            if (inRange(cur, range, pmin, pmax)) {
                if (!table.taken(cur)) return new Choice(cur, NatPort.KEPT, true, true);
            } else {
                for (ConntrackEntry prior : table.sameSource(cur)) {
                    ConntrackTuple mapped = prior.reply().invert();
                    ConntrackTuple c = cur.withSource(mapped.srcHi(), mapped.srcLo(), mapped.sourceKey());
                    if (!inRange(c, range, pmin, pmax)) continue;
                    if (!table.taken(c)) {
                        return new Choice(c, c.sourceKey() == cur.sourceKey() ? NatPort.KEPT : NatPort.REUSED, true, true);
                    }
                    break;
                }
            }
        }
        // 2) the address: one, or out of a range by a hash of source and destination (find_best_ips_proto, not
        //    modelled: the model takes the observed address when it is in the range)
        boolean addressKnown = range.isSingle();
        long hi = range.minHi(), lo = range.minLo();
        if (!addressKnown && a.observedSourceAddressKnown() && range.contains(a.observedSrcHi, a.observedSrcLo)) {
            hi = a.observedSrcHi;
            lo = a.observedSrcLo;
        }
        ConntrackTuple c = cur.withSource(hi, lo, cur.sourceKey());
        // 3) keep the port if it is in range and unused
        if (!random) {
            if (pmin >= 0) {
                if (keyInRange(c, pmin, pmax) && (pmin == pmax || !table.taken(c))) {
                    return new Choice(c, NatPort.KEPT, true, addressKnown);
                }
            } else if (!table.taken(c)) {
                return new Choice(c, NatPort.KEPT, true, addressKnown);
            }
        }
        // 4) search (nf_nat_l4proto_unique_tuple): random offset for SRC manip
        int[] span = span(c, pmin, pmax);
        if (span == null) return new Choice(c, NatPort.KEPT, true, addressKnown); // no ports to change
        ConntrackTuple found = search(c, span, a.observedSrcPort);
        if (found == null) return null;
        NatPort how = found.sourceKey() == a.observedSrcPort && a.observed ? NatPort.OBSERVED : NatPort.GUESSED;
        return new Choice(found, how, false, addressKnown);
    }

    /**
     * get_unique_tuple for NF_NAT_MANIP_DST (DNAT, REDIRECT): the address, then the port kept if in range and unused,
     * else searched from the range's start (offset 0 unless {@code random}); without a port range the port never
     * changes. Null: REDIRECT found no address on the input interface.
     */
    private Choice destination(NatRule r, ConntrackTuple t, String iif, boolean localOut, Arrival a) {
        long hi, lo;
        boolean addressKnown = true;
        if (r.kind() == NatRule.Kind.REDIRECT) {
            // nf_nat_redirect.c: the loopback address for the router's own packets, else the input interface's first
            if (localOut) {
                long[] lb = ConntrackTuple.address(t.isV4() ? "127.0.0.1" : "::1");
                hi = lb[0];
                lo = lb[1];
            } else {
                Interfaces.Address first = null;
                if (iif != null && !iif.isEmpty() && interfaces.has(iif)) {
                    for (Interfaces.Address x : interfaces.addresses(iif)) {
                        if (x.isV4() == t.isV4()) {
                            first = x;
                            break;
                        }
                    }
                }
                if (first == null) return null;
                hi = first.hi();
                lo = first.lo();
            }
        } else if (r.to() == null) {
            hi = t.dstHi();
            lo = t.dstLo();
        } else {
            hi = r.to().minHi();
            lo = r.to().minLo();
            if (!r.to().isSingle()) {
                addressKnown = false;
                if (a.observedDestinationAddressKnown() && r.to().contains(a.observedDstHi, a.observedDstLo)) {
                    hi = a.observedDstHi;
                    lo = a.observedDstLo;
                }
            }
        }
        ConntrackTuple c = withDestination(t, hi, lo, t.hasPorts() ? t.dstPort() : -1);
        int pmin = r.portMin(), pmax = r.portMax();
        if (!r.random()) {
            if (pmin >= 0) {
                if (c.hasPorts() && c.dstPort() >= pmin && c.dstPort() <= pmax && (pmin == pmax || !table.taken(c))) {
                    return new Choice(c, NatPort.KEPT, true, addressKnown);
                }
            } else if (!table.taken(c)) {
                return new Choice(c, NatPort.KEPT, true, addressKnown);
            }
        }
        if (pmin < 0 || !c.hasPorts()) return new Choice(c, NatPort.KEPT, true, addressKnown);
        // the search for a destination port starts at offset 0 (deterministic) unless the rule is random
        for (int p = pmin; p <= pmax && !r.random(); p++) {
            ConntrackTuple x = withDestination(c, hi, lo, p);
            if (!table.taken(x)) return new Choice(x, NatPort.KEPT, true, addressKnown);
        }
        if (r.random() && a.observedDstPort >= pmin && a.observedDstPort <= pmax) {
            ConntrackTuple x = withDestination(c, hi, lo, a.observedDstPort);
            if (!table.taken(x)) return new Choice(x, NatPort.OBSERVED, false, addressKnown);
        }
        for (int p = pmin; p <= pmax; p++) {
            ConntrackTuple x = withDestination(c, hi, lo, p);
            if (!table.taken(x)) return new Choice(x, NatPort.GUESSED, false, addressKnown);
        }
        return new Choice(c, NatPort.KEPT, true, addressKnown); // all taken: the clash fails at confirm
    }

    /** nf_nat_core.c:nf_in_range for SRC manip: address in the range and, when a port range is given, port in it. */
    private static boolean inRange(ConntrackTuple t, AddressRange range, int pmin, int pmax) {
        return range.contains(t.srcHi(), t.srcLo()) && (pmin < 0 || keyInRange(t, pmin, pmax));
    }

    /** l4proto_in_range: ICMP id or source port; other protocols are always in range. */
    private static boolean keyInRange(ConntrackTuple t, int pmin, int pmax) {
        if (!t.hasPorts() && !t.isIcmp()) return true;
        int k = t.sourceKey();
        return k >= pmin && k <= pmax;
    }

    /**
     * The search range of nf_nat_l4proto_unique_tuple: the rule's range if given; else ICMP ids 0–65535, ports by the
     * original port's class (1–511, 600–1023, 1024–65535). Null for protocols without a port to change.
     */
    private static int[] span(ConntrackTuple c, int pmin, int pmax) {
        if (!c.hasPorts() && !c.isIcmp()) return null;
        if (pmin >= 0) return new int[]{pmin, pmax};
        if (c.isIcmp()) return new int[]{0, 65535};
        int p = c.sourceKey();
        if (p < 512) return new int[]{1, 511};
        if (p < 1024) return new int[]{600, 1023};
        return new int[]{1024, 65535};
    }

    /**
     * The kernel starts at a random offset; the model takes the observed port when it is in the span and free, else
     * the first free one. Null when all are taken.
     */
    private ConntrackTuple search(ConntrackTuple c, int[] span, int observed) {
        if (observed >= span[0] && observed <= span[1]) {
            ConntrackTuple x = c.withSource(c.srcHi(), c.srcLo(), observed);
            if (!table.taken(x)) return x;
        }
        int p = table.firstFree(c, span[0], span[1]);
        return p < 0 ? null : c.withSource(c.srcHi(), c.srcLo(), p);
    }

    static ConntrackTuple withDestination(ConntrackTuple t, long hi, long lo, int port) {
        return t.withDestination(hi, lo, t.isIcmp() ? t.icmpId() : port);
    }

    private static String src(ConntrackTuple t) {
        return t.hasPorts() ? Addresses.endpoint(t.srcHi(), t.srcLo(), t.srcPort())
                : Addresses.format(t.srcHi(), t.srcLo()) + (t.isIcmp() ? " id " + t.icmpId() : "");
    }

    private static String dst(ConntrackTuple t) {
        return t.hasPorts() ? Addresses.endpoint(t.dstHi(), t.dstLo(), t.dstPort()) : Addresses.format(t.dstHi(), t.dstLo());
    }
}
