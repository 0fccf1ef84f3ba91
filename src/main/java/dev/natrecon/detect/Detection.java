package dev.natrecon.detect;

import dev.natrecon.correlate.Inside;
import dev.natrecon.conntrack.ConntrackEvent;
import dev.natrecon.conntrack.ExpectationEvent;
import dev.natrecon.correlate.Crossing;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Drives a set of detectors over one replay and gathers their findings in a stable order. */
public final class Detection {
    /** Most severe first, then by time, id and subject: the order of every report. */
    public static final Comparator<Finding> ORDER = Comparator.comparing(Finding::severity).reversed()
            .thenComparingLong(Finding::nanos).thenComparing(Finding::id).thenComparing(Finding::subject)
            .thenComparing(Finding::message);

    /**
     * Findings (groups: one rule, severity and cause, {@link Causes}) kept per rule id and severity. Past this many, more findings of
     * one rule add volume, not insight, and a capture that claims millions of them (one stale binding per flow) must
     * not hold them all: the rest are counted ({@link #notKept}) and the case says so ({@code detect.too_many_findings}).
     * The caps are applied as instances arrive, in each detector's own order (time order for most), to the instances
     * of each finding, so one large finding never crowds out another.
     */
    public static final int MAX_FINDINGS_PER_RULE = 500;
    /**
     * Instances listed per finding (rows of findings.csv, entries of report.html); the rest are counted in the finding
     * ({@link Finding#unlisted}, {@link FindingGroup#count}) and noticed ({@link #notListed}).
     */
    public static final int MAX_INSTANCES_PER_GROUP = 500;
    /**
     * Instances listed per rule and severity over all its findings: ten findings' worth of instances, the memory bound with
     * {@link #MAX_FINDINGS_PER_RULE}. Past it a finding still lists its first instance; the rest are counted.
     */
    public static final int MAX_INSTANCES_PER_RULE = 10 * MAX_INSTANCES_PER_GROUP;

    private final LiveEntries entries;
    private final List<Detector> detectors;
    /**
     * The same detectors as an array for the per-packet and per-event loops: an index loop over an array allocates
     * nothing, where the list's iterator is one object per call under C1 (no escape analysis).
     */
    private final Detector[] each;
    /**
     * Per detector, the {@link PacketKinds} it reads now ({@link Detector#interest}), asked again after every event and
     * every frame beyond {@link PacketKinds#ORDINARY}: a frame of none of them costs a bit test, not a call.
     */
    private final int[] wants;
    /**
     * The detectors that read frames of kinds {@link #calleeKinds} (the first {@link #calleeCount}), in registry order:
     * chosen again when a frame's kinds differ or an interest was asked again, so a run of RTP frames calls its few
     * readers without testing the others.
     */
    private final Detector[] callees;
    private int calleeCount;
    private int calleeKinds = -1;
    private final java.util.Map<String, Long> notKept = new java.util.TreeMap<>();
    private final java.util.Map<String, Long> notListed = new java.util.TreeMap<>();
    private final java.util.Map<dev.natrecon.capture.Bound, Long> boundsHit = new java.util.EnumMap<>(dev.natrecon.capture.Bound.class);
    /** {@link #meter}: the clock, and per detector its per-packet/event and finish nanoseconds. */
    private java.util.function.LongSupplier ticks;
    private long[] streamNanos;
    private long[] finishNanos;
    private long reads;

    /** {@code entries} is the window onto the model's table the detectors were given ({@link #readTable}). */
    public Detection(LiveEntries entries, List<Detector> detectors) {
        this.entries = entries;
        this.detectors = List.copyOf(detectors);
        this.each = this.detectors.toArray(new Detector[0]);
        this.wants = new int[each.length];
        this.callees = new Detector[each.length];
        askInterest();
    }

    /** Reads every detector's {@link Detector#interest} again. */
    private void askInterest() {
        Detector[] ds = each;
        for (int i = 0; i < ds.length; i++) wants[i] = ds[i].interest();
        calleeKinds = -1;
    }

