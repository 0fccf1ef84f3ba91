package dev.natrecon.report;

import dev.natrecon.capture.Times;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Side;
import dev.natrecon.detect.Finding;
import dev.natrecon.engine.CaptureStats;
import dev.natrecon.engine.RunResult;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * {@code report.html}: one self-contained page (inline CSS, charts as data: URIs, ladders as inline SVG, no script)
 * with a Content-Security-Policy that forbids every fetch. Order: verdict, the call list ({@link HtmlCalls}), findings ({@link HtmlFindings}: an index,
 * then each finding's evidence, display filters and fix before its rule), the SIP ladders, the conntrack and
 * expectation timelines, the charts, the files. Every string that can come from a capture goes through
 * {@link Escape#html} (and {@link Escape#redact}).
 */
final class HtmlReport {
    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
    private static final String CSS = """
            body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0 auto;max-width:1180px;padding:12px 20px;color:#212529}
            h1{font-size:22px;margin:8px 0}h2{font-size:18px;border-bottom:2px solid #dee2e6;padding-bottom:3px;margin-top:28px}
            h3{font-size:15px;margin:18px 0 6px}
            code,pre,.mono{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12px}
            pre{background:#f1f3f5;padding:6px 8px;overflow-x:auto;white-space:pre-wrap;word-break:break-all;margin:4px 0}
            table{border-collapse:collapse;margin:6px 0;font-size:13px}th,td{border:1px solid #dee2e6;padding:3px 6px;text-align:left;vertical-align:top}
            th{background:#f1f3f5}td.n{text-align:right}.nw{white-space:nowrap}
            .badge{display:inline-block;border-radius:4px;padding:1px 7px;color:#fff;font-weight:bold;font-size:12px;text-transform:uppercase}
            .error{background:#c92a2a}.warning{background:#e67700}.info{background:#1971c2}.clean{background:#2f9e44}.inconclusive{background:#5c5f66}
            #verdict{font-size:17px;padding:10px 14px;border-radius:6px;color:#fff;margin:8px 0}
            .meta{color:#495057;font-size:13px}.note{color:#868e96;font-size:12px}
            nav a{margin-right:12px}
            section.finding{border-left:4px solid #adb5bd;padding:2px 12px;margin:10px 0}
            section.f-error{border-color:#c92a2a}section.f-warning{border-color:#e67700}section.f-info{border-color:#1971c2}
            table.instances td{font-size:12px}table.instances code{word-break:break-all}
            details.rule{margin:6px 0 10px}
            mark{background:#ffe8cc;padding:0 2px}del{color:#c92a2a}ins{color:#2b8a3e;text-decoration:none}
            details summary{cursor:pointer;color:#1971c2}
            .ladder{max-width:100%;height:auto;border:1px solid #dee2e6}
            img.chart{max-width:100%;border:1px solid #dee2e6}
            div.chart svg{max-width:100%;height:auto;border:1px solid #dee2e6}
            """;

    private HtmlReport() {
    }

    /** The whole page at once (tests): {@link #begin} and {@link Page#complete} on the sink's drawn stream charts. */
    static String render(RunResult r, ReportSink d, List<Charts.Chart> charts, boolean redact) {
        List<StreamCharts.Group> groups = new ArrayList<>();
        for (StreamCharts.Drawn s : d.streamCharts) groups.add(s.group());
        return String.join("", begin(r, d, groups, redact).complete(d.streamCharts, d.streamGroups, charts));
    }

    /**
     * The page without its chart images: everything that needs no drawn chart is rendered now, so that only the two
     * sections that embed the charts are left for {@link Page#complete} once the charts are drawn (ReportSink renders
     * this while the render pool draws them). {@code streams}: the stream groups that get a chart, in chart-number
     * order (chart N is {@code streams.get(N - 1)}).
     */
    static Page begin(RunResult r, ReportSink d, List<StreamCharts.Group> streams, boolean redact) {
        SafeBuilder h = new SafeBuilder(redact, Escape::html);
        String worst = r.verdict().label();
        h.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .raw("<meta http-equiv=\"Content-Security-Policy\" content=\"").raw(CSP).raw("\">\n")
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .raw("<title>").text("natrecon report: " + r.caseName()).raw("</title>\n<style>\n").raw(CSS)
                .raw("</style>\n</head>\n<body>\n");
        h.raw("<h1>").text("natrecon report: " + r.caseName()).raw("</h1>\n");
        h.raw("<div id=\"verdict\" class=\"").raw(worst).raw("\">Verdict: <b>").text(worst.toUpperCase(Locale.ROOT))
                .raw("</b> — ").text(countsText(r.findings()))
                .text(r.verdict().oneSide() ? " — one capture: " + r.verdict().vantage() : "").raw("</div>\n");
        verdictNotes(h, r.verdict());
        oneCapture(h, r.verdict());
        inputs(h, r);
        limits(h, r);
        h.raw("<nav><a href=\"#call-list\">Calls</a><a href=\"#stream-charts\">Streams</a><a href=\"#findings\">Findings</a><a href=\"#calls\">SIP ladders</a><a href=\"#timelines\">Timelines</a>"
                + "<a href=\"#charts\">Charts</a><a href=\"#files\">Files</a></nav>\n");
        HtmlCalls.render(h, r.calls(), d.ladder.calls(), HtmlStreamCharts.byCall(streams));
        SafeBuilder middle = new SafeBuilder(redact, Escape::html);
        HtmlFindings.render(middle, r.findings());
        calls(middle, d.ladder, HtmlCalls.byCallId(r.calls()));
        timelines(middle, d);
        SafeBuilder tail = new SafeBuilder(redact, Escape::html);
        files(tail, d.ladder.calls().size(), streams.size());
        tail.raw("<p class=\"note\">Generated by natrecon from the captures named above; times are UTC (corrected to the "
                + "LAN clock). ").raw(redact ? "Authorization and Proxy-Authorization credentials are redacted "
                + "(<code>analyze --no-redact</code> shows them)." : "Credentials are NOT redacted (--no-redact).")
                .raw("</p>\n</body>\n</html>\n");
        return new Page(redact, h.toString(), middle.toString(), tail.toString());
    }

    /**
     * report.html rendered but for its chart sections: {@code head} up to the stream charts, {@code middle} from the
     * findings to the timelines, {@code tail} from the file list to the end.
     */
    record Page(boolean redact, String head, String middle, String tail) {
        /**
         * The page's text in order, in parts (written one after the other they are the page): the stream charts'
         * section ({@code drawn}, of {@code groups} stream groups) and the case charts' section between the parts
         * rendered before.
         */
        List<String> complete(List<StreamCharts.Drawn> drawn, int groups, List<Charts.Chart> charts) {
            SafeBuilder streams = new SafeBuilder(redact, Escape::html);
            HtmlStreamCharts.render(streams, drawn, groups);
            SafeBuilder images = new SafeBuilder(redact, Escape::html);
            charts(images, charts);
            return List.of(head, streams.toString(), middle, images.toString(), tail);
        }
    }

    /** For one capture of one side: what it cannot show, right under the verdict. */
    private static void oneCapture(SafeBuilder h, dev.natrecon.engine.RunVerdict v) {
        if (!v.oneSide()) return;
        h.raw("<section id=\"one-capture\"><h2>What one capture cannot show</h2>\n<p>").text("This is one capture "
                + "of one side (" + v.vantage() + "). The findings below are what that side shows alone; these need "
                + "the other side's capture too (give --lan and --wan, or --router):").raw("</p>\n<ul>\n");
        for (String t : dev.natrecon.engine.RunVerdict.ONE_CAPTURE_CANNOT_SHOW) h.raw("<li>").text(t).raw("</li>\n");
        h.raw("</ul></section>\n");
    }

    /** Why the run is inconclusive, and what was corrected in the inputs, right under the verdict. */
    private static void verdictNotes(SafeBuilder h, dev.natrecon.engine.RunVerdict v) {
        if (v.reasons().isEmpty() && v.notes().isEmpty()) return;
        h.raw("<ul id=\"verdict-reasons\">\n");
        for (dev.natrecon.engine.RunVerdict.Reason x : v.reasons()) {
            h.raw("<li>Inconclusive: ").text(x.text()).raw("</li>\n");
        }
        if (v.inconclusive()) {
            h.raw("<li>The findings below, if any, were seen; the router as a whole could not be judged.</li>\n");
        }
        for (String n : v.notes()) h.raw("<li>Note: ").text(n).raw("</li>\n");
        h.raw("</ul>\n");
    }

    /** "2 findings: 1 warning, 1 info (202 instances)", counted as the terminal counts them (per rule and cause). */
    static String countsText(List<Finding> findings) {
        List<dev.natrecon.detect.FindingGroup> groups = dev.natrecon.detect.Causes.group(findings);
        if (groups.isEmpty()) return "no findings";
        return groups.size() + (groups.size() == 1 ? " finding: " : " findings: ")
                + dev.natrecon.detect.FindingGroup.tally(groups)
                + (findings.size() > groups.size() ? " (" + findings.size() + " instances)" : "");
    }

    private static void inputs(SafeBuilder h, RunResult r) {
        h.raw("<table class=\"meta\"><tr><th>capture</th><th>file</th><th>frames</th><th>first packet</th><th>duration</th></tr>\n");
        for (int i = 0; i < r.captures().size(); i++) {
            CaptureStats s = r.captures().get(i);
            h.raw("<tr><td>").text(r.roles().get(i)).raw("</td><td class=\"mono\">").text(s.path).raw("</td><td class=\"n\">")
                    .text(Long.toString(s.frames)).raw("</td><td class=\"mono\">").text(s.frames == 0 ? "-" : Times.iso(s.firstNanos))
                    .raw("</td><td class=\"n\">").text(String.format(Locale.ROOT, "%.3f s", s.durationSeconds())).raw("</td></tr>\n");
        }
        h.raw("</table>\n<p class=\"meta\">Clock: WAN ahead of LAN by <b>")
                .text(String.format(Locale.ROOT, "%+.6f s", r.clock().offsetSeconds())).raw("</b> (").text(r.clock().method())
                .raw(", ").text(r.clock().matches() + " matched pairs").raw("). ");
        for (Side side : Side.values()) {
            long m = r.matchable(side);
            h.text(String.format(Locale.ROOT, "%s: %d of %d packets matched, %d translated, %d leaked. ",
                    side.label().toUpperCase(Locale.ROOT), r.matched(side), m, r.outcome(side, Outcome.TRANSLATED),
                    r.outcome(side, Outcome.LEAKED)));
        }
        h.text(r.bindings().size() + " binding lifetimes; model peak " + r.model().peakEntries() + " entries.");
        String divergences = Summaries.divergences(r.model());
        if (!divergences.isEmpty()) {
            h.text(" Model divergences (where the captures contradicted the Linux model's prediction, not findings): "
                    + divergences + ".");
        }
        if (r.sipRewrites() != null && r.sipRewrites().verdict() != null) {
            h.text(" SIP ALG: " + r.sipRewrites().verdict().algClass().label() + ".");
        }
        h.raw("</p>\n");
    }

    /** The resource bounds the case reached, before anything else: the analysis is cut where they say. */
    private static void limits(SafeBuilder h, RunResult r) {
        if (r.limits().isEmpty()) return;
        h.raw("<div id=\"limits\"><p><b>Limits reached</b>: this analysis is cut where a bound was hit.</p><ul>\n");
        for (dev.natrecon.engine.LimitNotice n : r.limits()) {
            h.raw("<li><code>").text(n.id()).raw("</code> ").text(n.text()).raw("</li>\n");
        }
        h.raw("</ul></div>\n");
    }

    private static void calls(SafeBuilder h, CallLadder ladder, java.util.Map<String, dev.natrecon.detect.CallRecord> media) {
        h.raw("<h2 id=\"calls\">SIP calls</h2>\n");
        List<CallLadder.Call> calls = ladder.calls();
        if (calls.isEmpty()) {
            h.raw("<p>No SIP message reached the router in these captures.</p>\n");
            return;
        }
        h.raw("<p class=\"note\">One ladder per Call-ID: phone, LAN capture, router, WAN capture, provider. Each arrow is "
                + "labelled on both halves with the message and its frame on that side of the router; an orange half is "
                + "the copy the router rewrote, with the first change under it (all changes are highlighted in the "
                + "table); a red cross means the other capture shows no copy. At most ").text(Integer.toString(CallLadder.MAX_CALLS)).raw(" calls and ")
                .text(Integer.toString(CallLadder.MAX_MESSAGES)).raw(" messages per call are drawn");
        if (ladder.otherCalls() > 0) {
            h.raw("; ").text(ladder.otherCalls() + " more calls (" + ladder.otherMessages() + " messages) are not drawn, see sip.csv");
        }
        if (ladder.unparsed() > 0) h.raw("; ").text(ladder.unparsed() + " SIP-port payloads held no parsable SIP message");
        h.raw(".</p>\n");
        for (int i = 0; i < calls.size(); i++) {
            CallLadder.Call c = calls.get(i);
            h.raw("<h3 id=\"call").raw(Integer.toString(i + 1)).raw("\">Call ").text(Integer.toString(i + 1))
                    .raw(": <code>").text(c.callId).raw("</code></h3>\n");
            h.raw(CallLadder.svg(c, false, media.get(c.callId)));
            h.raw("<table><tr><th>time (UTC)</th><th>message</th><th>CSeq</th><th>before router</th><th>after router</th>"
                    + "<th>fields the router rewrote</th></tr>\n");
            for (CallLadder.Message m : c.messages) {
                h.raw("<tr><td class=\"mono nw\">").text(Times.timeOfDay(m.nanos())).raw("</td><td>").text(m.label())
                        .raw("</td><td class=\"mono\">").text(m.cseq()).raw("</td><td class=\"mono\">")
                        .text(m.inSide() + " #" + m.inFrame()).raw("</td><td class=\"mono\">")
                        .text(m.outSide() == null ? "none" : m.outSide() + " #" + m.outFrame()).raw("</td><td>");
                for (CallLadder.Change ch : m.changes()) {
                    h.raw("<div><mark>").text(ch.field()).raw("</mark> <code><del>").text(ch.before()).raw("</del> → <ins>")
                            .text(ch.after()).raw("</ins></code></div>");
                }
                if (!m.mispredicted().isEmpty()) {
                    h.raw("<div class=\"note\">The model's helper would have written otherwise: ")
                            .text(String.join(", ", m.mispredicted().stream().map(CallLadder.Change::field).distinct().toList()))
                            .raw("</div>");
                }
                h.raw("<details><summary>message text</summary><pre>").text(m.beforeText()).raw("</pre>");
                if (!m.afterText().isEmpty()) h.raw("<p class=\"note\">after the router:</p><pre>").text(m.afterText()).raw("</pre>");
                h.raw("</details></td></tr>\n");
            }
            h.raw("</table>\n");
            if (c.omitted > 0) h.raw("<p class=\"note\">").text(c.omitted + " more messages of this call are in sip.csv.").raw("</p>\n");
        }
    }

    private static void timelines(SafeBuilder h, ReportSink d) {
        h.raw("<h2 id=\"timelines\">Timelines</h2>\n");
        timeline(h, "Conntrack events", d.conntrackRows, d.conntrackEvents, "events.csv");
        timeline(h, "Expectation events", d.expectRows, d.expectEvents, "expectations.csv");
    }

    private static void timeline(SafeBuilder h, String title, List<ReportSink.Row> rows, long total, String csv) {
        h.raw("<h3>").text(title).raw("</h3>\n<p class=\"note\">").text(rows.size() < total
                ? "First " + rows.size() + " of " + total + " events; all are in " : total + " events; also in ")
                .raw("<a href=\"").raw(csv).raw("\">").raw(csv).raw("</a>.</p>\n");
        if (rows.isEmpty()) return;
        h.raw("<table><tr><th>time (UTC)</th><th>event</th><th>frame</th><th>as conntrack -E prints it</th></tr>\n");
        for (ReportSink.Row row : rows) {
            h.raw("<tr><td class=\"mono nw\">").text(Times.timeOfDay(row.nanos())).raw("</td><td>").text(row.event())
                    .raw("</td><td class=\"mono\">").text(row.frame() == 0 ? "" : row.capture() + " #" + row.frame())
                    .raw("</td><td class=\"mono\">").text(row.line()).raw("</td></tr>\n");
        }
        h.raw("</table>\n");
    }

    private static void charts(SafeBuilder h, List<Charts.Chart> charts) {
        h.raw("<h2 id=\"charts\">Charts</h2>\n");
        for (Charts.Chart c : charts) {
            h.raw("<h3>").text(c.title()).raw("</h3>\n<img class=\"chart\" alt=\"").text(c.title())
                    .raw("\" src=\"data:image/png;base64,").raw(Base64.getEncoder().encodeToString(c.png())).raw("\">\n")
                    .raw("<p class=\"note\"><a href=\"charts/").raw(c.name()).raw(".svg\">SVG</a> · <a href=\"charts/")
                    .raw(c.name()).raw(".png\">PNG</a></p>\n");
        }
    }

    private static void files(SafeBuilder h, int ladders, int streams) {
        h.raw("<h2 id=\"files\">Files</h2>\n<p>");
        String[] files = {"summary.json", "summary.md", "findings.csv", "calls.csv", "packets.csv", "mappings.csv",
            "events.csv", "expectations.csv", "sip.csv", "tablesize.csv"};
        for (String f : files) h.raw("<a href=\"").raw(f).raw("\"><code>").raw(f).raw("</code></a> ");
        h.raw("</p>\n<p class=\"note\">charts/: table, bindings (PNG and SVG)")
                .text(ladders > 0 ? ", ladder-1.svg … ladder-" + ladders + ".svg" : "")
                .text(streams > 0 ? ", stream-1.svg … stream-" + streams + ".svg (jitter and loss per RTP stream)" : "")
                .raw(".</p>\n");
    }

}
