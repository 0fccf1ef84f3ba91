package dev.natrecon.report;

import dev.natrecon.capture.Times;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Side;
import dev.natrecon.detect.Causes;
import dev.natrecon.detect.Detectors;
import dev.natrecon.detect.FindingGroup;
import dev.natrecon.detect.Finding;
import dev.natrecon.detect.Rule;
import dev.natrecon.engine.CaptureStats;
import dev.natrecon.engine.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code summary.md}: the case in a form to paste into a ticket, as text or as Markdown. The verdict and the top
 * findings come first (one finding per rule and cause, {@link Causes}), then the inputs and the counts; at most
 * {@link #FINDINGS_LINES} lines of findings, the rest counted and pointed to in report.html and findings.csv, so any
 * case stays within about 150 lines. Capture text goes as written where nothing in it is markup, else in a code span
 * ({@link Escape#mdPlain}): no HTML entity, no backslash escape outside a code span, and no raw HTML, image, link,
 * autolink or mention from a capture reaches the ticket; redacted like the HTML report.
 */
final class MarkdownSummary {
    private MarkdownSummary() {
    }

    static String render(RunResult r, ReportSink d, boolean redact) {
        SafeBuilder m = new SafeBuilder(redact, Escape::mdPlain);
        String worst = r.verdict().label();
        m.raw("# natrecon: ").text(r.caseName()).raw("\n\n");
        List<FindingGroup> groups = Causes.group(r.findings());
        m.raw("**Verdict: ").raw(worst.toUpperCase(Locale.ROOT)).raw("** — ").raw(groups.isEmpty() ? "no findings"
                : groups.size() + (groups.size() == 1 ? " finding" : " findings") + " (" + FindingGroup.tally(groups) + "), "
                + r.findings().size() + (r.findings().size() == 1 ? " instance" : " instances"))
                .text(r.verdict().oneSide() ? " — one capture: " + r.verdict().vantage() : "").raw("\n\n");
        if (r.verdict().oneSide()) {
            m.raw("## What one capture cannot show\n\nThe findings are what this side shows alone; these need the other "
                    + "side's capture too:\n\n");
            for (String t : dev.natrecon.engine.RunVerdict.ONE_CAPTURE_CANNOT_SHOW) m.raw("- ").text(t).raw("\n");
            m.raw("\n");
        }
        for (dev.natrecon.engine.RunVerdict.Reason x : r.verdict().reasons()) {
            m.raw("- Inconclusive: ").text(x.text()).raw("\n");
        }
        if (r.verdict().inconclusive()) {
            m.raw("- The findings below, if any, were seen; the router as a whole could not be judged.\n");
        }
        for (String n : r.verdict().notes()) m.raw("- Note: ").text(n).raw("\n");
        if (r.verdict().inconclusive() || !r.verdict().notes().isEmpty()) m.raw("\n");
        findings(m, r);
        MarkdownMedia.render(m, r.calls(), redact);
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
        if (!r.calls().isEmpty()) {
            Map<String, Object> brief = Summaries.calls(r.calls());
            m.raw("- calls: ").raw(brief.get("total") + " (" + brief.get("answered") + " answered, "
                    + brief.get("media_both_ways") + " with media both ways)")
                    .raw(brief.containsKey("lowest_mos") ? ", lowest MOS " + brief.get("lowest_mos") + " (call "
                            + Escape.mdCode(Escape.redact((String) brief.get("lowest_mos_call_id"), redact)) + ")" : "")
                    .raw("; each in calls.csv\n");
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

    /** Lines the findings may fill: the rest of summary.md takes about 50, so a case stays within about 150 lines. */
    static final int FINDINGS_LINES = 95;
    /** Facts (details) shown per finding; the rest are in report.html. */
    static final int MAX_DETAILS = 6;
    /** Findings shown with their evidence; the next ones get one line each. */
    static final int FULL_FINDINGS = 5;

    private static void findings(SafeBuilder m, RunResult r) {
        List<FindingGroup> groups = Causes.group(r.findings());
        m.raw("## Findings\n\n");
        if (groups.isEmpty()) {
            m.raw("None.\n\n");
            return;
        }
        int start = m.length(), shown = 0;
        boolean briefs = false;
        for (FindingGroup g : groups) {
            int used = m.lines(start);
            if (used >= FINDINGS_LINES) break;
            if (!briefs && shown < FULL_FINDINGS && used + 12 < FINDINGS_LINES) {
                full(m, g);
            } else {
                briefs = true;
                brief(m, g);
            }
            shown++;
        }
        if (briefs) m.raw("\n");
        if (shown < groups.size()) {
            int instances = 0;
            for (FindingGroup g : groups.subList(shown, groups.size())) instances += g.count();
            m.raw(String.format(Locale.ROOT, "%d more finding%s (%d instance%s) not listed here: see report.html "
                    + "(Findings) and findings.csv.%n%n", groups.size() - shown, groups.size() - shown == 1 ? "" : "s",
                    instances, instances == 1 ? "" : "s"));
        }
    }

    /** A finding with its claim, time, instances, evidence of its first instance and fix. */
    private static void full(SafeBuilder m, FindingGroup g) {
        Finding f = g.first();
        Rule rule = Detectors.rule(f.id());
        m.raw("### ").raw(Integer.toString(g.number())).raw(". ").raw(f.severity().label().toUpperCase(Locale.ROOT))
                .raw(" ").raw(Escape.mdCode(f.id())).raw(rule == null ? "" : ": ").text(rule == null ? "" : rule.title())
                .raw("\n\n");
        m.text(f.message()).raw("\n\n");
        m.raw("- time: ").raw(Times.iso(g.nanos())).raw(g.endNanos() != g.nanos() ? " to " + Times.iso(g.endNanos()) : "")
                .raw("\n");
        m.raw(g.count() > 1 ? "- instances: " + g.count() + ", all with the same cause: " : "- cause: ").text(g.cause(), Escape::mdCode).raw(" (findings.csv: finding ").raw(Integer.toString(g.number()))
                .raw("; report.html: #").raw(g.anchor()).raw(")\n");
        if (g.count() > 1) m.raw("- first instance: ").text(f.subject(), Escape::mdCode).raw("\n");
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
        int details = 0;
        for (Map.Entry<String, String> e : f.details().entrySet()) {
            if (details++ == MAX_DETAILS) {
                m.raw("- ").raw(Integer.toString(f.details().size() - MAX_DETAILS)).raw(" more facts in report.html\n");
                break;
            }
            m.raw("- ").text(e.getKey()).raw(": ").text(e.getValue(), Escape::mdCode).raw("\n");
        }
        m.raw("- fix: ").text(f.fix()).raw("\n\n");
    }

    /** A finding in one line: severity, rule, time, instances and where its evidence is. */
    private static void brief(SafeBuilder m, FindingGroup g) {
        m.raw("- ").raw(Integer.toString(g.number())).raw(". ").raw(g.severity().label().toUpperCase(Locale.ROOT))
                .raw(" ").raw(Escape.mdCode(g.id())).raw(" at ").raw(Times.iso(g.nanos())).raw(", ")
                .raw(Integer.toString(g.count())).raw(g.count() == 1 ? " instance: " : " instances: ").text(g.cause(), Escape::mdCode)
                .raw(" (report.html #").raw(g.anchor()).raw(")\n");
    }

}
