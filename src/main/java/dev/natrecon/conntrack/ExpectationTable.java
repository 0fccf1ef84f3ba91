package dev.natrecon.conntrack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The expectation table of nf_conntrack_expect.c: insert with the checks of nf_ct_expect_related, lookup for a new
 * connection (nf_ct_find_expectation), unlink with its {@code [DESTROY]} event, and the timers. The NAT an expected
 * connection gets before any rule is its helper's expectfn ({@link Helper#expected}).
 */
final class ExpectationTable {
    private final Timeouts timeouts;
    private final ConntrackStats stats;
    /** every expectation, oldest first (the kernel's hash, in insertion order) */
    private final LinkedHashSet<Expectation> all = new LinkedHashSet<>();
    /**
     * The same by protocol, destination address and port, oldest first: every lookup (expect_matches, expect_clash,
     * nf_ct_find_expectation, __nf_ct_expect_find) compares those exactly, so it reads one bucket, as the kernel's
     * hash by destination does (nf_ct_expect_dst_hash), instead of the whole table (20,000 unanswered INVITEs made
     * every new connection walk 4,096 expectations).
     */
    private final Map<AddressPort, List<Expectation>> byDestination = new HashMap<>();
    private final PriorityQueue<ExpectTimer> timers = new PriorityQueue<>();
    private long nextId = 1;
    private long timerSeq;

    ExpectationTable(Timeouts timeouts, ConntrackStats stats) {
        this.timeouts = timeouts;
        this.stats = stats;
    }

    /** Live expectations, oldest first (a copy). */
    List<Expectation> all() {
        return List.copyOf(all);
    }

    /** The key of {@code x}'s bucket: its protocol, destination address and port. */
    private static AddressPort destination(Expectation x) {
        return new AddressPort(x.protocol, x.dstHi, x.dstLo, x.dstPort);
    }

    private List<Expectation> bucket(int protocol, long hi, long lo, int port) {
        List<Expectation> b = byDestination.get(new AddressPort(protocol, hi, lo, port));
        return b == null ? List.of() : b;
    }

    /**
     * {@code x}'s destination was changed in place (its master's NAT was revealed, {@link ConntrackModel#revealNat}):
     * it moves to its new bucket, in insertion order there (by id) as in the table's own order.
     */
    void moved(Expectation x) {
        if (!x.inTable) return;
        AddressPort was = (AddressPort) x.tableBucket, now = destination(x);
        if (now.equals(was)) return;
        List<Expectation> old = byDestination.get(was);
        if (old != null) {
            old.remove(x);
            if (old.isEmpty()) byDestination.remove(was);
        }
        x.tableBucket = now;
        List<Expectation> b = byDestination.computeIfAbsent(now, d -> new ArrayList<>(2));
        int i = b.size();
        while (i > 0 && b.get(i - 1).id > x.id) i--;
        b.add(i, x);
    }

    /** An expectation's timer is due at or before {@code nanos}. */
    boolean due(long nanos) {
        ExpectTimer et = timers.peek();
        return et != null && et.key <= nanos;
    }

    /** The earliest pending timer's deadline; only after {@link #due} said there is one. */
    long nextDeadline() {
        return timers.peek().key;
    }

    /** Fires the earliest timer: the expectation expires, unless it was refreshed or removed since. */
    void expireNext(EventSink sink) {
        ExpectTimer et = timers.poll();
        Expectation x = et.exp;
        if (!x.inTable || et.seq != x.timerSeq) return;
        if (x.deadlineNanos > et.key) {
            schedule(x);
            return;
        }
        unlink(x, x.deadlineNanos, FrameRef.NONE, ExpectationEvent.Reason.EXPIRED, sink);
    }

    private void schedule(Expectation x) {
        x.timerSeq = ++timerSeq;
        timers.add(new ExpectTimer(x.deadlineNanos, x.timerSeq, x));
        // the timers of expectations gone before their deadline (matched, evicted at max_expected, their master
        // dead) would hold them until it (3 minutes for SIP's): a trunk's calls evict one a call
        if (timers.size() > 2L * all.size() + TIMER_SLACK) timers.removeIf(t -> !t.exp.inTable || t.seq != t.exp.timerSeq);
    }

    /** Stale timers are dropped when they outnumber twice the live expectations by this many. */
    private static final int TIMER_SLACK = 1024;

    /** nf_ct_unlink_expect_report: out of the table and its master's list, with a [DESTROY] event. */
    void unlink(Expectation x, long t, FrameRef frame, ExpectationEvent.Reason reason, EventSink sink) {
        unlink(x, t, frame, reason, null, sink);
    }

    private void unlink(Expectation x, long t, FrameRef frame, ExpectationEvent.Reason reason, Inferred inferred,
                        EventSink sink) {
        if (!x.inTable) return;
        x.inTable = false;
        all.remove(x);
        AddressPort d = (AddressPort) x.tableBucket;
        List<Expectation> b = byDestination.get(d);
        if (b != null) {
            b.remove(x);
            if (b.isEmpty()) byDestination.remove(d);
        }
        if (x.master.expecting != null) x.master.expecting.remove(x);
        x.timerSeq = -1;
        sink.expectation(new ExpectationEvent.ExpectationRemoved(t, frame, x.view(t, true), reason, inferred));
    }

