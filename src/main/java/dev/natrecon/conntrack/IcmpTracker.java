package dev.natrecon.conntrack;

/**
 * The ICMP and ICMPv6 trackers, nf_conntrack_proto_icmp.c and nf_conntrack_proto_icmpv6.c: invalid and untracked
 * types, errors matched to the entry of the packet they quote ({@link Verdict#RELATED}), which queries may create an
 * entry, and the timeout of a query's entry.
 */
final class IcmpTracker {
    /** nf_conntrack_icmpv4_error: types above NR_ICMP_TYPES (18) are invalid. */
    private static final int NR_ICMP_TYPES = 18;
    /** include/uapi/linux/icmpv6.h: error messages are the types below 128 (ICMPV6_INFOMSG_MASK). */
    private static final int ICMPV6_INFOMSG_MASK = 128;

    private final Timeouts timeouts;
    private final ConntrackTable table;
    private final ConntrackStats stats;
    private final ConntrackHelpers helpers;

    IcmpTracker(Timeouts timeouts, ConntrackTable table, ConntrackStats stats, ConntrackHelpers helpers) {
        this.timeouts = timeouts;
        this.table = table;
        this.stats = stats;
        this.helpers = helpers;
    }

    /**
     * ICMPv6 types the kernel leaves untracked (nf_conntrack_proto_icmpv6.c:noct_valid_new): MLD (130-132, 143),
     * router solicitation and advertisement, neighbour solicitation and advertisement (133-136), multicast router discovery (151-152).
     */
    static boolean untrackedIcmpv6(int type) {
        return switch (type) {
            case 130, 131, 132, 133, 134, 135, 136, 143, 151, 152 -> true;
            default -> false;
        };
    }

    /**
     * include/linux/icmp.h:icmp_is_err (unreachable, source quench, redirect, time exceeded, parameter problem);
     * ICMPv6: type below 128.
     */
    static boolean isIcmpError(int protocol, int type) {
        if (protocol == ConntrackTuple.ICMPV6) return type >= 0 && type < ICMPV6_INFOMSG_MASK;
        return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    }

    /**
     * The ICMP error path before any lookup (nf_conntrack_handle_icmp): an invalid ICMP type gives
     * {@link Verdict#INVALID} (counted as {@code error}), an ICMPv6 type that is never tracked
     * {@link Verdict#UNTRACKED}, an error message {@link #related}'s answer; null for a query, which is tracked.
     */
    Verdict error(Arrival a, EventSink sink) {
        ConntrackTuple tp = a.tuple;
        int type = tp.icmpType();
        if (tp.protocol() == ConntrackTuple.ICMP ? type > NR_ICMP_TYPES : untrackedIcmpv6(type)) {
            table.advanceTo(a.nanos, sink);
            if (tp.protocol() == ConntrackTuple.ICMPV6) return Verdict.UNTRACKED; // nf_ct_set(skb, NULL, IP_CT_UNTRACKED)
            stats.error++; // "invalid icmp type": -NF_ACCEPT, counted by nf_conntrack_handle_icmp
            return Verdict.INVALID;
        }
        return isIcmpError(tp.protocol(), type) ? related(a, sink) : null;
    }

