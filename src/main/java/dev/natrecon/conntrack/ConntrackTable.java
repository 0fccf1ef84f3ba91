package dev.natrecon.conntrack;

import dev.natrecon.conntrack.ConntrackEvent.EntryExpired;
import dev.natrecon.conntrack.ConntrackEvent.EntryKilled;
import dev.natrecon.conntrack.ConntrackEvent.PacketDropped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The table half of nf_conntrack_core.c: the tuple hash and the NAT by-source hash (nf_nat_core.c:nf_nat_bysource),
 * insert at confirm, delete (clean_from_lists with its expectations), per-entry timers fired in deadline order
 * before the packet that passes them (nf_ct_is_expired), refresh and accounting (__nf_ct_refresh_acct), the table
 * limit nf_conntrack_max with early drop (__nf_conntrack_alloc), the {@code conntrack -S} counters, and
 * nf_conntrack_tuple_taken for NAT's port choice. Model time lives here and never runs backwards.
 */
final class ConntrackTable implements NatTranslator.Table {
    /** Nanoseconds per second: timeouts are kept in seconds, as the sysctls give them. */
    static final long SECOND = 1_000_000_000L;
    /**
     * How many expired entries' mappings the model remembers to recognise {@link Divergence#EXPIRED_MAPPING_USED}:
     * a bound on the model's memory, not a kernel value (the kernel forgets an entry when it is freed).
     */
    static final int EXPIRED_MEMORY = 4096;
    /** Stale timers tolerated beyond twice the live entries before they are swept (a bound on memory, not a kernel value). */
    private static final int TIMER_SLACK = 4096;

    private final Timeouts timeouts;
    private final ExpectationTable expectations;
    private final ConntrackStats stats;
    private final TupleIndex byTuple = new TupleIndex();
    private final Map<AddressPort, List<ConntrackEntry>> bySource = new HashMap<>();
    private final Map<Long, ConntrackEntry> live = new LinkedHashMap<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final EarlyDropQueue earlyDrop = new EarlyDropQueue();
    private final ExpiredMappings expiredMappings = new ExpiredMappings(EXPIRED_MEMORY);
    private final TableCounts counts = new TableCounts();
    private long nextId = 1;
    /** Changes of {@link #byTuple} (insert, rekey, remove): a remembered lookup holds while this stays the same. */
    private long indexVersion;
    /** The last {@link #tupleOf}: its tuple, the entry holding it (or none) and in which direction, at which version. */
    private ConntrackTuple memoTuple;
    private ConntrackEntry memoEntry;
    private int memoDirection;
    private long memoVersion = -1;
    /** Direction of the last {@link #find} that hit. */
    private int direction;
    private long now = Long.MIN_VALUE;
    private long timerSeq;

    ConntrackTable(Timeouts timeouts, ExpectationTable expectations, ConntrackStats stats) {
        this.timeouts = timeouts;
        this.expectations = expectations;
        this.stats = stats;
    }

    Timeouts timeouts() {
        return timeouts;
    }

    long now() {
        return now;
    }

    /** The live entries counted by protocol and status, kept as entries come, change and go. */
    TableCounts counts() {
        return counts;
    }

    /** Sets status {@code bit} on {@code e}, counted when the entry is live (the only way bits are set after insert). */
    void setStatus(ConntrackEntry e, int bit) {
        if (e.has(bit)) return;
        if (e.inTable) counts.gaining(bit);
        e.status |= bit;
    }

    /** Live entries in order of creation. */
    Collection<ConntrackEntry> entries() {
        return Collections.unmodifiableCollection(live.values());
    }

    /** Live entries, copied: for the loops that delete while they walk (masquerade flushes). */
    List<ConntrackEntry> snapshot() {
        return List.copyOf(live.values());
    }

    /** The entry holding {@code tuple} in either direction, or null; {@link #lastDirection()} tells which. */
    ConntrackEntry find(ConntrackTuple tuple) {
        if (tuple == memoTuple && indexVersion == memoVersion) { // the packet's tuple, looked up by tupleOf
            direction = memoEntry == null ? byTuple.lastDirection() : memoDirection;
            return memoEntry;
        }
        ConntrackEntry e = byTuple.get(tuple);
        direction = byTuple.lastDirection();
        return e;
    }

