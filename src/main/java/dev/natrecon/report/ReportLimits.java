package dev.natrecon.report;

/**
 * The size bounds of the rendered reports. Findings are already capped per rule
 * ({@link dev.natrecon.detect.Detection#MAX_FINDINGS_PER_RULE}); these bound the files themselves, whatever the
 * findings carry: past a budget, the findings sections are cut with "N more findings, see findings.csv" (the CSV files
 * stream every row and are never cut). Browsers open a 16 MiB page (about 20,000 findings) in seconds; a Markdown
 * summary is pasted into tickets, whose trackers cap a comment far below 4 MiB (GitHub: 65,536 characters, so
 * summary.md keeps its findings under 1 MiB and links the rest).
 */
public final class ReportLimits {
    /** report.html: bytes the findings sections may fill (the rest of the page is bounded by its own limits). */
    public static final int HTML_FINDINGS_BYTES = 12 << 20;
    /** summary.md: bytes the findings may fill. */
    public static final int MARKDOWN_FINDINGS_BYTES = 1 << 20;
    /** summary.json: bytes the findings may fill (rendered size). */
    public static final int JSON_FINDINGS_BYTES = 12 << 20;

    private ReportLimits() {
    }

    /** The line that ends a cut findings list. */
    public static String more(int notListed) {
        return notListed + " more finding" + (notListed == 1 ? "" : "s") + " not listed here (report.size_limit), see findings.csv";
    }
}
