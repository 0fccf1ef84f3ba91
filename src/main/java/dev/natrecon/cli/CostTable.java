package dev.natrecon.cli;

import dev.natrecon.batch.CaseRunner;
import dev.natrecon.engine.AnalysisInputs;
import dev.natrecon.engine.Costs;
import dev.natrecon.engine.RunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench --costs}: one {@code analyze} of a LAN/WAN pair in this process, with its default outputs written to a
 * scratch folder, and where its time went: per stage of the replay, per file-writing sink, per detector
 * ({@link Costs}). The analysis's results are those of {@code analyze}; only the clock is read more often.
 */
final class CostTable {
    private CostTable() {
    }

    static void run(PrintWriter out, Path lan, Path wan, Path caseDir) throws IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean cpu = threads.isCurrentThreadCpuTimeSupported();
        Costs costs = new Costs();
        long cpu0 = cpu ? threads.getCurrentThreadCpuTime() : 0;
        long t0 = System.nanoTime();
        RunResult r = CaseRunner.analyzeInto(AnalysisInputs.pair(lan, wan), caseDir, false, List.of(costs));
        long total = System.nanoTime() - t0;
        long cpuTotal = cpu ? threads.getCurrentThreadCpuTime() - cpu0 : -1;
        long frames = r.packetsReplayed();
        out.printf(Locale.ROOT, "%nCosts of one analyze (in this process, default outputs into %s): %,d frames in "
                + "%.2f s wall%s%n", caseDir, frames, total / 1e9,
                cpuTotal < 0 ? "" : String.format(Locale.ROOT, ", %.2f s CPU on the analysis thread", cpuTotal / 1e9));
        String fmt = "  %-48s %10s %7s %14s%n";
        out.printf(Locale.ROOT, fmt, "stage (exclusive time)", "ms", "%", "entered");
        long accounted = 0;
        for (Costs.Stage s : Costs.Stage.values()) {
            long n = costs.nanos(s);
            accounted += n;
            out.printf(Locale.ROOT, fmt, s.title(), ms(n), pct(n, total), String.format(Locale.ROOT, "%,d", costs.entries(s)));
        }
        for (Map.Entry<String, Long> w : costs.writes().entrySet()) {
            accounted += w.getValue();
            out.printf(Locale.ROOT, fmt, "write: " + w.getKey() + ".finish", ms(w.getValue()), pct(w.getValue(), total), "1");
        }
        long rest = total - accounted;
        out.printf(Locale.ROOT, fmt, "outside the replay (clock sample, survey, setup)", ms(rest), pct(rest, total), "");
        List<Costs.DetectorCost> det = new ArrayList<>(costs.detectorCosts());
        det.sort(Comparator.comparingLong(Costs.DetectorCost::totalNanos).reversed());
        String dfmt = "  %-32s %12s %12s %10s %7s%n";
        out.printf(Locale.ROOT, dfmt, "detector", "stream ms", "finish ms", "total ms", "%");
        for (Costs.DetectorCost d : det) {
            out.printf(Locale.ROOT, dfmt, d.name(), ms(d.streamNanos()), ms(d.finishNanos()), ms(d.totalNanos()),
                    pct(d.totalNanos(), total));
        }
        long meter = costs.meterNanos();
        out.printf(Locale.ROOT, "  %% of the whole run's wall clock. The metering read the clock %,d times (about %s ms, "
                + "%s%%, spread over the stages above).%n", costs.clockReads(), ms(meter), pct(meter, total));
        out.flush();
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    private static String pct(long part, long whole) {
        return whole <= 0 ? "-" : String.format(Locale.ROOT, "%.1f", 100.0 * part / whole);
    }
}