    /** nf_ct_remove_expectations: every expectation of {@code master}, newest first. */
    void unlinkAllOf(ConntrackEntry master, long t, FrameRef frame, ExpectationEvent.Reason reason, EventSink sink) {
        unlinkAllOf(master, t, frame, reason, null, sink);
    }

    /** {@link #unlinkAllOf} for a master whose end was inferred: the events carry the window. */
    void unlinkAllOf(ConntrackEntry master, long t, FrameRef frame, ExpectationEvent.Reason reason, Inferred inferred,
                     EventSink sink) {
        if (master.expecting == null) return;
        for (Expectation x : List.copyOf(master.expecting)) unlink(x, t, frame, reason, inferred, sink);
    }

    /**
     * nf_ct_expect_related → __nf_ct_expect_check and nf_ct_expect_insert: an identical expectation (same tuple and
     * mask) of the same master and class is replaced, of another master or class refused (-EALREADY, when the
     * masters are compared or {@code skipMaster}); an overlapping one refused (-EBUSY); a master at its class's
     * max_expected loses its oldest of the class first (-EMFILE if that does not help); a full table refuses
     * (-EMFILE, "nf_conntrack: expectation table full"). The timeout is the class policy's.
     *
     * @param helper the master's helper, whose policies give max_expected and the timeout
     */
    int expectRelated(Expectation exp, Helper helper, boolean skipMaster, long t, FrameRef frame, EventSink sink) {
        for (Expectation i : List.copyOf(bucket(exp.protocol, exp.dstHi, exp.dstLo, exp.dstPort))) {
            if ((skipMaster || i.master == exp.master) && i.sameAs(exp)) {
                if (i.klass != exp.klass || i.master != exp.master) return HelperContext.EALREADY;
                unlink(i, t, frame, ExpectationEvent.Reason.REPLACED, sink);
            } else if (i.clashesWith(exp)) {
                return HelperContext.EBUSY;
            }
        }
        Helper.ExpectPolicy p = helper.policies().get(exp.klass);
        if (p.maxExpected() > 0 && expecting(exp.master, exp.klass) >= p.maxExpected()) {
            Expectation oldest = null; // evict_oldest_expect: the last of the class in the newest-first list
            for (Expectation x : exp.master.expecting) if (x.klass == exp.klass) oldest = x;
            if (oldest != null) unlink(oldest, t, frame, ExpectationEvent.Reason.EVICTED, sink);
            if (expecting(exp.master, exp.klass) >= p.maxExpected()) return HelperContext.EMFILE;
        }
        if (all.size() >= timeouts.seconds(Timeouts.Key.EXPECT_MAX)) {
            stats.expectTableFull++;
            return HelperContext.EMFILE;
        }
        exp.id = nextId++;
        exp.deadlineNanos = t + p.timeoutSeconds() * ConntrackTable.SECOND;
        exp.inTable = true;
        all.add(exp);
        exp.tableBucket = destination(exp);
        byDestination.computeIfAbsent((AddressPort) exp.tableBucket, d -> new ArrayList<>(2)).add(exp);
        if (exp.master.expecting == null) exp.master.expecting = new ArrayList<>(4);
        exp.master.expecting.add(0, exp);
        schedule(exp);
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
    Expectation expected(ConntrackTuple tuple, long t, FrameRef frame, EventSink sink) {
        if (all.isEmpty()) return null;
        List<Expectation> b = bucket(tuple.protocol(), tuple.dstHi(), tuple.dstLo(), tuple.dstPort());
        for (int i = b.size() - 1; i >= 0; i--) {
            Expectation x = b.get(i);
            if ((x.flags & Expectation.INACTIVE) != 0 || !x.matches(tuple) || !x.master.inTable) continue;
            if ((x.flags & Expectation.PERMANENT) == 0) unlink(x, t, frame, ExpectationEvent.Reason.USED, sink);
            return x;
        }
        return null;
    }

    /** __nf_ct_expect_find: the newest expectation whose tuple, under its own mask, matches; or null. */
    Expectation find(int protocol, boolean srcAny, long srcHi, long srcLo, long dstHi, long dstLo, int dstPort) {
        List<Expectation> b = bucket(protocol, dstHi, dstLo, dstPort);
        for (int i = b.size() - 1; i >= 0; i--) {
            Expectation x = b.get(i);
            if (x.protocol == protocol && x.dstHi == dstHi && x.dstLo == dstLo && x.dstPort == dstPort
                    && (x.srcAny || !srcAny && x.srcHi == srcHi && x.srcLo == srcLo)) {
                return x;
            }
        }
        return null;
    }

    /** refresh_signalling_expectation: the timer moved to {@code t + seconds}, the expectation active again. */
    boolean refresh(Expectation exp, long t, long seconds) {
        if (!exp.inTable) return false;
        exp.deadlineNanos = t + seconds * ConntrackTable.SECOND;
        exp.flags &= ~Expectation.INACTIVE;
        schedule(exp);
        return true;
    }

    private record ExpectTimer(long key, long seq, Expectation exp) implements Comparable<ExpectTimer> {
        @Override
        public int compareTo(ExpectTimer o) {
            return key != o.key ? Long.compare(key, o.key) : Long.compare(exp.id, o.exp.id);
        }
    }
}
