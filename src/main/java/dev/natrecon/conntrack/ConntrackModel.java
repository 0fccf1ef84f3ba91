package dev.natrecon.conntrack;

import dev.natrecon.conntrack.ConntrackEvent.Diverged;
import dev.natrecon.conntrack.ConntrackEvent.EntryCreated;
import dev.natrecon.conntrack.ConntrackEvent.EntryExpired;
import dev.natrecon.conntrack.ConntrackEvent.EntryKilled;
import dev.natrecon.conntrack.ConntrackEvent.EntryUpdated;
import dev.natrecon.conntrack.ConntrackEvent.NatPort;
import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.Packet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Function;

/**
 * A deterministic model of the Linux conntrack table and NAT of one router, driven by packets as they arrive at the
 * router (LAN packets before SNAT, WAN packets before de-NAT), by link and address events, and by model time taken
 * from those.
 *
 * <p>Per packet ({@link #onPacket(Arrival, EventSink)}): first every entry whose deadline has passed expires
 * ({@link #advanceTo}, in deadline order), then the tuple is looked up in both directions. A hit runs the protocol
 * tracker, refreshes the deadline and emits an {@link EntryUpdated} when status or state changed — in PREROUTING,
 * before routing, so a packet the router then drops still refreshes its entry (nf_conntrack_core.c:nf_conntrack_in);
 * its status changes are delivered with the next packet that gets through (nf_conntrack_core.h:nf_conntrack_confirm).
 * A masqueraded entry's packet that leaves through another interface than the entry's kills the entry and is dropped
 * (nf_nat.h:nf_nat_oif_changed, nf_nat_core.c:nf_nat_inet_fn → nf_ct_kill_acct, which counts the packet a second
 * time). A miss creates an entry only if the packet got through (reference §1: confirmed in POSTROUTING/LOCAL_IN):
 * {@link Arrival.Egress#DROPPED} gives {@link Verdict#DROPPED} and no entry. The new entry's NAT comes from the
 * rules: DNAT in PREROUTING, SNAT/MASQUERADE in POSTROUTING for the interface the packet leaves through, a null
 * binding when no rule applies ({@link NatTranslator}, nf_nat_core.c:get_unique_tuple).
 *
 * <p>Link and address events ({@link #onAddressRemoved}, {@link #onLinkDown}, …) flush masqueraded entries as
 * nf_nat_masquerade.c does and change what masquerade picks for new entries. Where the captures contradict the
 * prediction the model emits {@link Diverged}. No wall clock, no I/O.
 *
 * <p>Not modelled yet (see the package notes): table limit and early drop, expectations and helpers' own timeouts,
 * ICMP errors (RELATED), TCP window tracking (retransmission and un-ACKed-data timeouts).
 */
public final class ConntrackModel {
    private static final long SECOND = 1_000_000_000L;
    private static final long TWO_SECONDS = 2 * SECOND;
    /**
     * How many expired entries' mappings the model remembers to recognise {@link Divergence#EXPIRED_MAPPING_USED}:
     * a bound on the model's memory, not a kernel value (the kernel forgets an entry when it is freed).
     */
    static final int EXPIRED_MEMORY = 4096;