    /** 0 when the last {@link #find} hit the original tuple, 1 the reply tuple (NF_CT_DIRECTION). */
    int lastDirection() {
        return direction;
    }

    /**
     * The tuple with these fields (normalised as {@link Arrival#tuple}): the live entry's own when one holds it, else
     * a new one; either way the answer is remembered, so the lookups of the same packet that follow ({@link #find} of
     * this tuple, until the index changes) cost nothing and a packet of a live flow allocates no tuple.
     */
    ConntrackTuple tupleOf(int protocol, long srcHi, long srcLo, long dstHi, long dstLo, int srcPort, int dstPort,
                           int icmpType, int icmpCode, int icmpId) {
        return tupleOf(null, protocol, srcHi, srcLo, dstHi, dstLo, srcPort, dstPort, icmpType, icmpCode, icmpId);
    }

    /**
     * {@link #tupleOf(int, long, long, long, long, int, int, int, int, int)} for a packet whose fields are the flow
     * {@code flow}'s ({@link FlowAnswer}; null: none): the answer kept for the flow when the index has not changed
     * since, else the index's (then kept).
     */
    ConntrackTuple tupleOf(FlowAnswer flow, int protocol, long srcHi, long srcLo, long dstHi, long dstLo, int srcPort,
                           int dstPort, int icmpType, int icmpCode, int icmpId) {
        if (flow == null) return lookUp(protocol, srcHi, srcLo, dstHi, dstLo, srcPort, dstPort, icmpType, icmpCode, icmpId);
        ConntrackTuple kept = keptTuple(flow);
        if (kept != null) return kept;
        ConntrackTuple t = lookUp(protocol, srcHi, srcLo, dstHi, dstLo, srcPort, dstPort, icmpType, icmpCode, icmpId);
        flow.owner = this;
        flow.version = indexVersion + 1;
        flow.tuple = t;
        flow.entry = memoEntry;
        flow.direction = memoEntry == null ? 0 : memoDirection;
        return t;
    }

    /**
     * The tuple kept for the flow {@code flow} ({@link FlowAnswer}, not null) when the index has not changed since,
     * remembered as {@link #tupleOf} would; else null (ask {@link #tupleOf}). One argument: C1 passes it in a register
     * and inlines the check, where the eleven of {@link #tupleOf} go through the stack on every packet.
     */
    ConntrackTuple keptTuple(FlowAnswer flow) {
        if (flow.version != indexVersion + 1 || flow.owner != this) return null;
        memoEntry = flow.entry;
        memoDirection = flow.direction;
        memoVersion = indexVersion;
        return memoTuple = flow.tuple;
    }

    private ConntrackTuple lookUp(int protocol, long srcHi, long srcLo, long dstHi, long dstLo, int srcPort,
                                  int dstPort, int icmpType, int icmpCode, int icmpId) {
        boolean ports = (protocol == ConntrackTuple.TCP || protocol == ConntrackTuple.UDP) && (srcPort | dstPort) >>> 16 == 0;
        if (!ports) { // ICMP and other protocols (and ports out of range): made, then looked up as any tuple
            ConntrackTuple t = Arrival.tuple(protocol, srcHi, srcLo, dstHi, dstLo, srcPort, dstPort, icmpType, icmpCode,
                    icmpId);
            memoEntry = byTuple.get(t);
            memoDirection = byTuple.lastDirection();
            memoTuple = t;
            memoVersion = indexVersion;
            return t;
        }
        ConntrackEntry e = byTuple.getPorts(srcHi, srcLo, dstHi, dstLo,
                (long) protocol << 32 | (long) srcPort << 16 | dstPort);
        ConntrackTuple t;
        if (e == null) {
            t = ConntrackTuple.ports(protocol, srcHi, srcLo, dstHi, dstLo, srcPort, dstPort);
        } else {
            memoDirection = byTuple.lastDirection();
            t = memoDirection == 0 ? e.original : e.reply;
        }
        memoTuple = t;
        memoEntry = e;
        memoVersion = indexVersion;
        return t;
    }

    /** The next entry number; {@link #unallocate()} gives it back when the entry is never confirmed. */
    long allocateId() {
        return nextId++;
    }

    void unallocate() {
        nextId--;
    }

