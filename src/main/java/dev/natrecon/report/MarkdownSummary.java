package dev.natrecon.report;

import dev.natrecon.capture.Times;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Side;
import dev.natrecon.detect.Detectors;
import dev.natrecon.detect.Finding;
import dev.natrecon.detect.Rule;
import dev.natrecon.engine.CaptureStats;
import dev.natrecon.engine.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code summary.md}: the case in a form to paste into a ticket. Capture text goes in a code span
 * ({@link Escape#mdCode}) or, in prose where nothing in it can become a link, as escaped text ({@link Escape#mdText}),
 * so no raw HTML, image, link, autolink or mention from a capture reaches the ticket; redacted like the HTML report.
 */
final class MarkdownSummary {
    private MarkdownSummary() {
    }

    static String render(RunResult r, ReportSink d, boolean redact) {
        SafeBuilder m = new SafeBuilder(redact, Escape::mdText);
        String worst = r.verdict().label();
        m.raw("# natrecon: ").text(r.caseName()).raw("\n\n");
        m.raw("**Verdict: ").raw(worst.toUpperCase(Locale.ROOT)).raw("** — ").text(HtmlReport.countsText(r.findings())).raw("\n\n");
        for (dev.natrecon.engine.RunVerdict.Reason x : r.verdict().reasons()) {
            m.raw("- Inconclusive: ").text(x.text()).raw("\n");
        }
        if (r.verdict().inconclusive()) {
            m.raw("- The findings below, if any, were seen; the router as a whole could not be judged.\n");
        }
        for (String n : r.verdict().notes()) m.raw("- Note: ").text(n).raw("\n");
        if (r.verdict().inconclusive() || !r.verdict().notes().isEmpty()) m.raw("\n");
        m.raw("## Inputs\n\n| capture | file | frames | first packet | duration |\n|---|---|---:|---|---:|\n");
        for (int i = 0; i < r.captures().size(); i++) {
            CaptureStats s = r.captures().get(i);
            m.raw("| ").text(r.roles().get(i)).raw(" | ").text(s.path, Escape::mdCodeCell).raw(" | ").raw(Long.toString(s.frames)).raw(" | ")
                    .raw(s.frames == 0 ? "-" : Times.iso(s.firstNanos)).raw(" | ")
                    .raw(String.format(Locale.ROOT, "%.3f s", s.durationSeconds())).raw(" |\n");
        }
        m.raw("\nClock offset: WAN ahead of LAN by **").raw(String.format(Locale.ROOT, "%+.6f s", r.clock().offsetSeconds()))
                .raw("** (").text(r.clock().method()).raw(", ").raw(Integer.toString(r.clock().matches())).raw(" matched pairs)\n\n");
        if (!r.limits().isEmpty()) {
            m.raw("## Limits reached\n\nThis analysis is cut where a bound was hit:\n\n");
            for (dev.natrecon.engine.LimitNotice l : r.limits()) {
                m.raw("- ").text(l.id(), Escape::mdCode).raw(" ").text(l.text()).raw("\n");
            }
            m.raw("\n");
        }
        m.raw("## Findings\n\n");
        if (r.findings().isEmpty()) m.raw("None.\n\n");
        int n = 0;
        int start = m.length();
        for (Finding f : r.findings()) {
            if (m.length() - start > ReportLimits.MARKDOWN_FINDINGS_BYTES) {
                m.text(ReportLimits.more(r.findings().size() - n)).raw("\n\n");
                break;
            }
            Rule rule = Detectors.rule(f.id());
            m.raw("### ").raw(Integer.toString(++n)).raw(". ").raw(f.severity().label().toUpperCase(Locale.ROOT)).raw(" ")
                    .text(f.id(), Escape::mdCode).raw(rule == null ? "" : " — ").text(rule == null ? "" : rule.title()).raw("\n\n");
            m.text(f.message()).raw("\n\n");
            m.raw("- time: ").raw(Times.iso(f.nanos())).raw(f.endNanos() != f.nanos() ? " to " + Times.iso(f.endNanos()) : "").raw("\n");
            m.raw("- subject: ").text(f.subject(), Escape::mdCode).raw("\n");
            for (Map.Entry<String, List<Long>> e : f.frames().entrySet()) {
                int omitted = f.omitted().getOrDefault(e.getKey(), 0);
                m.raw("- evidence frames (").text(e.getKey()).raw("): ")
                        .text(String.join(", ", e.getValue().stream().map(String::valueOf).toList()), Escape::mdCode)
                        .raw(omitted > 0 ? " (+" + omitted + " more)" : "").raw("\n");
            }
            for (Map.Entry<String, String> e : f.filters().entrySet()) {
                m.raw("- display filter (").text(e.getKey()).raw("): ").text(e.getValue(), Escape::mdCode).raw("\n");
            }
            if (!f.conntrack().isEmpty()) m.raw("- conntrack: ").text(f.conntrack(), Escape::mdCode).raw("\n");
            for (Map.Entry<String, String> e : f.details().entrySet()) {
                m.raw("- ").text(e.getKey()).raw(": ").text(e.getValue(), Escape::mdCode).raw("\n");
            }
            m.raw("- fix: ").text(f.fix()).raw("\n\n");
        }
        m.raw("## Counts\n\n");
        for (Side side : Side.values()) {
            long matchable = r.matchable(side);
            m.raw("- ").raw(side.label().toUpperCase(Locale.ROOT)).raw(String.format(Locale.ROOT,
                    ": %d packets to match, %d matched, %d translated, %d unchanged, %d no counterpart, %d leaked private source\n",
                    matchable, r.matched(side), r.outcome(side, Outcome.TRANSLATED), r.outcome(side, Outcome.UNCHANGED),
                    r.outcome(side, Outcome.NO_COUNTERPART), r.outcome(side, Outcome.LEAKED)));
        }
        m.raw("- binding lifetimes: ").raw(Integer.toString(r.bindings().size())).raw("\n");
        m.raw("- conntrack events: ").raw(Long.toString(d.conntrackEvents)).raw(", expectation events: ")
                .raw(Long.toString(d.expectEvents)).raw(", model peak: ").raw(Long.toString(r.model().peakEntries()))
                .raw(" entries\n");
        String divergences = Summaries.divergences(r.model());
        if (!divergences.isEmpty()) {
            m.raw("- model divergences (where the captures contradicted the Linux model's prediction, not findings): ")
                    .text(divergences).raw("\n");
        }
        List<String> calls = new ArrayList<>();
        for (CallLadder.Call c : d.ladder.calls()) calls.add(Escape.mdCode(Escape.redact(c.callId, redact)));
        m.raw("- SIP calls drawn in report.html: ").raw(calls.isEmpty() ? "none" : String.join(", ", calls)).raw("\n");
        if (r.sipRewrites() != null && r.sipRewrites().verdict() != null) {
            m.raw("- SIP ALG: ").text(r.sipRewrites().verdict().algClass().label()).raw("\n");
        }
        m.raw("\nDetails: report.html, summary.json and the CSV files beside this file.")
                .raw(redact ? " Authorization credentials are redacted.\n" : " Credentials are not redacted (--no-redact).\n");
        return m.toString();
    }
}
