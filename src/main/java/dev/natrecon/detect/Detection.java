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
     * Findings kept per rule id. A detector reports one finding per instance; past this many, more instances of one
     * rule add volume, not insight, and a capture that claims millions of them (clashes, stale bindings) must not
     * hold them all: the rest are counted ({@link #notKept}) and the case says so ({@code detect.too_many_findings}).
     * The cap is applied as findings arrive, in each detector's own order (time order for most).
     */
    public static final int MAX_FINDINGS_PER_RULE = 500;

    private final LiveEntries entries;
    private final List<Detector> detectors;
    private final java.util.Map<String, Long> notKept = new java.util.TreeMap<>();
    private final java.util.Map<dev.natrecon.capture.Bound, Long> boundsHit = new java.util.EnumMap<>(dev.natrecon.capture.Bound.class);

    /** {@code entries} is the window onto the model's table the detectors were given ({@link #readTable}). */
    public Detection(LiveEntries entries, List<Detector> detectors) {
        this.entries = entries;
        this.detectors = List.copyOf(detectors);
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

    public void packet(Crossing c) {
        for (Detector d : detectors) d.packet(c);
    }

    /** The detectors read the model's own table through {@code table} (read-only; no copy is kept here). */
    public void readTable(LiveEntries.Table table) {
        entries.attach(table);
    }

    public void conntrack(ConntrackEvent e) {
        for (Detector d : detectors) d.conntrack(e);
    }

    public void expectation(ExpectationEvent e) {
        for (Detector d : detectors) d.expectation(e);
    }

    public void uplink(UplinkChange c) {
        for (Detector d : detectors) d.uplink(c);
    }

    /** The keepalive timeline ({@code keepalive.csv}) of the run, complete after {@link #finish}; empty without one. */
    public List<KeepaliveRow> keepalive() {
        for (Detector d : detectors) if (d instanceof KeepaliveDetector k) return k.rows();
        return List.of();
    }

    /**
     * The findings of every detector, in {@link #ORDER} with the instances of one finding ({@link Causes#group})
     * together; a finding whose id its detector does not declare is a bug.
     */
    public List<Finding> finish(DetectionContext context) {
        List<Finding> out = new ArrayList<>();
        java.util.Map<String, int[]> kept = new java.util.HashMap<>();
        for (Detector d : detectors) {
            List<String> ids = d.rules().stream().map(Rule::id).toList();
            d.finish(context, f -> {
                if (!ids.contains(f.id())) {
                    throw new IllegalStateException(d.getClass().getSimpleName() + " reported undeclared id " + f.id());
                }
                int[] n = kept.computeIfAbsent(f.id(), k -> new int[1]);
                if (n[0] >= MAX_FINDINGS_PER_RULE) {
                    notKept.merge(f.id(), 1L, Long::sum);
                    return;
                }
                n[0]++;
                out.add(f);
            });
        }
        for (Detector d : detectors) {
            d.findingsNotKept().forEach((id, n) -> notKept.merge(id, n, Long::sum));
            d.boundsHit().forEach((b, n) -> boundsHit.merge(b, n, Long::sum));
        }
        out.sort(ORDER);
        return List.copyOf(Causes.contiguous(out)); // one finding per rule and cause: its instances together
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
