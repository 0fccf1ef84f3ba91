package dev.natrecon.batch;

import dev.natrecon.detect.Detectors;
import dev.natrecon.detect.Rule;
import dev.natrecon.report.AtomicFile;
import dev.natrecon.report.CsvSpec;
import dev.natrecon.report.Html;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The batch's own files: {@code summary.csv} (one row per case, then one per file that fits no case) and
 * {@code index.html} (the same table, linked to each case's report), and each case's {@code case-summary.csv}.
 */
final class BatchOutputs {
    private BatchOutputs() {
    }

    /** The columns of summary.csv and case-summary.csv: the case, then one count column per finding id. */
    static final CsvSpec<CaseOutcome> SPEC = spec();

    private static CsvSpec<CaseOutcome> spec() {
        CsvSpec<CaseOutcome> s = new CsvSpec<CaseOutcome>()
                .column("case", CaseOutcome::name)
                .column("status", CaseOutcome::status)
                .column("verdict", CaseOutcome::verdict)
                .column("verdict_reasons", CaseOutcome::reasons)
                .column("worst_finding", CaseOutcome::worstFinding)
                .column("rule", CaseOutcome::rule)
                .column("inputs", CaseOutcome::origin)
                .column("inputs_sha256", CaseOutcome::inputsSha256)
                .column("duration_seconds", c -> String.format(Locale.ROOT, "%.3f", c.durationSeconds()))
                .column("packets", CaseOutcome::packets)
                .column("findings", CaseOutcome::findings);
        for (Rule r : Detectors.rules()) s.column(r.id(), c -> c.counts().getOrDefault(r.id(), 0));
        return s.column("top_findings", CaseOutcome::top)
                .column("error", CaseOutcome::error)
                .column("report", CaseOutcome::report)
                .column("resumed", CaseOutcome::resumed);
    }

    static void writeCaseSummary(Path file, CaseOutcome c) throws IOException {
        SPEC.write(file, List.of(c));
    }

    /** The record a completed case left in its folder, or null when there is none (or it is unreadable). */
    static CaseOutcome readCaseSummary(Path file) {
        if (!Files.isRegularFile(file)) return null;
        try (Reader r = Files.newBufferedReader(file)) {
            List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r)
                    .getRecords();
            if (rows.size() != 1) return null;
            CSVRecord row = rows.get(0);
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (Rule rule : Detectors.rules()) {
                if (row.isMapped(rule.id()) && !row.get(rule.id()).equals("0")) {
                    counts.put(rule.id(), Integer.parseInt(row.get(rule.id())));
                }
            }
            return new CaseOutcome(text(row, "case"), text(row, "status"), text(row, "verdict"),
                    text(row, "verdict_reasons"), text(row, "worst_finding"), text(row, "rule"),
                    text(row, "inputs"), text(row, "inputs_sha256"), Double.parseDouble(row.get("duration_seconds")),
                    Long.parseLong(row.get("packets")), Integer.parseInt(row.get("findings")), counts,
                    text(row, "top_findings"), text(row, "error"), text(row, "report"), false);
        } catch (IOException | RuntimeException e) {
            return null; // written by another version or damaged: the case runs again
        }
    }

    /** A text cell as written before {@link dev.natrecon.report.Csv#cell} neutralised it. */
    private static String text(CSVRecord row, String column) {
        return dev.natrecon.report.Csv.text(row.get(column));
    }

    static void write(Path out, BatchRunner.Result r) throws IOException {
        List<CaseOutcome> rows = new ArrayList<>(r.cases());
        for (CaseDiscovery.Unmatched u : r.unmatched()) {
            rows.add(new CaseOutcome("", u.broken() ? "unreadable" : "no_case", "", "", "", "", u.file(), "", 0, 0, 0, Map.of(),
                    "", u.reason(), "", false));
        }
        SPEC.write(out.resolve("summary.csv"), rows);
        AtomicFile.write(out.resolve("index.html"), index(r));
    }

    private static String index(BatchRunner.Result r) {
        StringBuilder h = new StringBuilder(4096);
        long failed = r.cases().stream().filter(CaseOutcome::failed).count();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
                .append("<title>natrecon batch</title>\n<style>body{font-family:sans-serif;margin:1.5em}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;"
                        + "text-align:left}th{background:#eee}.error{background:#fdd}.warning{background:#ffe9c2}"
                        + ".clean{background:#dfd}.inconclusive{background:#e9ecef}.failed{background:#f99}.mono{font-family:monospace}</style></head><body>\n")
                .append("<h1>natrecon batch</h1>\n<p>")
                .append(r.cases().size()).append(" cases: ")
                .append(count(r, "clean")).append(" clean, ").append(count(r, "warning")).append(" with warnings, ")
                .append(count(r, "error")).append(" with errors, ").append(count(r, "inconclusive")).append(" inconclusive, ").append(failed).append(" failed; ")
                .append(r.unmatched().size()).append(" files fit no case.</p>\n")
                .append("<table><tr><th>case</th><th>verdict</th><th>top findings</th><th>packets</th><th>seconds</th>"
                        + "<th>inputs</th><th>rule</th></tr>\n");
        for (CaseOutcome c : r.cases()) {
            String cls = c.failed() ? "failed" : c.verdict();
            h.append("<tr class=\"").append(Html.escape(cls)).append("\"><td>");
            if (c.report().isEmpty()) h.append(Html.escape(c.name()));
            else h.append("<a href=\"").append(Html.escape(c.report())).append("\">").append(Html.escape(c.name())).append("</a>");
            h.append("</td><td>").append(c.failed() ? "failed" : Html.escape(c.verdict()))
                    .append(c.resumed() ? " (unchanged, not rerun)" : "").append("</td><td>")
                    .append(Html.escape(c.failed() ? c.error() : c.reasons().isEmpty() ? c.top()
                            : c.top().isEmpty() ? "inconclusive: " + c.reasons()
                            : "inconclusive: " + c.reasons() + " | " + c.top())).append("</td><td>").append(c.packets())
                    .append("</td><td>").append(String.format(Locale.ROOT, "%.1f", c.durationSeconds()))
                    .append("</td><td class=\"mono\">").append(Html.escape(c.origin())).append("</td><td>")
                    .append(Html.escape(c.rule())).append("</td></tr>\n");
        }
        h.append("</table>\n");
        if (!r.unmatched().isEmpty()) {
            h.append("<h2>Files that fit no case</h2>\n<table><tr><th>file</th><th>why</th></tr>\n");
            for (CaseDiscovery.Unmatched u : r.unmatched()) {
                h.append("<tr><td class=\"mono\">").append(Html.escape(u.file())).append("</td><td>")
                        .append(Html.escape(u.reason())).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        return h.append("<p>Every row also in summary.csv.</p>\n</body></html>\n").toString();
    }

    private static long count(BatchRunner.Result r, String verdict) {
        return r.cases().stream().filter(c -> !c.failed() && c.verdict().equals(verdict)).count();
    }
}
