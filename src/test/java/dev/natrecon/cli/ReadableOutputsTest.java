package dev.natrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No Java collection syntax in anything a person reads (issue 16): {@code analyze -v} of every sample and test case,
 * its terminal text, summary.md, report.html (outside the capture text and display filters it quotes) and the
 * free-text columns of every CSV carry no {@code {a=1}} map, no {@code [x, y]} list and no empty {@code []} or
 * {@code {}}. Wireshark's set syntax ({@code frame.number in {1, 2}}) is a filter, not prose, and is allowed where a
 * filter is.
 */
class ReadableOutputsTest {
    /** A Java map's toString ({@code {lan=254, wan=3}}), a list's ({@code [a, b]}), or an empty one. */
    static final Pattern COLLECTION = Pattern.compile("\\{[A-Za-z_][\\w.\\- ]*=[^{}]*\\}|\\[[^\\[\\]\\n]*, [^\\[\\]\\n]*\\]|\\[\\]|\\{\\}");
    /** report.html elements that quote capture text, filters or conntrack lines verbatim. */
    static final Pattern QUOTED = Pattern.compile("(?s)<pre>.*?</pre>|<code>.*?</code>|<title>.*?</title>|<style>.*?</style>");
    static final Path OUT = Path.of("target/readable-outputs-test");

    static Stream<Path> cases() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path root : List.of(Path.of("samples"), Path.of("src/test/resources/cases"))) {
            try (Stream<Path> s = Files.list(root)) {
                s.filter(d -> Files.exists(d.resolve("case.properties"))).sorted().forEach(out::add);
            }
        }
        return out.stream();
    }

    static List<String> collections(String text) {
        List<String> found = new ArrayList<>();
        Matcher m = COLLECTION.matcher(text);
        while (m.find()) found.add(m.group());
        return found;
    }

    /** A CSV column a person reads as prose (not a filter, a conntrack line or text copied from a capture). */
    static boolean freeText(String column) {
        return !(column.endsWith("_filter") || column.startsWith("conntrack") || column.endsWith("_before")
                || column.endsWith("_after") || column.equals("call_id") || column.equals("from") || column.equals("to"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void noCollectionSyntaxInAnyOutput(Path caseDir) throws IOException {
        Path out = OUT.resolve(caseDir.getFileName());
        MainTest.Run r = MainTest.run("analyze", "-v", "--case", caseDir.resolve("case.properties").toString(), "-o",
                out.toString());
        assertTrue(r.code() != Main.USAGE && r.code() != Main.INTERNAL, r.err());
        assertEquals(List.of(), collections(r.out() + r.err()), "terminal of " + caseDir);
        assertEquals(List.of(), collections(Files.readString(out.resolve("summary.md"))), "summary.md of " + caseDir);
        String html = QUOTED.matcher(Files.readString(out.resolve("report.html"))).replaceAll("");
        assertEquals(List.of(), collections(html), "report.html of " + caseDir);
        try (Stream<Path> files = Files.list(out)) {
            for (Path csv : files.filter(f -> f.toString().endsWith(".csv")).sorted().toList()) {
                List<String> found = new ArrayList<>();
                try (Reader in = Files.newBufferedReader(csv)) {
                    for (CSVRecord row : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
                        for (Map.Entry<String, String> cell : row.toMap().entrySet()) {
                            if (freeText(cell.getKey())) found.addAll(collections(cell.getValue()));
                        }
                    }
                }
                assertEquals(List.of(), found, csv.toString());
            }
        }
    }

    @Test
    void thePatternCatchesJavaCollectionsAndLeavesFiltersAndFieldPathsAlone() {
        assertEquals(List.of("{lan=254, wan=3}"), collections("seen {lan=254, wan=3} packets"));
        assertEquals(List.of("[udp a, udp b]"), collections("rewritten: [udp a, udp b]"));
        assertEquals(List.of("[]", "{}"), collections("none [] and {}"));
        assertEquals(List.of(), collections("via[0].host=192.168.1.10, [UNREPLIED] [redacted] frame.number in {1, 2}"));
    }
}
