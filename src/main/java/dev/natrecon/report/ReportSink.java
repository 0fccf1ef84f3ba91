package dev.natrecon.report;

import dev.natrecon.conntrack.ConntrackEvent;
import dev.natrecon.conntrack.EventFormat;
import dev.natrecon.conntrack.ExpectationEvent;
import dev.natrecon.correlate.Binding;
import dev.natrecon.correlate.Crossing;
import dev.natrecon.correlate.Seen;
import dev.natrecon.engine.AnalysisSink;
import dev.natrecon.engine.RunResult;
import dev.natrecon.engine.SipPacket;
import dev.natrecon.engine.TableSample;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * Writes the human-facing outputs beside {@link CaseOutputs}' files: {@code report.html} (one self-contained page),
 * {@code summary.md} (for a ticket) and {@code charts/} (PNG and SVG). It keeps only bounded extracts of the replay:
 * the first {@link #MAX_ROWS} conntrack and expectation events, the chart series ({@link BoundedSeries}), the ladders
 * ({@link CallLadder}'s limits). At the end the charts are drawn on a {@link RenderPool} while this thread writes the
 * ladders and summary.md and renders report.html but for the two sections that embed the charts, which are all that is
 * left to render once the last chart is drawn; report.html is written last, in its parts. The chart classes (Java 2D, fonts,
 * JFreeChart, JFreeSVG) load on the first chart drawn, not ahead on a thread of their own: with both cores busy for
 * the whole run that only added CPU (README, Performance). Everything taken from a capture is escaped by the renderers; SIP credentials are
 * redacted unless {@code redact} is false ({@code analyze --no-redact}). Each file is renamed into place when complete.
 */
public final class ReportSink implements AnalysisSink {
    /** Timeline rows shown in the report per kind (the CSV files have them all). */
    public static final int MAX_ROWS = 200;

    /** One row of a timeline: when, what, the line {@code conntrack -E} prints, and the frame that caused it. */
    record Row(long nanos, String event, String line, String capture, long frame) {
    }

    private final Path dir;
    private final boolean redact;
    final CallLadder ladder;
    final List<Row> conntrackRows = new ArrayList<>();
    final List<Row> expectRows = new ArrayList<>();
    long conntrackEvents, expectEvents;
    final BoundedSeries tableSeries = new BoundedSeries();
    final BoundedSeries expectSeries = new BoundedSeries();
    private long liveExpectations;
    long firstNanos = Long.MAX_VALUE, lastNanos = Long.MIN_VALUE;
    /** The per-stream jitter/loss charts drawn at finish, and how many stream groups there were in all. */
    List<StreamCharts.Drawn> streamCharts = List.of();
    int streamGroups;

    public ReportSink(Path dir, boolean redact) {
        this.dir = dir;
        this.redact = redact;
        this.ladder = new CallLadder(redact);
    }

    @Override
    public void packet(Crossing c) {
        Seen s = c.seen();
        if (s.nanos != 0) {
            firstNanos = Math.min(firstNanos, s.nanos);
            lastNanos = Math.max(lastNanos, s.nanos);
        }
    }

    @Override
    public void conntrack(ConntrackEvent e) {
        conntrackEvents++;
        if (conntrackRows.size() < MAX_ROWS) {
            conntrackRows.add(new Row(e.nanos(), EventFormat.tag(e), EventFormat.line(e), e.frame().point(),
                    e.frame().frame()));
        }
    }

    @Override
    public void expectation(ExpectationEvent e) {
        expectEvents++;
        if (expectRows.size() < MAX_ROWS) {
            expectRows.add(new Row(e.nanos(), e instanceof ExpectationEvent.ExpectationCreated ? "NEW" : "DESTROY",
                    EventFormat.expectLine(e), e.frame().point(), e.frame().frame()));
        }
        liveExpectations += e instanceof ExpectationEvent.ExpectationCreated ? 1 : -1;
        expectSeries.add(e.nanos(), Math.max(0, liveExpectations));
    }

    @Override
    public void sipPacket(SipPacket p) {
        ladder.accept(p);
    }

    @Override
    public void tableSize(TableSample t) {
        tableSeries.add(t.secondNanos(), t.peak());
    }

    @Override
    public void finish(RunResult r) throws IOException {
        long t0 = firstNanos;
        for (Binding b : r.bindings()) t0 = Math.min(t0, b.firstNanos);
        if (tableSeries.size() > 0) t0 = Math.min(t0, tableSeries.time(0));
        if (t0 == Long.MAX_VALUE) t0 = 0;
        long end = Math.max(lastNanos, r.model().endNanos());
        Path charts = dir.resolve("charts");
        // before any job starts: the stale-file sweeps below list it whether or not a job has written into it yet
        Files.createDirectories(charts);
        long start = t0;
        List<StreamCharts.Group> groups = StreamCharts.groups(r.streams());
        streamGroups = groups.size();
        List<StreamCharts.Group> chosen = StreamCharts.chosen(groups);
        try (RenderPool pool = new RenderPool()) {
            // the charts on the pool, the longest first; each job writes its own files
            List<Future<Charts.Chart>> caseCharts = new ArrayList<>();
            caseCharts.add(pool.submit(() -> written(charts, Charts.table(tableSeries, expectSeries,
                    setting(r, "nf_conntrack_max"), setting(r, "nf_conntrack_expect_max"), start, end))));
            caseCharts.add(pool.submit(() -> written(charts, Charts.bindings(r.bindings(), start))));
            caseCharts.add(pool.submit(() -> written(charts, Charts.keepalive(r.keepalive(), start))));
            List<Future<StreamCharts.Drawn>> streams = new ArrayList<>();
            for (int i = 0; i < chosen.size(); i++) {
                int number = i + 1;
                StreamCharts.Group g = chosen.get(i);
                streams.add(pool.submit(() -> {
                    StreamCharts.Drawn c = StreamCharts.draw(number, g, start);
                    AtomicFile.write(charts.resolve(c.file()), c.svg());
                    return c;
                }));
            }
            // meanwhile on this thread: the ladders, summary.md and most of report.html (none needs a chart)
            List<CallLadder.Call> calls = ladder.calls();
            Map<String, dev.natrecon.detect.CallRecord> media = HtmlCalls.byCallId(r.calls());
            for (int i = 0; i < calls.size(); i++) {
                AtomicFile.write(charts.resolve("ladder-" + (i + 1) + ".svg"),
                        CallLadder.svg(calls.get(i), true, media.get(calls.get(i).callId)));
            }
            removeStaleLadders(charts, calls.size());
            String markdown = MarkdownSummary.render(r, this, redact);
            // report.html but for its two chart sections, so that only those are left once the last chart is drawn
            HtmlReport.Page page = HtmlReport.begin(r, this, chosen, redact);
            pool.awaitAll();
            List<Charts.Chart> drawn = new ArrayList<>();
            for (Future<Charts.Chart> f : caseCharts) drawn.add(RenderPool.await(f));
            List<StreamCharts.Drawn> drawnStreams = new ArrayList<>();
            for (Future<StreamCharts.Drawn> f : streams) drawnStreams.add(RenderPool.await(f));
            streamCharts = drawnStreams;
            removeStale(charts, "stream-", streamCharts.size());
            AtomicFile.write(dir.resolve("report.html"), page.complete(streamCharts, streamGroups, drawn));
            AtomicFile.write(dir.resolve("summary.md"), markdown);
        }
    }

    /** {@code c} written to {@code charts} as NAME.png and NAME.svg. */
    private static Charts.Chart written(Path charts, Charts.Chart c) throws IOException {
        AtomicFile.write(charts.resolve(c.name() + ".png"), c.png());
        AtomicFile.write(charts.resolve(c.name() + ".svg"), c.svg());
        return c;
    }

    /** Ladder files a previous run into the same folder left beyond this run's calls. */
    private static void removeStaleLadders(Path charts, int count) throws IOException {
        removeStale(charts, "ladder-", count);
    }

    /** Numbered chart files ({@code prefix}N.svg) a previous run into the same folder left beyond {@code count}. */
    private static void removeStale(Path charts, String prefix, int count) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(charts, prefix + "*.svg")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                String num = n.substring(prefix.length(), n.length() - ".svg".length());
                if (num.matches("[0-9]{1,6}") && Integer.parseInt(num) > count) Files.delete(p);
            }
        }
    }

    /** A numeric model setting by its sysctl name ("nf_conntrack_max = 262144 (…)"), or 0 when absent. */
    static long setting(RunResult r, String name) {
        for (String line : r.model().settings()) {
            if (line.startsWith(name + " = ")) {
                String v = line.substring(name.length() + 3);
                int sp = v.indexOf(' ');
                try {
                    return Long.parseLong(sp < 0 ? v : v.substring(0, sp));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }
}
