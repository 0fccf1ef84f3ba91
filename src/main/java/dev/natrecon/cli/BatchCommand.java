package dev.natrecon.cli;

import dev.natrecon.batch.BatchListener;
import dev.natrecon.batch.BatchRunner;
import dev.natrecon.batch.CaseOutcome;
import dev.natrecon.batch.CaseSpec;
import dev.natrecon.batch.CaseRunner;
import dev.natrecon.report.PacketRows;
import dev.natrecon.detect.Severity;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code natrecon batch INPUT... -o DIR}: every case in folders, archives or a manifest, in parallel. */
@Command(name = "batch", mixinStandardHelpOptions = true,
        description = "Analyse every case found in folders, .zip, .tar, .tar.gz/.tgz archives (read in place) or a manifest "
                + "CSV (columns case, lan, wan, router, settings). Each case goes to DIR/cases/NAME/; DIR/summary.csv and "
                + "DIR/index.html list them all, and the files that fit no case. A rerun skips the cases whose outputs "
                + "are complete and whose inputs are unchanged. One case failing (unreadable, damaged, too large "
                + "when unpacked, out of memory) fails only that case. summary.csv's verdict column is clean, warning, error "
                + "or inconclusive (verdict_reasons says why). Exit status: 0 all judged and none with findings at "
                + "--fail-on, 1 a case has findings at --fail-on, 2 usage errors or an input that cannot be read at all, "
                + "3 some cases failed or an archive was damaged, 4 some cases inconclusive and none with findings at "
                + "--fail-on (--fail-on never: 0 unless a case failed), 70 internal error.")
final class BatchCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "folders, archives, manifest CSVs or captures")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "output folder")
    Path output;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "cases run at once (default: the number of cores)")
    Integer jobs;

    @Option(names = {"-v", "--verbose"}, description = "under each case, its top warnings and errors (one line each; "
            + "the rest, and the info findings, are in the case's report.html and findings.csv)")
    boolean verbose;

    @Option(names = "--force", description = "run every case again, even when its outputs are complete and its inputs unchanged")
    boolean force;

    @Option(names = "--packets", description = "list every frame in each case's packets.csv (default: only the frames "
            + "dropped, leaked, routed back or malformed)")
    boolean packets;

    @Option(names = "--no-redact", description = "show SIP Authorization and Proxy-Authorization credentials in the reports")
    boolean noRedact;

    @Option(names = "--fail-on", paramLabel = "SEVERITY", defaultValue = "error",
            description = "exit with status 1 when a case has a finding at least this severe: warning, error (default), "
                    + "or never (exit 0 unless a case failed)")
    String failOn;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Severity threshold = AnalyzeCommand.threshold(failOn, spec.commandLine());
        int j = jobs == null ? BatchRunner.defaultJobs() : jobs;
        if (j < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--jobs must be at least 1");
        PrintWriter out = spec.commandLine().getOut();
        boolean terminal = System.console() != null;
        Progress progress = new Progress(out, terminal, verbose);
        BatchRunner.Options options = new BatchRunner.Options(output, j, force, !noRedact);
        if (packets) options = options.with((in, dir, redact, extra) -> CaseRunner.analyze(in, dir, redact, PacketRows.ALL, extra));
        BatchRunner.Result r = BatchRunner.run(inputs, options, progress);
        progress.end();
        long failed = r.cases().stream().filter(CaseOutcome::failed).count();
        long resumed = r.cases().stream().filter(CaseOutcome::resumed).count();
        out.printf(Locale.ROOT, "%d cases (%d failed, %d unchanged and not rerun), %d files fit no case; written: %s "
                + "(summary.csv, index.html, cases/)%n", r.cases().size(), failed, resumed, r.unmatched().size(), output);
        out.flush();
        return r.exitStatus(threshold);
    }

    /** A one-line bar rewritten in place on a terminal; one log line per case otherwise. */
    static final class Progress implements BatchListener {
        private final PrintWriter out;
        private final boolean terminal;
        private final AtomicLong packets = new AtomicLong();
        private final ProgressLine line;

        private final boolean verbose;

        Progress(PrintWriter out, boolean terminal, boolean verbose) {
            this.out = out;
            this.verbose = verbose;
            this.terminal = terminal;
            this.line = new ProgressLine(out);
        }

        @Override
        public void started(CaseSpec c) {
            if (!terminal) log("started " + c.name() + " (" + c.rule() + ": " + c.origin() + ")");
        }

        @Override
        public void packets(long count) {
            packets.addAndGet(count);
        }

        @Override
        public synchronized void finished(CaseOutcome c, int done, int total) {
            String what = c.failed() ? "FAILED: " + c.error() : c.resumed() ? "unchanged, not rerun" : c.verdict()
                    + (c.findings() == 0 ? "" : " (" + c.findings() + " findings)");
            if (terminal) {
                TerminalWriter.clearLine(out);
                out.println(TerminalWriter.oneLine(c.name() + ": " + what));
                top(c);
                draw(done, total);
            } else {
                log(String.format(Locale.ROOT, "[%d/%d] %s: %s", done, total, c.name(), what));
                top(c);
            }
        }

        /** With {@code -v}: the case's top warnings and errors, one line of at most 120 columns each. */
        private void top(CaseOutcome c) {
            if (!verbose || c.top() == null || c.top().isEmpty()) return;
            for (String t : c.top().split(" \\| ")) out.println(FindingLines.fit("    " + TerminalWriter.oneLine(t)));
            out.flush();
        }

        private void draw(int done, int total) {
            double seconds = line.seconds();
            double rate = seconds > 0 ? packets.get() / seconds : 0;
            double eta = done == 0 ? Double.NaN : seconds / done * (total - done);
            int width = 30, filled = total == 0 ? width : width * done / total;
            line.draw(String.format(Locale.ROOT, "[%s%s] %d/%d cases, %d packets, %.0f packets/s, ETA %s",
                    "#".repeat(filled), " ".repeat(width - filled), done, total, packets.get(), rate,
                    ProgressLine.eta(eta)));
        }

        /** A log line; names and reasons from the input could carry terminal control characters: shown as escapes. */
        private void log(String text) {
            out.printf(Locale.ROOT, "%.1fs %s%n", line.seconds(), TerminalWriter.oneLine(text));
            out.flush();
        }

        void end() {
            if (terminal && line.drawn()) out.println();
        }
    }
}
