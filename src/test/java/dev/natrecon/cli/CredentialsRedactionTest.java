package dev.natrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.testing.HostileCases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code credentials} case (folded Authorization and Proxy-Authorization headers over UDP and TCP, one changed by
 * the router) through {@code analyze}: no secret token in any output file or on the terminal; with
 * {@code --no-redact} the tokens are there (so the search can fail), and the findings are the same either way.
 */
class CredentialsRedactionTest {
    static final Path CASE = Path.of("src/test/resources/cases/credentials");

    @TempDir
    Path tmp;

    /** For each secret token, where it appears: output files (relative) and "terminal". */
    private static Map<String, List<String>> occurrences(Path out, MainTest.Run run) throws Exception {
        Map<String, String> texts = new TreeMap<>();
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                texts.put(out.relativize(f).toString(), new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        texts.put("terminal", run.out() + run.err());
        Map<String, List<String>> found = new TreeMap<>();
        for (String secret : HostileCases.SECRETS) {
            for (Map.Entry<String, String> e : texts.entrySet()) {
                if (e.getValue().contains(secret)) found.computeIfAbsent(secret, k -> new ArrayList<>()).add(e.getKey());
            }
        }
        return found;
    }

    private static List<String> findingLines(String terminal) {
        return terminal.lines().filter(l -> l.matches("^  (ERROR|WARNING|INFO) .*")).map(l -> l.replaceAll(":.*", "")).toList();
    }

    @Test
    void noOutputCarriesACredentialUnlessAskedTo() throws Exception {
        Path red = tmp.resolve("redacted"), open = tmp.resolve("shown");
        MainTest.Run r = MainTest.run("analyze", "--case", CASE.resolve("case.properties").toString(), "-o", red.toString());
        assertTrue(r.code() == 0 || r.code() == 1, r.err());
        List<String> files;
        try (Stream<Path> s = Files.walk(red)) {
            files = s.filter(Files::isRegularFile).map(p -> red.relativize(p).toString()).sorted().toList();
        }
        for (String expected : List.of("findings.csv", "sip.csv", "packets.csv", "summary.json", "summary.md", "report.html")) {
            assertTrue(files.contains(expected), files.toString());
        }
        assertTrue(files.stream().anyMatch(f -> f.endsWith(".svg")), files.toString());
        assertEquals(Map.of(), occurrences(red, r), "secrets in the redacted outputs");
        // the changed credentials are still found, shown redacted
        assertTrue(r.out().contains("alg.unexplained_change"), r.out());
        // (the terminal shows each finding's claim in one line; the changed values are in findings.csv)
        String findingsCsv = Files.readString(red.resolve("findings.csv"));
        assertTrue(findingsCsv.contains("authorization: Digest username=\"\"1001\"\", [redacted] -> Digest username=\"\"1001\"\", [redacted]"), findingsCsv);
        String sipCsv = Files.readString(red.resolve("sip.csv"));
        assertTrue(sipCsv.contains("[redacted]"), sipCsv);

        MainTest.Run o = MainTest.run("analyze", "--case", CASE.resolve("case.properties").toString(), "-o", open.toString(),
                "--no-redact");
        Map<String, List<String>> shown = occurrences(open, o);
        assertEquals(HostileCases.SECRETS.size(), shown.size(), "every token in some output with --no-redact: " + shown);
        for (String secret : HostileCases.SECRETS) assertTrue(shown.get(secret).contains("report.html"), secret + " " + shown);
        for (String f : List.of("findings.csv", "sip.csv", "summary.json", "summary.md")) {
            assertTrue(shown.get("RESP-LAN-DIFF").contains(f), shown.toString());
        }
        assertEquals(findingLines(r.out()), findingLines(o.out()), "redaction changes no judgement");
    }
}
