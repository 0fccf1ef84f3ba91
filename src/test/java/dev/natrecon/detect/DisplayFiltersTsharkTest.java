package dev.natrecon.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.natrecon.cli.Main;
import dev.natrecon.engine.CaseSettings;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Wireshark display filter natrecon writes is valid in Wireshark 4 and selects its evidence: {@code analyze}
 * runs on every lab sample and every test case with settings (samples/&#42;/case.properties,
 * src/test/resources/cases/&#42;/case.properties), and each finding's filter for a side (summary.json's
 * {@code display_filters}, the same text as findings.csv's lan_filter / wan_filter) is given to Debian's tshark
 * ({@code tshark -r CAPTURE -Y FILTER -T fields -e frame.number}) on that side's capture: it must exit 0, print no
 * error, and print every frame the finding lists as evidence on that side. Needs tshark (apt-get install tshark):
 * tagged {@code system}, run by {@code mvn -B test -Psystem}; tshark missing is a failure, not a skip.
 */
@Tag("system")
class DisplayFiltersTsharkTest {
    @TempDir
    Path tmp;

    /** One filter to check: the capture it is for, and the frames it must select. */
    record Check(String where, Path capture, String filter, Set<Long> evidence) {
    }

    @Test
    void everyFilterOfEverySampleParsesInTsharkAndSelectsItsEvidence() throws Exception {
        String tshark = tshark();
        List<Path> cases = new ArrayList<>();
        for (Path root : List.of(Path.of("samples"), Path.of("src/test/resources/cases"))) {
            try (Stream<Path> s = Files.list(root)) {
                s.map(d -> d.resolve("case.properties")).filter(Files::isRegularFile).sorted().forEach(cases::add);
            }
        }
        assertTrue(cases.size() >= 11, "the lab samples and test cases: " + cases);
        Map<String, Check> checks = new LinkedHashMap<>();
        for (Path props : cases) collect(props, checks);
        assertTrue(checks.size() >= 20, "enough filters to say something: " + checks.size());
        List<String> failures = new ArrayList<>();
        for (Check c : checks.values()) {
            String problem = run(tshark, c);
            if (problem != null) failures.add(c.where() + ": " + problem + "\n    filter: " + c.filter());
        }
        assertEquals(List.of(), failures, failures.size() + " of " + checks.size() + " filters fail in tshark");
    }

    /** Runs analyze on one case and adds each finding's filter per side (the same filter on the same file once). */
    private void collect(Path props, Map<String, Check> checks) throws IOException {
        String name = props.getParent().getFileName().toString();
        Path out = tmp.resolve(name);
        StringWriter o = new StringWriter(), e = new StringWriter();
        int code = Main.execute(new PrintWriter(o), new PrintWriter(e), "analyze", "--case", props.toString(),
                "-o", out.toString(), "--fail-on", "never");
        assertEquals(0, code, name + ": " + e);
        CaseSettings cs = CaseSettings.load(props);
        Map<String, Path> captures = Map.of("lan", cs.lanCapture(), "wan", cs.wanCapture());
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        for (JsonNode f : summary.path("findings")) {
            Iterator<Map.Entry<String, JsonNode>> filters = f.path("display_filters").fields();
            while (filters.hasNext()) {
                Map.Entry<String, JsonNode> side = filters.next();
                Path capture = captures.get(side.getKey());
                if (capture == null) fail(name + " " + f.path("id").asText() + ": a filter for side " + side.getKey());
                String filter = side.getValue().asText();
                if (filter.isEmpty()) continue;
                Set<Long> evidence = new TreeSet<>();
                for (JsonNode n : f.path("evidence").path(side.getKey())) evidence.add(n.asLong());
                String key = capture + "\n" + filter;
                Check had = checks.get(key);
                if (had != null) evidence.addAll(had.evidence());
                checks.put(key, new Check(name + " " + f.path("id").asText() + " (" + side.getKey() + ")", capture,
                        filter, evidence));
            }
        }
    }

    /** Null when tshark parses the filter and selects every evidence frame, else what went wrong. */
    private static String run(String tshark, Check c) throws IOException, InterruptedException {
        Path out = Files.createTempFile("tshark", ".out"), err = Files.createTempFile("tshark", ".err");
        try {
            Process p = new ProcessBuilder(tshark, "-n", "-r", c.capture().toString(), "-Y", c.filter(), "-T", "fields",
                    "-e", "frame.number").redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "tshark did not finish within 120 s";
            }
            // tshark's notice about running as root is not about the filter
            List<String> errors = Files.readAllLines(err).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("Running as user")).toList();
            if (p.exitValue() != 0 || !errors.isEmpty()) return "tshark exit " + p.exitValue() + ": " + String.join(" | ", errors);
            Set<Long> selected = new TreeSet<>();
            for (String l : Files.readAllLines(out)) if (!l.isBlank()) selected.add(Long.parseLong(l.strip()));
            Set<Long> missing = new TreeSet<>(c.evidence());
            missing.removeAll(selected);
            return missing.isEmpty() ? null : "evidence frames not selected: " + missing;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** tshark from $TSHARK or the PATH. */
    static String tshark() {
        String env = System.getenv("TSHARK");
        if (env != null && !env.isEmpty()) return env;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "tshark"))) return Path.of(dir, "tshark").toString();
        }
        return fail("tshark is needed for this test: apt-get install -y tshark (.ci/run does), or set TSHARK");
    }
}
