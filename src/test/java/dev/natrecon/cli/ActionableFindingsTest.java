package dev.natrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.natrecon.testing.HostileCaptures;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Findings people can act on (issue 16): one finding per rule and cause with every instance in findings.csv, the
 * terminal's verdict and findings in lines of at most 120 columns with info findings only under {@code -v}, and a
 * summary.md that pastes into a ticket (no HTML entities, no backslash escapes outside code spans, at most ~150 lines).
 */
class ActionableFindingsTest {
    /** summary.md's bound for any case. */
    static final int MARKDOWN_LINES = 150;

    @TempDir
    Path tmp;

    static List<CSVRecord> csv(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file)) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r).getRecords();
        }
    }

    static JsonNode json(Path file) throws IOException {
        return new ObjectMapper().readTree(file.toFile());
    }

    @Test
    void hundredRemappedPortsAreOneFindingListingEveryBinding() throws IOException {
        Path lan = tmp.resolve("lan.pcap"), wan = tmp.resolve("wan.pcap"), out = tmp.resolve("out");
        HostileCaptures.remappedPorts(lan, wan, 101, 3);
        MainTest.Run r = MainTest.run("analyze", "--lan", lan.toString(), "--wan", wan.toString(), "-o", out.toString());
        assertTrue(r.code() == Main.OK || r.code() == Main.FINDINGS || r.code() == Main.INCONCLUSIVE, r.err());

        List<CSVRecord> clashes = new ArrayList<>();
        for (CSVRecord row : csv(out.resolve("findings.csv"))) {
            if (row.get("id").equals("nat.port_clash") && row.get("severity").equals("warning")) clashes.add(row);
        }
        assertEquals(100, clashes.size(), "every remapped binding is a row of findings.csv");
        for (CSVRecord row : clashes) {
            assertEquals(clashes.get(0).get("finding"), row.get("finding"), "one finding");
            assertEquals("100", row.get("instances"));
            assertEquals("udp " + HostileCaptures.WAN_ADDRESS, row.get("cause"));
        }

        int groups = 0;
        for (JsonNode g : json(out.resolve("summary.json")).get("finding_groups")) {
            if (!g.get("id").asText().equals("nat.port_clash") || !g.get("severity").asText().equals("warning")) continue;
            groups++;
            assertEquals(100, g.get("instances").asInt());
            assertEquals(clashes.get(0).get("finding"), g.get("finding").asText());
        }
        assertEquals(1, groups, "summary.json: one port clash finding");

        long lines = r.out().lines().filter(l -> l.contains("WARNING nat.port_clash")).count();
        assertEquals(1, lines, r.out());
        assertTrue(r.out().contains("(100 instances: udp " + HostileCaptures.WAN_ADDRESS + ")"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.contains("findings.csv finding " + clashes.get(0).get("finding")
                + " (100 rows)")), r.out());
        assertTrue(r.out().startsWith("Case ") && r.out().lines().skip(1).findFirst().orElse("").startsWith("Verdict: "),
                "the verdict first:\n" + r.out());
        terminalFits(r.out(), "remapped");
        String md = Files.readString(out.resolve("summary.md"));
        pasteable(md, "remapped");
        assertTrue(md.contains("- instances: 100, all with the same cause: `udp " + HostileCaptures.WAN_ADDRESS + "`"), md);
    }

    @Test
    void hundredsOfFindingsKeepSummaryMdShortAndCountTheRest() throws IOException {
        Path lan = tmp.resolve("lan.pcap"), wan = tmp.resolve("wan.pcap"), out = tmp.resolve("out");
        HostileCaptures.leakingHosts(lan, wan, 300, 2);
        MainTest.Run r = MainTest.run("analyze", "--lan", lan.toString(), "--wan", wan.toString(), "-o", out.toString());
        assertEquals(Main.FINDINGS, r.code(), r.out() + r.err());
        JsonNode groups = json(out.resolve("summary.json")).get("finding_groups");
        long leaks = 0;
        for (JsonNode g : groups) if (g.get("id").asText().equals("nat.private_source_leak")) leaks++;
        assertEquals(300, leaks, "one finding per leaking internal host");
        String md = Files.readString(out.resolve("summary.md"));
        pasteable(md, "leaks");
        Matcher more = Pattern.compile("(\\d+) more findings \\((\\d+) instances\\) not listed here").matcher(md);
        assertTrue(more.find(), md);
        long listed = md.lines().filter(l -> l.matches("(### |- )\\d+\\. .*")).count();
        assertEquals(groups.size(), listed + Long.parseLong(more.group(1)), "listed and counted: every finding");
        terminalFits(r.out(), "leaks");
        assertTrue(r.out().lines().filter(l -> l.contains("ERROR   nat.private_source_leak")).count() == 300,
                "every error on the terminal, three lines each");
    }

    @Test
    void everyLabSampleFitsTheTerminalAndTheTicket() throws IOException {
        List<Path> cases = new ArrayList<>();
        try (var s = Files.list(Path.of("samples"))) {
            s.map(d -> d.resolve("case.properties")).filter(Files::isRegularFile).sorted().forEach(cases::add);
        }
        assertTrue(cases.size() >= 20, "the lab samples: " + cases);
        int withInfo = 0;
        for (Path c : cases) {
            String name = c.getParent().getFileName().toString();
            Path out = tmp.resolve(name);
            MainTest.Run r = MainTest.run("analyze", "--case", c.toString(), "-o", out.toString());
            assertTrue(r.code() != Main.USAGE && r.code() < 5, name + ": " + r.err());
            terminalFits(r.out(), name);
            int info = 0;
            for (JsonNode g : json(out.resolve("summary.json")).get("finding_groups")) {
                if (g.get("severity").asText().equals("info")) info++;
            }
            assertFalse(r.out().lines().anyMatch(l -> l.startsWith("  INFO ")), name + ": an info finding without -v\n" + r.out());
            if (info > 0) {
                withInfo++;
                assertTrue(r.out().contains("  " + info + " info finding" + (info == 1 ? "" : "s") + " not shown (-v"),
                        name + ": the hidden info findings are counted\n" + r.out());
            }
            pasteable(Files.readString(out.resolve("summary.md")), name);
        }
        assertTrue(withInfo > 0, "some sample has info findings");
        // -v shows them
        Path c = cases.get(0);
        MainTest.Run v = MainTest.run("analyze", "--case", c.toString(), "-o", tmp.resolve("verbose").toString(), "-v");
        int info = 0;
        for (JsonNode g : json(tmp.resolve("verbose").resolve("summary.json")).get("finding_groups")) {
            if (g.get("severity").asText().equals("info")) info++;
        }
        assertEquals(info, v.out().lines().filter(l -> l.startsWith("  INFO ")).count(), v.out());
        terminalFits(v.out(), "verbose");
    }

    @Test
    void markdownProseIsPlainTextWithMarkupInCodeSpans() {
        assertEquals("the `sip_timeout` of 3600 s", dev.natrecon.report.Escape.mdPlain("the sip_timeout of 3600 s"));
        assertEquals("`see <img src=x>`", dev.natrecon.report.Escape.mdPlain("see <img src=x>"));
        assertEquals("`mail a@b.example`", dev.natrecon.report.Escape.mdPlain("mail a@b.example"));
        assertEquals("`-` a list? only at the start: 1. is text", dev.natrecon.report.Escape.mdPlain(
                "- a list? only at the start: 1. is text"));
        assertEquals("udp 10.0.0.1:5060 -> 198.51.100.1:5060 (x2)", dev.natrecon.report.Escape.mdPlain(
                "udp 10.0.0.1:5060 -> 198.51.100.1:5060 (x2)"));
    }

    /** No line over 120 columns; every finding in at most three lines. */
    static void terminalFits(String out, String name) {
        for (String line : out.split("\n", -1)) {
            assertTrue(line.length() <= 120, name + ": " + line.length() + " columns: " + line);
        }
        List<String> lines = out.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).matches("  (ERROR|WARNING|INFO) +[a-z]+\\.[a-z0-9_]+ at .*")) continue;
            assertTrue(i + 2 < lines.size() && lines.get(i + 2).startsWith(FindingLines.INDENT + "see report.html#f"),
                    name + ": a finding in three lines ending with where to look:\n" + out);
            assertFalse(lines.get(i + 3 < lines.size() ? i + 3 : i).startsWith(FindingLines.INDENT), name);
        }
    }

    /** summary.md as a ticket takes it: short, no entities, no backslash escapes outside code spans, verdict first. */
    static void pasteable(String md, String name) {
        List<String> lines = md.lines().toList();
        assertTrue(lines.size() <= MARKDOWN_LINES, name + ": summary.md has " + lines.size() + " lines");
        assertTrue(lines.size() > 2 && lines.get(2).startsWith("**Verdict: "), name + ": verdict first\n" + md);
        int verdict = md.indexOf("**Verdict: "), findings = md.indexOf("## Findings"), inputs = md.indexOf("## Inputs");
        assertTrue(verdict < findings && findings < inputs, name + ": the verdict and the findings before the inputs");
        String prose = outsideCodeSpans(md);
        assertFalse(Pattern.compile("&(#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z]+);").matcher(prose).find(),
                name + ": an HTML entity in summary.md\n" + md);
        assertFalse(prose.contains("\\"), name + ": a backslash escape outside a code span\n" + md);
    }

    /** {@code md} with every code span (a run of backticks up to the same run) removed. */
    static String outsideCodeSpans(String md) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < md.length()) {
            char c = md.charAt(i);
            if (c != '`') {
                b.append(c);
                i++;
                continue;
            }
            int run = i;
            while (run < md.length() && md.charAt(run) == '`') run++;
            String fence = md.substring(i, run);
            int close = md.indexOf(fence, run);
            while (close >= 0 && close + fence.length() < md.length() && md.charAt(close + fence.length()) == '`') {
                close = md.indexOf(fence, close + fence.length() + 1);
            }
            if (close < 0) { // no closing run: the backticks are literal
                b.append(fence);
                i = run;
            } else {
                i = close + fence.length();
            }
        }
        return b.toString();
    }
}
