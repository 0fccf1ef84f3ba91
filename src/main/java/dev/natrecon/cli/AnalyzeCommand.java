package dev.natrecon.cli;

import dev.natrecon.correlate.Binding;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Disposition;
import dev.natrecon.engine.Analysis;
import dev.natrecon.engine.AnalysisInputs;
import dev.natrecon.engine.CaptureStats;
import dev.natrecon.engine.RunResult;
import dev.natrecon.report.CaseOutputs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code natrecon analyze}: one case, summary on the terminal, files in the output folder. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Merge the LAN and WAN captures on one timeline, match every packet with its counterpart across "
                + "the NAT, and write summary.json, packets.csv and mappings.csv.")
final class AnalyzeCommand implements Callable<Integer> {
    static final class Sources {
        @ArgGroup(exclusive = false, multiplicity = "1")
        Pair pair;
        @ArgGroup(exclusive = false, multiplicity = "1")
        Router router;
    }

    static final class Pair {
        @Option(names = "--lan", required = true, paramLabel = "FILE", description = "capture taken on the router's LAN side")
        Path lan;
        @Option(names = "--wan", required = true, paramLabel = "FILE", description = "capture taken on the router's WAN side")
        Path wan;
    }

    static final class Router {
        @Option(names = "--router", required = true, paramLabel = "FILE",
                description = "one capture taken on the router itself (tcpdump -i any, or pcapng with several interfaces)")
        Path router;
        @Option(names = "--lan-if", paramLabel = "NAME", description = "router interface facing the LAN (default: automatic)")
        String lanIf;
        @Option(names = "--wan-if", paramLabel = "NAME", description = "router interface facing the WAN (default: automatic)")
        String wanIf;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Sources sources;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "output folder (default: reports/<case name>/)")
    Path output;

    @Option(names = "--wan-offset", paramLabel = "SECONDS",
            description = "how far the WAN capture's clock is ahead of the LAN capture's (default: estimated from matched packets)")
    Double wanOffset;

    @Option(names = "--match-window", paramLabel = "SECONDS", defaultValue = "1.0",
            description = "longest time between a packet and its counterpart on the other side (default: ${DEFAULT-VALUE})")
    double matchWindow;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (matchWindow <= 0) throw new CommandLine.ParameterException(spec.commandLine(), "--match-window must be positive");
        AnalysisInputs in = sources.pair != null
                ? new AnalysisInputs(sources.pair.lan, sources.pair.wan, null, null, null, wanOffset, matchWindow)
                : new AnalysisInputs(null, null, sources.router.router, sources.router.lanIf, sources.router.wanIf,
                        wanOffset, matchWindow);
        if (in.routerCapture() && wanOffset != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--wan-offset makes no sense with one router capture");
        }
        Path dir = output != null ? output : Path.of("reports", in.caseName());
        CaseOutputs outputs = new CaseOutputs(dir);
        RunResult r;
        try {
            r = Analysis.run(in, List.of(outputs));
        } catch (IOException | RuntimeException e) {
            outputs.abandon();
            throw e;
        }
        print(spec.commandLine().getOut(), r, dir);
        return Main.OK;
    }

    static void print(PrintWriter out, RunResult r, Path dir) {
        out.printf(Locale.ROOT, "Case %s%n", r.caseName());
        for (int i = 0; i < r.captures().size(); i++) {
            CaptureStats s = r.captures().get(i);
            out.printf(Locale.ROOT, "  %-6s %s: %s, %d frames, %s + %.3f s; decoded %d, fragments %d, not IP %d, malformed %d, anomalies %d%n",
                    r.roles().get(i), s.path, s.format.label()
                            + (s.compression.ordinal() == 0 ? "" : "+" + s.compression.label()), s.frames,
                    s.frames == 0 ? "-" : dev.natrecon.report.Times.iso(s.firstNanos), s.durationSeconds(),
                    s.disposition(Disposition.DECODED), s.disposition(Disposition.FRAGMENT), s.disposition(Disposition.NOT_IP),
                    s.disposition(Disposition.MALFORMED), s.anomalies.total());
        }
        for (String d : r.decisions()) out.println("  " + d);
        for (Side side : Side.values()) {
            long m = r.matchable(side);
            out.printf(Locale.ROOT, "  %s: %d packets to match, %d matched (%.1f%%): translated %d, unchanged %d, no counterpart %d, outside other capture %d, leaked private source %d, local %d%n",
                    side.label().toUpperCase(Locale.ROOT), m, r.matched(side), m == 0 ? 0.0 : 100.0 * r.matched(side) / m,
                    r.outcome(side, Outcome.TRANSLATED), r.outcome(side, Outcome.UNCHANGED),
                    r.outcome(side, Outcome.NO_COUNTERPART), r.outcome(side, Outcome.OUTSIDE_SPAN),
                    r.outcome(side, Outcome.LEAKED), r.outcome(side, Outcome.LOCAL));
        }
        out.printf(Locale.ROOT, "  bindings observed: %d%n", r.bindings().size());
        int shown = 0;
        for (Binding b : r.bindings()) {
            if (shown++ == 20) {
                out.printf(Locale.ROOT, "    ... %d more in mappings.csv%n", r.bindings().size() - 20);
                break;
            }
            out.printf(Locale.ROOT, "    %-4s %s -> %s  remote %s  (%s)%n", b.protocolName(), b.internal(), b.external(),
                    b.remote(), b.translation().equals("none") ? "not translated" : "translated: " + b.translation());
        }
        out.printf(Locale.ROOT, "  written: %s (summary.json, packets.csv, mappings.csv)%n", dir);
        out.flush();
    }
}
