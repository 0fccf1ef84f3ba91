package dev.natrecon.report;

import dev.natrecon.capture.Times;
import dev.natrecon.detect.Causes;
import dev.natrecon.detect.Detectors;
import dev.natrecon.detect.Finding;
import dev.natrecon.detect.FindingGroup;
import dev.natrecon.detect.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * report.html's findings: an index (one row per finding, i.e. per rule, severity and cause: severity, kind, cause,
 * instances, first and last time, link), then each finding with its evidence first (the claim, the frames, the display
 * filters, the conntrack entry and the figures, the fix) and the rule's long explanation collapsed after it. A finding
 * of many instances shows its first instance in full and the others as one table row each, so a case of hundreds of
 * remapped ports or one-way streams stays a page a person can scan. Sizes are bounded: at most
 * {@link #KIND_ROWS} index rows per kind, {@link #MAX_INSTANCE_ROWS} instance rows per finding
 * and {@link ReportLimits#HTML_FINDINGS_BYTES} bytes in all; every instance is always a row of findings.csv.
 */
final class HtmlFindings {
    /** Findings of one kind listed one by one in the index; more are one row for the kind (a page, not a phone book). */
    static final int KIND_ROWS = 5;
    /** Causes named in a kind's row. */
    static final int KIND_CAUSES = 3;
    /** Instance rows per finding; the rest are counted and left to findings.csv. */
    static final int MAX_INSTANCE_ROWS = 200;
    /** Evidence frames listed per capture point in an instance row (the full list is in the instance's CSV row). */
    static final int ROW_FRAMES = 12;
    /** Characters of the cause in an index row. */
    static final int INDEX_CAUSE_CHARS = 90;

    private HtmlFindings() {
    }

    static void render(SafeBuilder h, List<Finding> findings) {
        h.raw("<h2 id=\"findings\">Findings</h2>\n");
        if (findings.isEmpty()) {
            h.raw("<p>No findings: nothing the detectors check for happened in these captures.</p>\n");
            return;
        }
        List<FindingGroup> groups = Causes.group(findings);
        h.raw("<p class=\"note\">").text(groups.size() + (groups.size() == 1 ? " finding" : " findings")
                + " (one per kind and cause) from " + findings.size() + (findings.size() == 1 ? " instance" : " instances")
                + ", most severe first, then by time. Every instance is a row of findings.csv.").raw("</p>\n");
        index(h, groups);
        int start = h.length();
        int shown = 0;
        for (FindingGroup g : groups) {
            if (h.length() - start > ReportLimits.HTML_FINDINGS_BYTES) break;
            group(h, g);
            shown++;
        }
        if (shown < groups.size()) {
            int notListed = 0;
            for (int i = shown; i < groups.size(); i++) notListed += groups.get(i).count();
            h.raw("<p class=\"note\" id=\"findings-cut\">").text(ReportLimits.more(notListed)).raw("</p>\n");
        }
    }

    /**
     * The index: per kind (rule and severity), one row per finding when the kind has at most {@link #KIND_ROWS}, else
     * one row for the kind (how many findings and instances, the first causes, first and last time), so the index has
     * at most {@code KIND_ROWS} rows per rule however many instances the case holds.
     */
    private static void index(SafeBuilder h, List<FindingGroup> groups) {
        h.raw("<table id=\"findings-index\"><tr><th>#</th><th>severity</th><th>kind</th><th>cause</th>"
                + "<th>instances</th><th>first (UTC)</th><th>last (UTC)</th></tr>\n");
        Map<String, List<FindingGroup>> kinds = new LinkedHashMap<>();
        for (FindingGroup g : groups) {
            kinds.computeIfAbsent(g.severity().label() + ' ' + g.id(), k -> new ArrayList<>()).add(g);
        }
        for (List<FindingGroup> kind : kinds.values()) {
            if (kind.size() <= KIND_ROWS) {
                for (FindingGroup g : kind) {
                    indexRow(h, g, Integer.toString(g.number()), CallLadder.shorten(g.cause(), INDEX_CAUSE_CHARS),
                            g.count(), g.nanos(), g.endNanos());
                }
                continue;
            }
            FindingGroup first = kind.get(0);
            int instances = 0;
            long end = Long.MIN_VALUE;
            List<String> causes = new ArrayList<>();
            for (FindingGroup g : kind) {
                instances += g.count();
                end = Math.max(end, g.endNanos());
                if (causes.size() < KIND_CAUSES) causes.add(g.cause());
            }
            String cause = kind.size() + " findings of this kind, by " + Causes.of(first.id()) + ": "
                    + String.join(", ", causes) + ", …";
            indexRow(h, first, first.number() + "–" + kind.get(kind.size() - 1).number(),
                    CallLadder.shorten(cause, INDEX_CAUSE_CHARS * 2), instances, first.nanos(), end);
        }
        h.raw("</table>\n");
    }

    private static void indexRow(SafeBuilder h, FindingGroup g, String number, String cause, int instances, long first,
                                 long last) {
        Rule rule = Detectors.rule(g.id());
        h.raw("<tr><td class=\"n nw\">").text(number).raw("</td><td>").raw(badge(g.severity().label()))
                .raw("</td><td><a href=\"#").raw(groupAnchor(g)).raw("\"><code>").text(g.id()).raw("</code></a>");
        if (rule != null) h.raw("<br><span class=\"note\">").text(rule.title()).raw("</span>");
        h.raw("</td><td class=\"mono\">").text(cause).raw("</td><td class=\"n\">").text(Integer.toString(instances))
                .raw("</td><td class=\"mono nw\">").text(Times.iso(first)).raw("</td><td class=\"mono nw\">")
                .text(Times.iso(last)).raw("</td></tr>\n");
    }

    /** One finding: heading, the first instance's evidence in full, the other instances as rows, then the rule. */
    private static void group(SafeBuilder h, FindingGroup g) {
        Finding f = g.first();
        Rule rule = Detectors.rule(g.id());
        String sev = g.severity().label();
        h.raw("<section class=\"finding f-").raw(sev).raw("\" id=\"").raw(groupAnchor(g)).raw("\">\n<h3>")
                .text(g.number() + ". ").raw(badge(sev)).raw(" <code>").text(g.id()).raw("</code>");
        if (rule != null) h.raw(" — ").text(rule.title());
        if (g.count() > 1) h.raw(" <span class=\"meta\">(").text(g.count() + " instances").raw(")</span>");
        h.raw("</h3>\n");
        if (g.count() > 1) {
            h.raw("<p class=\"meta\">Shared by every instance: ").text(g.cause()).raw(" (").text(Causes.of(g.id()))
                    .raw("). The first instance in full, then one row per instance.</p>\n");
        }
        instance(h, f, g.index() + 1);
        if (g.count() > 1) instanceRows(h, g);
        if (rule != null) {
            h.raw("<details class=\"rule\"><summary>Rule: why this is a finding</summary>\n<p>").text(rule.rule()).raw("</p>\n");
            if (!rule.thresholds().isEmpty()) {
                h.raw("<ul>");
                for (String t : rule.thresholds()) h.raw("<li>").text(t).raw("</li>");
                h.raw("</ul>\n");
            }
            if (!rule.references().isEmpty()) {
                h.raw("<p class=\"note\">References: ").text(String.join("; ", rule.references())).raw("</p>\n");
            }
            h.raw("</details>\n");
        }
        h.raw("</section>\n");
    }

    /** An instance in full: the claim, when and what, the evidence frames and filters, conntrack, figures, fix. */
    private static void instance(SafeBuilder h, Finding f, int n) {
        h.raw("<article id=\"f").raw(Integer.toString(n)).raw("\">\n<p>").text(f.message()).raw("</p>\n");
        h.raw("<p class=\"meta\">").text(Times.iso(f.nanos()) + (f.endNanos() != f.nanos() ? " to " + Times.iso(f.endNanos()) : ""))
                .raw(" · ").text(f.subject()).raw("</p>\n");
        h.raw("<table class=\"evidence\"><tr><th>capture</th><th>evidence frames</th><th>display filter (Wireshark)</th></tr>\n");
        for (String p : points(f)) {
            h.raw("<tr><td>").text(p).raw("</td><td class=\"mono\">").text(frames(f, p, Finding.MAX_FRAMES))
                    .raw("</td><td><code>").text(f.filters().getOrDefault(p, "")).raw("</code></td></tr>\n");
        }
        h.raw("</table>\n");
        if (!f.conntrack().isEmpty()) h.raw("<p><b>Conntrack entry:</b></p><pre>").text(f.conntrack()).raw("</pre>\n");
        if (!f.details().isEmpty()) {
            h.raw("<table class=\"figures\">");
            for (Map.Entry<String, String> e : f.details().entrySet()) {
                h.raw("<tr><th>").text(e.getKey()).raw("</th><td class=\"mono\">").text(e.getValue()).raw("</td></tr>");
            }
            h.raw("</table>\n");
        }
        h.raw("<p><b>Fix:</b> ").text(f.fix()).raw("</p>\n</article>\n");
    }

    /** The instances after the first, one row each (time, subject, claim, frames, filters), at most {@link #MAX_INSTANCE_ROWS}. */
    private static void instanceRows(SafeBuilder h, FindingGroup g) {
        List<Finding> all = g.instances();
        int rows = Math.min(all.size() - 1, MAX_INSTANCE_ROWS);
        h.raw("<table class=\"instances\"><tr><th>#</th><th>time (UTC)</th><th>subject</th><th>claim</th>"
                + "<th>evidence frames</th><th>display filter (Wireshark)</th></tr>\n");
        for (int i = 1; i <= rows; i++) {
            Finding f = all.get(i);
            h.raw("<tr id=\"f").raw(Integer.toString(g.index() + i + 1)).raw("\"><td class=\"n\">").text(Integer.toString(i + 1))
                    .raw("</td><td class=\"mono nw\">").text(Times.iso(f.nanos())).raw("</td><td class=\"mono\">")
                    .text(f.subject()).raw("</td><td>").text(f.message()).raw("</td><td class=\"mono\">");
            for (String p : points(f)) h.raw("<div>").text(p + ": " + frames(f, p, ROW_FRAMES)).raw("</div>");
            h.raw("</td><td>");
            if (!f.filters().isEmpty()) {
                h.raw("<details><summary>").text(String.join(", ", f.filters().keySet())).raw("</summary>");
                for (Map.Entry<String, String> e : f.filters().entrySet()) {
                    h.raw("<div>").text(e.getKey() + ": ").raw("<code>").text(e.getValue()).raw("</code></div>");
                }
                h.raw("</details>");
            }
            h.raw("</td></tr>\n");
        }
        h.raw("</table>\n");
        int rest = all.size() - 1 - rows;
        if (rest > 0) {
            h.raw("<p class=\"note\">").text(rest + " more " + (rest == 1 ? "instance" : "instances")
                    + " of this finding are rows of findings.csv (finding " + g.number() + ").").raw("</p>\n");
        }
    }

    /** The capture points with frames or a filter, in the finding's order. */
    private static LinkedHashSet<String> points(Finding f) {
        LinkedHashSet<String> points = new LinkedHashSet<>(f.frames().keySet());
        points.addAll(f.filters().keySet());
        return points;
    }

    /** "12, 15, 19 (+4 more)": at most {@code max} of the capture point's frames, the rest counted. */
    static String frames(Finding f, String point, int max) {
        List<Long> fr = f.frames(point);
        int omitted = f.omitted().getOrDefault(point, 0) + Math.max(0, fr.size() - max);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(max, fr.size()); i++) sb.append(i == 0 ? "" : ", ").append(fr.get(i));
        if (omitted > 0) sb.append(sb.length() == 0 ? "" : " ").append("(+").append(omitted).append(" more)");
        return sb.length() == 0 ? "none" : sb.toString();
    }

    /** The anchor of a finding (the group): "g3". Instances keep "f" + their 1-based place in findings.csv. */
    static String groupAnchor(FindingGroup g) {
        return "g" + g.number();
    }

    static String badge(String severity) {
        return "<span class=\"badge " + severity + "\">" + severity + "</span>";
    }
}
