package dev.natrecon.cli;

import dev.natrecon.conntrack.KernelComparison;
import dev.natrecon.conntrack.KernelComparison.EntryResult;
import dev.natrecon.engine.Analysis;
import dev.natrecon.engine.AnalysisInputs;
import dev.natrecon.engine.KernelCheck;
import dev.natrecon.engine.KernelTableCheck;
import dev.natrecon.engine.RunResult;
import dev.natrecon.conntrack.EntryView;
import dev.natrecon.conntrack.EventFormat;
import dev.natrecon.conntrack.KernelTableComparison;
import dev.natrecon.conntrack.UnknownNat;
import dev.natrecon.capture.Times;
import java.util.ArrayList;
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

/**
 * {@code natrecon compare --kernel-events FILE | --kernel-table FILE}: the reconstruction against a real router's
 * conntrack log or table listing.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Replay the captures through the router model and compare its events with a real router's "
                + "'conntrack -E -o timestamp,extended' log (per entry matched, differing, missing or extra, with the "
                + "timing differences), and/or its table with 'conntrack -L -o extended' listings (per entry, at the "
                + "listing's instant: given by --table-at, else the instant the table fits best). Exit status 0 when "
                + "every kernel NEW, ASSURED UPDATE and DESTROY was reproduced, every listed entry matched and the model "
                + "has no extra entry, 1 otherwise.")
final class CompareCommand implements Callable<Integer> {
    @CommandLine.Mixin
    CaseOptions options;

    @Option(names = "--kernel-events", paramLabel = "FILE",
            description = "the router's 'conntrack -E -o timestamp,extended' log (default: the case settings' conntrack.events.file)")
    Path kernelEvents;

    @Option(names = "--kernel-table", paramLabel = "FILE",
            description = "a 'conntrack -L -o extended' listing of the router (repeatable; default: the case settings' "
                    + "conntrack.snapshot.file and conntrack.snapshot.end.file)")
    List<Path> kernelTables;

    @Option(names = "--table-at", paramLabel = "TIME",
            description = "when the --kernel-table listings were taken: epoch seconds, ISO-8601, or +SECONDS after the "
                    + "first packet (default: found by the replay, the instant the model's table fits the listing best)")
    String tableAt;

    @Option(names = "--all", description = "list matched entries too, not only the ones that differ")
    boolean all;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        InputFiles.file("--kernel-events", kernelEvents);
        if (kernelTables != null) for (Path p : kernelTables) InputFiles.file("--kernel-table", p);
        AnalysisInputs in = options.inputs(spec.commandLine());
        if (kernelEvents != null) in = in.withKernelEvents(kernelEvents);
        if (tableAt != null && kernelTables == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--table-at needs --kernel-table FILE");
        }
        if (kernelTables != null) {
            Long at = tableAt == null ? null : SnapshotCommand.parse(tableAt, Analysis.firstFrameNanos(in), spec.commandLine());
            List<AnalysisInputs.KernelTable> tables = new ArrayList<>();
            for (Path p : kernelTables) tables.add(new AnalysisInputs.KernelTable(p, at));
            in = in.withKernelTables(tables);
        }
        if (in.kernelEvents() == null && in.kernelTables().isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --kernel-events FILE and/or "
                    + "--kernel-table FILE (or --case settings with conntrack.events.file or conntrack.snapshot.file)");
        }
        RunResult r = Analysis.run(in, List.of());
        PrintWriter out = spec.commandLine().getOut();
        boolean agrees = true;
        KernelCheck c = r.kernelCheck();
        long origin = r.captures().isEmpty() ? 0 : Analysis.firstFrameNanos(in);
        printInferred(out, r.decisions());
        if (c != null) {
            print(out, c, all, origin);
            KernelComparison.Result x = c.result();
            agrees = x.reproducedLines() == x.kernelLines() && x.extra() == 0 && x.missing() == 0;
        }
        if (r.expectCheck() != null) {
            dev.natrecon.conntrack.KernelExpectationComparison.Result x = r.expectCheck().result();
            out.printf(Locale.ROOT, "Expectations compared with %s: kernel lines reproduced %d of %d, extra in the model %d%n",
                    r.expectCheck().file(), x.reproduced(), x.kernelLines(), x.extra().size());
            for (String p : x.problems()) out.println("  " + p);
            agrees &= x.agrees();
        }
        for (KernelTableCheck t : r.tableChecks()) {
            print(out, t, r.captures().isEmpty() ? 0 : Analysis.firstFrameNanos(in), all);
            agrees &= t.result() != null && t.result().agrees();
        }
        return agrees ? Main.OK : Main.FINDINGS;
    }

    static void print(PrintWriter out, KernelTableCheck t, long origin, boolean all) {
        KernelTableComparison.Result x = t.result();
        out.printf(Locale.ROOT, "Table comparison with %s (%d entries%s)%n", t.file(), t.entries(),
                t.unreadable() == 0 ? "" : ", " + t.unreadable() + " lines not conntrack entries, skipped; first: " + t.firstUnreadable());
        if (x == null) {
            out.println("  no packet reached the model, so there was no table to compare");
            out.flush();
            return;
        }
        out.printf(Locale.ROOT, "  at %s (+%.3f s after the first packet; %s)%n", Times.iso(x.atNanos()),
                (x.atNanos() - origin) / 1e9, x.estimated()
                        ? "the instant the model's table fits best: a " + KernelTableCheck.GRID_NANOS / 1e9 + " s grid and the last packet"
                        : "given");
        out.printf(Locale.ROOT, "  entries: kernel %d, model %d; matched %d, differ %d, missing from the model %d, extra in "
                        + "the model %d; seconds left differ by at most %d s%n", x.kernelEntries(), x.modelEntries(),
                x.matched(), x.differs(), x.missing(), x.extra(), x.maxTimeoutDifferenceSeconds());
        if (x.unobservable() > 0) {
            out.printf(Locale.ROOT, "  not observable from the captures: %d entr%s (kept by the kernel where the model "
                    + "inferred a flush under an assumed rule, or translated to an address no capture shows; not counted "
                    + "as matched)%n", x.unobservable(),
                    x.unobservable() == 1 ? "y" : "ies");
        }
        for (KernelTableComparison.EntryResult e : x.entries()) {
            if (!all && e.verdict() == KernelTableComparison.Verdict.MATCHED) continue;
            EntryView v = e.kernel() != null ? e.kernel() : e.model();
            out.printf(Locale.ROOT, "  %-8s %s%n", e.verdict().name().toLowerCase(Locale.ROOT), EventFormat.listing(v, 1));
            for (String d : e.differences()) out.println("           " + d);
            if (e.kernel() != null && e.model() != null && e.kernel().origPackets() >= 0 && e.model().origPackets() >= 0) {
                out.printf(Locale.ROOT, "           packets: kernel %d/%d, model %d/%d (original/reply)%n",
                        e.kernel().origPackets(), e.kernel().replyPackets(), e.model().origPackets(), e.model().replyPackets());
            }
        }
        out.flush();
    }

    /** What the model inferred from the captures about the router's history, each with its window and frames. */
    static void printInferred(PrintWriter out, List<String> decisions) {
        List<String> inferred = decisions.stream().filter(d -> d.startsWith("model inferred: ")).toList();
        if (inferred.isEmpty()) return;
        out.println("Inferred from the captures (not shown by them; applied at the window's start):");
        for (String d : inferred) out.println("  " + d.substring("model inferred: ".length()));
    }

    static void print(PrintWriter out, KernelCheck c, boolean all) {
        print(out, c, all, 0);
    }

    /** @param origin the first packet's time, for the "+s" of inferred windows */
    static void print(PrintWriter out, KernelCheck c, boolean all, long origin) {
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
        if (x.unobservable() > 0) {
            out.printf(Locale.ROOT, "  not observable from the captures: %d kernel line(s) of %d entr%s (deleted without a packet, "
                            + "or flushed by the model under an assumed rule, and re-created identically by the next; not "
                            + "counted as reproduced)%n",
                    x.unobservableLines(), x.unobservable(), x.unobservable() == 1 ? "y" : "ies");
        }
        out.printf(Locale.ROOT, "  NEW logged at most %.6f s after the model's packet; DESTROY after the model's deadline: min %.3f s, median %.3f s, max %.3f s%n",
                x.maxNewLagNanos() / 1e9, x.minDestroyLagNanos() / 1e9, x.medianDestroyLagNanos() / 1e9,
                x.maxDestroyLagNanos() / 1e9);
        // the entries an inferred DESTROY's proof created: the packet that proves the old entry gone made them
        java.util.Map<String, KernelComparison.Life> replaced = new java.util.HashMap<>();
        for (EntryResult e : x.entries()) {
            dev.natrecon.conntrack.Inferred w = e.model() == null ? null : e.model().destroyInferred;
            if (w != null && w.evidence().size() > 1) replaced.put(e.model().key + " " + w.evidence().get(1), e.model());
        }
        for (EntryResult e : x.entries()) {
            dev.natrecon.conntrack.Inferred w = e.model() == null ? null : e.model().destroyInferred;
            KernelComparison.Life old = e.model() == null ? null : replaced.get(e.model().key + " " + e.model().frame);
            if (!all && e.verdict() == KernelComparison.Verdict.MATCHED && w == null && old == null) continue;
            KernelComparison.Life l = e.kernel() != null ? e.kernel() : e.model();
            out.printf(Locale.ROOT, "  %-8s %s%s%n", e.verdict().name().toLowerCase(Locale.ROOT), l.key,
                    e.model() == null ? "" : " (model entry #" + e.model().id + ", first packet " + e.model().frame + ")");
            if (w != null) {
                out.printf(Locale.ROOT, "           DESTROY inferred, %s window +%.6f .. +%.6f s%s; rests on %s%n",
                        e.kernel() == null || e.kernel().destroyBody == null ? "in the"
                                : w.admits(e.kernel().end - x.offsetNanos(), KernelComparison.Options.DEFAULT.gcLagNanos())
                                ? "kernel's within the" : "kernel's outside the",
                        (w.earliestNanos() - origin) / 1e9, (w.latestNanos() - origin) / 1e9,
                        e.kernel() == null || e.kernel().destroyBody == null ? ""
                                : String.format(Locale.ROOT, " (kernel's at +%.6f s)", (e.kernel().end - x.offsetNanos() - origin) / 1e9),
                        w.evidence().isEmpty() ? "the case settings" : w.frames());
            }
            if (old != null) {
                out.printf(Locale.ROOT, "           NEW by %s, the packet that proves entry #%d gone (inferred: a new entry with %s); "
                        + "rests on %s%n", e.model().frame, old.id, newEntryNat(e), old.destroyInferred.frames());
            }
            for (String d : e.differences()) out.println("           " + d);
        }
        out.flush();
    }

    /**
     * What the NAT of a new entry the model inferred rests on: the WAN copy of its first packet, or none (made on an
     * uplink no capture shows: {@link UnknownNat}), then either still unknown or revealed by a later copy.
     */
    static String newEntryNat(KernelComparison.EntryResult e) {
        KernelComparison.Life m = e.model();
        boolean unknown = m.natUnknownAtFirst || e.verdict() == KernelComparison.Verdict.UNOBSERVABLE
                || (m.newBody != null && m.newBody.contains(" dst=" + UnknownNat.ADDRESS + " "));
        if (!unknown) return "the NAT its copy shows";
        return e.verdict() == KernelComparison.Verdict.MATCHED
                ? "the NAT of an uplink no capture shows: its first packet had no WAN copy; a later copy revealed it"
                : "the NAT of an uplink no capture shows: " + UnknownNat.MARKER + ", no WAN copy of it";
    }
}
