package dev.natrecon.conntrack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The model's table at one instant against a real {@code conntrack -L -o extended} (or {@code /proc/net/nf_conntrack})
 * listing: per entry matched, differing, missing from the model or extra in it.
 *
 * <p>A listing carries no time of its own. When the caller does not know it, {@link Probe} walks the replay on a grid
 * and keeps the instant at which the model's table looks most like the listing: the most kernel entries present with
 * the same NAT mapping, then with the same original tuple at all, then the fewest entries the listing lacks, then the
 * counters closest (they move with every packet, so they pin the instant down), then the timeouts closest.
 *
 * <p>Compared per entry, keyed by the original tuple: the reply tuple (the NAT mapping), the TCP state, ASSURED and
 * UNREPLIED, the helper, and the seconds left within {@code timeoutToleranceSeconds} (the listing's instant is known
 * to a grid step at best, and ctnetlink truncates to whole seconds). Counters are shown, never judged: a few packets
 * more or less say only that the instant is not exact.
 */
public final class KernelTableComparison {
    private KernelTableComparison() {
    }

    public enum Verdict {
        MATCHED, DIFFERS, MISSING, EXTRA,
        /**
         * the kernel's entry, kept where the model inferred a flush under a rule it assumed for lack of the ruleset,
         * whose listing the captures cannot decide ({@link AssumedRuleListing}); counted apart, never as matched
         */
        UNOBSERVABLE
    }

    /** One entry: the kernel's line and the model's entry (either null for missing/extra), and what differs. */
    public record EntryResult(Verdict verdict, EntryView kernel, EntryView model, List<String> differences) {
    }

    /**
     * @param atNanos    the instant compared, on the capture timeline
     * @param estimated  true when the instant was found by {@link Probe}, false when it was given
     */
    public record Result(long atNanos, boolean estimated, List<EntryResult> entries, int kernelEntries, int modelEntries,
                         int matched, int differs, int missing, int extra, long maxTimeoutDifferenceSeconds,
                         int unobservable) {
        public Result(long atNanos, boolean estimated, List<EntryResult> entries, int kernelEntries, int modelEntries,
                      int matched, int differs, int missing, int extra, long maxTimeoutDifferenceSeconds) {
            this(atNanos, estimated, entries, kernelEntries, modelEntries, matched, differs, missing, extra,
                    maxTimeoutDifferenceSeconds, 0);
        }

        /** This listing's comparison with its entries' verdicts replaced by {@code entries}, the tallies recounted. */
        public Result withEntries(List<EntryResult> entries) {
            int[] n = new int[Verdict.values().length];
            for (EntryResult e : entries) n[e.verdict().ordinal()]++;
            return new Result(atNanos, estimated, List.copyOf(entries), kernelEntries, modelEntries,
                    n[Verdict.MATCHED.ordinal()], n[Verdict.DIFFERS.ordinal()], n[Verdict.MISSING.ordinal()],
                    n[Verdict.EXTRA.ordinal()], maxTimeoutDifferenceSeconds, n[Verdict.UNOBSERVABLE.ordinal()]);
        }

        /** Every kernel entry matched and nothing extra. */
        public boolean agrees() {
            return differs == 0 && missing == 0 && extra == 0 && unobservable == 0;
        }

        /**
         * Every kernel entry matched but for {@link Verdict#UNOBSERVABLE} ones, nothing extra: as far as the captures
         * can tell; never {@link #agrees}.
         */
        public boolean agreesButUnobservable() {
            return unobservable > 0 && differs == 0 && missing == 0 && extra == 0;
        }
    }

    /** Compares {@code listing} with the model's entries at {@code atNanos}. */
    public static Result compare(List<KernelEntry> listing, List<EntryView> model, long atNanos, boolean estimated,
                                 long timeoutToleranceSeconds) {
        Map<ConntrackTuple, EntryView> byOriginal = new LinkedHashMap<>();
        for (EntryView v : model) byOriginal.put(v.original(), v);
        List<EntryResult> results = new ArrayList<>();
        int matched = 0, differs = 0, missing = 0;
        long maxTimeout = 0;
        for (KernelEntry k : listing) {
            EntryView kv = k.view();
            EntryView mv = byOriginal.remove(kv.original());
            if (mv == null) {
                missing++;
                results.add(new EntryResult(Verdict.MISSING, kv, null, List.of()));
                continue;
            }
            List<String> d = differences(kv, mv, timeoutToleranceSeconds);
            if (kv.timeoutSeconds() >= 0 && mv.timeoutSeconds() >= 0) {
                maxTimeout = Math.max(maxTimeout, Math.abs(kv.timeoutSeconds() - mv.timeoutSeconds()));
            }
            if (d.isEmpty()) matched++;
            else differs++;
            results.add(new EntryResult(d.isEmpty() ? Verdict.MATCHED : Verdict.DIFFERS, kv, mv, d));
        }
        for (EntryView extra : byOriginal.values()) results.add(new EntryResult(Verdict.EXTRA, null, extra, List.of()));
        return new Result(atNanos, estimated, List.copyOf(results), listing.size(), model.size(), matched, differs, missing,
                byOriginal.size(), maxTimeout);
    }