    /**
     * An ICMP/ICMPv6 error (nf_conntrack_inet_error): the quoted packet travelled the other way, so its tuple is
     * inverted (nf_ct_invert_tuple) and looked up. Found, and the error's destination is the entry's destination in
     * that direction: {@link Verdict#RELATED}; the entry is not refreshed and its counters do not move, since the
     * tracker never runs for it (nf_conntrack_core.c:nf_conntrack_in; lab, keepalive-gap: four port unreachables the
     * router sent about an inbound entry left its reply counters at 0 and its deadline where the last inbound packet
     * put it). Only the helper sees it, and only in the original direction (nf_conntrack_proto.c:nf_confirm skips
     * RELATED_REPLY): its timeout policy applies as for a packet with data. Not found (or nothing quoted, or the
     * destination differs): {@link Verdict#INVALID}, counted as {@code error}.
     */
    private Verdict related(Arrival a, EventSink sink) {
        table.advanceTo(a.nanos, sink);
        long t = Math.max(a.nanos, table.now());
        ConntrackTuple q = a.quoted;
        if (q != null && (q.protocol() == ConntrackTuple.ICMP || q.protocol() == ConntrackTuple.ICMPV6) && !q.isIcmp()) {
            return Verdict.UNTRACKED; // the quoted ICMP header (type, id) was not decoded: the model cannot look it up
        }
        ConntrackTuple inner = q == null ? null : q.invert();
        ConntrackEntry e = inner == null || (inner.isIcmp() && inner.icmpType() < 0) ? null : table.find(inner);
        if (e != null) {
            int dir = table.lastDirection();
            ConntrackTuple ct = dir == 0 ? e.original : e.reply;
            if (ct.dstHi() == a.tuple.dstHi() && ct.dstLo() == a.tuple.dstLo()) {
                // the ICMP header and the quoted packet are data to the helper (more than the 8 bytes of a UDP header)
                if (dir == 0 && helpers.applyTimeout(e, false, true, t)) e.lastFrame = a.frame;
                deliverCached(e, t, t, a, sink);
                return Verdict.RELATED;
            }
        }
        if (a.ingress == Arrival.Ingress.LOCAL && q != null && !q.isIcmp()) {
            // the router's own error about a packet it could not forward (no route: it died before NAT, so the quoted
            // tuple is the packet as it arrived): icmp_send attaches that packet's entry (nf_conntrack_core.c:
            // nf_conntrack_attach), in the other direction, with no lookup; about an original-direction packet that
            // is IP_CT_RELATED_REPLY, which the helper never sees (nf_confirm) and nothing refreshes
            ConntrackEntry own = table.find(q);
            if (own != null) {
                if (table.lastDirection() == 1 && helpers.applyTimeout(own, false, true, t)) own.lastFrame = a.frame;
                // sent from the dropped packet's own receive path (ip_error → icmp_send), in the jiffy that packet
                // refreshed the entry: the time left printed is the one that packet set
                long refreshed = own.timeoutSeconds >= 0 ? own.deadlineNanos - own.timeoutSeconds * 1_000_000_000L : t;
                deliverCached(own, t, refreshed <= t ? refreshed : t, a, sink);
                return Verdict.RELATED;
            }
        }
        stats.error++;
        return Verdict.INVALID;
    }

    /**
     * A packet attached to a confirmed entry reaches confirmation: the entry's cached events (status changes of packets
     * dropped after PREROUTING, {@code pending}) are delivered (nf_conntrack_confirm → nf_ct_deliver_cached_events;
     * lab: outage-no-route-snat, the [ASSURED] UPDATE of a packet that died in routing logged with the router's ICMP),
     * printing the time left as at {@code leftAt}.
     */
    private static void deliverCached(ConntrackEntry e, long t, long leftAt, Arrival a, EventSink sink) {
        if (a.egress == Arrival.Egress.DROPPED) return; // still cached, for the next packet that passes
        java.util.EnumSet<Change> c = e.takePending();
        if (c == null) return;
        long earliest = c.contains(Change.ASSURED) && e.streamPossibleNanos != Long.MIN_VALUE
                ? Math.min(t, e.streamPossibleNanos) : t;
        sink.accept(new ConntrackEvent.EntryUpdated(t, a.frame, e.view(leftAt, true, false, false),
                java.util.Collections.unmodifiableSet(c), earliest));
    }

    /**
     * init_conntrack for an ICMP packet: a type that cannot be inverted (no query) gets no entry at all
     * (nf_ct_invert_tuple fails).
     */
    static boolean invertible(ConntrackTuple tuple) {
        return ConntrackTuple.invertIcmpType(tuple.protocol(), tuple.icmpType()) >= 0;
    }

    /** icmp_new / icmpv6_new: only a request (echo, timestamp, information, address mask…) creates an entry. */
    static boolean creates(ConntrackTuple tuple) {
        return ConntrackTuple.icmpCreates(tuple.protocol(), tuple.icmpType());
    }

    /** nf_conntrack_icmp_packet / icmpv6_packet: nf_conntrack_icmp(v6)_timeout on every packet of a query. */
    TrackStep packet(ConntrackEntry e, long t) {
        int protocol = e.original.protocol();
        Timeouts.Key setting = protocol == ConntrackTuple.ICMP ? Timeouts.Key.ICMP : Timeouts.Key.ICMPV6;
        return table.refresh(e, t, timeouts.seconds(setting), setting);
    }
}
