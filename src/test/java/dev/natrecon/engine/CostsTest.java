package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.batch.CaseRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench --costs}: metering an analysis times its stages and detectors and changes none of its outputs. */
class CostsTest {
    @TempDir
    Path tmp;

    @Test
    void aMeteredAnalysisTimesEveryStageAndDetectorAndWritesTheSameFiles() throws Exception {
        Path lan = Path.of("samples/baseline/lan.pcap"), wan = Path.of("samples/baseline/wan.pcap");
        Path plain = tmp.resolve("plain"), metered = tmp.resolve("metered");
        RunResult a = CaseRunner.analyzeInto(AnalysisInputs.pair(lan, wan), plain, true, List.of());
        Costs costs = new Costs();
        RunResult b = CaseRunner.analyzeInto(AnalysisInputs.pair(lan, wan), metered, true, List.of(costs));
        assertEquals(a.packetsReplayed(), b.packetsReplayed());
        for (String f : List.of("summary.json", "findings.csv", "mappings.csv", "events.csv", "sip.csv")) {
            assertEquals(Files.readString(plain.resolve(f)), Files.readString(metered.resolve(f)), f);
        }
        // every frame is read, decoded and matched once; the stages that see each frame were entered for each
        assertEquals(a.packetsReplayed() + 1, costs.entries(Costs.Stage.READ), "one read per frame and the end");
        assertEquals(a.packetsReplayed(), costs.entries(Costs.Stage.DECODE));
        assertTrue(costs.entries(Costs.Stage.DETECTORS) >= a.packetsReplayed());
        assertTrue(costs.nanos(Costs.Stage.MODEL) > 0 && costs.nanos(Costs.Stage.DETECTORS) > 0);
        assertEquals(1, costs.entries(Costs.Stage.DETECTORS_FINISH));
        assertTrue(costs.writes().containsKey("CaseOutputs") && costs.writes().containsKey("ReportSink"),
                costs.writes().toString());
        List<String> names = costs.detectorCosts().stream().map(Costs.DetectorCost::name).toList();
        assertTrue(names.contains("MediaDetector") && names.contains("KeepaliveDetector"), names.toString());
        assertTrue(costs.detectorCosts().stream().allMatch(d -> d.streamNanos() >= 0 && d.finishNanos() >= 0));
        assertTrue(costs.clockReads() > 2 * a.packetsReplayed());
    }
}
