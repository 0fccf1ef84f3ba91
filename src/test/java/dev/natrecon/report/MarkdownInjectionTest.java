package dev.natrecon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.testing.MarkdownInjection;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code markdown-injection} case through {@code analyze}: in summary.md every hostile token sits inside a code span
 * and the GFM rendering (commonmark-java with autolinks and tables) has no link, image or HTML from the capture; no
 * CSV cell starts a spreadsheet formula.
 */
class MarkdownInjectionTest {
    static final Path CASE = Path.of("src/test/resources/cases/markdown-injection");

    @TempDir
    static Path tmp;
    static Path out;

    @BeforeAll
    static void analyze() {
        out = tmp.resolve("out");
        StringWriter o = new StringWriter(), e = new StringWriter();
        int code = dev.natrecon.cli.Main.execute(new PrintWriter(o), new PrintWriter(e), "analyze", "--case",
                CASE.resolve("case.properties").toString(), "-o", out.toString());
        assertTrue(code == 0 || code == 1, e.toString());
    }

    /** The [start, end) ranges of each line's code spans (CommonMark: a backtick run closed by one of equal length). */
    static List<int[]> codeSpans(String md) {
        List<int[]> spans = new ArrayList<>();
        int lineStart = 0;
        for (String line : md.split("\n", -1)) {
            int i = 0;
            while (i < line.length()) {
                if (line.charAt(i) == '\\' && i + 1 < line.length()) {
                    i += 2;
                    continue;
                }
                if (line.charAt(i) != '`') {
                    i++;
                    continue;
                }
                int open = i;
                while (i < line.length() && line.charAt(i) == '`') i++;
                int n = i - open, close = -1, j = i;
                while (j < line.length()) {
                    if (line.charAt(j) != '`') {
                        j++;
                        continue;
                    }
                    int k = j;
                    while (k < line.length() && line.charAt(k) == '`') k++;
                    if (k - j == n) {
                        close = j;
                        break;
                    }
                    j = k;
                }
                if (close < 0) continue; // an unmatched run is literal text
                spans.add(new int[] {lineStart + open, lineStart + close + n});
                i = close + n;
            }
            lineStart += line.length() + 1;
        }
        return spans;
    }

    @Test
    void everyHostileTokenInSummaryMdIsInsideACodeSpan() throws Exception {
        String md = Files.readString(out.resolve("summary.md"));
        List<int[]> spans = codeSpans(md);
        int seen = 0;
        for (String token : MarkdownInjection.TOKENS) {
            for (Matcher m = Pattern.compile(Pattern.quote(token)).matcher(md); m.find(); seen++) {
                int at = m.start(), end = m.end();
                assertTrue(spans.stream().anyMatch(s -> s[0] < at && end <= s[1]),
                        "'" + token + "' outside a code span at " + at + ": " + md.substring(Math.max(0, at - 80), Math.min(md.length(), end + 40)));
            }
        }
        assertTrue(seen >= 20, "the tokens reached summary.md (" + seen + " occurrences)");
        for (String bare : List.of("evil.example", "javascript:", "SUM(")) {
            for (Matcher m = Pattern.compile(Pattern.quote(bare)).matcher(md); m.find(); ) {
                int at = m.start();
                assertTrue(spans.stream().anyMatch(s -> s[0] < at && at < s[1]), bare + " outside a code span at " + at);
            }
        }
    }

    @Test
    void gfmRenderingHasNoLinkImageOrHtmlFromTheCapture() throws Exception {
        String md = Files.readString(out.resolve("summary.md"));
        List<org.commonmark.Extension> ext = List.of(AutolinkExtension.create(), TablesExtension.create());
        String html = HtmlRenderer.builder().extensions(ext).build().render(Parser.builder().extensions(ext).build().parse(md));
        assertTrue(html.contains("<code>call www.evil.example</code>"), html);
        assertTrue(html.contains("&lt;img src=x&gt;"), "shown as text");
        for (String bad : List.of("<a ", "<img", "<b>", "href=", "src=x>")) assertFalse(html.contains(bad), bad + " in\n" + html);
        assertTrue(html.contains("<table>"), "the inputs table still renders");
    }

    @Test
    void codeSpansHoldAnyText() {
        List<org.commonmark.Extension> ext = List.of(AutolinkExtension.create(), TablesExtension.create());
        Parser p = Parser.builder().extensions(ext).build();
        HtmlRenderer r = HtmlRenderer.builder().extensions(ext).build();
        for (String s : List.of("a`b", "``x``", "`", " x ", "www.evil.example", "<b>x</b>", "a\nb\r\u001b[2J", "|pipe|")) {
            String html = r.render(p.parse("x " + Escape.mdCode(s) + " y"));
            String expected = s.replaceAll("[\\x00-\\x1f]", " ").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
            assertEquals("<p>x <code>" + expected + "</code> y</p>\n", html, s);
        }
        String table = r.render(p.parse("| a | b |\n|---|---|\n| " + Escape.mdCodeCell("x|y`z") + " | 2 |\n"));
        assertTrue(table.contains("<td><code>x|y`z</code></td>\n<td>2</td>"), table);
        assertEquals("plain \\*text\\*", Escape.mdText("plain *text*"));
        assertEquals("`see [x](y)`", Escape.mdText("see [x](y)"));
        assertEquals("`mail a@b.example`", Escape.mdText("mail a@b.example"));
    }

    @Test
    void noCsvCellStartsAFormula() throws Exception {
        List<Path> csvs;
        try (Stream<Path> s = Files.walk(out)) {
            csvs = s.filter(f -> f.toString().endsWith(".csv")).sorted().toList();
        }
        assertTrue(csvs.size() >= 8, csvs.toString());
        boolean hyperlink = false, sum = false;
        Pattern number = Pattern.compile("[-+]?[0-9]+(\\.[0-9]+)?");
        for (Path f : csvs) {
            try (Reader rd = Files.newBufferedReader(f)) {
                for (CSVRecord rec : CSVFormat.DEFAULT.parse(rd)) {
                    for (String cell : rec) {
                        if (cell.isEmpty()) continue;
                        char c = cell.charAt(0);
                        assertFalse("=+-@\t\r".indexOf(c) >= 0 && !number.matcher(cell).matches(),
                                f.getFileName() + " line " + rec.getRecordNumber() + ": " + cell);
                        hyperlink |= cell.equals("'=HYPERLINK(\"http://evil\",\"x\")");
                        sum |= cell.contains("@SUM(1+1)");
                    }
                }
            }
        }
        assertTrue(hyperlink, "the Call-ID is in sip.csv, neutralised");
        assertTrue(sum, "the User-Agent reached a CSV");
    }
}
