package dev.natrecon.engine;

import dev.natrecon.correlate.Crossing;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where one analysis spends its time, by stage and by detector ({@code natrecon bench --costs}, issue 18): handed to
 * the analysis as one more sink, it makes the replay time each stage with {@link System#nanoTime()} and the detectors
 * time each of their own calls. It renders nothing and changes no result; the timing itself costs about two clock
 * reads per stage per frame, which {@link #meterNanos()} estimates.
 *
 * <p>Stage times are exclusive: a stage that runs inside another (the detectors and the outputs receiving the model's
 * events) is counted in its own row, not in the enclosing one's.
 */
public final class Costs implements AnalysisSink {
    /** The replay's stages, in the order a frame goes through them. */
    public enum Stage {
        READ("read the files (merge, decompress)"),
        DECODE("decode, key, keep SIP payloads"),
        MATCH("match LAN and WAN copies"),
        CLASSIFY("classify the crossing"),
        MODEL("router model (conntrack, NAT, SIP helper)"),
        SIP_REWRITES("SIP parse and rewrite classification"),
        BINDINGS("bindings"),
        DETECTORS("detectors, per packet and event"),
        OUTPUTS("outputs while replaying (CSV rows)"),
        KERNEL("kernel log and table comparisons"),
        DETECTORS_FINISH("detectors' findings at the end"),
        RESULT("the run's result (rewrite judgement, verdict)");

        private final String title;

        Stage(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    private static final int OUTSIDE = -1;
    private final long[] nanos = new long[Stage.values().length];
    private final long[] entries = new long[Stage.values().length];
    private final int[] stack = new int[16];
    private int depth;
    private int current = OUTSIDE;
    private long since;
    private long clockReads;
    private final Map<String, Long> writes = new LinkedHashMap<>();
    private final List<DetectorCost> detectors = new ArrayList<>();

    /** One detector's time over the run, its per-event calls and its finish. */
    public record DetectorCost(String name, long streamNanos, long finishNanos) {
        public long totalNanos() {
            return streamNanos + finishNanos;
        }
    }

    /** The time from now on goes to {@code stage}, until the matching {@link #exit}. */
    void enter(Stage stage) {
        long now = System.nanoTime();
        clockReads++;
        if (current != OUTSIDE) nanos[current] += now - since;
        if (depth < stack.length) stack[depth] = current;
        depth++;
        current = stage.ordinal();
        entries[current]++;
        since = now;
    }

    /** Back to the stage that was running before the matching {@link #enter}. */
    void exit() {
        long now = System.nanoTime();
        clockReads++;
        if (current != OUTSIDE) nanos[current] += now - since;
        depth--;
        current = depth < stack.length ? stack[depth] : OUTSIDE;
        since = now;
    }

    /** A sink's {@code finish} (writing its files) took {@code n} ns. */
    void wrote(String sink, long n) {
        writes.merge(sink, n, Long::sum);
        clockReads += 2;
    }

    void detectors(List<DetectorCost> costs, long reads) {
        detectors.addAll(costs);
        clockReads += reads;
    }

    /** Exclusive nanoseconds of {@code stage}. */
    public long nanos(Stage stage) {
        return nanos[stage.ordinal()];
    }

    /** How often {@code stage} was entered. */
    public long entries(Stage stage) {
        return entries[stage.ordinal()];
    }

    /** Per sink (class name), the time its {@code finish} took: the files written at the end. */
    public Map<String, Long> writes() {
        return Collections.unmodifiableMap(writes);
    }

    /** Per detector, in registry order. */
    public List<DetectorCost> detectorCosts() {
        return List.copyOf(detectors);
    }

    /** Clock reads the metering made. */
    public long clockReads() {
        return clockReads;
    }

    /**
     * An estimate of what the metering itself cost: its clock reads times the cost of one read, measured here. The
     * stage times include it, spread over the stages.
     */
    public long meterNanos() {
        int n = 100_000;
        long t0 = System.nanoTime(), x = 0;
        for (int i = 0; i < n; i++) x += System.nanoTime();
        long per = (System.nanoTime() - t0) / n;
        return x == 0 ? 0 : clockReads * per;
    }

    @Override
    public void packet(Crossing c) {
    }

    @Override
    public void finish(RunResult result) {
    }
}
