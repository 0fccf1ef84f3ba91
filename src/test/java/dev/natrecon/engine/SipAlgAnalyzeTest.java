package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.alg.sip.AlgClass;
import dev.natrecon.alg.sip.AlgFinding;
import dev.natrecon.alg.sip.AlgFindingType;
import dev.natrecon.alg.sip.CaseVerdict;
import dev.natrecon.alg.sip.Direction;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rewrite analysis as {@code analyze} runs it: the message pairs come from the replay's matcher, with the model
 * helper's prediction attached where a helper handled the message.
 */
class SipAlgAnalyzeTest {
    private static CaseVerdict verdict(String caseFile) throws IOException {
        AnalysisInputs in = CaseSettings.load(Path.of(caseFile)).inputs(ModelSettings.defaults());
        return Analysis.run(in, List.of()).sipRewrites().verdict();
    }

    private static List<String> fields(CaseVerdict v, AlgFindingType type) {
        AlgFinding f = v.finding(type);
        return f == null ? List.of() : f.fields();
    }

    @Test
    void theLinuxHelperIsLinuxLikeAndItsPredictionsHold() throws IOException {
        CaseVerdict v = verdict("samples/baseline/case.properties");
        assertEquals(AlgClass.LINUX_LIKE, v.algClass(), v.findings().toString());
        assertEquals(List.of(), v.findings());
        assertEquals(9, v.counts().values().stream().mapToInt(Integer::intValue).sum(), v.counts().toString());
    }

    @Test
    void helperOffIsNoAlg() throws IOException {
        CaseVerdict v = verdict("samples/alg-off/case.properties");
        assertEquals(AlgClass.NO_ALG, v.algClass());
        assertTrue(v.has(AlgFindingType.PRIVATE_ADDRESS_ON_WAN), v.findings().toString());
        assertTrue(fields(v, AlgFindingType.PRIVATE_ADDRESS_ON_WAN).contains("contact[0].host"), v.findings().toString());
    }

    @Test
    void aBrokenAlgIsBrokenWithTheEditedFieldsNamedAndTheLinuxPredictionContradicted() throws IOException {
        CaseVerdict v = verdict("src/test/resources/cases/broken-alg/case.properties");
        assertEquals(AlgClass.BROKEN, v.algClass());
        assertEquals(AlgClass.BROKEN, v.byDirection().get(Direction.OUTBOUND));
        assertEquals(List.of("sdp.connection.address"), fields(v, AlgFindingType.SDP_CONNECTION_NOT_REWRITTEN));
        assertEquals(List.of("sdp.media[0].port"), fields(v, AlgFindingType.SDP_PORT_WITHOUT_BINDING));
        assertEquals(List.of("content-length"), fields(v, AlgFindingType.CONTENT_LENGTH_WRONG));
        assertEquals(List.of("to.host"), fields(v, AlgFindingType.FOREIGN_ADDRESS_REWRITTEN));
        assertEquals(List.of("via[0]"), fields(v, AlgFindingType.MANGLED));
        assertTrue(fields(v, AlgFindingType.DIFFERS_FROM_PREDICTION).containsAll(List.of("content-length",
                "sdp.connection.address", "sdp.media[0].port", "to.host")), v.findings().toString());
    }
}