    /** {@link #callees}: the detectors reading frames of {@code kinds}. */
    private void chooseCallees(int kinds) {
        int n = 0;
        for (int i = 0; i < each.length; i++) if ((wants[i] & kinds) != 0) callees[n++] = each[i];
        calleeCount = n;
        calleeKinds = kinds;
    }

    /** Every registered detector. */
    public static Detection standard() {
        return standard(Inside.privateRanges());
    }

    /** Every registered detector, {@code inside} being what the case puts behind the router. */
    public static Detection standard(Inside inside) {
        LiveEntries entries = new LiveEntries();
        return new Detection(entries, Detectors.all(entries, inside));
    }

    /** The detectors for one capture of one side ({@link Detectors#oneSide}). */
    public static Detection oneSide(Inside inside) {
        LiveEntries entries = new LiveEntries();
        return new Detection(entries, Detectors.oneSide(entries, inside));
    }

    /** A frame after matching, to every detector that reads its {@link PacketKinds}. */
    public void packet(Crossing c) {
        int kinds = PacketKinds.of(c.seen());
        Detector[] ds = each;
        int[] w = wants;
        if (ticks != null) {
            for (int i = 0; i < ds.length; i++) {
                if ((w[i] & kinds) == 0) continue;
                long t0 = ticks.getAsLong();
                ds[i].packet(c);
                streamNanos[i] += ticks.getAsLong() - t0;
                reads += 2;
            }
        } else {
            if (kinds != calleeKinds) chooseCallees(kinds);
            Detector[] cs = callees;
            for (int i = 0, n = calleeCount; i < n; i++) cs[i].packet(c);
        }
        if ((kinds & ~PacketKinds.ORDINARY) != 0) askInterest();
    }

    /**
     * Times every call to each detector with {@code ticks} (nanoseconds; the engine's clock: nothing here reads one)
     * for a cost table ({@link #costs}); the findings do not change.
     */
    public void meter(java.util.function.LongSupplier ticks) {
        this.ticks = ticks;
        streamNanos = new long[detectors.size()];
        finishNanos = new long[detectors.size()];
    }

    /**
     * Per detector (simple class name, registry order): nanoseconds in its per-packet and per-event calls, then in its
     * {@code finish}; empty unless {@link #meter metered}.
     */
    public java.util.Map<String, long[]> costs() {
        java.util.Map<String, long[]> out = new java.util.LinkedHashMap<>();
        if (ticks == null) return out;
        for (int i = 0; i < detectors.size(); i++) {
            long[] c = out.computeIfAbsent(detectors.get(i).getClass().getSimpleName(), k -> new long[2]);
            c[0] += streamNanos[i];
            c[1] += finishNanos[i];
        }
        return out;
    }

    /** Clock reads the metering made. */
    public long meterReads() {
        return reads;
    }

    /** The detectors read the model's own table through {@code table} (read-only; no copy is kept here). */
    public void readTable(LiveEntries.Table table) {
        entries.attach(table);
    }

    public void conntrack(ConntrackEvent e) {
        if (ticks != null) {
            for (int i = 0; i < detectors.size(); i++) {
                long t0 = ticks.getAsLong();
                detectors.get(i).conntrack(e);
                streamNanos[i] += ticks.getAsLong() - t0;
            }
            reads += 2L * detectors.size();
            askInterest();
            return;
        }
        Detector[] ds = each;
        for (int i = 0; i < ds.length; i++) ds[i].conntrack(e);
        askInterest();
    }

    public void expectation(ExpectationEvent e) {
        for (int i = 0; i < detectors.size(); i++) {
            long t0 = ticks == null ? 0 : ticks.getAsLong();
            detectors.get(i).expectation(e);
            if (ticks != null) streamNanos[i] += ticks.getAsLong() - t0;
        }
        askInterest();
    }

    public void uplink(UplinkChange c) {
        for (Detector d : detectors) d.uplink(c);
        askInterest();
    }

    /** The keepalive timeline ({@code keepalive.csv}) of the run, complete after {@link #finish}; empty without one. */
    public List<KeepaliveRow> keepalive() {
        for (Detector d : detectors) if (d instanceof KeepaliveDetector k) return k.rows();
        return List.of();
    }


