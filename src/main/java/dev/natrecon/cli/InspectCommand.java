package dev.natrecon.cli;

import dev.natrecon.capture.CaptureInterface;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.LinkType;
import dev.natrecon.engine.Analysis;
import dev.natrecon.engine.CaptureStats;
import dev.natrecon.report.Json;
import dev.natrecon.report.Summaries;
import dev.natrecon.capture.Times;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code natrecon inspect FILE...}: capinfos plus dispositions, anomalies and protocols. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Describe capture files: format, compression, link types and interfaces, frame count, time span, "
                + "per-frame dispositions, anomaly counts and protocols seen.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "pcap or pcapng files, optionally gzip/zstd/xz compressed")
    List<Path> files;

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<Object> all = new ArrayList<>();
        for (Path f : files) InputFiles.file("capture", f);
        for (Path f : files) {
            CaptureStats s = Analysis.survey(f);
            if (json) {
                all.add(Summaries.capture(s));
            } else {
                print(out, s);
            }
        }
        if (json) out.print(Json.render(files.size() == 1 ? all.get(0) : all));
        out.flush();
        return Main.OK;
    }

    static void print(PrintWriter out, CaptureStats s) {
        out.printf(Locale.ROOT, "File:          %s%n", TerminalWriter.oneLine(s.path));
        out.printf(Locale.ROOT, "Format:        %s (compression: %s)%n", s.format.label(), s.compression.label());
        for (CaptureInterface ci : s.interfaces) {
            out.printf(Locale.ROOT, "Interface %d:   %s, %s (%d), snaplen %d, %d ticks/s%n", ci.id(), TerminalWriter.oneLine(ci.displayName()),
                    LinkType.name(ci.linkType()), ci.linkType(), ci.snapLength(), ci.ticksPerSecond());
        }
        out.printf(Locale.ROOT, "Frames:        %d (%d bytes captured)%n", s.frames, s.capturedBytes);
        if (s.frames > 0) {
            out.printf(Locale.ROOT, "Time span:     %s .. %s (%.6f s)%n", Times.iso(s.firstNanos), Times.iso(s.lastNanos),
                    s.durationSeconds());
        }
        StringBuilder d = new StringBuilder();
        for (Disposition x : Disposition.values()) {
            if (s.disposition(x) > 0) d.append(d.length() > 0 ? ", " : "").append(x.label()).append(' ').append(s.disposition(x));
        }
        out.printf(Locale.ROOT, "Dispositions:  %s%n", d);
        out.printf(Locale.ROOT, "Protocols:     %s%n", join(s.protocols()));
        if (!s.notIpTypes.isEmpty()) out.printf(Locale.ROOT, "Not IP:        %s%n", join(s.notIpTypes));
        if (!s.linkEvents.isEmpty()) out.printf(Locale.ROOT, "Link events:   %s%n", join(s.linkEvents));
        Map<String, Long> an = s.anomalies.asMap();
        out.printf(Locale.ROOT, "Anomalies:     %s%n", an.isEmpty() ? "none" : join(an));
        for (String id : an.keySet()) {
            out.printf(Locale.ROOT, "  %s: %s (first in frame %d)%n", id, s.anomalies.kind(id).description(),
                    s.anomalies.firstFrame(id));
        }
        out.println();
    }

    static String join(Map<String, Long> m) {
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(sb.length() > 0 ? ", " : "").append(k).append(' ').append(v));
        return sb.toString();
    }
}