    /**
     * Moves model time to {@code nanos} (never backwards) and expires every entry and expectation whose deadline is
     * at or before it, in deadline order (ties: entries first, then by number).
     */
    void advanceTo(long nanos, EventSink sink) {
        if (nanos < now) return; // out-of-order input: the caller's merge decides; time never runs backwards
        now = nanos;
        while (true) {
            Timer ct = timers.peek();
            boolean entryDue = ct != null && ct.key <= nanos, expectDue = expectations.due(nanos);
            if (!entryDue && !expectDue) return;
            if (expectDue && (!entryDue || expectations.nextDeadline() < ct.key)) {
                expectations.expireNext(sink);
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
            expiredMappings.expired(e.original, e.reply); // the latest expiry of a tuple counts, evicted last
            sink.accept(new EntryExpired(e.deadlineNanos, e.lastFrame, e.view(e.deadlineNanos, false,
                    timeouts.accounting(), timeouts.timestamps())));
        }
    }

    /**
     * __nf_conntrack_alloc: the entry is counted at allocation; when the count would exceed nf_conntrack_max,
     * early_drop must free room or the packet is dropped (stat {@code drop}, the rate-limited kernel warning
     * {@link ConntrackModel#TABLE_FULL_LOG}, a {@link PacketDropped} event).
     *
     * <p>The kernel's early_drop hashes the new tuple with a random seed, scans up to 8 buckets from there and deletes
     * every non-ASSURED entry of the first bucket that has one, regardless of age. The model cannot know the bucket,
     * so it evicts exactly one entry: the non-ASSURED entry nearest its deadline (ties: the oldest). One, because with
     * nf_conntrack_max = buckets (the default, nf_conntrack_init_start) a bucket holds about two tuples, i.e. usually
     * one evictable entry; nearest its deadline, because among the kernel's equally likely choices it is the one whose
     * absence from the model's table differs from the kernel's for the shortest time. ASSURED entries are never
     * evicted (early_drop_list). Each eviction is an {@link EntryKilled} with reason "early_drop". The victim is found
     * in O(log n) ({@link EarlyDropQueue}), as the kernel's bounded search costs the same for any table size.
     */
    boolean allocate(long t, FrameRef frame, ConntrackTuple tuple, EventSink sink) {
        long max = timeouts.conntrackMax();
        if (max <= 0 || live.size() + 1L <= max) return true;
        ConntrackEntry victim = earlyDrop.victim();
        if (victim != null) {
            stats.earlyDrop++;
            kill(victim, t, frame, "early_drop", sink);
            return true;
        }
        stats.drop++;
        String log = null;
        if (stats.rateLimitAllows(t, timeouts.nanos(Timeouts.Key.MESSAGE_COST), timeouts.seconds(Timeouts.Key.MESSAGE_BURST))) {
            stats.tableFullLogged++;
            log = ConntrackModel.TABLE_FULL_LOG;
        } else {
            stats.tableFullSuppressed++;
        }
        ConntrackEntry unconfirmed = new ConntrackEntry(0, tuple, tuple.invert(), t, frame);
        sink.accept(new PacketDropped(t, frame, unconfirmed.view(t, false, false, false), "table full", log));
        return false;
    }

    /**
     * __nf_ct_refresh_acct's timeout half: the entry dies {@code seconds} from {@code t}; {@code setting} is where the
     * value came from (the entry's timeout in force, {@link ConntrackEntry#timeoutSetting()}).
     */
    TrackStep refresh(ConntrackEntry e, long t, long seconds, Timeouts.Key setting) {
        e.deadlineNanos = t + seconds * SECOND;
        e.timeoutSeconds = seconds;
        e.timeoutSetting = setting;
        if (e.inTable && e.deadlineNanos < e.timerKey()) schedule(e, e.deadlineNanos);
        earlyDrop.refreshed(e);
        return TrackStep.ACCEPTED;
    }

    /** nf_ct_acct_update: the packet and its IP length counted in its direction. */
    void count(ConntrackEntry e, int dir, int ipLength) {
        if (dir == 0) {
            e.origPackets++;
            e.origBytes += Math.max(0, ipLength);
        } else {
            e.replyPackets++;
            e.replyBytes += Math.max(0, ipLength);
        }
    }

    /** __nf_conntrack_confirm → __nf_conntrack_hash_insert, and nf_nat_setup_info's by-source insert. */
    void insert(ConntrackEntry e) {
        live.put(e.id, e);
        if (!e.inTable) counts.inserted(e);
        e.inTable = true;
        indexVersion++;
        byTuple.add(e);
        // nf_nat_setup_info adds SRC-manipulated entries (null bindings too) at the head of the by-source chain
        bySource.computeIfAbsent(source(e.original), k -> new ArrayList<>(1)).add(0, e);
        schedule(e, e.deadlineNanos);
        earlyDrop.add(e);
        earlyDrop.compact(live.values());
        if (timers.size() > 2L * live.size() + TIMER_SLACK) {
            // timers of deleted entries (early drop, flushes) wait for their deadline: at 100,000 new entries a second
            // into a full table that is millions within one UDP timeout; dropped here so memory follows the live table
            timers.removeIf(x -> !x.entry.inTable || x.seq != x.entry.timerSeq);
        }
        expiredMappings.forget(e.original);
        stats.entries(live.size(), e.firstNanos);
    }

    /** {@code e}'s reply tuple replaced (its NAT revealed, {@link ConntrackModel#revealNat}), the tuple hash kept right. */
    void rekey(ConntrackEntry e, ConntrackTuple reply) {
        indexVersion++;
        byTuple.remove(e);
        portFreed(e);
        e.reply = reply;
        byTuple.add(e);
    }

    /** clean_from_lists → nf_ct_remove_expectations: out of both hashes, its expectations go with it, newest first. */
    private void remove(ConntrackEntry e, long t, FrameRef frame, EventSink sink) {
        remove(e, t, frame, null, sink);
    }

    private void remove(ConntrackEntry e, long t, FrameRef frame, Inferred inferred, EventSink sink) {
        expectations.unlinkAllOf(e, t, frame, ExpectationEvent.Reason.MASTER_GONE, inferred, sink);
        live.remove(e.id);
        if (e.inTable) counts.removed(e);
        e.inTable = false;
        indexVersion++;
        byTuple.remove(e);
        portFreed(e);
        AddressPort k = source(e.original);
        List<ConntrackEntry> same = bySource.get(k);
        if (same != null) {
            same.remove(e);
            if (same.isEmpty()) bySource.remove(k);
        }
        e.timerSeq = -1;
        stats.entries(live.size(), now);
    }

    /** nf_ct_delete before the deadline: a DESTROY event with the time left (unless it is under a second). */
    EntryView kill(ConntrackEntry e, long t, FrameRef frame, String reason, EventSink sink) {
        return kill(e, t, frame, reason, null, sink);
    }

    /**
     * {@link #kill} of an entry whose end the captures do not show but prove ({@code inferred} non-null): deleted at
     * {@code t}, the window's start, which may lie before the table's clock (the proof came later), with the counters
     * and deadline it had after its last packet seen at work (the later ones found no entry in the kernel); its
     * expectations go with it, their events carrying the window too.
     */
    EntryView kill(ConntrackEntry e, long t, FrameRef frame, String reason, Inferred inferred, EventSink sink) {
        boolean rewind = inferred != null && e.observedNanos <= t;
        if (rewind) e.rewindToObserved();
        remove(e, t, frame, inferred, sink);
        if (rewind) e.rewindToObserved(); // out of the table now: the status bits too
        // ctnetlink_dump_timeout(skb, ct, true) on destroy: the time left is printed unless it is 0
        boolean left = e.deadlineNanos - t >= SECOND;
        EntryView v = e.view(t, left, timeouts.accounting(), timeouts.timestamps());
        sink.accept(new EntryKilled(t, frame, v, reason, inferred));
        return v;
    }

    private void schedule(ConntrackEntry e, long key) {
        e.timerSeq = ++timerSeq;
        e.timerKeyNanos = key;
        timers.add(new Timer(key, e.timerSeq, e));
    }

    /**
     * nf_nat_core.c:nf_nat_used_tuple → nf_conntrack_tuple_taken: the reply tuple of the translated tuple is already
     * some entry's tuple; a hit is the kernel's {@code found} statistic.
     */
    @Override
    public boolean taken(ConntrackTuple translated) {
        boolean used = byTuple.contains(translated.invert());
        if (used) stats.found++;
        return used;
    }

    /**
     * Port-search hints ({@link #firstFree}): for a translated tuple with its source port set to 0, triples of
     * (search start, search end, hint): every port from the start to before the hint was {@link #taken} when last
     * searched, and no entry has left the tuple hash there since ({@link #portFreed}). Without them a search in a
     * range that live entries fill (tens of thousands of flows to one server through one address, each living for
     * the SIP helper's 3,600 s) walks the whole range again for every new flow.
     */
    private final Map<ConntrackTuple, int[]> searchHints = new HashMap<>();
    /** Destinations with a hint, at most: beyond it the hints start afresh (a bound on memory, not a kernel value). */
    static final int MAX_SEARCH_HINTS = 4096;

    /**
     * {@link NatTranslator.Table#firstFree}: the ports a hint says are taken are skipped and counted as the
     * {@code found} hits their {@link #taken} calls would have been; the rest are asked in turn. Ports only (an ICMP
     * id's reply tuple inverts its type, so its freed ids are not traced): ICMP asks every id.
     */
    @Override
    public int firstFree(ConntrackTuple c, int from, int to) {
        if (!c.hasPorts()) return NatTranslator.Table.super.firstFree(c, from, to);
        ConntrackTuple base = c.withSource(c.srcHi(), c.srcLo(), 0);
        int[] h = searchHints.get(base);
        int at = -1;
        if (h != null) {
            for (int i = 0; i < h.length; i += 3) {
                if (h[i] == from && h[i + 1] == to) {
                    at = i;
                    break;
                }
            }
        }
        int start = at < 0 ? from : h[at + 2];
        stats.found += start - from;
        int free = -1;
        for (int p = start; p <= to; p++) {
            if (!taken(c.withSource(c.srcHi(), c.srcLo(), p))) {
                free = p;
                break;
            }
        }
        int hint = free < 0 ? to + 1 : free;
        if (at >= 0) {
            h[at + 2] = hint;
        } else if (hint > from) {
            if (h == null && searchHints.size() >= MAX_SEARCH_HINTS) searchHints.clear();
            int[] n = h == null ? new int[3] : Arrays.copyOf(h, h.length + 3);
            n[n.length - 3] = from;
            n[n.length - 2] = to;
            n[n.length - 1] = hint;
            searchHints.put(base, n);
        }
        return free;
    }

    /** {@code e}'s tuples leave the tuple hash: the translated tuples they made {@link #taken} are free again. */
    private void portFreed(ConntrackEntry e) {
        if (searchHints.isEmpty()) return;
        portFreed(e.original);
        portFreed(e.reply);
    }

    private void portFreed(ConntrackTuple t) {
        if (t == null || !t.hasPorts()) return;
        ConntrackTuple x = t.invert(); // taken(x) asked for exactly this tuple
        int[] h = searchHints.get(x.withSource(x.srcHi(), x.srcLo(), 0));
        if (h == null) return;
        int q = x.srcPort();
        for (int i = 0; i < h.length; i += 3) {
            if (q >= h[i] && q <= h[i + 1] && q < h[i + 2]) h[i + 2] = q;
        }
    }

    @Override
    public List<ConntrackEntry> sameSource(ConntrackTuple original) {
        List<ConntrackEntry> l = bySource.get(source(original));
        return l == null ? List.of() : l;
    }

    @Override
    public ConntrackTuple expiredReply(ConntrackTuple original) {
        return expiredMappings.reply(original);
    }

    @Override
    public ConntrackTuple expiredOriginal(ConntrackTuple reply) {
        return expiredMappings.original(reply);
    }

    /** One pending timer; stale when its seq is no longer the entry's (a sooner deadline was scheduled since). */
    private record Timer(long key, long seq, ConntrackEntry entry) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            return key != o.key ? Long.compare(key, o.key) : Long.compare(entry.id, o.entry.id);
        }
    }

    /** find_appropriate_src looks up by (protocol, original source address, source port or ICMP id). */
    /** The by-source index's key of a tuple: its protocol, source address and source key (port or ICMP id). */
    private static AddressPort source(ConntrackTuple t) {
        return new AddressPort(t.protocol(), t.srcHi(), t.srcLo(), t.sourceKey());
    }
}
