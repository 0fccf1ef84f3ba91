package dev.natrecon.cli;

import dev.natrecon.conntrack.EntryView;
import dev.natrecon.conntrack.EventFormat;
import dev.natrecon.engine.Analysis;
import dev.natrecon.engine.AnalysisInputs;
import dev.natrecon.engine.RunResult;
import dev.natrecon.engine.TableSnapshot;
import dev.natrecon.capture.Times;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code natrecon snapshot --at TIME}: the reconstructed table at an instant, as {@code conntrack -L} lists it. */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = "Replay the captures through the router model and list its conntrack table at the given "
                + "instant(s) in the format of 'conntrack -L -o extended', in order of creation.")
final class SnapshotCommand implements Callable<Integer> {
    @CommandLine.Mixin
    CaseOptions options;

    @Option(names = "--at", required = true, paramLabel = "TIME",
            description = "the instant: Unix seconds (1795227110.5), ISO-8601 UTC (2026-11-21T02:11:50.5Z), or "
                    + "seconds after the first packet of the LAN (or router) capture (+12.5; when the captures were "
                    + "given the wrong way round, of the capture that is the LAN side); repeatable")
    List<String> at;

    @Option(names = "--expect", description = "list the expectations instead, as 'conntrack -L expect' does")
    boolean expect;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        AnalysisInputs in = options.inputs(spec.commandLine()).withKernelEvents(null);
        long origin = Analysis.firstFrameNanos(in);
        if (in.singleCapture() && !expect) return oneCapture(in, origin);
        if (in.singleCapture()) EventsCommand.oneCaptureNote(spec.commandLine().getErr());
        RunResult r = Analysis.run(in.withModel(in.model().withSnapshots(times(origin))), List.of());
        PrintWriter out = spec.commandLine().getOut();
        if (swapped(in, r)) {
            // The analysis took --wan as the LAN side: "+S" counts from that file's first frame (the LAN clock).
            long lanOrigin = r.captures().get(0).firstNanos;
            if (lanOrigin != origin && at.stream().anyMatch(t -> t.startsWith("+"))) {
                origin = lanOrigin;
                r = Analysis.run(in.withModel(in.model().withSnapshots(times(origin))), List.of());
            }
            origin = lanOrigin;
            for (String note : r.verdict().notes()) out.println("# note: " + TerminalWriter.oneLine(note));
        }
        for (TableSnapshot s : r.snapshots()) {
            if (expect) {
                out.printf(Locale.ROOT, "# expectations at %s (%s, +%.6f s after the first packet): %d%n",
                        Times.iso(s.nanos()), Times.epoch(s.nanos()), (s.nanos() - origin) / 1e9, s.expectations().size());
                for (dev.natrecon.conntrack.ExpectView x : s.expectations()) out.println(x.text());
                continue;
            }
            out.printf(Locale.ROOT, "# conntrack table at %s (%s, +%.6f s after the first packet): %d entries%n",
                    Times.iso(s.nanos()), Times.epoch(s.nanos()), (s.nanos() - origin) / 1e9, s.entries().size());
            for (EntryView v : s.entries()) out.println(EventFormat.listing(v, 1));
        }
        out.flush();
        return Main.OK;
    }

    /** One capture of one side: the entries as far as it shows them ({@link OneCaptureTable}). */
    private int oneCapture(AnalysisInputs in, long origin) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<Long> times = times(origin);
        dev.natrecon.engine.OneSideTable table = OneCaptureTable.replay(in, out);
        for (long t : times) {
            List<dev.natrecon.engine.OneSideTable.Row> rows = table.at(t);
            out.printf(Locale.ROOT, "# conntrack table at %s (%s, +%.6f s after the first packet): %d entries%n",
                    Times.iso(t), Times.epoch(t), (t - origin) / 1e9, rows.size());
            for (dev.natrecon.engine.OneSideTable.Row r : rows) out.println(OneCaptureTable.listing(r));
        }
        out.flush();
        return Main.OK;
    }

    private List<Long> times(long origin) {
        List<Long> times = new ArrayList<>();
        for (String t : at) times.add(parse(t, origin, spec.commandLine()));
        return times;
    }

    /** Whether the analysis found the two captures given the wrong way round and swapped them (InputChecks). */
    static boolean swapped(AnalysisInputs in, RunResult r) {
        return !in.routerCapture() && !r.captures().isEmpty() && in.lan() != null
                && !r.captures().get(0).path.equals(in.lan().toString());
    }

    static long parse(String text, long origin, CommandLine cl) {
        try {
            if (text.startsWith("+")) return origin + new BigDecimal(text.substring(1)).movePointRight(9).longValueExact();
            if (text.contains("T")) {
                Instant i = Instant.parse(text);
                return i.getEpochSecond() * 1_000_000_000L + i.getNano();
            }
            return new BigDecimal(text).movePointRight(9).longValueExact();
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            throw new CommandLine.ParameterException(cl, "--at: cannot read '" + text
                    + "' as a time (Unix seconds, ISO-8601 UTC, or +seconds after the first packet)");
        }
    }
}
