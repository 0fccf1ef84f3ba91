package dev.natrecon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.bench.SyntheticNatCaptures;
import dev.natrecon.detect.Causes;
import dev.natrecon.detect.Finding;
import dev.natrecon.detect.FindingGroup;
import dev.natrecon.engine.Analysis;
import dev.natrecon.engine.AnalysisInputs;
import dev.natrecon.engine.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * report.html's findings on a generated case of hundreds of instances (300 phones behind one router, all sending SIP
 * from port 5060, so some 200 bindings are remapped: one {@code nat.port_clash} of 200 instances, and one
 * {@code sip.nat_tests} per phone): the index stays a few rows per kind, every finding and instance has its anchor,
 * each finding's evidence comes before its rule, and the page stays bounded and script-free.
 */
class HtmlFindingsTest {
    static final Path DIR = Path.of("target/html-findings-test");
    static RunResult result;
    static String html;

    @BeforeAll
    static void generateAndAnalyze() throws IOException {
        Files.createDirectories(DIR);
        Path lan = DIR.resolve("many-lan.pcap"), wan = DIR.resolve("many-wan.pcap");
        SyntheticNatCaptures.write(SyntheticNatCaptures.Config.of(300, 4), lan, wan);
        Path out = DIR.resolve("out");
        result = Analysis.run(AnalysisInputs.pair(lan, wan), List.of(new CaseOutputs(out), new ReportSink(out, true)));
        html = Files.readString(out.resolve("report.html"));
    }

    @Test
    void theCaseHasHundredsOfInstances() {
        List<FindingGroup> groups = Causes.group(result.findings());
        FindingGroup clash = groups.stream().filter(g -> g.id().equals("nat.port_clash")).findFirst().orElseThrow();
        assertTrue(clash.count() >= 150, "remapped ports: " + clash.count());
        assertTrue(result.findings().size() >= 300, "instances: " + result.findings().size());
    }

    @Test
    void theIndexHasAtMostAFewRowsPerKind() {
        String index = section(html, "<table id=\"findings-index\">", "</table>");
        List<FindingGroup> groups = Causes.group(result.findings());
        Map<String, Integer> kinds = new HashMap<>();
        for (FindingGroup g : groups) kinds.merge(g.severity() + " " + g.id(), 1, Integer::sum);
        int expectedRows = 0;
        for (int n : kinds.values()) expectedRows += n <= HtmlFindings.KIND_ROWS ? n : 1;
        assertEquals(expectedRows, count(index, "<tr><td"), index);
        assertTrue(expectedRows <= kinds.size() * HtmlFindings.KIND_ROWS);
        FindingGroup clash = groups.stream().filter(g -> g.id().equals("nat.port_clash")).findFirst().orElseThrow();
        assertTrue(index.contains("<td class=\"n\">" + clash.count() + "</td>"), "the clash row counts its instances");
        // a kind of many findings is one row counting them all, numbered as a range, linked to its first finding
        for (Map.Entry<String, Integer> k : kinds.entrySet()) {
            if (k.getValue() <= HtmlFindings.KIND_ROWS) continue;
            assertTrue(index.contains(k.getValue() + " findings of this kind"), k.getKey());
        }
    }

    @Test
    void everyFindingAndInstanceHasItsAnchorAndEvidenceComesBeforeTheRule() {
        List<FindingGroup> groups = Causes.group(result.findings());
        for (FindingGroup g : groups) {
            String sec = section(html, "<section class=\"finding f-" + g.severity().label() + "\" id=\"g" + g.number() + "\">",
                    "</section>");
            int evidence = sec.indexOf("<table class=\"evidence\">");
            int rule = sec.indexOf("<details class=\"rule\">");
            assertTrue(evidence > 0, "finding " + g.number() + " shows its evidence");
            assertTrue(rule < 0 || evidence < rule, "finding " + g.number() + ": evidence before the rule's text");
            assertTrue(sec.indexOf("<b>Fix:</b>") < (rule < 0 ? sec.length() : rule), "the fix before the rule");
        }
        for (int i = 1; i <= result.findings().size(); i++) {
            assertTrue(html.contains(" id=\"f" + i + "\""), "instance anchor f" + i);
        }
        Finding firstClash = result.findings().stream().filter(f -> f.id().equals("nat.port_clash")).findFirst().orElseThrow();
        assertTrue(html.contains(Escape.html(firstClash.filters().get("wan"))), "the filter is on the page");
    }

    @Test
    void thePageIsBoundedAndRunsNothing() {
        assertFalse(html.toLowerCase(Locale.ROOT).contains("<script"));
        assertTrue(html.length() < ReportLimits.HTML_FINDINGS_BYTES, "bytes: " + html.length());
        // at most about 8 KB per instance: rows, not a full article per instance
        assertTrue(html.length() / result.findings().size() < 8_000, "bytes per instance: " + html.length() / result.findings().size());
    }

    /** Each arrow of the ladder is labelled on both halves: the message and its frame on the LAN and on the WAN side. */
    @Test
    void theLadderLabelsBothHalvesAndWhatTheRouterChanged() {
        String svg = section(html, "<svg class=\"ladder\"", "</svg>");
        Matcher lan = Pattern.compile(">INVITE  lan #(\\d+)<").matcher(svg);
        Matcher wan = Pattern.compile(">INVITE  wan #(\\d+), rewritten<").matcher(svg);
        assertTrue(lan.find(), svg);
        assertTrue(wan.find(), svg);
        // the helper rewrote the phone's private address: the first change is named under the WAN half
        assertTrue(Pattern.compile(">Via: 192\\.168\\.[0-9.]+:5060 → 203\\.0\\.113\\.2:\\d+( \\+\\d+ more)?<").matcher(svg).find(), svg);
    }

    @Test
    void aChangeShowsOnlyTheTokensThatDiffer() {
        assertEquals("Contact: 192.168.1.10:5060 → 203.0.113.2:1025", CallLadder.changeText(new CallLadder.Change("Contact",
                "<sip:1001@192.168.1.10:5060;transport=udp>", "<sip:1001@203.0.113.2:1025;transport=udp>")));
        assertEquals("body c=: 192.168.1.10 → 203.0.113.2",
                CallLadder.changeText(new CallLadder.Change("body c=", "c=IN IP4 192.168.1.10", "c=IN IP4 203.0.113.2")));
        assertEquals("Route added: <sip:x>", CallLadder.changeText(new CallLadder.Change("Route", "", "<sip:x>")));
        assertEquals("Route removed", CallLadder.changeText(new CallLadder.Change("Route", "<sip:x>", "")));
    }

    static String section(String page, String start, String end) {
        int a = page.indexOf(start);
        assertTrue(a >= 0, "missing " + start);
        int b = page.indexOf(end, a);
        return page.substring(a, b + end.length());
    }

    static int count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}
