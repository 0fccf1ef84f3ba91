package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.conntrack.UnknownNat;
import dev.natrecon.report.CaseOutputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * From the captures alone, the backup-uplink samples' entry #2 is made on an uplink neither capture shows (the kernel's
 * NAT 198.51.100.2, README): no output may present the model's stand-in 0.0.0.0 as its address. The CSVs write the
 * marker {@value UnknownNat#MARKER}; every conntrack-format line that carries 0.0.0.0 says so in its comment.
 */
class UnknownNatOutputsTest {
    private static final String STAND_IN = UnknownNat.ADDRESS;

    private static List<Map<String, String>> rows(Path csv) throws IOException {
        try (java.io.Reader in = Files.newBufferedReader(csv);
             org.apache.commons.csv.CSVParser p = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader()
                     .setSkipHeaderRecord(true).build().parse(in)) {
            return p.getRecords().stream().map(org.apache.commons.csv.CSVRecord::toMap).toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"backup-uplink-nat", "backup-uplink-snat"})
    void theUnknownNatReadsAsUnknownInEveryOutput(String name) throws IOException {
        Path out = Path.of("target/unknown-nat", name);
        Analysis.run(KernelConformanceTest.inputs(name, "captures"), List.of(new CaseOutputs(out)));

        List<Map<String, String>> events = rows(out.resolve("events.csv"));
        long marked = events.stream().filter(r -> r.get("reply").contains(" dst=" + UnknownNat.MARKER + " ")).count();
        assertTrue(marked > 0, name + ": entry #2's NEW should name its reply as unknown");
        for (Map<String, String> r : events) {
            assertFalse(r.get("reply").contains(" dst=" + STAND_IN + " "), name + " events.csv reply: " + r);
            String line = r.get("conntrack_line");
            if (line.contains(" dst=" + STAND_IN + " ")) {
                assertTrue(line.endsWith(UnknownNat.COMMENT), name + " events.csv line without its comment: " + line);
            }
        }
        List<Map<String, String>> mappings = rows(out.resolve("mappings.csv"));
        assertTrue(mappings.stream().anyMatch(r -> r.get("external").startsWith(UnknownNat.MARKER + ":")), name + ": " + mappings);
        assertTrue(mappings.stream().noneMatch(r -> r.get("external").startsWith(STAND_IN)), name + ": " + mappings);
        for (Map<String, String> r : rows(out.resolve("expectations.csv"))) {
            assertFalse(r.get("dst").equals(STAND_IN), name + " expectations.csv: " + r);
        }
        String summary = Files.readString(out.resolve("summary.json"));
        assertFalse(summary.contains("\"" + STAND_IN + ":"), name + ": summary.json names 0.0.0.0 as an endpoint");
        for (String l : summary.split("\n")) {
            if (l.contains("\"conntrack\"") && l.contains(" dst=" + STAND_IN + " ")) {
                assertTrue(l.contains("# nat unknown"), name + " summary.json: " + l);
            }
        }
    }

    /**
     * backup-uplink-snat: the wan0 copies after the main WAN's return reveal the backup's address (198.51.100.2): the
     * binding's later lifetime shows it, as the kernel's log does for the entry that had it from its first packet.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"backup-uplink-snat"})
    void theRevealedAddressIsShownOnceACopyShowsIt(String name) throws IOException {
        Path out = Path.of("target/unknown-nat-revealed", name);
        Analysis.run(KernelConformanceTest.inputs(name, "captures"), List.of(new CaseOutputs(out)));
        List<Map<String, String>> mappings = rows(out.resolve("mappings.csv"));
        assertEquals(1, mappings.stream().filter(r -> r.get("external").equals("198.51.100.2:5060")).count(),
                name + ": " + mappings);
    }
}
