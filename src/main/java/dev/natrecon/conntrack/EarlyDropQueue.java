package dev.natrecon.conntrack;

import java.util.Collection;
import java.util.PriorityQueue;

/**
 * The model's early-drop candidates: live entries that are not ASSURED, nearest deadline first (ties: the oldest),
 * so a full table finds its victim in O(log n) instead of scanning every entry for each new one.
 *
 * <p>The kernel's search is bounded too (nf_conntrack_core.c:early_drop looks at NF_CT_EVICTION_RANGE = 8 buckets
 * from the new tuple's hash, early_drop_list deleting the non-ASSURED entries of the first bucket that has any), but
 * where it lands depends on the boot-time random seed of the hash (nf_conntrack_hash_rnd), which no capture shows; the
 * model's deterministic choice ({@link ConntrackTable#allocate}) is kept, only found faster.
 *
 * <p>The queue is lazy, like the table's timers: a candidate's key never exceeds its entry's deadline (a sooner
 * deadline is queued again, {@link #refreshed}); a later deadline, an ASSURED bit or an entry no longer in the table is
 * noticed when the candidate reaches the head. Stale candidates are dropped by a rebuild when they outnumber the live
 * entries, so memory follows the live table.
 */
final class EarlyDropQueue {
    /** Rebuilt when it holds more than twice the live entries plus this many candidates. */
    private static final int SLACK = 1024;

    private final PriorityQueue<Candidate> queue = new PriorityQueue<>();

    /** An entry entered the table (or its deadline moved sooner): queued at its deadline. */
    void add(ConntrackEntry e) {
        if (e.has(Status.ASSURED)) return;
        e.dropKeyNanos = e.deadlineNanos;
        queue.add(new Candidate(e.deadlineNanos, e.id, e));
    }

    /** The entry's deadline was set: queued again only when it moved sooner than its candidate's key. */
    void refreshed(ConntrackEntry e) {
        if (e.inTable && e.deadlineNanos < e.dropKeyNanos) add(e);
    }

    /** The live non-ASSURED entry nearest its deadline (ties: the lowest id), or null. */
    ConntrackEntry victim() {
        while (true) {
            Candidate c = queue.peek();
            if (c == null) return null;
            ConntrackEntry e = c.entry;
            if (!e.inTable || e.has(Status.ASSURED) || c.key != e.dropKeyNanos) {
                queue.poll();
                continue;
            }
            if (e.deadlineNanos > c.key) { // refreshed since it was queued: its place is its deadline now
                queue.poll();
                add(e);
                continue;
            }
            return e;
        }
    }

    /** Drops the stale candidates when they outnumber the live entries ({@code live}: the table's entries). */
    void compact(Collection<ConntrackEntry> live) {
        if (queue.size() <= 2L * live.size() + SLACK) return;
        queue.clear();
        for (ConntrackEntry e : live) add(e);
    }

    private record Candidate(long key, long id, ConntrackEntry entry) implements Comparable<Candidate> {
        @Override
        public int compareTo(Candidate o) {
            return key != o.key ? Long.compare(key, o.key) : Long.compare(id, o.id);
        }
    }
}