    /** Every call the media detector judged ({@code calls.csv}), complete after {@link #finish}; empty without one. */
    public List<CallRecord> calls() {
        for (Detector d : detectors) if (d instanceof MediaDetector m) return m.calls();
        return List.of();
    }

    /**
     * The findings of every detector, in {@link #ORDER} with the instances of one finding ({@link Causes#group})
     * together; a finding whose id its detector does not declare is a bug.
     */
    public List<Finding> finish(DetectionContext context) {
        List<Finding> out = new ArrayList<>();
        // per rule: findings and instances listed; per finding (Causes.key): instances listed, last one's index, unlisted
        java.util.Map<String, int[]> perRule = new java.util.HashMap<>();
        java.util.Map<String, int[]> perGroup = new java.util.HashMap<>();
        java.util.Map<String, Long> unlisted = new java.util.LinkedHashMap<>();
        for (int di = 0; di < detectors.size(); di++) {
            Detector d = detectors.get(di);
            long t0 = ticks == null ? 0 : ticks.getAsLong();
            List<String> ids = d.rules().stream().map(Rule::id).toList();
            d.finish(context, f -> {
                if (!ids.contains(f.id())) {
                    throw new IllegalStateException(d.getClass().getSimpleName() + " reported undeclared id " + f.id());
                }
                // per rule and severity: many info findings of a rule never crowd out its errors
                int[] rule = perRule.computeIfAbsent(f.id() + ' ' + f.severity(), k -> new int[2]);
                String key = Causes.key(f);
                int[] group = perGroup.get(key);
                if (group == null) {
                    if (rule[0] >= MAX_FINDINGS_PER_RULE) {
                        notKept.merge(f.id(), 1L, Long::sum);
                        return;
                    }
                    rule[0]++;
                    perGroup.put(key, group = new int[2]);
                } else if (group[0] >= MAX_INSTANCES_PER_GROUP || rule[1] >= MAX_INSTANCES_PER_RULE) {
                    unlisted.merge(key, 1L, Long::sum);
                    notListed.merge(f.id(), 1L, Long::sum);
                    return;
                }
                group[0]++;
                group[1] = out.size();
                rule[1]++;
                out.add(f);
            });
            if (ticks != null) finishNanos[di] += ticks.getAsLong() - t0;
        }
        // a finding counts every instance: its last listed one stands for those only counted
        unlisted.forEach((key, n) -> {
            int last = perGroup.get(key)[1];
            out.set(last, out.get(last).withUnlisted(n));
        });
        for (Detector d : detectors) {
            d.findingsNotKept().forEach((id, n) -> notKept.merge(id, n, Long::sum));
            d.boundsHit().forEach((b, n) -> boundsHit.merge(b, n, Long::sum));
        }
        out.sort(ORDER);
        return List.copyOf(Causes.contiguous(out)); // one finding per rule and cause: its instances together
    }

    /**
     * Per rule id, the instances counted in their finding but not listed (past {@link #MAX_INSTANCES_PER_GROUP} or
     * {@link #MAX_INSTANCES_PER_RULE}; after {@link #finish}).
     */
    public java.util.Map<String, Long> notListed() {
        return java.util.Collections.unmodifiableMap(notListed);
    }

    /** Per rule id, the findings past {@link #MAX_FINDINGS_PER_RULE} that were counted, not kept (after {@link #finish}). */
    public java.util.Map<String, Long> notKept() {
        return java.util.Collections.unmodifiableMap(notKept);
    }

    /** The bounds the detectors' own state reached (after {@link #finish}). */
    public java.util.Map<dev.natrecon.capture.Bound, Long> boundsHit() {
        return java.util.Collections.unmodifiableMap(boundsHit);
    }

    /** The most severe finding's severity, or null when there is none. */
    public static Severity worst(List<Finding> findings) {
        Severity w = null;
        for (Finding f : findings) if (w == null || f.severity().compareTo(w) > 0) w = f.severity();
        return w;
    }
}
