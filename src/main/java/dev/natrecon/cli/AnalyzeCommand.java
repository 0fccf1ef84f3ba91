package dev.natrecon.cli;

import dev.natrecon.correlate.Binding;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Disposition;
import dev.natrecon.detect.Detection;
import dev.natrecon.detect.Finding;
import dev.natrecon.detect.Severity;
import dev.natrecon.engine.Analysis;
import dev.natrecon.engine.AnalysisInputs;
import dev.natrecon.engine.CaptureStats;
import dev.natrecon.engine.ModelSummary;
import dev.natrecon.engine.RunResult;
import dev.natrecon.batch.CaseRunner;
import dev.natrecon.report.PacketRows;
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

/** {@code natrecon analyze}: one case, summary on the terminal, files in the output folder. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Merge the LAN and WAN captures on one timeline, match every packet with its counterpart across "
                + "the NAT, replay them through the model of the router's conntrack and NAT, and write summary.json, "
                + "summary.md, report.html (one self-contained page: verdict, findings with evidence, SIP ladders, timelines, "
                + "charts), charts/ (PNG and SVG), packets.csv, mappings.csv, events.csv, expectations.csv, sip.csv, "
                + "findings.csv and tablesize.csv. "
                + "The folder is written under a temporary name beside it and swapped into place whole, so it always "
                + "holds one complete run. The verdict is CLEAN, WARNING or ERROR (the worst finding), or INCONCLUSIVE "
                + "when the captures cannot show what the router did (they do not overlap in time, too few packets "
                + "match across the router, the interface roles rest on a handful of packets, or there is no SIP or "
                + "RTP), with the reason and its figures. Exit status: 0 when no finding reaches --fail-on and the run "
                + "is not inconclusive, 1 when a finding reaches --fail-on (also when inconclusive), 4 when "
                + "inconclusive and no finding reaches --fail-on (--fail-on never: 0 for any verdict), 2 on usage or "
                + "input errors (one line naming the file), 70 on an internal error.")
final class AnalyzeCommand implements Callable<Integer> {
    @CommandLine.Mixin
    CaseOptions options;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "output folder (default: reports/<case folder> for --case, else reports/<folder>-<LAN stem>+<WAN "
                    + "stem> or reports/<folder>-<router stem>; -2, -3... when that name holds another case's report)")
    Path output;

    @Option(names = "--fail-on", paramLabel = "SEVERITY", defaultValue = "error",
            description = "exit with status 1 when a finding is at least this severe: info, warning, error (default), "
                    + "or never (exit 0 whatever the findings and the verdict)")
    String failOn;

    @Option(names = "--no-redact", description = "show SIP Authorization and Proxy-Authorization credentials in "
            + "report.html and summary.md (redacted by default)")
    boolean noRedact;

    @Option(names = {"-v", "--verbose"}, description = "also show the info findings on the terminal (they are always in "
            + "report.html, summary.md and findings.csv)")
    boolean verbose;

    @Option(names = "--packets", description = "list every frame in packets.csv (default: only the frames dropped, "
            + "leaked, routed back or malformed; the rest are counted in summary.json)")
    boolean packets;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Severity threshold = threshold(failOn, spec.commandLine());
        AnalysisInputs in = options.inputs(spec.commandLine());
        // the default folder is unique to the case and never another case's (OutputFolder)
        Path dir = output != null ? output : OutputFolder.choose(OutputFolder.REPORTS, in, options.caseFile);
        // progress on stderr, only on a terminal: piped output stays the same
        List<Path> files = in.routerCapture() ? List.of(in.router()) : in.singleCapture() ? List.of(in.lan())
                : List.of(in.lan(), in.wan());
        RunResult r = CaseRunner.analyzeInto(in, dir, !noRedact, packets ? PacketRows.ALL : PacketRows.NOTABLE,
                AnalyzeProgress.forTerminal(System.console() != null, spec.commandLine().getErr(), files));
        // every line within ColumnWriter.COLUMNS; the verdict and the findings first, the figures after them
        PrintWriter out = ColumnWriter.over(spec.commandLine().getOut());
        out.printf(Locale.ROOT, "Case %s%n", TerminalWriter.oneLine(r.caseName()));
        printVerdict(out, r.verdict(), r.findings());
        FindingLines.print(out, r.findings(), verbose);
        print(out, r, dir);
        if (r.kernelCheck() != null) CompareCommand.print(out, r.kernelCheck(), false);
        for (dev.natrecon.engine.KernelTableCheck t : r.tableChecks()) {
            CompareCommand.print(out, t, Analysis.firstFrameNanos(in), false);
        }
        out.flush();
        return exitStatus(r.verdict(), threshold);
    }

    /**
     * The exit status of a run: {@link Main#FINDINGS} when a finding reaches {@code threshold} (a finding seen is
     * seen, even when the run is inconclusive), else {@link Main#INCONCLUSIVE} when it is, else {@link Main#OK};
     * always {@link Main#OK} for {@code --fail-on never} (null).
     */
    static int exitStatus(dev.natrecon.engine.RunVerdict v, Severity threshold) {
        if (threshold == null) return Main.OK;
        if (v.worst() != null && v.worst().compareTo(threshold) >= 0) return Main.FINDINGS;
        return v.inconclusive() ? Main.INCONCLUSIVE : Main.OK;
    }

    /** "Verdict: INCONCLUSIVE (...)" and its reasons, one line each. */
    static void printVerdict(PrintWriter out, dev.natrecon.engine.RunVerdict v, List<Finding> findings) {
        out.println(FindingLines.verdict(v, findings));
        for (dev.natrecon.engine.RunVerdict.Reason x : v.reasons()) {
            out.print(wrap("  inconclusive: " + TerminalWriter.oneLine(x.text()), "    "));
        }
        if (v.oneSide()) {
            out.print(wrap("  one capture cannot show: drops, leaks through the router, SIP helper (ALG) errors, the "
                    + "router's real translations (report.html, \"What one capture cannot show\")", "    "));
        }
        out.flush();
    }

    /** Terminal width natrecon's own wrapped lines keep to. */
    static final int COLUMNS = ColumnWriter.COLUMNS;

    /** {@code text} broken at spaces into lines of at most {@link #COLUMNS}, the later ones indented. */
    static String wrap(String text, String indent) {
        StringBuilder b = new StringBuilder();
        String rest = text;
        while (rest.length() > COLUMNS) {
            int cut = rest.lastIndexOf(' ', COLUMNS);
            if (cut <= indent.length()) cut = rest.indexOf(' ', COLUMNS);
            if (cut < 0) break;
            b.append(rest, 0, cut).append('\n');
            rest = indent + rest.substring(cut + 1);
        }
        return b.append(rest).append('\n').toString();
    }

    /** The {@code --fail-on} value: a severity, or null for "never". */
    static Severity threshold(String failOn, CommandLine cl) {
        Severity s = Severity.parse(failOn);
        if (s == null && !failOn.equalsIgnoreCase("never")) {
            throw new CommandLine.ParameterException(cl, "--fail-on: expected info, warning, error or never, not '"
                    + failOn + "'");
        }
        return s;
    }

    /** "lan 254, wan 255, local 0": a tally as a person reads it (no Java collection syntax on the terminal). */
    static String counts(java.util.Map<?, ?> tally) {
        if (tally == null || tally.isEmpty()) return "none";
        StringBuilder b = new StringBuilder();
        for (java.util.Map.Entry<?, ?> e : tally.entrySet()) {
            if (b.length() > 0) b.append(", ");
            b.append(String.valueOf(e.getKey()).replace('_', ' ')).append(' ').append(e.getValue());
        }
        return b.toString();
    }

    static void print(PrintWriter out, RunResult r, Path dir) {
        for (String n : r.verdict().notes()) out.print(wrap("  note: " + TerminalWriter.oneLine(n), "    "));
        for (int i = 0; i < r.captures().size(); i++) {
            CaptureStats s = r.captures().get(i);
            out.printf(Locale.ROOT, "  %-6s %s: %s, %d frames, %s + %.3f s; decoded %d, fragments %d, not IP %d, malformed %d, anomalies %d%n",
                    r.roles().get(i), TerminalWriter.oneLine(s.path), s.format.label()
                            + (s.compression.ordinal() == 0 ? "" : "+" + s.compression.label()), s.frames,
                    s.frames == 0 ? "-" : dev.natrecon.capture.Times.iso(s.firstNanos), s.durationSeconds(),
                    s.disposition(Disposition.DECODED), s.disposition(Disposition.FRAGMENT), s.disposition(Disposition.NOT_IP),
                    s.disposition(Disposition.MALFORMED), s.anomalies.total());
        }
        for (String d : r.decisions()) out.println("  " + TerminalWriter.oneLine(d));
        for (dev.natrecon.engine.LimitNotice n : r.limits()) out.println("  notice: " + TerminalWriter.oneLine(n.text()));
        for (Side side : Side.values()) {
            long m = r.matchable(side);
            out.printf(Locale.ROOT, "  %s: %d packets to match, %d matched (%.1f%%): translated %d, unchanged %d, no counterpart %d, outside other capture %d, leaked private source %d, local %d%n",
                    side.label().toUpperCase(Locale.ROOT), m, r.matched(side), m == 0 ? 0.0 : 100.0 * r.matched(side) / m,
                    r.outcome(side, Outcome.TRANSLATED), r.outcome(side, Outcome.UNCHANGED),
                    r.outcome(side, Outcome.NO_COUNTERPART), r.outcome(side, Outcome.OUTSIDE_SPAN),
                    r.outcome(side, Outcome.LEAKED), r.outcome(side, Outcome.LOCAL));
        }
        ModelSummary ms = r.model();
        out.printf(Locale.ROOT, "  router model: %d packets in (%s), entries %s, NAT ports %s, peak %d entries%s, %d live at the end%n",
                ms.arrivals().values().stream().mapToLong(Long::longValue).sum(), counts(ms.arrivals()),
                counts(ms.events()), counts(ms.natPorts()), ms.peakEntries(), ms.peakEntries() == 0 ? "" : " at " + dev.natrecon.capture.Times.iso(ms.peakNanos()),
                ms.liveAtEnd());
        out.printf(Locale.ROOT, "  bindings observed: %d%n", r.bindings().size());
        int shown = 0;
        for (Binding b : r.bindings()) {
            if (shown++ == 20) {
                out.printf(Locale.ROOT, "    ... %d more in mappings.csv%n", r.bindings().size() - 20);
                break;
            }
            out.printf(Locale.ROOT, "    %-4s %s -> %s  remote %s  (%s)%s%n", b.protocolName(), b.internal(), dev.natrecon.conntrack.UnknownNat.shown(b.external()),
                    b.remote(), b.translation().equals("none") ? "not translated" : "translated: " + b.translation(),
                    b.lifetime == 1 && !b.ended() ? "" : "  lifetime " + b.lifetime + ", " + b.ending().label());
        }
        out.printf(Locale.ROOT, "  written: %s (report.html, summary.md, summary.json, findings.csv, calls.csv, "
                + "rtp.csv, packets.csv, mappings.csv, events.csv, expectations.csv, sip.csv, keepalive.csv, tablesize.csv, "
                + "charts/)%n", dir);
        out.flush();
    }
}
