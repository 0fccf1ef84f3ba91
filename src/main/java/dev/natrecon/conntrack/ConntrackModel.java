package dev.natrecon.conntrack;

import dev.natrecon.conntrack.ConntrackEvent.Diverged;
import dev.natrecon.conntrack.ConntrackEvent.EntryCreated;
import dev.natrecon.conntrack.ConntrackEvent.EntryExpired;
import dev.natrecon.conntrack.ConntrackEvent.EntryKilled;
import dev.natrecon.conntrack.ConntrackEvent.EntryUpdated;
import dev.natrecon.conntrack.ConntrackEvent.NatPort;
import dev.natrecon.conntrack.ConntrackEvent.PacketDropped;
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
 * tracker, refreshes the deadline, lets the entry's helper set its own timeout (the SIP helper's sip_timeout) and
 * emits an {@link EntryUpdated} when status or state changed — in PREROUTING, before routing, so a packet the router
 * then drops still refreshes its entry (nf_conntrack_core.c:nf_conntrack_in); its status changes are delivered with
 * the next packet that gets through (nf_conntrack_core.h:nf_conntrack_confirm). A masqueraded entry's packet that
 * leaves through another interface than the entry's kills the entry and is dropped (nf_nat.h:nf_nat_oif_changed,
 * nf_nat_core.c:nf_nat_inet_fn → nf_ct_kill_acct, which counts the packet a second time). A miss allocates an entry
 * (table limit and early drop, {@link #allocate}) and confirms it only if the packet got through (reference §1:
 * confirmed in POSTROUTING/LOCAL_IN): {@link Arrival.Egress#DROPPED} gives {@link Verdict#DROPPED} and no entry. The
 * new entry's NAT comes from the rules: DNAT in PREROUTING, SNAT/MASQUERADE in POSTROUTING for the interface the
 * packet leaves through, a null binding when no rule applies ({@link NatTranslator},
 * nf_nat_core.c:get_unique_tuple). ICMP/ICMPv6 errors are matched to the entry of the packet they quote
 * ({@link Verdict#RELATED}). Statistics as {@code conntrack -S} shows them: {@link #stats()}.
 *
 * <p>Link and address events ({@link #onAddressRemoved}, {@link #onLinkDown}, …) flush masqueraded entries as
 * nf_nat_masquerade.c does and change what masquerade picks for new entries. Where the captures contradict the
 * prediction the model emits {@link Diverged}. No wall clock, no I/O.
 *
 * <p>Not modelled yet (see the package notes): expectations, the rarer parts of TCP tracking and window tracking of
 * helped entries behind NAT, the garbage collector's early drop at 95 % of the limit.
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
    private final TupleIndex byTuple = new TupleIndex();
    /** The status changes of the packet being tracked; reused, copied into the event that reports them. */
    private final EnumSet<Change> changes = EnumSet.noneOf(Change.class);
    private final Map<SourceKey, List<ConntrackEntry>> bySource = new HashMap<>();
    private final Map<Long, ConntrackEntry> live = new LinkedHashMap<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    /** every expectation, oldest first (the kernel's hash, in insertion order) */
    private final List<Expectation> expectations = new ArrayList<>();
    private final PriorityQueue<ExpectTimer> expectTimers = new PriorityQueue<>();
    private final Map<String, Helper> helperImpls = new HashMap<>();
    private long nextExpectId = 1;
    private final Map<ConntrackTuple, ConntrackTuple> expiredMappings = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ConntrackTuple, ConntrackTuple> eldest) {
            return size() > EXPIRED_MEMORY;
        }
    };
    private long nextId = 1;
    private long now = Long.MIN_VALUE;
    private final ConntrackStats stats = new ConntrackStats();
    /** reused by the convenience overloads, which have no Arrival of their own */
    private final Arrival scratch = new Arrival();

    /**
     * The kernel's warning when the table is full (nf_conntrack_core.c:__nf_conntrack_alloc; pr_fmt adds the module
     * name to a message that already has it). A router in a network namespace other than the initial one prints
     * "… table full in netns N, dropping packet" instead.
     */
    public static final String TABLE_FULL_LOG = "nf_conntrack: nf_conntrack: table full, dropping packet";

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

    /** Attaches the implementation of a helper the entries name (by {@link Helper#name()}). */
    public void addHelper(Helper helper) {
        helperImpls.put(helper.name(), helper);
    }

    /** Live expectations, oldest first. */
    public List<Expectation> expectations() {
        return Collections.unmodifiableList(expectations);
    }

    /** The table's counters and gauges, updated as packets and time pass. */
    public ConntrackStats stats() {
        return stats;
    }

    /**
     * Moves model time to {@code nanos} (never backwards) and expires every entry whose deadline is at or before it,
     * in deadline order (ties by entry number). The kernel treats an entry as dead once {@code deadline - now ≤ 0}
     * (nf_conntrack.h:nf_ct_is_expired); its DESTROY event may come later (GC lag), the model's comes at the deadline.
     */
    public void advanceTo(long nanos, EventSink sink) {
        if (nanos < now) return; // out-of-order input: the caller's merge decides; time never runs backwards
        now = nanos;
        // entry and expectation timers together, in time order (ties: entries first, then by number)
        while (true) {
            Timer ct = timers.peek();
            ExpectTimer et = expectTimers.peek();
            boolean entryDue = ct != null && ct.key <= nanos, expectDue = et != null && et.key <= nanos;
            if (!entryDue && !expectDue) return;
            if (expectDue && (!entryDue || et.key < ct.key)) {
                expectTimers.poll();
                Expectation x = et.exp;
                if (!x.inTable || et.seq != x.timerSeq) continue;
                if (x.deadlineNanos > et.key) {
                    scheduleExpect(x);
                    continue;
                }
                unlinkExpectation(x, x.deadlineNanos, FrameRef.NONE, ExpectationEvent.Reason.EXPIRED, sink);
                continue;
            }
            timers.poll();
            ConntrackEntry e = ct.entry;
            if (!e.inTable || ct.seq != e.timerSeq) continue;
            if (e.deadlineNanos > ct.key) { // refreshed since: expires at its own deadline, in deadline order
                schedule(e, e.deadlineNanos);
                continue;
            }
            remove(e, e.deadlineNanos, e.lastFrame, sink);
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
     * One packet as it arrived at the router, with what the captures showed of it.
     * <ul>
     *   <li>An ICMP/ICMPv6 error (ICMP types 3, 4, 5, 11, 12; ICMPv6 types below 128) is looked up through the packet
     *       it quotes ({@link #related}); ICMP types above 18 are invalid (nf_conntrack_proto_icmp.c:
     *       nf_conntrack_icmpv4_error); ICMPv6 neighbour discovery and multicast listener messages are untracked
     *       (nf_conntrack_proto_icmpv6.c:noct_valid_new).</li>
     *   <li>Everything else is tracked: looked up, or allocated and created.</li>
     * </ul>
     */
    public Verdict onPacket(Arrival a, EventSink sink) {
        ConntrackTuple tp = a.tuple;
        if (tp.isIcmp()) {
            int type = tp.icmpType();
            if (tp.protocol() == ConntrackTuple.ICMP ? type > 18 : NO_CONNTRACK_ICMPV6.contains(type)) {
                advanceTo(a.nanos, sink);
                if (tp.protocol() == ConntrackTuple.ICMPV6) return Verdict.UNTRACKED; // nf_ct_set(skb, NULL, IP_CT_UNTRACKED)
                stats.error++; // "invalid icmp type": -NF_ACCEPT, counted by nf_conntrack_handle_icmp
                return Verdict.INVALID;
            }
            if (isIcmpError(tp.protocol(), type)) return related(a, sink);
        }
        return track(a, sink);
    }

    /** ICMPv6 types the kernel leaves untracked: MLD, router/neighbour discovery, multicast router discovery. */
    private static final Set<Integer> NO_CONNTRACK_ICMPV6 = Set.of(130, 131, 132, 133, 134, 135, 136, 143, 151, 152);

    /** include/linux/icmp.h:icmp_is_err (unreachable, source quench, redirect, time exceeded, parameter problem); ICMPv6: type below 128. */
    static boolean isIcmpError(int protocol, int type) {
        if (protocol == ConntrackTuple.ICMPV6) return type >= 0 && type < 128;
        return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    }

    /**
     * One packet as it arrived at the router, ingress and egress unknown (convenience over {@link #onPacket(Arrival, EventSink)}). Its payload
     * length, which the SIP helper's timeout depends on, is estimated as {@code ipLength} minus headers without
     * options (IPv4 20, IPv6 40, UDP 8, TCP 20, ICMP 8 bytes); give an {@link Arrival} when it is known.
     *
     * @param tuple           the packet's own tuple (before any translation by this router)
     * @param tcpFlags        TCP flag bits (FIN 0x01, SYN 0x02, RST 0x04, ACK 0x10), ignored for other protocols
     * @param ipLength        IP total length, for the counters
     * @param observedNatPort the source port (or ICMP id) the WAN capture showed for this packet after translation,
     *                        or -1; taken where the kernel would have chosen a port at random
     */
    public Verdict onPacket(long nanos, FrameRef frame, ConntrackTuple tuple, int tcpFlags, int ipLength,
                            int observedNatPort, EventSink sink) {
        Arrival a = scratch.clear();
        a.nanos = nanos;
        a.frame = frame;
        a.tuple = tuple;
        a.tcpFlags = tcpFlags;
        a.ipLength = ipLength;
        a.payloadLength = estimatedPayload(tuple, ipLength);
        a.ingress = null;
        if (observedNatPort >= 0) {
            a.observed = true;
            a.observedSrcPort = observedNatPort;
        }
        return onPacket(a, sink);
    }

    static int estimatedPayload(ConntrackTuple tuple, int ipLength) {
        int headers = (tuple.isV4() ? 20 : 40) + switch (tuple.protocol()) {
            case ConntrackTuple.UDP, ConntrackTuple.ICMP, ConntrackTuple.ICMPV6 -> 8;
            case ConntrackTuple.TCP -> 20;
            default -> 0;
        };
        return Math.max(0, ipLength - headers);
    }

    /**
     * An ICMP/ICMPv6 error (nf_conntrack_proto_icmp.c:nf_conntrack_inet_error): the quoted packet travelled the other
     * way, so its tuple is inverted (nf_ct_invert_tuple) and looked up. Found, and the error's destination is the
     * entry's destination in that direction: {@link Verdict#RELATED}; the entry is not refreshed and its counters do
     * not move, since the tracker never runs for it (nf_conntrack_core.c:nf_conntrack_in; lab, keepalive-gap: four
     * port unreachables the router sent about an inbound entry left its reply counters at 0 and its deadline where
     * the last inbound packet put it). Only the helper sees it, and only in the original direction (nf_conntrack_proto.c:
     * nf_confirm skips RELATED_REPLY): the SIP helper then refreshes a UDP master to sip_timeout, as for any packet
     * with data. Not found (or nothing quoted, or the destination differs): {@link Verdict#INVALID}, counted as
     * {@code error}.
     */
    private Verdict related(Arrival a, EventSink sink) {
        advanceTo(a.nanos, sink);
        long t = Math.max(a.nanos, now);
        ConntrackTuple q = a.quoted;
        if (q != null && (q.protocol() == ConntrackTuple.ICMP || q.protocol() == ConntrackTuple.ICMPV6) && !q.isIcmp()) {
            return Verdict.UNTRACKED; // the quoted ICMP header (type, id) was not decoded: the model cannot look it up
        }
        ConntrackTuple inner = q == null ? null : q.invert();
        ConntrackEntry e = inner == null || (inner.isIcmp() && inner.icmpType() < 0) ? null : byTuple.get(inner);
        if (e != null) {
            int dir = byTuple.lastDirection();
            ConntrackTuple ct = dir == 0 ? e.original : e.reply;
            if (ct.dstHi() == a.tuple.dstHi() && ct.dstLo() == a.tuple.dstLo()) {
                // sip_help_udp: the ICMP header and the quoted packet are more than the 8 bytes of a UDP header
                if (dir == 0 && helperTimeout(e, false, true, t)) e.lastFrame = a.frame;
                return Verdict.RELATED;
            }
        }
        stats.error++;
        return Verdict.INVALID;
    }

    private Verdict track(Arrival a, EventSink sink) {
        advanceTo(a.nanos, sink);
        long t = Math.max(a.nanos, now);
        FrameRef frame = a.frame;
        ConntrackTuple tuple = a.tuple;
        int ipLength = a.ipLength;
        ConntrackEntry e = byTuple.get(tuple);
        if (e == null) return counted(create(t, a, sink));
        int dir = byTuple.lastDirection();
        // ctinfo is decided at lookup, before the tracker runs (nf_conntrack_core.c:resolve_normal_ct)
        boolean established = dir == 1 || e.has(Status.SEEN_REPLY);
        EnumSet<Change> changes = this.changes;
        changes.clear();
        Step step = switch (tuple.protocol()) {
            case ConntrackTuple.UDP -> udp(e, dir, t, changes);
            case ConntrackTuple.TCP -> tcp(e, dir, t, a, changes);
            default -> refresh(e, t, timeouts.forProtocol(tuple.protocol(), false));
        };
        switch (step) {
            case KILL -> {
                count(e, dir, ipLength); // nf_ct_kill_acct: counted, then deleted
                kill(e, t, frame, "only a RST answered", sink);
                return Verdict.ESTABLISHED;
            }
            case REOPEN -> {
                kill(e, t, frame, "SYN reopened a closed connection", sink);
                return counted(create(t, a, sink));
            }
            case INVALID -> {
                stats.invalid++;
                return Verdict.INVALID;
            }
            default -> {
            }
        }
        if (step != Step.IGNORED) count(e, dir, ipLength); // ignored TCP packets return before nf_ct_refresh_acct
        e.lastFrame = frame;
        helperTimeout(e, established, a.payloadLength > 0, t);
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
        String helperDrop = runHelper(e, dir, established, t, a, sink);
        if (helperDrop != null) { // dropped at confirm: its status changes wait for the next accepted packet
            e.pending.addAll(changes);
            helperDropped(e, t, frame, helperDrop, sink, false);
            return Verdict.DROPPED;
        }
        if (!e.pending.isEmpty()) {
            changes.addAll(e.pending);
            e.pending.clear();
        }
        if (!changes.isEmpty()) {
            sink.accept(new EntryUpdated(t, frame, e.view(t, true, false, false), Collections.unmodifiableSet(EnumSet.copyOf(changes))));
        }
        return step == Step.IGNORED ? Verdict.IGNORED : Verdict.ESTABLISHED;
    }

    private Verdict counted(Verdict v) {
        if (v == Verdict.INVALID) stats.invalid++;
        return v;
    }

    private Verdict create(long t, Arrival a, EventSink sink) {
        FrameRef frame = a.frame;
        ConntrackTuple tuple = a.tuple;
        // init_conntrack: a tuple that cannot be inverted (an ICMP type that is no query) gets no entry at all
        if (tuple.isIcmp() && ConntrackTuple.invertIcmpType(tuple.protocol(), tuple.icmpType()) < 0) return Verdict.INVALID;
        // allocated in PREROUTING, before routing: a full table evicts (or drops) even for a packet routing drops later
        if (!allocate(t, frame, tuple, sink)) return Verdict.DROPPED;
        if (tuple.protocol() == ConntrackTuple.TCP) {
            // nf_conntrack_proto_tcp.c:tcp_new: SYN → SYN_SENT; ACK → ESTABLISHED only with tcp_loose
            int next = TCP_TABLE[0][flagIndex(a.tcpFlags)][TcpState.NONE.ordinal()];
            if (next == IV || next == IG) return Verdict.INVALID;
            if (next == TcpState.ESTABLISHED.ordinal() && !timeouts.tcpLoose()) return Verdict.INVALID;
        } else if (tuple.isIcmp()) {
            // nf_conntrack_icmp_packet: an echo reply (or other reply) cannot create an entry
            if (!ConntrackTuple.icmpCreates(tuple.protocol(), tuple.icmpType())) return Verdict.INVALID;
        }
        // init_conntrack looks for an expectation first, and uses it up even if the packet dies later
        Expectation exp = expected(tuple, t, frame, sink);
        // only a packet that reaches POSTROUTING/LOCAL_IN confirms its entry (reference §1, §6); a dropped packet
        // whose entry would get a helper is tried through the helper, which may be what dropped it
        String helper = exp != null && exp.helper != null ? exp.helper : helpers.apply(tuple);
        boolean trial = a.egress == Arrival.Egress.DROPPED;
        if (trial && (a.payload == null || helper == null || !helperImpls.containsKey(helper))) return Verdict.DROPPED;
        NatTranslator.Result r = nat.translate(a, exp == null ? null : expectedNat(exp, tuple));
        if (trial && r.dropReason != null) return Verdict.DROPPED;
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
                EntryView v = new EntryView(0, tuple, seen.invert(), 0, null, -1, helper, -1, -1, -1, -1, -1);
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
        if (exp != null) {
            e.status |= Status.EXPECTED;
            e.master = exp.master;
        }
        e.helper = helper;
        if (e.helper != null) e.status |= Status.HELPER;
        EnumSet<Change> ignored = EnumSet.noneOf(Change.class);
        Step first = switch (tuple.protocol()) {
            case ConntrackTuple.UDP -> udp(e, 0, t, ignored);
            case ConntrackTuple.TCP -> {
                // window tracking needs sequence numbers, and the model does not know the sequence adjustment a
                // helper's rewrites cause behind NAT (nf_conntrack_seqadj.c), so those entries are tracked by flags
                if (a.tcpSequenceKnown && !(e.helper != null && e.has(Status.SRC_NAT | Status.DST_NAT))) {
                    e.seen = new ConntrackEntry.TcpWindow[] {new ConntrackEntry.TcpWindow(), new ConntrackEntry.TcpWindow()};
                }
                yield tcp(e, 0, t, a, ignored);
            }
            default -> refresh(e, t, timeouts.forProtocol(tuple.protocol(), false));
        };
        if (first != Step.ACCEPTED) {
            nextId--; // never confirmed: the unconfirmed entry dies with the packet
            return Verdict.INVALID;
        }
        count(e, 0, a.ipLength);
        helperTimeout(e, false, a.payloadLength > 0, t);
        List<ExpectationEvent> trialEvents = new ArrayList<>();
        EventSink helperSink = !trial ? sink : new EventSink() {
            @Override
            public void accept(ConntrackEvent ev) {
            }

            @Override
            public void expectation(ExpectationEvent ev) {
                trialEvents.add(ev);
            }
        };
        String helperDrop = runHelper(e, 0, false, t, a, helperSink);
        if (trial) {
            if (helperDrop != null) {
                for (ExpectationEvent ev : trialEvents) sink.expectation(ev);
            } else {
                // dropped elsewhere, before the helper ran: undo what the trial announced (evictions it caused stay)
                if (e.expecting != null) {
                    for (Expectation x : List.copyOf(e.expecting)) unlinkExpectation(x, t, frame, null, EventSink.IGNORE);
                }
                nextId--;
                return Verdict.DROPPED;
            }
        }
        if (helperDrop != null) { // never confirmed: what its helper announced goes with it
            if (e.expecting != null) {
                for (Expectation x : List.copyOf(e.expecting)) {
                    unlinkExpectation(x, t, frame, ExpectationEvent.Reason.MASTER_GONE, sink);
                }
            }
            nextId--;
            helperDropped(e, t, frame, helperDrop, sink, true);
            return Verdict.DROPPED;
        }
        insert(e);
        expiredMappings.remove(tuple);
        EntryView v = e.view(t, true, false, false);
        sink.accept(new EntryCreated(t, frame, v, e.natPort));
        for (NatTranslator.Finding f : r.findings) sink.accept(new Diverged(t, frame, v, f.kind(), f.detail()));
        return Verdict.NEW;
    }

    /**
     * The helper's own timeout policy, applied after the tracker (the helper runs at confirm, nf_conntrack_proto.c:
     * nf_confirm, and the event is delivered after it, so events show the helper's value). The SIP helper
     * ({@code sip}, or {@code sip-N} for other ports) sets the master's timeout to sip_timeout (module parameter,
     * default 3600 s): over UDP on every packet that carries data, whatever its direction and ctinfo
     * (nf_conntrack_sip.c:sip_help_udp); over TCP only on packets with data whose ctinfo is ESTABLISHED or
     * ESTABLISHED_REPLY (sip_help_tcp), so a pure ACK afterwards puts the tracker's value back (lab, sip-over-tcp: the
     * established entry showed 431997 s in conntrack -L). A set, not a maximum (__nf_ct_refresh_acct): a UDP packet
     * without data leaves the tracker's 30/120 s in place.
     */
    private boolean helperTimeout(ConntrackEntry e, boolean established, boolean hasData, long t) {
        if (!hasData || e.helper == null || !(e.helper.equals("sip") || e.helper.startsWith("sip-"))) return false;
        int proto = e.original.protocol();
        if (proto == ConntrackTuple.UDP || (proto == ConntrackTuple.TCP && established)) {
            refresh(e, t, timeouts.seconds(Timeouts.Key.SIP_TIMEOUT));
            return true;
        }
        return false;
    }

    /**
     * nf_conntrack_core.c:__nf_conntrack_alloc: the entry is counted at allocation; when the count would exceed
     * nf_conntrack_max, early_drop must free room or the packet is dropped (Verdict DROPPED, stat {@code drop}, the
     * rate-limited kernel warning {@link #TABLE_FULL_LOG}, a {@link PacketDropped} event).
     *
     * <p>The kernel's early_drop hashes the new tuple with a random seed, scans up to 8 buckets from there and deletes
     * every non-ASSURED entry of the first bucket that has one, regardless of age. The model cannot know the bucket,
     * so it evicts exactly one entry: the non-ASSURED entry nearest its deadline (ties: the oldest). One, because with
     * nf_conntrack_max = buckets (the default, nf_conntrack_init_start) a bucket holds about two tuples, i.e. usually
     * one evictable entry; nearest its deadline, because among the kernel's equally likely choices it is the one whose
     * absence from the model's table differs from the kernel's for the shortest time. ASSURED entries are never
     * evicted (early_drop_list). Each eviction is an {@link EntryKilled} with reason "early_drop" (a DESTROY with the
     * time left, like any deletion before expiry).
     */
    private boolean allocate(long t, FrameRef frame, ConntrackTuple tuple, EventSink sink) {
        long max = timeouts.conntrackMax();
        if (max <= 0 || live.size() + 1L <= max) return true;
        ConntrackEntry victim = null;
        for (ConntrackEntry c : live.values()) {
            if (c.has(Status.ASSURED)) continue;
            if (victim == null || c.deadlineNanos < victim.deadlineNanos) victim = c;
        }
        if (victim != null) {
            stats.earlyDrop++;
            kill(victim, t, frame, "early_drop", sink);
            return true;
        }
        stats.drop++;
        String log = null;
        if (stats.rateLimitAllows(t, timeouts.nanos(Timeouts.Key.MESSAGE_COST), timeouts.seconds(Timeouts.Key.MESSAGE_BURST))) {
            stats.tableFullLogged++;
            log = TABLE_FULL_LOG;
        } else {
            stats.tableFullSuppressed++;
        }
        ConntrackEntry unconfirmed = new ConntrackEntry(0, tuple, tuple.invert(), t, frame);
        sink.accept(new PacketDropped(t, frame, unconfirmed.view(t, false, false, false), "table full", log));
        return false;
    }

    /**
     * nf_nat_core.c:nf_nat_used_tuple: the reply tuple of the translated tuple is already some entry's tuple; a hit is
     * the kernel's {@code found} statistic (nf_conntrack_tuple_taken).
     */
    private boolean taken(ConntrackTuple translated) {
        boolean used = byTuple.contains(translated.invert());
        if (used) stats.found++;
        return used;
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

    private Step tcp(ConntrackEntry e, int dir, long t, Arrival a, Set<Change> changes) {
        TcpState old = e.tcpState;
        int index = flagIndex(a.tcpFlags);
        int next = TCP_TABLE[dir][index][old.ordinal()];
        boolean window = e.seen != null && a.tcpSequenceKnown;
        if (window && old == TcpState.NONE) tcpNew(e, a, next);
        if (next == SS && old.ordinal() >= TW) {
            // RFC 1122 reopen: after a FIN close or our own last RST, kill and look up again (NF_REPEAT)
            if (e.closeInit || (e.lastDir == dir && e.lastIndex == I_RST)) return Step.REOPEN;
            next = IG;
        }
        if (next == IG) {
            e.lastDir = dir;
            e.lastIndex = index;
            if (window) {
                e.lastSeq = a.tcpSeq;
                e.lastEnd = segmentEnd(a);
                e.lastWin = a.tcpWindow;
            }
            return Step.IGNORED; // accepted, no state change, no refresh
        }
        if (next == IV) return Step.INVALID;
        if (window) {
            switch (inWindow(e, dir, index, a)) {
                case IGNORE -> {
                    return Step.IGNORED; // accepted without any update (not even last_dir/last_index)
                }
                case INVALID -> {
                    handleInvalid(e, dir, index, t);
                    return Step.INVALID;
                }
                default -> {
                }
            }
        }
        TcpState state = TcpState.values()[next];
        boolean retransmittedSyn = index == I_SYN && dir == 0 && e.lastDir == 0 && e.lastIndex == I_SYN
                && old == TcpState.SYN_SENT;
        e.lastDir = dir;
        e.lastIndex = index;
        e.tcpState = state;
        if (old != state && state == TcpState.FIN_WAIT) e.closeInit = true;
        long timeout = tcpTimeout(e, state, index);
        if (old != state && old != TcpState.NONE) changes.add(Change.STATE);
        if (!e.has(Status.SEEN_REPLY)) {
            if (index == I_RST && old != TcpState.NONE) return Step.KILL; // the only answer was a RST
            // "do not renew timeout on SYN retransmission": NF_ACCEPT before nf_ct_refresh_acct, so it is not counted
            // either (lab, leaked-private-source: three SYN retransmissions left packets=1 in conntrack -L)
            if (retransmittedSyn) return Step.IGNORED;
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

    /**
     * nf_conntrack_tcp_packet's timeout choice: the state's value, capped at nf_conntrack_tcp_timeout_max_retrans once
     * nf_conntrack_tcp_max_retrans identical segments were retransmitted; the close timeout after a RST; capped at
     * nf_conntrack_tcp_timeout_unacknowledged while either side has data the other has not acknowledged; capped at
     * max_retrans again while the last window advertised was zero. The caps need window tracking (sequence numbers);
     * without it only the state and RST rules apply.
     */
    private long tcpTimeout(ConntrackEntry e, TcpState state, int index) {
        long stateTimeout = timeouts.tcp(state);
        long retrans = timeouts.seconds(Timeouts.Key.TCP_MAX_RETRANS);
        long unack = timeouts.seconds(Timeouts.Key.TCP_UNACKNOWLEDGED);
        boolean window = e.seen != null;
        if (window && e.retrans >= timeouts.seconds(Timeouts.Key.TCP_MAX_RETRANS_COUNT) && stateTimeout > retrans) {
            return retrans;
        }
        if (index == I_RST) return timeouts.seconds(Timeouts.Key.TCP_CLOSE);
        if (window && ((e.seen[0].flags | e.seen[1].flags) & TCP_DATA_UNACKNOWLEDGED) != 0 && stateTimeout > unack) {
            return unack;
        }
        if (window && e.lastWin == 0 && stateTimeout > retrans) return retrans;
        return stateTimeout;
    }

    // ---- TCP window tracking (nf_conntrack_proto_tcp.c:tcp_new, tcp_in_window, nf_tcp_handle_invalid)

    /** struct ip_ct_tcp_state flags (include/uapi/linux/netfilter/nf_conntrack_tcp.h) */
    static final int TCP_WINDOW_SCALE = 0x01, TCP_SACK_PERM = 0x02, TCP_BE_LIBERAL = 0x08,
            TCP_DATA_UNACKNOWLEDGED = 0x10, TCP_MAXACK_SET = 0x20;
    /** MAXACKWINCONST: the lower bound for valid ACKs reaches at least this far back */
    private static final int MAX_ACK_WIN_CONST = 66000;

    private enum Window {
        ACCEPT, IGNORE, INVALID
    }

    private static boolean before(int a, int b) {
        return a - b < 0;
    }

    private static boolean after(int a, int b) {
        return b - a < 0;
    }

    /** segment_seq_plus_len: the sequence number after this segment (SYN and FIN count one each). */
    private static int segmentEnd(Arrival a) {
        return a.tcpSeq + a.tcpDataLength + ((a.tcpFlags & 0x02) != 0 ? 1 : 0) + ((a.tcpFlags & 0x01) != 0 ? 1 : 0);
    }

    /** tcp_new: the originator's side from the first packet; a picked-up connection is liberal in both directions. */
    private void tcpNew(ConntrackEntry e, Arrival a, int next) {
        ConntrackEntry.TcpWindow s = e.seen[0];
        s.end = segmentEnd(a);
        s.maxWin = a.tcpWindow == 0 ? 1 : a.tcpWindow;
        if (next == SS) {
            s.maxEnd = s.end;
            tcpOptions(s, a);
        } else {
            s.maxEnd = s.end + s.maxWin;
            e.seen[0].flags = e.seen[1].flags = TCP_SACK_PERM | TCP_BE_LIBERAL;
        }
    }

    /** tcp_options: window scale and SACK-permitted, reset only when the segment has options at all. */
    private static void tcpOptions(ConntrackEntry.TcpWindow s, Arrival a) {
        if (a.tcpOptionsLength <= 0) return;
        s.scale = 0;
        s.flags &= TCP_BE_LIBERAL;
        if (a.tcpSackPermitted) s.flags |= TCP_SACK_PERM;
        if (a.tcpWindowScale >= 0) {
            s.scale = a.tcpWindowScale;
            s.flags |= TCP_WINDOW_SCALE;
        }
    }

    /** tcp_init_sender: a SYN/ACK (or SYN) sets the sender's side; scaling only if both sides offered it. */
    private static void initSender(ConntrackEntry.TcpWindow sender, ConntrackEntry.TcpWindow receiver, Arrival a,
                                   int end, int win, int dir) {
        sender.end = sender.maxEnd = end;
        sender.maxWin = win == 0 ? 1 : win;
        tcpOptions(sender, a);
        if (dir == 1 && !((sender.flags & TCP_WINDOW_SCALE) != 0 && (receiver.flags & TCP_WINDOW_SCALE) != 0)) {
            sender.scale = 0;
            receiver.scale = 0;
        }
    }

    private static int maxAckWindow(ConntrackEntry.TcpWindow sender) {
        return Integer.compareUnsigned(sender.maxWin, MAX_ACK_WIN_CONST) > 0 ? sender.maxWin : MAX_ACK_WIN_CONST;
    }

    /** nf_tcp_log_invalid: a liberal side (picked up, or nf_conntrack_tcp_be_liberal=1) accepts whatever failed. */
    private Window failed(ConntrackEntry.TcpWindow sender, Window verdict) {
        return (sender.flags & TCP_BE_LIBERAL) != 0 || timeouts.tcpBeLiberal() ? Window.ACCEPT : verdict;
    }

    /**
     * tcp_in_window without NAT sequence adjustment: I. seq ≤ sender's max end (else invalid, or ignored when only the
     * receiver's window was overshot), III. (s)ack ≤ receiver's end (else invalid), II. end ≥ sender's end − receiver's
     * max window and IV. (s)ack ≥ receiver's end − MAXACKWINDOW (else ignored); then the sender's and receiver's
     * edges, the data-unacknowledged flags and the retransmission count (identical ACK-class segments in a row).
     */
    private Window inWindow(ConntrackEntry e, int dir, int index, Arrival a) {
        ConntrackEntry.TcpWindow sender = e.seen[dir], receiver = e.seen[1 - dir];
        boolean syn = (a.tcpFlags & 0x02) != 0, hasAck = (a.tcpFlags & 0x10) != 0, rst = (a.tcpFlags & 0x04) != 0;
        int seq = a.tcpSeq, ack = a.tcpAck, sack = ack;
        int win = a.tcpWindow;
        int end = segmentEnd(a);
        if ((receiver.flags & TCP_SACK_PERM) != 0) sack = a.tcpSack;
        if (sender.maxWin == 0) {
            if (syn) {
                initSender(sender, receiver, a, end, win, dir);
                if (!hasAck) return Window.ACCEPT; // simultaneous open
            } else {
                // mid-connection: the history is lost, take what the packet shows
                sender.end = end;
                int swin = win << sender.scale;
                sender.maxWin = swin == 0 ? 1 : swin;
                sender.maxEnd = end + sender.maxWin;
                if (receiver.maxWin == 0) {
                    receiver.end = receiver.maxEnd = sack;
                } else if (sack == receiver.end + 1) {
                    receiver.end++; // likely the answer to a keep-alive
                }
            }
        } else if (syn && after(end, sender.end)
                && (e.tcpState == TcpState.SYN_SENT || e.tcpState == TcpState.SYN_RECV)) {
            initSender(sender, receiver, a, end, win, dir); // a reinitialised TCP (RFC 793)
            if (dir == 1 && !hasAck) return Window.ACCEPT;
        }
        if (!hasAck) {
            ack = sack = receiver.end;
        } else if (rst && ack == 0) {
            ack = sack = receiver.end; // broken stacks: RST+ACK with ack 0
        }
        if (rst && seq == 0 && e.tcpState == TcpState.SYN_SENT) seq = end = sender.end; // RST answering the SYN
        if (!before(seq, sender.maxEnd + 1)) {
            int overshot = end - sender.maxEnd + 1;
            boolean ackOk = after(sack, receiver.end - maxAckWindow(sender) - 1);
            boolean inReceiverWindow = receiver.maxWin != 0 && after(end, sender.end - receiver.maxWin - 1);
            if (inReceiverWindow && ackOk && Integer.compareUnsigned(overshot, receiver.maxWin) <= 0
                    && before(sack, receiver.end + 1)) {
                sender.end = end; // "bytes more than expected": let a later ACK of it update the state
                sender.flags |= TCP_DATA_UNACKNOWLEDGED;
                return failed(sender, Window.IGNORE);
            }
            return failed(sender, Window.INVALID); // SEQ is over the upper bound
        }
        if (!before(sack, receiver.end + 1)) return failed(sender, Window.INVALID); // ACKed data not seen yet
        boolean inReceiverWindow = receiver.maxWin == 0 || after(end, sender.end - receiver.maxWin - 1);
        if (!inReceiverWindow) return failed(sender, Window.IGNORE); // already ACKed data retransmitted
        if (!after(sack, receiver.end - maxAckWindow(sender) - 1)) return failed(sender, Window.IGNORE); // old ACK
        if (!syn) win <<= sender.scale;
        int swin = win + (sack - ack);
        if (Integer.compareUnsigned(sender.maxWin, swin) < 0) sender.maxWin = swin;
        if (after(end, sender.end)) {
            sender.end = end;
            sender.flags |= TCP_DATA_UNACKNOWLEDGED;
        }
        if (hasAck) {
            if ((sender.flags & TCP_MAXACK_SET) == 0) {
                sender.maxAck = ack;
                sender.flags |= TCP_MAXACK_SET;
            } else if (after(ack, sender.maxAck)) {
                sender.maxAck = ack;
            }
        }
        if (receiver.maxWin != 0 && after(end, sender.maxEnd)) receiver.maxWin += end - sender.maxEnd;
        if (after(sack + win, receiver.maxEnd - 1)) {
            receiver.maxEnd = sack + win;
            if (win == 0) receiver.maxEnd++;
        }
        if (ack == receiver.end) receiver.flags &= ~TCP_DATA_UNACKNOWLEDGED;
        if (index == I_ACK) {
            if (e.lastDir == dir && e.lastSeq == seq && e.lastAck == ack && e.lastEnd == end
                    && e.lastWin == a.tcpWindow) {
                e.retrans++;
            } else {
                e.lastSeq = seq;
                e.lastAck = ack;
                e.lastEnd = end;
                e.lastWin = a.tcpWindow;
                e.retrans = 0;
            }
        }
        return Window.ACCEPT;
    }

    /**
     * nf_tcp_handle_invalid: an out-of-window FIN or RST answering an out-of-window FIN or RST from the other side
     * shrinks an ASSURED entry's remaining time to the unacknowledged timeout (if it had at least 120 s and more than
     * that left); otherwise it is only remembered.
     */
    private void handleInvalid(ConntrackEntry e, int dir, int index, long t) {
        if (!e.has(Status.ASSURED) || e.has(Status.FIXED_TIMEOUT)) return;
        if (index != I_RST && index != I_FIN) return;
        if (e.lastDir != dir && (e.lastIndex == I_FIN || e.lastIndex == I_RST)) {
            long left = e.deadlineNanos - t;
            long unack = timeouts.seconds(Timeouts.Key.TCP_UNACKNOWLEDGED);
            if (left < 120 * SECOND) return;
            if (left > unack * SECOND) refresh(e, t, unack);
        } else {
            e.lastIndex = index;
            e.lastDir = dir;
        }
    }

    // ---- table plumbing

    private enum Step {
        ACCEPTED, IGNORED, INVALID, KILL, REOPEN
    }

    private Step refresh(ConntrackEntry e, long t, long seconds) {
        e.deadlineNanos = t + seconds * SECOND;
        if (e.inTable && e.deadlineNanos < e.timerKey()) schedule(e, e.deadlineNanos);
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
        e.inTable = true;
        byTuple.add(e);
        // nf_nat_setup_info adds SRC-manipulated entries (null bindings too) at the head of the by-source chain
        bySource.computeIfAbsent(new SourceKey(e.original), k -> new ArrayList<>(1)).add(0, e);
        schedule(e, e.deadlineNanos);
        stats.entries(live.size(), e.firstNanos);
    }

    private void remove(ConntrackEntry e, long t, FrameRef frame, EventSink sink) {
        // clean_from_lists → nf_ct_remove_expectations: its expectations go with it, newest first
        if (e.expecting != null) {
            for (Expectation x : List.copyOf(e.expecting)) {
                unlinkExpectation(x, t, frame, ExpectationEvent.Reason.MASTER_GONE, sink);
            }
        }
        live.remove(e.id);
        e.inTable = false;
        byTuple.remove(e);
        SourceKey k = new SourceKey(e.original);
        List<ConntrackEntry> same = bySource.get(k);
        if (same != null) {
            same.remove(e);
            if (same.isEmpty()) bySource.remove(k);
        }
        e.timerSeq = -1;
        stats.entries(live.size(), now);
    }

    private EntryView kill(ConntrackEntry e, long t, FrameRef frame, String reason, EventSink sink) {
        remove(e, t, frame, sink);
        // ctnetlink_dump_timeout(skb, ct, true) on destroy: the time left is printed unless it is 0
        boolean left = e.deadlineNanos - t >= SECOND;
        EntryView v = e.view(t, left, timeouts.accounting(), timeouts.timestamps());
        sink.accept(new EntryKilled(t, frame, v, reason));
        return v;
    }

    private long timerSeq;

    /**
     * A helper dropped the packet: the {@link PacketDropped} event with the line nf_ct_helper_log prints through the
     * packet logger ({@code "nf_ct_sip: dropping packet: all ports in use for SDP media "}, then the LOG fields, which
     * only appear when a log backend is bound), and for a new entry the picture of the entry that was never confirmed.
     */
    private void helperDropped(ConntrackEntry e, long t, FrameRef frame, String reason, EventSink sink, boolean unconfirmed) {
        EntryView v = unconfirmed ? new EntryView(0, e.original, e.reply, e.status & ~Status.CONFIRMED, e.tcpState() == null
                ? null : e.tcpState.name(), -1, e.helper, -1, -1, -1, -1, -1) : e.view(t, true, false, false);
        StringBuilder log = new StringBuilder();
        for (String line : reason.split("\n")) {
            if (log.length() > 0) log.append('\n');
            log.append("nf_ct_").append(e.helper).append(": dropping packet: ").append(line).append(' ');
        }
        sink.accept(new PacketDropped(t, frame, v, "helper " + e.helper + ": " + reason.replace("\n", "; "),
                log.toString()));
    }

    // ---- expectations (nf_conntrack_expect.c)

    private record ExpectTimer(long key, long seq, Expectation exp) implements Comparable<ExpectTimer> {
        @Override
        public int compareTo(ExpectTimer o) {
            return key != o.key ? Long.compare(key, o.key) : Long.compare(exp.id, o.exp.id);
        }
    }

    private void scheduleExpect(Expectation x) {
        x.timerSeq = ++timerSeq;
        expectTimers.add(new ExpectTimer(x.deadlineNanos, x.timerSeq, x));
    }

    /** nf_ct_unlink_expect_report: out of the table and its master's list, with a [DESTROY] event. */
    private void unlinkExpectation(Expectation x, long t, FrameRef frame, ExpectationEvent.Reason reason, EventSink sink) {
        if (!x.inTable) return;
        x.inTable = false;
        expectations.remove(x);
        if (x.master.expecting != null) x.master.expecting.remove(x);
        x.timerSeq = -1;
        sink.expectation(new ExpectationEvent.ExpectationRemoved(t, frame, x.view(t, true), reason));
    }

    /**
     * nf_ct_expect_related → __nf_ct_expect_check and nf_ct_expect_insert: an identical expectation (same tuple and
     * mask) of the same master and class is replaced, of another master or class refused (-EALREADY, when the
     * masters are compared or {@code skipMaster}); an overlapping one refused (-EBUSY); a master at its class's
     * max_expected loses its oldest of the class first (-EMFILE if that does not help); a full table refuses
     * (-EMFILE, "nf_conntrack: expectation table full"). The timeout is the class policy's.
     */
    private int expectRelated(Expectation exp, boolean skipMaster, long t, FrameRef frame, EventSink sink) {
        Helper h = exp.master.helper == null ? null : helperImpls.get(exp.master.helper);
        if (h == null) return HelperContext.EMFILE;
        for (Expectation i : List.copyOf(expectations)) {
            if ((skipMaster || i.master == exp.master) && i.sameAs(exp)) {
                if (i.klass != exp.klass || i.master != exp.master) return HelperContext.EALREADY;
                unlinkExpectation(i, t, frame, ExpectationEvent.Reason.REPLACED, sink);
            } else if (i.clashesWith(exp)) {
                return HelperContext.EBUSY;
            }
        }
        Helper.ExpectPolicy p = h.policies().get(exp.klass);
        if (p.maxExpected() > 0 && expecting(exp.master, exp.klass) >= p.maxExpected()) {
            Expectation oldest = null; // evict_oldest_expect: the last of the class in the newest-first list
            for (Expectation x : exp.master.expecting) if (x.klass == exp.klass) oldest = x;
            if (oldest != null) unlinkExpectation(oldest, t, frame, ExpectationEvent.Reason.EVICTED, sink);
            if (expecting(exp.master, exp.klass) >= p.maxExpected()) return HelperContext.EMFILE;
        }
        if (expectations.size() >= timeouts.seconds(Timeouts.Key.EXPECT_MAX)) {
            stats.expectTableFull++;
            return HelperContext.EMFILE;
        }
        exp.id = nextExpectId++;
        exp.deadlineNanos = t + p.timeoutSeconds() * SECOND;
        exp.inTable = true;
        expectations.add(exp);
        if (exp.master.expecting == null) exp.master.expecting = new ArrayList<>(4);
        exp.master.expecting.add(0, exp);
        scheduleExpect(exp);
        sink.expectation(new ExpectationEvent.ExpectationCreated(t, frame, exp.view(t, true)));
        return 0;
    }

    private static int expecting(ConntrackEntry master, int klass) {
        int n = 0;
        if (master.expecting != null) for (Expectation x : master.expecting) if (x.klass == klass) n++;
        return n;
    }

    /**
     * nf_ct_find_expectation for a new connection: the newest active expectation that matches it; a non-PERMANENT
     * one is used up.
     */
    private Expectation expected(ConntrackTuple tuple, long t, FrameRef frame, EventSink sink) {
        if (expectations.isEmpty()) return null;
        for (int i = expectations.size() - 1; i >= 0; i--) {
            Expectation x = expectations.get(i);
            if ((x.flags & Expectation.INACTIVE) != 0 || !x.matches(tuple) || !x.master.inTable) continue;
            if ((x.flags & Expectation.PERMANENT) == 0) {
                unlinkExpectation(x, t, frame, ExpectationEvent.Reason.USED, sink);
            }
            return x;
        }
        return null;
    }

    /**
     * nf_nat_sip_expected and the like: the NAT an expectation's connection gets before any rule, or null when it
     * leaves the connection to the rules. DST to the saved address and port; SRC to the paired expectation's
     * destination (media), else to where the master sends, when the connection comes from the master's source.
     */
    private NatTranslator.Preset expectedNat(Expectation x, ConntrackTuple tuple) {
        if (!x.natRedirect) return null;
        NatTranslator.Preset p = new NatTranslator.Preset();
        p.dstHi = x.savedHi;
        p.dstLo = x.savedLo;
        p.dstPort = x.savedPort;
        ConntrackEntry m = x.master;
        if (!"signalling".equals(x.className) && m.expecting != null) {
            for (Expectation pair : m.expecting) {
                if (pair.protocol == tuple.protocol() && pair.natRedirect && pair.savedHi == tuple.srcHi()
                        && pair.savedLo == tuple.srcLo() && pair.savedPort == tuple.srcPort()) {
                    p.snat = true;
                    p.srcHi = pair.dstHi;
                    p.srcLo = pair.dstLo;
                    p.srcPort = pair.dstPort;
                    return p;
                }
            }
        }
        ConntrackTuple from = x.dir == 0 ? m.original : m.reply, to = x.dir == 0 ? m.reply : m.original;
        if (tuple.srcHi() == from.srcHi() && tuple.srcLo() == from.srcLo()) {
            p.snat = true;
            p.srcHi = to.dstHi();
            p.srcLo = to.dstLo();
            p.srcPort = -1; // NF_NAT_RANGE_MAP_IPS only: the port is kept when free
        }
        return p;
    }

    // ---- helpers (nf_conntrack_helper.c; the helper itself through the Helper interface)

    /**
     * Runs the entry's helper on a packet, if it has one the model knows and the packet carries a payload. Returns
     * the helper's drop reason (the packet and, for a new entry, the entry are dropped), or null.
     */
    private String runHelper(ConntrackEntry e, int dir, boolean established, long t, Arrival a, EventSink sink) {
        if (e.helper == null || a.payload == null) return null;
        Helper h = helperImpls.get(e.helper);
        if (h == null) return null;
        Call call = new Call(e, dir, established, t, a, sink);
        boolean accepted = h.help(call);
        a.helperPayload = call.payload;
        return accepted ? null : (call.dropReason == null ? "dropped by helper " + e.helper : call.dropReason);
    }

    /** One helper call's view of the model. */
    private final class Call implements HelperContext {
        private final ConntrackEntry e;
        private final int dir;
        private final boolean established;
        private final long t;
        private final Arrival a;
        private final EventSink sink;
        byte[] payload;
        String dropReason;

        Call(ConntrackEntry e, int dir, boolean established, long t, Arrival a, EventSink sink) {
            this.e = e;
            this.dir = dir;
            this.established = established;
            this.t = t;
            this.a = a;
            this.sink = sink;
            this.payload = a.payload;
        }

        @Override
        public ConntrackEntry entry() {
            return e;
        }

        @Override
        public int dir() {
            return dir;
        }

        @Override
        public boolean established() {
            return established;
        }

        @Override
        public long nanos() {
            return t;
        }

        @Override
        public FrameRef frame() {
            return a.frame;
        }

        @Override
        public byte[] payload() {
            return payload;
        }

        @Override
        public void rewrite(byte[] p) {
            payload = p;
        }

        @Override
        public byte[] observedPayload() {
            return a.observedPayload;
        }

        @Override
        public long setting(Timeouts.Key key) {
            return timeouts.seconds(key);
        }

        @Override
        public void refresh(long seconds) {
            ConntrackModel.this.refresh(e, t, seconds);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T data(java.util.function.Supplier<T> create) {
            if (e.helperData == null) e.helperData = create.get();
            return (T) e.helperData;
        }

        @Override
        public List<Expectation> expectations() {
            return e.expecting == null ? List.of() : List.copyOf(e.expecting);
        }

        @Override
        public int expectRelated(Expectation exp, boolean skipMaster) {
            return ConntrackModel.this.expectRelated(exp, skipMaster, t, a.frame, sink);
        }

        @Override
        public boolean removeExpectation(Expectation exp) {
            if (!exp.inTable) return false;
            unlinkExpectation(exp, t, a.frame, ExpectationEvent.Reason.REMOVED, sink);
            return true;
        }

        @Override
        public Expectation findExpectation(int protocol, boolean srcAny, long srcHi, long srcLo, long dstHi, long dstLo,
                                          int dstPort) {
            for (int i = expectations.size() - 1; i >= 0; i--) {
                Expectation x = expectations.get(i);
                if (x.protocol == protocol && x.dstHi == dstHi && x.dstLo == dstLo && x.dstPort == dstPort
                        && (x.srcAny || !srcAny && x.srcHi == srcHi && x.srcLo == srcLo)) {
                    return x;
                }
            }
            return null;
        }

        @Override
        public boolean refreshExpectation(Expectation exp, long seconds) {
            if (!exp.inTable) return false;
            exp.deadlineNanos = t + seconds * SECOND;
            exp.flags &= ~Expectation.INACTIVE;
            scheduleExpect(exp);
            return true;
        }

        @Override
        public void drop(String reason) {
            dropReason = dropReason == null ? reason : dropReason + "\n" + reason;
        }
    }

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
