package dev.natrecon.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.natrecon.detect.Detectors;
import dev.natrecon.detect.Finding;
import dev.natrecon.engine.Analysis;
import dev.natrecon.engine.AnalysisInputs;
import dev.natrecon.engine.CaseSettings;
import dev.natrecon.engine.ModelSettings;
import dev.natrecon.engine.RunResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The human-facing outputs of every bundled sample and test case: summary.json valid against
 * src/main/resources/summary.schema.json, report.html self-contained (CSP, no remote URL), summary.md and the charts
 * written; two runs give the same bytes; credentials redacted unless asked not to.
 */
class ReportOutputsTest {
    static final Path OUT = Path.of("target/report-test");
    static final Path INJECTION = Path.of("src/test/resources/cases/html-injection");

    static Stream<Path> cases() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path root : List.of(Path.of("samples"), Path.of("src/test/resources/cases"))) {
            try (Stream<Path> s = Files.list(root)) {
                s.filter(d -> Files.exists(d.resolve("case.properties"))).sorted().forEach(out::add);
            }
        }
        return out.stream();
    }

    /** Runs the case with the CSV/JSON outputs and the report sink into {@code out}. */
    static RunResult analyze(Path caseDir, Path out, boolean redact) throws IOException {
        AnalysisInputs in = CaseSettings.load(caseDir.resolve("case.properties")).inputs(ModelSettings.defaults());
        return Analysis.run(in, List.of(new CaseOutputs(out), new ReportSink(out, redact)));
    }

    static JsonSchema schema() throws IOException {
        try (InputStream s = ReportOutputsTest.class.getResourceAsStream("/summary.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(s);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void everyCaseWritesValidSelfContainedOutputs(Path caseDir) throws IOException {
        Path out = OUT.resolve(caseDir.getFileName());
        analyze(caseDir, out, true);
        Set<ValidationMessage> errors = schema().validate(new ObjectMapper().readTree(out.resolve("summary.json").toFile()));
        assertTrue(errors.isEmpty(), caseDir + "/summary.json against summary.schema.json: " + errors);
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"" + HtmlReport.CSP + "\">"), "CSP");
        assertTrue(html.contains("id=\"verdict\""));
        assertEquals(List.of(), remoteReferences(html), "report.html must not reference anything remote");
        assertFalse(html.toLowerCase(java.util.Locale.ROOT).contains("<script"), "report.html has no script");
        String md = Files.readString(out.resolve("summary.md"));
        assertTrue(md.startsWith("# natrecon: "), md);
        List<int[]> spans = MarkdownInjectionTest.codeSpans(md);
        for (int i = md.indexOf('<'); i >= 0; i = md.indexOf('<', i + 1)) {
            int at = i;
            assertTrue(spans.stream().anyMatch(sp -> sp[0] < at && at < sp[1]),
                    "summary.md carries no raw HTML: a '<' outside a code span at " + at);
        }
        for (String c : List.of("table.png", "table.svg", "bindings.png", "bindings.svg")) {
            assertTrue(Files.size(out.resolve("charts").resolve(c)) > 1000, c);
        }
    }

    /** Every src/href-like attribute value of a real tag that is not a local file, a fragment or a PNG data: URI. */
    static List<String> remoteReferences(String html) {
        List<String> out = new ArrayList<>();
        Pattern attr = Pattern.compile("(?i)\\s(?:src|href|xlink:href|action|srcset|poster|background)\\s*=\\s*(\"[^\"]*\"|'[^']*'|[^\\s>]+)");
        Matcher tag = Pattern.compile("<[A-Za-z][^>]*>").matcher(html);
        while (tag.find()) {
            Matcher m = attr.matcher(tag.group());
            while (m.find()) {
                String v = m.group(1).replaceAll("^[\"']|[\"']$", "");
                if (v.startsWith("#") || v.startsWith("data:image/png;base64,")) continue;
                if (v.matches("[A-Za-z0-9_./-]+") && !v.startsWith("/") && !v.contains("..") && !v.contains("//")) continue;
                out.add(v);
            }
        }
        Matcher style = Pattern.compile("(?is)<style[^>]*>(.*?)</style>").matcher(html);
        while (style.find()) {
            if (Pattern.compile("(?i)url\\s*\\(|@import").matcher(style.group(1)).find()) out.add("url( or @import in CSS");
        }
        if (Pattern.compile("(?i)\\sstyle\\s*=\\s*[\"'][^\"']*url\\s*\\(").matcher(html).find()) out.add("url( in a style attribute");
        return out;
    }

    @Test
    void twoRunsWriteTheSameBytes() throws IOException {
        for (String name : List.of("samples/expect-exhaustion", INJECTION.toString())) {
            Path a = OUT.resolve("twice-a"), b = OUT.resolve("twice-b");
            analyze(Path.of(name), a, true);
            analyze(Path.of(name), b, true);
            List<String> files = new ArrayList<>(List.of("report.html", "summary.md"));
            try (Stream<Path> s = Files.list(a.resolve("charts"))) {
                s.map(p -> "charts/" + p.getFileName()).sorted().forEach(files::add);
            }
            assertTrue(files.contains("charts/ladder-1.svg"), files.toString());
            for (String f : files) {
                assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), name + ": " + f);
            }
        }
    }

    @Test
    void credentialsAreRedactedUnlessAskedNotTo() throws IOException {
        Path red = OUT.resolve("redacted"), plain = OUT.resolve("not-redacted");
        RunResult r = analyze(INJECTION, red, true);
        analyze(INJECTION, plain, false);
        for (String f : List.of("report.html", "summary.md")) {
            String s = Files.readString(red.resolve(f));
            for (String secret : List.of("RESPONSE-SECRET", "NONCE-SECRET")) assertFalse(s.contains(secret), f + ": " + secret);
        }
        String html = Files.readString(red.resolve("report.html"));
        assertTrue(html.contains("Authorization: Digest username=&quot;1001&quot;, [redacted]"), "scheme and user kept");
        assertTrue(html.contains("Proxy-Authorization: Digest username=&quot;1001&quot;, [redacted]"));
        String open = Files.readString(plain.resolve("report.html"));
        assertTrue(open.contains("RESPONSE-SECRET-1") && open.contains("NONCE-SECRET-2"), "--no-redact shows them");

        // summary.md shows capture text only through findings: one whose facts quote the header.
        Finding f = Finding.of(Detectors.rule("nat.private_source_leak")).at(r.model().endNanos()).subject("udp x")
                .message("REGISTER carried\nAuthorization: Digest username=\"1001\", nonce=\"NONCE-SECRET-1\", response=\"RESPONSE-SECRET-1\"")
                .detail("header", "Proxy-Authorization: Digest username=\"1001\", response=\"RESPONSE-SECRET-2\"").build();
        RunResult withFinding = new RunResult(r.caseName(), r.captures(), r.roles(), r.decisions(), r.clock(), r.outcomes(),
                r.matched(), r.matchedPairs(), r.bindings(), r.packetsReplayed(), r.peakHeld(), r.matchWindowSeconds(),
                r.model(), r.snapshots(), r.kernelCheck(), r.tableChecks(), r.expectCheck(), r.sipRewrites(), List.of(f),
                r.keepalive(), r.limits(), r.verdict(), r.streams(), r.calls());
        ReportSink sink = new ReportSink(OUT.resolve("unused"), true);
        String md = MarkdownSummary.render(withFinding, sink, true);
        assertFalse(md.contains("SECRET"), md);
        assertTrue(md.contains("[redacted]"), md);
        assertTrue(MarkdownSummary.render(withFinding, sink, false).contains("RESPONSE-SECRET-2"));
        String page = HtmlReport.render(withFinding, sink, List.of(), true);
        assertFalse(page.contains("SECRET"));
    }

    /** The html-injection captures are what its README's BreakAlg command makes from samples/baseline. */
    @Test
    void theInjectionCaseIsReproducible() throws IOException {
        String auth = "Authorization: Digest username=\"1001\", realm=\"nrlab\", nonce=\"NONCE-SECRET-1\", "
                + "uri=\"sip:203.0.113.5\", response=\"RESPONSE-SECRET-1\", algorithm=MD5\r\nExpires: 600";
        String pauth = "Proxy-Authorization: Digest username=\"1001\", realm=\"nrlab\", nonce=\"NONCE-SECRET-2\", "
                + "uri=\"sip:2002@203.0.113.5:5060\", response=\"RESPONSE-SECRET-2\"\r\nAllow: INVITE";
        List<String> edits = List.of(
                "1:User-Agent: natrecon-lab-phone=>User-Agent: <script>document.title='PWNED'</script>",
                "1:Expires: 600=>" + auth,
                "1:Call-ID: nrlab-reg-1@=>Call-ID: nrlab-reg-1<script>alert(3)</script>@",
                "2:Call-ID: nrlab-reg-1@=>Call-ID: nrlab-reg-1<script>alert(3)</script>@",
                "3:From: <sip:1001@=>From: \"x\\\"><img src=x onerror=alert(1)>\" <sip:1001@",
                "3:Allow: INVITE=>" + pauth,
                "3:s=natrecon lab=>s=<script>document.title='PWNED'</script>",
                "3:content-length=auto");
        for (String side : List.of("lan", "wan")) {
            Path made = Files.createDirectories(OUT).resolve("injection-" + side + ".pcap");
            dev.natrecon.alg.sip.tools.BreakAlg.run(Path.of("samples/baseline/" + side + ".pcap"), made, edits, null);
            assertArrayEquals(Files.readAllBytes(INJECTION.resolve(side + ".pcap")), Files.readAllBytes(made), side);
        }
    }

    @Test
    void escaping() {
        assertEquals("&lt;script&gt;document.title=&#39;x&#39;&lt;/script&gt; &quot;a&quot; &amp;",
                Escape.html("<script>document.title='x'</script> \"a\" &"));
        assertEquals("&lt;img src=x onerror=alert(1)&gt;", Escape.md("<img src=x onerror=alert(1)>"));
        assertEquals("\\[a\\](b) \\*c\\* \\`d\\` \\| x", Escape.md("[a](b) *c* `d` | x"));
        assertEquals("``a`b``", Escape.mdCode("a`b"));
        assertEquals("Authorization: Digest username=\"u\", [redacted]\r\nTo: x",
                Escape.redact("Authorization: Digest username=\"u\", realm=\"r\", response=\"abc\"\r\nTo: x", true));
        assertEquals("proxy-authorization:Basic [redacted]", Escape.redact("proxy-authorization:Basic dXNlcjpwdw==", true));
        assertEquals("x Authorization: y", Escape.redact("x Authorization: y", true), "only header lines");
    }
}
