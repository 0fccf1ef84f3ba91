package dev.natrecon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.engine.ModelSettings;
import dev.natrecon.engine.Analysis;
import dev.natrecon.engine.AnalysisInputs;
import dev.natrecon.engine.CaseSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** packets.csv's default listing: exactly the full listing's rows with a notable outcome, in the same order. */
class PacketRowsTest {
    /** The outcome labels {@link PacketRows#NOTABLE} keeps (column 12 of packets.csv). */
    private static final Set<String> NOTABLE = Set.of("leaked_private_source", "no_counterpart", "routed_back");

    @TempDir
    Path tmp;

    @Test
    void theNotableListingIsTheFullOneFilteredByOutcome() throws IOException {
        for (String sample : List.of("leaked-private-source", "outage-no-route-snat", "baseline")) {
            AnalysisInputs in = CaseSettings.load(Path.of("samples", sample, "case.properties"))
                    .inputs(ModelSettings.defaults());
            Path all = tmp.resolve(sample + "-all"), notable = tmp.resolve(sample + "-notable");
            Analysis.run(in, List.of(new CaseOutputs(all, PacketRows.ALL)));
            Analysis.run(in, List.of(new CaseOutputs(notable, PacketRows.NOTABLE)));
            List<String> full = Files.readAllLines(all.resolve("packets.csv"));
            List<String> expected = full.stream().skip(1)
                    .filter(l -> NOTABLE.contains(l.split(",", -1)[11]) || l.split(",", -1)[4].equals("malformed"))
                    .toList();
            List<String> got = Files.readAllLines(notable.resolve("packets.csv"));
            assertEquals(full.get(0), got.get(0), "the same header");
            assertEquals(expected, got.subList(1, got.size()), sample);
            if (!sample.equals("baseline")) assertTrue(expected.size() > 0, sample + " has notable frames");
            assertTrue(full.size() > got.size(), sample + ": the forwarded frames are not listed");
            // the other files do not depend on the listing
            assertEquals(Files.readString(all.resolve("summary.json")), Files.readString(notable.resolve("summary.json")));
        }
    }
}
