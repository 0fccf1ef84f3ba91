package dev.natrecon.conntrack;

import dev.natrecon.conntrack.ConntrackEvent.EntryCreated;
import dev.natrecon.conntrack.ConntrackEvent.EntryExpired;
import dev.natrecon.conntrack.ConntrackEvent.EntryKilled;
import dev.natrecon.conntrack.ConntrackEvent.EntryUpdated;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares the model's reconstruction with a real router's {@code conntrack -E -o timestamp,extended} log, entry by
 * entry: each entry's life (NEW, UPDATEs, DESTROY) in the kernel's log is paired with the model's entry of the same
 * original tuple created at about the same time, then its lines are compared as text and its times as lags.
 *
 * <p>What counts, as the kernel can be held to it: NEW identical (same tuples, so the same NAT mapping, same timeout,
 * flags and helper) and logged at or just after the model's packet; every UPDATE identical, in order (its seconds
 * left within one: {@link #sameUpdate}); DESTROY
 * identical (counters, delta-time) and never before the model's deadline, at most {@link Options#gcLagNanos} after it
 * (the kernel reports expiry when its garbage collector or a lookup finds the entry: reference §2, "expiry"). An
 * inferred DESTROY ({@link Inferred}: the captures prove the entry gone between two packets) is reproduced when the
 * kernel's lies anywhere in the window (its end plus the GC lag), with the same counters and the seconds left and
 * delta-time the model's entry would have had then (within a second).
 * Kernel entries created outside the span of the captures are left out: the model cannot have seen their packets.
 */
public final class KernelComparison {
    /**
     * @param gcLagNanos    longest delay accepted between the model's deadline and the kernel's DESTROY
     * @param pairingNanos  longest distance between the two NEWs of one entry
     * @param offsetNanos   the kernel log's clock minus the captures' corrected clock, or null to estimate it
     * @param eventLagNanos longest delay accepted between the model's packet and the kernel's NEW or UPDATE line
     *                      (conntrack-tools stamps an event when it receives it: sub-millisecond in the lab)
     */
    public record Options(long gcLagNanos, long pairingNanos, Long offsetNanos, long eventLagNanos) {
        public static final Options DEFAULT = new Options(60_000_000_000L, 2_000_000_000L, null, 20_000_000L);
    }

    public enum Verdict {
        /** the kernel's lines reproduced: same text, times within the rules */
        MATCHED,
        /** paired, but some line or time differs */
        DIFFERS,
        /** in the kernel's log, not in the model */
        MISSING,
        /** in the model, not in the kernel's log */
        EXTRA,
        /**
         * the kernel deleted the entry without a packet and the next packet re-created it identically: no capture can
         * show it ({@link UnobservableKill}); counted apart, never as reproduced
         */
        UNOBSERVABLE
    }

    /** One entry's lines, kernel or model; times on the kernel log's clock for the kernel, the captures' for the model. */
    public static final class Life {
        public final String key;
        public long start = Long.MIN_VALUE;
        public String newBody;
        public final List<String> updates = new ArrayList<>();
        public final List<Long> updateTimes = new ArrayList<>();
        /** the model's: the earliest instant the kernel may have made each update (the UDP stream rule's jiffies) */
        public final List<Long> updateEarliest = new ArrayList<>();
        public long assuredAt = Long.MIN_VALUE;
        public long end = Long.MIN_VALUE;
        public String destroyBody;
        /** the model's destroy is a prediction past the end of the captures (the entry outlived them) */
        public boolean destroyPredicted;
        /**
         * the model's destroy was inferred (the captures prove it within a window, {@link #end} being its start), or
         * null
         */
        public Inferred destroyInferred;
        public FrameRef frame = FrameRef.NONE;
        public long id;
        /**
         * the model's life was made with the NAT no capture shows ({@link UnknownNat}) and is compared with the kernel's
         * address in its place: its first packet had no WAN copy, whatever a later copy revealed
         */
        public boolean natUnknownAtFirst;

        Life(String key) {
            this.key = key;
        }

        long first() {
            return start != Long.MIN_VALUE ? start : updateTimes.isEmpty() ? end : updateTimes.get(0);
        }
    }

    public record EntryResult(Verdict verdict, Life kernel, Life model, List<String> differences) {
        /** kernel NEW minus model NEW (after the clock offset), or null when either is missing. */
        public Long newLagNanos(long offset) {
            return kernel == null || model == null || kernel.start == Long.MIN_VALUE || model.start == Long.MIN_VALUE
                    ? null : kernel.start - offset - model.start;
        }

        public Long destroyLagNanos(long offset) {
            return kernel == null || model == null || kernel.end == Long.MIN_VALUE || model.end == Long.MIN_VALUE
                    ? null : kernel.end - offset - model.end;
        }
    }

    /**
     * The comparison's figures. "Reproduced" counts the kernel's NEW, ASSURED-setting UPDATE and DESTROY lines the
     * model reproduced by the rules above.
     */
    public record Result(List<EntryResult> entries, long offsetNanos, boolean offsetEstimated, int kernelEntries,
                         int modelEntries, int outsideCaptures, int matched, int differs, int missing, int extra,
                         int kernelNew, int reproducedNew, int kernelAssured, int reproducedAssured, int kernelDestroy,
                         int reproducedDestroy, long minDestroyLagNanos, long medianDestroyLagNanos,
                         long maxDestroyLagNanos, long maxNewLagNanos, int unobservable, int unobservableLines) {
        public int kernelLines() {
            return kernelNew + kernelAssured + kernelDestroy;
        }

        public int reproducedLines() {
            return reproducedNew + reproducedAssured + reproducedDestroy;
        }

        /** Whether every kernel line was reproduced and no entry is missing or extra. */
        public boolean agrees() {
            return reproducedLines() == kernelLines() && missing == 0 && extra == 0 && matched == kernelEntries;
        }

        /**
         * Whether every kernel line was reproduced but for {@link Verdict#UNOBSERVABLE} ones (a kill no packet made,
         * re-created identically), no entry missing or extra: what the captures alone can reach, never {@link #agrees}.
         */
        public boolean agreesButUnobservable() {
            return unobservable > 0 && reproducedLines() + unobservableLines == kernelLines() && missing == 0
                    && extra == 0 && differs == 0 && matched + unobservable == kernelEntries;
        }

        /** The kernel's kills classified {@link Verdict#UNOBSERVABLE} (for the expectation log's comparison). */
        public List<UnobservableKill.Kill> unobservableKills() {
            return UnobservableKill.kills(entries);
        }

        /**
         * One line per entry that is not matched, with its differences (empty when {@link #agrees}); the
         * {@link Verdict#UNOBSERVABLE} ones are not problems of the model and are left out (counted apart).
         */
        public List<String> problems() {
            List<String> out = new ArrayList<>();
            for (EntryResult e : entries) {
                if (e.verdict() == Verdict.MATCHED || e.verdict() == Verdict.UNOBSERVABLE) continue;
                out.add(e.verdict() + " " + (e.kernel() != null ? e.kernel().key : e.model().key) + " " + e.differences());
            }
            return out;
        }

        public double percent() {
            return kernelLines() == 0 ? 100.0 : 100.0 * reproducedLines() / kernelLines();
        }
    }

    private KernelComparison() {
    }

    /**
     * @param kernel    the kernel's events (listing lines without an event are ignored), in log order
     * @param model     the model's events, in order
     * @param predicted expiries the model would report after the captures end (entries still alive then)
     * @param spanStart first and last corrected time of the captures: kernel entries created outside are left out
     */
    public static Result compare(List<KernelEntry> kernel, List<ConntrackEvent> model, List<ConntrackEvent> predicted,
                                 long spanStart, long spanEnd, Options o) {
        Map<String, List<Life>> k = kernelLives(kernel);
        Map<String, List<Life>> m = modelLives(model, predicted);
        boolean estimated = o.offsetNanos() == null;
        long offset = estimated ? estimateOffset(k, m, o.pairingNanos()) : o.offsetNanos();
        List<EntryResult> out = new ArrayList<>();
        int outside = 0;
        for (Map.Entry<String, List<Life>> e : k.entrySet()) {
            List<Life> ks = new ArrayList<>();
            for (Life l : e.getValue()) {
                long t = l.first() - offset;
                if (l.start != Long.MIN_VALUE && (t < spanStart - o.pairingNanos() || t > spanEnd + o.pairingNanos())) {
                    outside++;
                } else {
                    ks.add(l);
                }
            }
            List<Life> ms = m.getOrDefault(e.getKey(), List.of());
            List<EntryResult> mine = new ArrayList<>();
            pair(ks, ms, offset, offset != 0 ? -o.eventLagNanos() : 0, o, mine);
            UnknownNat.reclassify(mine, offset, offset != 0 ? -o.eventLagNanos() : 0, o);
            UnobservableKill.reclassify(mine, offset);
            if (!ks.isEmpty() && ms.size() > 1) AssumedRuleKill.reclassify(mine, offset, o.gcLagNanos());
            out.addAll(mine);
        }
        for (Map.Entry<String, List<Life>> e : m.entrySet()) {
            if (!k.containsKey(e.getKey())) for (Life l : e.getValue()) out.add(new EntryResult(Verdict.EXTRA, null, l, List.of()));
        }
        out.sort(Comparator.comparingLong(r -> r.model != null ? r.model.first() : r.kernel.first() - offset));
        return figures(out, offset, estimated, outside, m.values().stream().mapToInt(List::size).sum());
    }

    /** @param minLag 0 on one clock; on a clock offset estimated from the NEWs, their typical lag went into it */
    private static void pair(List<Life> ks, List<Life> ms, long offset, long minLag, Options o, List<EntryResult> out) {
        int i = 0, j = 0;
        while (i < ks.size() || j < ms.size()) {
            if (i == ks.size()) {
                out.add(new EntryResult(Verdict.EXTRA, null, ms.get(j++), List.of()));
                continue;
            }
            if (j == ms.size()) {
                out.add(new EntryResult(Verdict.MISSING, ks.get(i++), null, List.of()));
                continue;
            }
            Life kl = ks.get(i), ml = ms.get(j);
            long d = kl.first() - offset - ml.first();
            if (Math.abs(d) <= o.pairingNanos() || kl.start == Long.MIN_VALUE) {
                List<String> diff = differences(kl, ml, offset, minLag, o);
                out.add(new EntryResult(diff.isEmpty() ? Verdict.MATCHED : Verdict.DIFFERS, kl, ml, diff));
                i++;
                j++;
            } else if (d < 0) {
                out.add(new EntryResult(Verdict.MISSING, kl, null, List.of()));
                i++;
            } else {
                out.add(new EntryResult(Verdict.EXTRA, null, ml, List.of()));
                j++;
            }
        }
    }

    static List<String> differences(Life k, Life m, long offset, long minLag, Options o) {
        List<String> d = new ArrayList<>();
        if (k.newBody != null) {
            if (m.newBody == null) {
                d.add("NEW: the model has none");
            } else {
                if (!k.newBody.equals(m.newBody)) d.add("NEW differs: kernel '" + k.newBody.trim() + "', model '" + m.newBody.trim() + "'");
                long lag = k.start - offset - m.start;
                if (lag < minLag || lag > o.eventLagNanos()) d.add("NEW logged " + seconds(lag) + " s after the model's packet");
            }
        }
        if (!sameUpdates(k.updates, m.updates)) {
            d.add("UPDATEs differ: kernel " + k.updates.size() + " " + k.updates + ", model " + m.updates.size() + " " + m.updates);
        } else {
            for (int i = 0; i < k.updates.size(); i++) {
                long lag = k.updateTimes.get(i) - offset - m.updateTimes.get(i);
                long sinceEarliest = k.updateTimes.get(i) - offset - m.updateEarliest.get(i);
                if (sinceEarliest < minLag || lag > o.eventLagNanos()) {
                    d.add("UPDATE " + (i + 1) + " logged " + seconds(lag) + " s after the model's packet");
                }
            }
        }
        if (k.destroyBody != null) {
            if (m.destroyBody == null) {
                d.add("DESTROY: the model still has the entry");
            } else if (m.destroyInferred != null) {
                d.addAll(inferredDestroy(k, m, offset, o));
            } else {
                long lag = k.end - offset - m.end;
                if (!sameDestroy(k.destroyBody, m.destroyBody, lag)) {
                    d.add("DESTROY differs: kernel '" + k.destroyBody.trim() + "', model '" + m.destroyBody.trim() + "'");
                }
                if (lag < 0) d.add("DESTROY " + seconds(-lag) + " s before the model's deadline");
                if (lag > o.gcLagNanos()) d.add("DESTROY " + seconds(lag) + " s after the model's deadline (more than the GC lag)");
            }
        } else if (m.destroyBody != null && !m.destroyPredicted) {
            d.add("DESTROY: the kernel's log has none, the model's entry ended " + (m.end == Long.MIN_VALUE ? "" : "at its deadline"));
        }
        return d;
    }

    /**
     * An inferred DESTROY against the kernel's: the kernel's instant inside the window (plus the GC lag), the lines
     * equal but for the seconds left and delta-time, which must be what the model's entry shows at the kernel's
     * instant, within a second (both are whole seconds of a clock whose phase is unknown).
     */
    static List<String> inferredDestroy(Life k, Life m, long offset, Options o) {
        List<String> d = new ArrayList<>();
        Inferred w = m.destroyInferred;
        long kt = k.end - offset;
        if (!w.admits(kt, o.gcLagNanos())) {
            d.add("DESTROY at " + seconds(kt - w.earliestNanos()) + " s after the inferred window's start, outside it ("
                    + seconds(w.latestNanos() - w.earliestNanos()) + " s long, plus the GC lag)");
        }
        long[] kv = new long[2], mv = new long[2];
        String kRest = timeless(k.destroyBody, kv), mRest = timeless(m.destroyBody, mv);
        double later = (kt - m.end) / 1e9;
        boolean leftOk = kv[0] < 0 && mv[0] < 0 || kv[0] >= 0 && (mv[0] < 0 ? kv[0] <= 1 : Math.abs(kv[0] - (mv[0] - later)) <= 1);
        boolean deltaOk = kv[1] < 0 == mv[1] < 0 && (kv[1] < 0 || Math.abs(kv[1] - (mv[1] + later)) <= 1);
        if (!kRest.equals(mRest) || !leftOk || !deltaOk) {
            d.add("DESTROY differs: kernel '" + k.destroyBody.trim() + "', model '" + m.destroyBody.trim()
                    + "' (inferred; seconds left and delta-time compared at the kernel's instant)");
        }
        return d;
    }

    private static final java.util.regex.Pattern DELTA = java.util.regex.Pattern.compile(" delta-time=(\\d+)");

    /** The DESTROY line without its seconds left and delta-time, which go to {@code values} (-1 when absent). */
    private static String timeless(String body, long[] values) {
        values[0] = values[1] = -1;
        String s = body.trim();
        java.util.regex.Matcher m = DESTROY_LEFT.matcher(s);
        if (m.find()) {
            values[0] = Long.parseLong(m.group(2));
            s = m.replaceFirst("$1");
        }
        java.util.regex.Matcher dm = DELTA.matcher(s);
        if (dm.find()) {
            values[1] = Long.parseLong(dm.group(1));
            s = dm.replaceFirst("");
        }
        return s;
    }

    private static final java.util.regex.Pattern DESTROY_LEFT =
            java.util.regex.Pattern.compile("^(\\s*\\[DESTROY\\] ipv\\d +\\d+ \\S+ +\\d+ )(\\d+) ");

    /**
     * Two DESTROY lines agree when identical, or, for an entry deleted before its deadline (a flush or kill, which
     * prints the time left), identical but for that time, the kernel's lower by at most the lag rounded up: the
     * kernel deletes a few milliseconds after the event the model was told of (nf_nat_masquerade.c works from a
     * queue; lab: 7 ms after the address removal), so a second boundary may pass in between.
     */
    static boolean sameDestroy(String kernel, String model, long lagNanos) {
        if (kernel.equals(model)) return true;
        java.util.regex.Matcher km = DESTROY_LEFT.matcher(kernel), mm = DESTROY_LEFT.matcher(model);
        if (!km.find() || !mm.find()) return false;
        if (!km.replaceFirst("$1").equals(mm.replaceFirst("$1"))) return false;
        long kl = Long.parseLong(km.group(2)), ml = Long.parseLong(mm.group(2));
        long slack = lagNanos <= 0 ? 0 : (lagNanos + 999_999_999L) / 1_000_000_000L;
        return kl <= ml && kl >= ml - slack;
    }

    private static final java.util.regex.Pattern UPDATE_LEFT =
            java.util.regex.Pattern.compile("^(\\s*\\[UPDATE\\] ipv\\d +\\d+ \\S+ +\\d+ )(\\d+) ");

    /** Whether the kernel's UPDATE lines are the model's, one by one, in order ({@link #sameUpdate}). */
    static boolean sameUpdates(List<String> kernel, List<String> model) {
        if (kernel.size() != model.size()) return false;
        for (int i = 0; i < kernel.size(); i++) if (!sameUpdate(kernel.get(i), model.get(i))) return false;
        return true;
    }

    /**
     * Two UPDATE lines agree when identical, or identical but for the seconds left, one apart at most: the kernel
     * prints the jiffies left divided by HZ, floored (reference §10.1), and whether a jiffy tick fell between the
     * refresh that set the timeout and the event's print is a phase no capture shows (lab, nat-late run of
     * 2026-12-07: two entries refreshed by a reply about 0.3 ms after their request, one logged 3600, the other
     * 3599). A wrong timeout (another sysctl, another state) still differs by far more than a second.
     */
    static boolean sameUpdate(String kernel, String model) {
        if (kernel.equals(model)) return true;
        java.util.regex.Matcher km = UPDATE_LEFT.matcher(kernel), mm = UPDATE_LEFT.matcher(model);
        if (!km.find() || !mm.find()) return false;
        if (!km.replaceFirst("$1").equals(mm.replaceFirst("$1"))) return false;
        return Math.abs(Long.parseLong(km.group(2)) - Long.parseLong(mm.group(2))) <= 1;
    }

    static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.6f", nanos / 1e9);
    }

    private static Result figures(List<EntryResult> out, long offset, boolean estimated, int outside, int modelCount) {
        int matched = 0, differs = 0, missing = 0, extra = 0, unobservable = 0, kNew = 0, rNew = 0, kA = 0, rA = 0, kD = 0, rD = 0;
        int kernelCount = 0;
        List<Long> lags = new ArrayList<>();
        long maxNew = 0;
        for (EntryResult r : out) {
            switch (r.verdict) {
                case MATCHED -> matched++;
                case DIFFERS -> differs++;
                case MISSING -> missing++;
                case EXTRA -> extra++;
                case UNOBSERVABLE -> unobservable++;
            }
            if (r.kernel == null) continue;
            kernelCount++;
            if (UnknownNat.is(r)) { // its lines count apart (UnobservableKill.lines), never as reproduced
                if (r.kernel.newBody != null) kNew++;
                if (r.kernel.assuredAt != Long.MIN_VALUE) kA++;
                if (r.kernel.destroyBody != null) kD++;
                continue;
            }
            Life k = r.kernel, m = r.model;
            if (k.newBody != null) {
                kNew++;
                if (m != null && k.newBody.equals(m.newBody) && r.differences.stream().noneMatch(s -> s.startsWith("NEW"))) {
                    rNew++;
                    maxNew = Math.max(maxNew, k.start - offset - m.start);
                }
            }
            if (k.assuredAt != Long.MIN_VALUE) {
                kA++;
                boolean same = r.verdict == Verdict.UNOBSERVABLE // the model's changes up to the kill (checked there)
                        ? m != null && m.updates.size() >= k.updates.size() && sameUpdates(k.updates, m.updates.subList(0, k.updates.size()))
                        : m != null && sameUpdates(k.updates, m.updates);
                if (m != null && m.assuredAt != Long.MIN_VALUE && same
                        && r.differences.stream().noneMatch(s -> s.startsWith("UPDATE"))) {
                    rA++;
                }
            }
            if (k.destroyBody != null) {
                kD++;
                if (m != null && m.destroyBody != null && r.verdict != Verdict.UNOBSERVABLE
                        && r.differences.stream().noneMatch(s -> s.startsWith("DESTROY"))) {
                    rD++;
                    if (m.destroyInferred == null) lags.add(k.end - offset - m.end); // a lag behind a deadline
                }
            }
        }
        lags.sort(null);
        long min = lags.isEmpty() ? 0 : lags.get(0), max = lags.isEmpty() ? 0 : lags.get(lags.size() - 1);
        long median = lags.isEmpty() ? 0 : lags.get(lags.size() / 2);
        return new Result(List.copyOf(out), offset, estimated, kernelCount, modelCount, outside, matched, differs,
                missing, extra, kNew, rNew, kA, rA, kD, rD, min, median, max, maxNew, unobservable,
                UnobservableKill.lines(out));
    }

    /**
     * The kernel log's clock minus the captures': of the differences between a kernel NEW and a model NEW of the same
     * tuple (and 0, for one clock), the one that pairs the most NEWs within {@link Options#pairingNanos}; ties go to
     * the smallest. Bounded: the first 256 tuples, 16 lives each.
     */
    private static long estimateOffset(Map<String, List<Life>> k, Map<String, List<Life>> m, long window) {
        List<long[]> starts = new ArrayList<>(); // {kernel start, model start} candidates
        List<Long> candidates = new ArrayList<>(List.of(0L));
        int keys = 0;
        for (Map.Entry<String, List<Life>> e : k.entrySet()) {
            List<Life> ms = m.get(e.getKey());
            if (ms == null || keys++ == 256) continue;
            for (Life kl : e.getValue().subList(0, Math.min(16, e.getValue().size()))) {
                for (Life ml : ms.subList(0, Math.min(16, ms.size()))) {
                    if (kl.start == Long.MIN_VALUE || ml.start == Long.MIN_VALUE) continue;
                    starts.add(new long[] {kl.start, ml.start});
                    candidates.add(kl.start - ml.start);
                }
            }
        }
        long best = 0;
        int bestScore = -1;
        for (long c : candidates) {
            int score = 0;
            for (long[] st : starts) if (Math.abs(st[0] - c - st[1]) <= window) score++;
            if (score > bestScore || score == bestScore && Math.abs(c) < Math.abs(best)) {
                best = c;
                bestScore = score;
            }
        }
        return Math.abs(best) <= window ? 0 : best;
    }

    private static Map<String, List<Life>> kernelLives(List<KernelEntry> kernel) {
        Map<String, List<Life>> lives = new LinkedHashMap<>();
        Map<String, Life> open = new LinkedHashMap<>();
        for (KernelEntry e : kernel) {
            if (e.event() == null) continue;
            EntryView v = e.view();
            String key = key(v);
            Life l = open.get(key);
            String body = EventFormat.body(e.event(), v);
            switch (e.event()) {
                case "NEW" -> {
                    l = new Life(key);
                    l.start = e.timestampNanos();
                    l.newBody = body;
                    open.put(key, l);
                    lives.computeIfAbsent(key, x -> new ArrayList<>()).add(l);
                }
                case "UPDATE" -> {
                    if (l == null) l = orphan(key, open, lives);
                    l.updates.add(body);
                    l.updateTimes.add(e.timestampNanos());
                    if (v.has(Status.ASSURED) && l.assuredAt == Long.MIN_VALUE) l.assuredAt = e.timestampNanos();
                }
                default -> {
                    if (l == null) l = orphan(key, open, lives);
                    l.end = e.timestampNanos();
                    l.destroyBody = body;
                    open.remove(key);
                }
            }
        }
        return lives;
    }

    private static Life orphan(String key, Map<String, Life> open, Map<String, List<Life>> lives) {
        Life l = new Life(key);
        open.put(key, l);
        lives.computeIfAbsent(key, x -> new ArrayList<>()).add(l);
        return l;
    }

    private static Map<String, List<Life>> modelLives(List<ConntrackEvent> model, List<ConntrackEvent> predicted) {
        Map<String, List<Life>> lives = new LinkedHashMap<>();
        Map<Long, Life> byId = new LinkedHashMap<>();
        List<ConntrackEvent> all = new ArrayList<>(model);
        all.addAll(predicted);
        java.util.Set<ConntrackEvent> future = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        future.addAll(predicted);
        for (ConntrackEvent e : all) {
            if (!(e instanceof EntryCreated || e instanceof EntryUpdated || e instanceof EntryExpired
                    || e instanceof EntryKilled)) {
                continue;
            }
            EntryView v = e.entry();
            Life l = byId.get(v.id());
            if (l == null) {
                l = new Life(key(v));
                l.id = v.id();
                l.frame = e.frame();
                byId.put(v.id(), l);
                lives.computeIfAbsent(l.key, x -> new ArrayList<>()).add(l);
            }
            String tag = EventFormat.tag(e);
            String body = EventFormat.body(tag, v);
            if (e instanceof EntryCreated) {
                l.start = e.nanos();
                l.newBody = body;
            } else if (e instanceof EntryUpdated) {
                l.updates.add(body);
                l.updateTimes.add(e.nanos());
                l.updateEarliest.add(((EntryUpdated) e).earliestNanos());
                if (v.has(Status.ASSURED) && l.assuredAt == Long.MIN_VALUE) l.assuredAt = e.nanos();
            } else {
                l.end = e.nanos();
                l.destroyBody = body;
                l.destroyPredicted = future.contains(e);
                if (e instanceof EntryKilled x) l.destroyInferred = x.inferred();
            }
        }
        return lives;
    }

    static String key(EntryView v) {
        return EventFormat.protocolName(v.original().protocol()) + " " + v.original().text();
    }
}
