package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every {@code conntrack -L} listing a case names is compared: the first, each mid-run one by name, the end's last. */
class CaseSettingsListingsTest {
    @Test
    void midRunListingsAreReadBetweenTheFirstAndTheEnd() throws IOException {
        AnalysisInputs in = CaseSettings.load(Path.of("samples/tcp-reconnect/case.properties"))
                .inputs(ModelSettings.defaults());
        assertEquals(List.of("conntrack-L.txt", "conntrack-L-closed.txt", "conntrack-L-end.txt"),
                in.kernelTables().stream().map(t -> t.file().getFileName().toString()).toList());
    }

    @Test
    void theCapturesOnlyRunComparesTheSameListings() throws IOException {
        CaseSettings c = CaseSettings.load(Path.of("samples/outage-no-route/case.properties"));
        assertEquals(c.inputs(ModelSettings.defaults()).kernelTables(),
                c.capturesOnly(ModelSettings.defaults()).kernelTables());
        assertEquals(3, c.capturesOnly(ModelSettings.defaults()).kernelTables().size());
    }

    @Test
    void aCaseWithoutTheFirstListingStillGetsItsMidRunAndEndOnes() throws IOException {
        AnalysisInputs in = CaseSettings.load(Path.of("samples/carrier-loss/case.properties"))
                .inputs(ModelSettings.defaults());
        assertEquals(List.of("conntrack-L-nocarrier.txt", "conntrack-L-end.txt"),
                in.kernelTables().stream().map(t -> t.file().getFileName().toString()).toList());
    }
}