    private final Timeouts timeouts;
    private final List<NatRule> natRules;
    private final Function<ConntrackTuple, String> helpers;
    private final Interfaces interfaces;
    private final NatTranslator nat;
    private final Map<ConntrackTuple, ConntrackEntry> byTuple = new HashMap<>();
    private final Map<SourceKey, List<ConntrackEntry>> bySource = new HashMap<>();
    private final Map<Long, ConntrackEntry> live = new LinkedHashMap<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final Map<ConntrackTuple, ConntrackTuple> expiredMappings = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ConntrackTuple, ConntrackTuple> eldest) {
            return size() > EXPIRED_MEMORY;
        }
    };
    private long nextId = 1;
    private long now = Long.MIN_VALUE;

    public ConntrackModel(Timeouts timeouts, List<NatRule> natRules) {
        this(timeouts, natRules, t -> null);
    }

    /** @param helpers names the helper a new entry gets from the ruleset (e.g. "sip" for udp/5060), or null */
    public ConntrackModel(Timeouts timeouts, List<NatRule> natRules, Function<ConntrackTuple, String> helpers) {
        this(timeouts, natRules, helpers, null);
    }

    /**
     * @param interfaces the router's interfaces and their addresses at the start (copied; the model changes its
     *                   copy on link and address events), or null: interface matches are then not evaluated and
     *                   masquerade rules must carry a fixed address
     */
    public ConntrackModel(Timeouts timeouts, List<NatRule> natRules, Function<ConntrackTuple, String> helpers,
                          Interfaces interfaces) {
        this.timeouts = timeouts;
        this.natRules = List.copyOf(natRules);
        this.helpers = helpers;
        this.interfaces = interfaces == null ? null : interfaces.copy();
        this.nat = new NatTranslator(this.natRules, this.interfaces, new NatTranslator.Table() {
            @Override
            public boolean taken(ConntrackTuple translated) {
                return ConntrackModel.this.taken(translated);
            }

            @Override
            public List<ConntrackEntry> sameSource(ConntrackTuple original) {
                List<ConntrackEntry> l = bySource.get(new SourceKey(original));
                return l == null ? List.of() : l;
            }

            @Override
            public ConntrackTuple expiredReply(ConntrackTuple original) {
                return expiredMappings.get(original);
            }

            @Override
            public ConntrackTuple expiredOriginal(ConntrackTuple reply) {
                for (Map.Entry<ConntrackTuple, ConntrackTuple> e : expiredMappings.entrySet()) {
                    if (e.getValue().equals(reply)) return e.getKey(); // rare: only when a divergence is found
                }
                return null;
            }
        });
    }

    /** A router as {@code nft list ruleset} / {@code iptables-save} describe it: its NAT rules and helper rules. */
    public ConntrackModel(Timeouts timeouts, NatRuleset ruleset, Interfaces interfaces) {
        this(timeouts, ruleset.rules(), ruleset.helperFunction(), interfaces);
    }

    public Timeouts timeouts() {
        return timeouts;
    }

    /** The model's view of the router's interfaces (changed by link and address events), or null. */
    public Interfaces interfaces() {
        return interfaces == null ? null : interfaces.copy();
    }

    /** Live entries in order of creation. */
    public Collection<ConntrackEntry> entries() {
        return Collections.unmodifiableCollection(live.values());
    }

    /** The entry holding {@code tuple} in either direction, or null. */
    public ConntrackEntry find(ConntrackTuple tuple) {
        return byTuple.get(tuple);
    }

    public long now() {
        return now;
    }

    /**
     * Moves model time to {@code nanos} (never backwards) and expires every entry whose deadline is at or before it,
     * in deadline order (ties by entry number). The kernel treats an entry as dead once {@code deadline - now ≤ 0}
     * (nf_conntrack.h:nf_ct_is_expired); its DESTROY event may come later (GC lag), the model's comes at the deadline.
     */
    public void advanceTo(long nanos, EventSink sink) {
        if (nanos < now) return; // out-of-order input: the caller's merge decides; time never runs backwards
        now = nanos;
        List<ConntrackEntry> due = null;
        while (!timers.isEmpty() && timers.peek().key <= nanos) {
            Timer t = timers.poll();
            ConntrackEntry e = t.entry;
            if (!live.containsKey(e.id) || t.seq != e.timerSeq) continue;
            if (e.deadlineNanos <= nanos) {
                if (due == null) due = new ArrayList<>();
                due.add(e);
            } else {
                schedule(e, e.deadlineNanos);
            }
        }
        if (due == null) return;
        due.sort((a, b) -> a.deadlineNanos != b.deadlineNanos ? Long.compare(a.deadlineNanos, b.deadlineNanos)
                : Long.compare(a.id, b.id));
        for (ConntrackEntry e : due) {
            remove(e);
            expiredMappings.remove(e.original); // the latest expiry of a tuple counts, evicted last
            expiredMappings.put(e.original, e.reply);
            sink.accept(new EntryExpired(e.deadlineNanos, e.lastFrame, e.view(e.deadlineNanos, false,
                    timeouts.accounting(), timeouts.timestamps())));
        }
    }

    /**
     * One decoded packet as it arrived at the router (convenience over {@link #onPacket(Arrival, EventSink)}; ingress
     * and egress unknown).
     */
    public Verdict onPacket(long nanos, FrameRef frame, Packet p, int observedNatPort, EventSink sink) {
        Arrival a = new Arrival().packet(nanos, frame, p);
        a.ingress = null;
        if (observedNatPort >= 0) {
            a.observed = true;
            a.observedSrcPort = observedNatPort;
        }
        return onPacket(a, sink);
    }

    /**
     * One packet as it arrived at the router, with what the captures showed of it. An ICMP error is
     * {@link Verdict#UNTRACKED} (RELATED is a later step).
     */
    public Verdict onPacket(Arrival a, EventSink sink) {
        if (a.tuple.isIcmp() && (a.isIcmpError() || a.tuple.icmpId() < 0)) {
            advanceTo(a.nanos, sink);
            return Verdict.UNTRACKED;
        }
        return track(a, sink);
    }

    /**
     * One packet as it arrived at the router, ingress and egress unknown (convenience over
     * {@link #onPacket(Arrival, EventSink)}).
     *
     * @param tuple           the packet's own tuple (before any translation by this router)
     * @param tcpFlags        TCP flag bits (FIN 0x01, SYN 0x02, RST 0x04, ACK 0x10), ignored for other protocols
     * @param ipLength        IP total length, for the counters
     * @param observedNatPort the source port (or ICMP id) the WAN capture showed for this packet after translation,
     *                        or -1; taken where the kernel would have chosen a port at random
     */
    public Verdict onPacket(long nanos, FrameRef frame, ConntrackTuple tuple, int tcpFlags, int ipLength,
                            int observedNatPort, EventSink sink) {
        Arrival a = new Arrival();
        a.nanos = nanos;
        a.frame = frame;
        a.tuple = tuple;
        a.tcpFlags = tcpFlags;
        a.ipLength = ipLength;
        a.ingress = null;
        if (observedNatPort >= 0) {
            a.observed = true;
            a.observedSrcPort = observedNatPort;
        }
        return track(a, sink);
    }

    private Verdict track(Arrival a, EventSink sink) {
        advanceTo(a.nanos, sink);
        long t = Math.max(a.nanos, now);
        FrameRef frame = a.frame;
        ConntrackTuple tuple = a.tuple;
        int ipLength = a.ipLength;
        ConntrackEntry e = byTuple.get(tuple);
        if (e == null) return create(t, a, sink);
        int dir = e.original.equals(tuple) ? 0 : 1;
        EnumSet<Change> changes = EnumSet.noneOf(Change.class);
        Step step = switch (tuple.protocol()) {
            case ConntrackTuple.UDP -> udp(e, dir, t, changes);
            case ConntrackTuple.TCP -> tcp(e, dir, t, a.tcpFlags, changes);
            default -> refresh(e, t, timeouts.forProtocol(tuple.protocol(), false));
        };
        switch (step) {
            case KILL -> {
                kill(e, t, frame, "only a RST answered", sink);
                return Verdict.ESTABLISHED;
            }
            case REOPEN -> {
                kill(e, t, frame, "SYN reopened a closed connection", sink);
                return create(t, a, sink);
            }
            case INVALID -> {
                return Verdict.INVALID;
            }
            default -> {
            }
        }
        count(e, dir, ipLength);
        e.lastFrame = frame;
        if (dir == 1 && !e.has(Status.SEEN_REPLY)) { // set after the tracker ran (nf_conntrack_core.c:nf_conntrack_in)
            e.status |= Status.SEEN_REPLY;
            changes.add(Change.SEEN_REPLY);
        }
        if (a.egress == Arrival.Egress.DROPPED) { // dropped after PREROUTING: the events wait on the entry
            e.pending.addAll(changes);
            return Verdict.DROPPED;
        }
        if (dir == 0 && e.masqInterface != null) {
            NatTranslator.Route route = a.egress == Arrival.Egress.UNKNOWN && a.egressInterface == null ? null
                    : nat.route(a, e.reply.invert());
            if (route != null && !route.local() && route.oif() != null && !route.oif().equals(e.masqInterface)) {
                // nf_nat_inet_fn: nf_nat_oif_changed → nf_ct_kill_acct (counts the packet again), NF_DROP
                count(e, dir, ipLength);
                String reason = "masquerade: left through " + route.oif() + " instead of " + e.masqInterface
                        + " (nf_nat.h:nf_nat_oif_changed)";
                EntryView v = kill(e, t, frame, reason, sink);
                if (a.observed) {
                    sink.accept(new Diverged(t, frame, v, Divergence.FORWARDED_BUT_DROPPED, "Linux drops it and kills "
                            + "the entry: " + reason + "; the captures show it forwarded"));
                }
                return Verdict.DROPPED;
            }
        }
        if (!e.pending.isEmpty()) {
            changes.addAll(e.pending);
            e.pending.clear();
        }
        if (!changes.isEmpty()) {
            sink.accept(new EntryUpdated(t, frame, e.view(t, true, false, false), Collections.unmodifiableSet(changes)));
        }
        return step == Step.IGNORED ? Verdict.IGNORED : Verdict.ESTABLISHED;
    }

    private Verdict create(long t, Arrival a, EventSink sink) {
        FrameRef frame = a.frame;
        ConntrackTuple tuple = a.tuple;
        if (tuple.protocol() == ConntrackTuple.TCP) {
            // nf_conntrack_proto_tcp.c:tcp_new: SYN → SYN_SENT; ACK → ESTABLISHED only with tcp_loose
            int next = TCP_TABLE[0][flagIndex(a.tcpFlags)][TcpState.NONE.ordinal()];
            if (next == IV || next == IG) return Verdict.INVALID;
            if (next == TcpState.ESTABLISHED.ordinal() && !timeouts.tcpLoose()) return Verdict.INVALID;
        } else if (tuple.isIcmp()) {
            if (!ConntrackTuple.icmpCreates(tuple.protocol(), tuple.icmpType())) return Verdict.UNTRACKED;
        }
        // only a packet that reaches POSTROUTING/LOCAL_IN confirms its entry (reference §1, §6)
        if (a.egress == Arrival.Egress.DROPPED) return Verdict.DROPPED;
        NatTranslator.Result r = nat.translate(a);
        if (r.dropReason != null) {
            if (!r.findings.isEmpty()) {
                // never confirmed: picture the entry as the captures show the router had it
                ConntrackTuple seen = tuple.withSource(a.observedSourceAddressKnown() ? a.observedSrcHi : tuple.srcHi(),
                        a.observedSourceAddressKnown() ? a.observedSrcLo : tuple.srcLo(),
                        a.observedSrcPort >= 0 && (tuple.hasPorts() || tuple.isIcmp()) ? a.observedSrcPort : tuple.sourceKey());
                if (a.observedDestinationAddressKnown() || a.observedDstPort >= 0 && tuple.hasPorts()) {
                    seen = NatTranslator.withDestination(seen, a.observedDestinationAddressKnown() ? a.observedDstHi : seen.dstHi(),
                            a.observedDestinationAddressKnown() ? a.observedDstLo : seen.dstLo(),
                            a.observedDstPort >= 0 && tuple.hasPorts() ? a.observedDstPort : seen.dstPort());
                }
                EntryView v = new EntryView(0, tuple, seen.invert(), 0, null, -1, helpers.apply(tuple), -1, -1, -1, -1, -1);
                for (NatTranslator.Finding f : r.findings) sink.accept(new Diverged(t, frame, v, f.kind(), f.detail()));
            }
            return Verdict.DROPPED;
        }
        ConntrackTuple translated = r.translated;
        ConntrackEntry e = new ConntrackEntry(nextId++, tuple, translated.invert(), t, frame);
        e.status = Status.CONFIRMED | Status.SRC_NAT_DONE | Status.DST_NAT_DONE;
        boolean srcChanged = translated.srcHi() != tuple.srcHi() || translated.srcLo() != tuple.srcLo()
                || translated.sourceKey() != tuple.sourceKey();
        boolean dstChanged = translated.dstHi() != tuple.dstHi() || translated.dstLo() != tuple.dstLo()
                || translated.dstPort() != tuple.dstPort();
        if (srcChanged) e.status |= Status.SRC_NAT;
        if (dstChanged) e.status |= Status.DST_NAT;
        e.natPort = srcChanged ? r.natPort : NatPort.NONE;
        e.masqInterface = r.masqInterface;
        e.helper = helpers.apply(tuple);
        if (e.helper != null) e.status |= Status.HELPER;
        EnumSet<Change> ignored = EnumSet.noneOf(Change.class);
        Step first = switch (tuple.protocol()) {
            case ConntrackTuple.UDP -> udp(e, 0, t, ignored);
            case ConntrackTuple.TCP -> tcp(e, 0, t, a.tcpFlags, ignored);
            default -> refresh(e, t, timeouts.forProtocol(tuple.protocol(), false));
        };
        if (first != Step.ACCEPTED) {
            nextId--; // never confirmed: the unconfirmed entry dies with the packet
            return Verdict.INVALID;
        }
        count(e, 0, a.ipLength);
        insert(e);
        expiredMappings.remove(tuple);
        EntryView v = e.view(t, true, false, false);
        sink.accept(new EntryCreated(t, frame, v, e.natPort));
        for (NatTranslator.Finding f : r.findings) sink.accept(new Diverged(t, frame, v, f.kind(), f.detail()));
        return Verdict.NEW;
    }

    /** nf_nat_core.c:nf_nat_used_tuple: the reply tuple of the translated tuple is already some entry's tuple. */
    private boolean taken(ConntrackTuple translated) {
        return byTuple.containsKey(translated.invert());
    }

    // ---- link and address events (nf_nat_masquerade.c)

    /**
     * An address was removed from {@code iface} ({@code ip addr del}): every entry masqueraded via that interface
     * whose translated address is the removed one is deleted (nf_nat_masquerade.c:masq_inet_event → inet_cmp;
     * the kernel does it in a work queue a few milliseconds later). SNAT and null bindings are never touched. New
     * entries no longer get that address.
     *
     * @param address the address, with or without its prefix length
     */
    public void onAddressRemoved(long nanos, String iface, String address, EventSink sink) {
        Interfaces ifs = requireInterfaces();
        advanceTo(nanos, sink);
        long t = Math.max(nanos, now);
        long[] a = NatMatch.AddressRange.address(address.contains("/") ? address.substring(0, address.indexOf('/')) : address);
        if (ifs.removeAddress(iface, a[0], a[1]) == null) return; // not there: no notification
        String reason = "masquerade: address " + Addresses.format(a[0], a[1]) + " removed from " + iface
                + " (nf_nat_masquerade.c:masq_inet_event)";
        for (ConntrackEntry e : List.copyOf(live.values())) {
            if (iface.equals(e.masqInterface) && e.reply.dstHi() == a[0] && e.reply.dstLo() == a[1]) {
                kill(e, t, FrameRef.NONE, reason, sink);
            }
        }
    }

    /** An address was added to {@code iface} ("a.b.c.d/len"): masquerade may pick it for new entries; no entry changes. */
    public void onAddressAdded(long nanos, String iface, String cidr, EventSink sink) {
        Interfaces ifs = requireInterfaces();
        advanceTo(nanos, sink);
        ifs.addAddress(iface, Interfaces.Address.parse(cidr));
    }

    /**
     * {@code iface} went down (NETDEV_DOWN): every entry masqueraded via it is deleted
     * (nf_nat_masquerade.c:masq_device_event → device_cmp); SNAT and null bindings stay.
     */
    public void onLinkDown(long nanos, String iface, EventSink sink) {
        Interfaces ifs = requireInterfaces();
        advanceTo(nanos, sink);
        long t = Math.max(nanos, now);
        ifs.setUp(iface, false);
        String reason = "masquerade: " + iface + " went down (nf_nat_masquerade.c:masq_device_event)";
        for (ConntrackEntry e : List.copyOf(live.values())) {
            if (iface.equals(e.masqInterface)) kill(e, t, FrameRef.NONE, reason, sink);
        }
    }

    /** {@code iface} came up again; no entry changes. */
    public void onLinkUp(long nanos, String iface, EventSink sink) {
        Interfaces ifs = requireInterfaces();
        advanceTo(nanos, sink);
        ifs.setUp(iface, true);
    }

    private Interfaces requireInterfaces() {
        if (interfaces == null) throw new IllegalStateException("link and address events need the router's interfaces");
        return interfaces;
    }

    // ---- UDP (nf_conntrack_proto_udp.c:nf_conntrack_udp_packet)

    private Step udp(ConntrackEntry e, int dir, long t, Set<Change> changes) {
        if (!e.has(Status.SEEN_REPLY)) return refresh(e, t, timeouts.seconds(Timeouts.Key.UDP));
        long timeout = timeouts.seconds(Timeouts.Key.UDP);
        boolean stream = false;
        // since 5.0: stream only once time_after(jiffies, stream_ts), stream_ts = first packet's jiffies + 2 s: in
        // ticks that is at least 2 s + 1 jiffy later (lab, wan-address-change-snat: a packet 2.000726 s after the
        // first did not assure the entry); before 5.0: at once
        if (!timeouts.udpTwoSecondRule() || t - e.firstNanos >= TWO_SECONDS + timeouts.jiffyNanos()) {
            timeout = timeouts.seconds(Timeouts.Key.UDP_STREAM);
            stream = !e.has(Status.ASSURED);
        }
        refresh(e, t, timeout);
        if (stream) {
            e.status |= Status.ASSURED;
            changes.add(Change.ASSURED);
        }
        return Step.ACCEPTED;
    }

    // ---- TCP (nf_conntrack_proto_tcp.c:nf_conntrack_tcp_packet, without window tracking)

    private static final int IV = 10, IG = 11;
    private static final int SS = 1, SR = 2, ES = 3, FW = 4, CW = 5, LA = 6, TW = 7, CL = 8, S2 = 9;
    private static final int I_SYN = 0, I_SYNACK = 1, I_FIN = 2, I_ACK = 3, I_RST = 4, I_NONE = 5;
    /** tcp_conntracks[dir][flag class][old state] (reference §3.2); columns NONE … SYN_SENT2 */
    private static final int[][][] TCP_TABLE = {
            {
                    /* SYN     */ {SS, SS, IG, IG, IG, IG, IG, SS, SS, S2},
                    /* SYN/ACK */ {IV, IV, SR, IV, IV, IV, IV, IV, IV, SR},
                    /* FIN     */ {IV, IV, FW, FW, LA, LA, LA, TW, CL, IV},
                    /* ACK     */ {ES, IV, ES, ES, CW, CW, TW, TW, CL, IV},
                    /* RST     */ {IV, CL, CL, CL, CL, CL, CL, CL, CL, CL},
                    /* none    */ {IV, IV, IV, IV, IV, IV, IV, IV, IV, IV}},
            {
                    /* SYN     */ {IV, S2, IV, IV, IV, IV, IV, SS, IV, S2},
                    /* SYN/ACK */ {IV, SR, IG, IG, IG, IG, IG, IG, IG, SR},
                    /* FIN     */ {IV, IV, FW, FW, LA, LA, LA, TW, CL, IV},
                    /* ACK     */ {IV, IG, SR, ES, CW, CW, TW, TW, CL, IG},
                    /* RST     */ {IV, CL, CL, CL, CL, CL, CL, CL, CL, CL},
                    /* none    */ {IV, IV, IV, IV, IV, IV, IV, IV, IV, IV}}};

    /** get_conntrack_index: RST > SYN(+ACK) > FIN > ACK > none. */
    static int flagIndex(int flags) {
        if ((flags & 0x04) != 0) return I_RST;
        if ((flags & 0x02) != 0) return (flags & 0x10) != 0 ? I_SYNACK : I_SYN;
        if ((flags & 0x01) != 0) return I_FIN;
        if ((flags & 0x10) != 0) return I_ACK;
        return I_NONE;
    }

    private Step tcp(ConntrackEntry e, int dir, long t, int flags, Set<Change> changes) {
        TcpState old = e.tcpState;
        int index = flagIndex(flags);
        int next = TCP_TABLE[dir][index][old.ordinal()];
        if (next == SS && old.ordinal() >= TW) {
            // RFC 1122 reopen: after a FIN close or our own last RST, kill and look up again (NF_REPEAT)
            if (e.closeInit || (e.lastDir == dir && e.lastIndex == I_RST)) return Step.REOPEN;
            next = IG;
        }
        if (next == IG) {
            e.lastDir = dir;
            e.lastIndex = index;
            return Step.IGNORED; // accepted, no state change, no refresh
        }
        if (next == IV) return Step.INVALID;
        TcpState state = TcpState.values()[next];
        boolean retransmittedSyn = index == I_SYN && dir == 0 && e.lastDir == 0 && e.lastIndex == I_SYN
                && old == TcpState.SYN_SENT;
        e.lastDir = dir;
        e.lastIndex = index;
        e.tcpState = state;
        if (old != state && state == TcpState.FIN_WAIT) e.closeInit = true;
        long timeout = index == I_RST ? timeouts.seconds(Timeouts.Key.TCP_CLOSE) : timeouts.tcp(state);
        if (old != state && old != TcpState.NONE) changes.add(Change.STATE);
        if (!e.has(Status.SEEN_REPLY)) {
            if (index == I_RST && old != TcpState.NONE) return Step.KILL; // the only answer was a RST
            if (retransmittedSyn) return Step.ACCEPTED; // a retransmitted SYN does not refresh the timer
            // mid-stream pickup without a reply: capped at the "unacknowledged" timeout
            long unack = timeouts.seconds(Timeouts.Key.TCP_UNACKNOWLEDGED);
            if (state == TcpState.ESTABLISHED && timeout > unack) timeout = unack;
        } else if (!e.has(Status.ASSURED) && (old == TcpState.SYN_RECV || old == TcpState.ESTABLISHED)
                && state == TcpState.ESTABLISHED) {
            e.status |= Status.ASSURED;
            changes.add(Change.ASSURED);
        }
        refresh(e, t, timeout);
        return Step.ACCEPTED;
    }

    // ---- table plumbing

    private enum Step {
        ACCEPTED, IGNORED, INVALID, KILL, REOPEN
    }

    private Step refresh(ConntrackEntry e, long t, long seconds) {
        e.deadlineNanos = t + seconds * SECOND;
        if (live.containsKey(e.id) && e.deadlineNanos < e.timerKey()) schedule(e, e.deadlineNanos);
        return Step.ACCEPTED;
    }

    private void count(ConntrackEntry e, int dir, int ipLength) {
        if (dir == 0) {
            e.origPackets++;
            e.origBytes += Math.max(0, ipLength);
        } else {
            e.replyPackets++;
            e.replyBytes += Math.max(0, ipLength);
        }
    }

    private void insert(ConntrackEntry e) {
        live.put(e.id, e);
        byTuple.put(e.original, e);
        byTuple.put(e.reply, e);
        // nf_nat_setup_info adds SRC-manipulated entries (null bindings too) at the head of the by-source chain
        bySource.computeIfAbsent(new SourceKey(e.original), k -> new ArrayList<>(1)).add(0, e);
        schedule(e, e.deadlineNanos);
    }

    private void remove(ConntrackEntry e) {
        live.remove(e.id);
        byTuple.remove(e.original, e);
        byTuple.remove(e.reply, e);
        SourceKey k = new SourceKey(e.original);
        List<ConntrackEntry> same = bySource.get(k);
        if (same != null) {
            same.remove(e);
            if (same.isEmpty()) bySource.remove(k);
        }
        e.timerSeq = -1;
    }

    private EntryView kill(ConntrackEntry e, long t, FrameRef frame, String reason, EventSink sink) {
        remove(e);
        EntryView v = e.view(t, true, timeouts.accounting(), timeouts.timestamps());
        sink.accept(new EntryKilled(t, frame, v, reason));
        return v;
    }

    private long timerSeq;

    private void schedule(ConntrackEntry e, long key) {
        e.timerSeq = ++timerSeq;
        e.timerKeyNanos = key;
        timers.add(new Timer(key, e.timerSeq, e));
    }

    /** One pending timer; stale when its seq is no longer the entry's (a sooner deadline was scheduled since). */
    private record Timer(long key, long seq, ConntrackEntry entry) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            return key != o.key ? Long.compare(key, o.key) : Long.compare(entry.id, o.entry.id);
        }
    }

    /** find_appropriate_src looks up by (protocol, original source address, source port or ICMP id). */
    private record SourceKey(int protocol, long hi, long lo, int port) {
        SourceKey(ConntrackTuple t) {
            this(t.protocol(), t.srcHi(), t.srcLo(), t.sourceKey());
        }
    }
}
