package dev.natrecon.cli;

import dev.natrecon.conntrack.KernelComparison;
import dev.natrecon.conntrack.KernelComparison.EntryResult;
import dev.natrecon.engine.Analysis;
import dev.natrecon.engine.AnalysisInputs;
import dev.natrecon.engine.KernelCheck;
import dev.natrecon.engine.RunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code natrecon compare --kernel-events FILE}: the reconstruction against a real router's conntrack log. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Replay the captures through the router model and compare its events with a real router's "
                + "'conntrack -E -o timestamp,extended' log: per entry matched, differing, missing or extra, with the "
                + "timing differences. Exit status 0 when every kernel NEW, ASSURED UPDATE and DESTROY was reproduced "
                + "and the model has no extra entry, 1 otherwise.")
final class CompareCommand implements Callable<Integer> {
    @CommandLine.Mixin
    CaseOptions options;

    @Option(names = "--kernel-events", paramLabel = "FILE",
            description = "the router's 'conntrack -E -o timestamp,extended' log (default: the case settings' conntrack.events.file)")
    Path kernelEvents;

    @Option(names = "--all", description = "list matched entries too, not only the ones that differ")
    boolean all;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        AnalysisInputs in = options.inputs(spec.commandLine());
        if (kernelEvents != null) in = in.withKernelEvents(kernelEvents);
        if (in.kernelEvents() == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give --kernel-events FILE (or --case settings with conntrack.events.file)");
        }
        RunResult r = Analysis.run(in, List.of());
        KernelCheck c = r.kernelCheck();
        PrintWriter out = spec.commandLine().getOut();
        print(out, c, all);
        KernelComparison.Result x = c.result();
        return x.reproducedLines() == x.kernelLines() && x.extra() == 0 && x.missing() == 0 ? Main.OK : Main.FINDINGS;
    }

    static void print(PrintWriter out, KernelCheck c, boolean all) {
        KernelComparison.Result x = c.result();
        out.printf(Locale.ROOT, "Comparison with %s (%d lines%s)%n", c.file(), c.lines(),
                c.unreadable() == 0 ? "" : ", " + c.unreadable() + " not conntrack events, skipped; first: " + c.firstUnreadable());
        out.printf(Locale.ROOT, "  kernel log clock minus capture clock: %+.6f s (%s)%n", x.offsetNanos() / 1e9,
                x.offsetEstimated() ? "estimated from the NEW events" : "given");
        out.printf(Locale.ROOT, "  entries: kernel %d, model %d; matched %d, differ %d, missing from the model %d, extra in the model %d; "
                        + "kernel entries created outside the captures: %d%n",
                x.kernelEntries(), x.modelEntries(), x.matched(), x.differs(), x.missing(), x.extra(), x.outsideCaptures());
        out.printf(Locale.ROOT, "  kernel lines reproduced: %d of %d (%.1f%%): NEW %d/%d, ASSURED UPDATE %d/%d, DESTROY %d/%d%n",
                x.reproducedLines(), x.kernelLines(), x.percent(), x.reproducedNew(), x.kernelNew(),
                x.reproducedAssured(), x.kernelAssured(), x.reproducedDestroy(), x.kernelDestroy());
        out.printf(Locale.ROOT, "  NEW logged at most %.6f s after the model's packet; DESTROY after the model's deadline: min %.3f s, median %.3f s, max %.3f s%n",
                x.maxNewLagNanos() / 1e9, x.minDestroyLagNanos() / 1e9, x.medianDestroyLagNanos() / 1e9,
                x.maxDestroyLagNanos() / 1e9);
        for (EntryResult e : x.entries()) {
            if (!all && e.verdict() == KernelComparison.Verdict.MATCHED) continue;
            KernelComparison.Life l = e.kernel() != null ? e.kernel() : e.model();
            out.printf(Locale.ROOT, "  %-8s %s%s%n", e.verdict().name().toLowerCase(Locale.ROOT), l.key,
                    e.model() == null ? "" : " (model entry #" + e.model().id + ", first packet " + e.model().frame + ")");
            for (String d : e.differences()) out.println("           " + d);
        }
        out.flush();
    }
}