    private static List<String> differences(EntryView k, EntryView m, long tolerance) {
        List<String> d = new ArrayList<>();
        if (!k.reply().equals(m.reply())) d.add("reply tuple: kernel " + k.reply().text() + ", model " + m.reply().text());
        if (k.state() != null && !k.state().equals(m.state())) d.add("state: kernel " + k.state() + ", model " + m.state());
        for (int bit : new int[] {Status.ASSURED, Status.SEEN_REPLY}) {
            if (k.has(bit) != m.has(bit)) {
                String name = bit == Status.ASSURED ? "ASSURED" : "UNREPLIED";
                boolean kernelFlag = bit == Status.ASSURED ? k.has(bit) : !k.has(bit);
                d.add(name + ": kernel " + (kernelFlag ? "yes" : "no") + ", model " + (kernelFlag ? "no" : "yes"));
            }
        }
        if (k.helper() != null && !k.helper().equals(m.helper())) d.add("helper: kernel " + k.helper() + ", model " + m.helper());
        if (k.timeoutSeconds() >= 0 && m.timeoutSeconds() >= 0 && Math.abs(k.timeoutSeconds() - m.timeoutSeconds()) > tolerance) {
            d.add(String.format(Locale.ROOT, "timeout: kernel %d s, model %d s", k.timeoutSeconds(), m.timeoutSeconds()));
        }
        return d;
    }

    /**
     * Finds the instant of a listing by walking the replay: {@link #offer} is called at each grid instant with the
     * model's entries then, and the best instant's comparison is kept.
     */
    public static final class Probe {
        private final List<KernelEntry> listing;
        private final List<EntryView> kernel = new ArrayList<>();
        private final long toleranceSeconds;
        private long bestExact = -1, bestKeys, bestExtra, bestPackets, bestTimeouts, bestFlags, bestAges;
        /** The flags a listing shows and the instant is chosen by last (compared as in {@link #compare}). */
        private static final int[] FLAG_BITS = {Status.ASSURED, Status.SEEN_REPLY};
        private Result best;
        /** Whether an instant offered so far found the model's table holding an entry. */
        private boolean modelHadEntries;

        public Probe(List<KernelEntry> listing, long toleranceSeconds) {
            this.listing = List.copyOf(listing);
            for (KernelEntry k : listing) kernel.add(k.view());
            this.toleranceSeconds = toleranceSeconds;
        }

        /**
         * Scores the table of {@code tableSize} entries at {@code atNanos}; {@code find} gives the model's entry holding a tuple then (or null),
         * {@code all} the whole table, asked for only when this instant is the best so far.
         */
        public void offer(long atNanos, int tableSize, java.util.function.Function<ConntrackTuple, EntryView> find,
                          java.util.function.Supplier<List<EntryView>> all) {
            // an empty listing (the lab's mid-outage one: the kernel held no entry) fits any instant before the first
            // packet and says nothing there: it is placed only once the model's table has held an entry, so that it
            // holds the model to having emptied its table since (a flush, the last entry's expiry)
            modelHadEntries |= tableSize > 0;
            if (kernel.isEmpty() && !modelHadEntries) return;
            long exact = 0, keys = 0, packets = 0, timeouts = 0, flags = 0, ages = 0;
            Map<ConntrackTuple, Boolean> seen = new HashMap<>();
            for (EntryView k : kernel) {
                EntryView m = find.apply(k.original());
                if (m == null || !m.original().equals(k.original()) || seen.put(k.original(), Boolean.TRUE) != null) continue;
                keys++;
                if (m.reply().equals(k.reply())) exact++;
                if (k.origPackets() >= 0 && m.origPackets() >= 0) {
                    packets += Math.abs(k.origPackets() - m.origPackets()) + Math.abs(k.replyPackets() - m.replyPackets());
                }
                if (k.timeoutSeconds() >= 0 && m.timeoutSeconds() >= 0) timeouts += Math.abs(k.timeoutSeconds() - m.timeoutSeconds());
                for (int bit : FLAG_BITS) if (k.has(bit) != m.has(bit)) flags++;
                if (k.deltaSeconds() >= 0 && m.deltaSeconds() >= 0) ages += Math.abs(k.deltaSeconds() - m.deltaSeconds());
            }
            long extra = tableSize - keys;
            int c = exact != bestExact ? Long.compare(exact, bestExact) : keys != bestKeys ? Long.compare(keys, bestKeys)
                    : extra != bestExtra ? Long.compare(bestExtra, extra) : packets != bestPackets ? Long.compare(bestPackets, packets)
                    : timeouts != bestTimeouts ? Long.compare(bestTimeouts, timeouts)
                    // ties (an entry re-created with the same tuples, counters and timeout): its flags, then its age
                    : flags != bestFlags ? Long.compare(bestFlags, flags) : Long.compare(bestAges, ages);
            if (c <= 0) return;
            bestExact = exact;
            bestKeys = keys;
            bestExtra = extra;
            bestPackets = packets;
            bestTimeouts = timeouts;
            bestFlags = flags;
            bestAges = ages;
            best = compare(listing, all.get(), atNanos, true, toleranceSeconds);
        }

        /** The best instant's comparison, or null when nothing was offered. */
        public Result result() {
            return best;
        }
    }
}
