package dev.natrecon.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.alg.sip.AlgFindingType;
import dev.natrecon.alg.sip.tools.BreakAlg;
import dev.natrecon.engine.Analysis;
import dev.natrecon.engine.AnalysisInputs;
import dev.natrecon.engine.CaseSettings;
import dev.natrecon.engine.ModelSettings;
import dev.natrecon.report.CaseOutputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SIP and media detectors ({@code alg.*}, {@code rtp.*}, {@code sip.nat_tests}) through {@code analyze}: each fires
 * on its golden case with the right severity and frames, and clean traffic gives no warning or error. The cases under
 * {@code src/test/resources/cases/} keep their {@code expected/findings.csv}, regenerated with
 * {@code mvn test -Dtest=SipDetectorsTest -Dgolden.update=true}.
 */
class SipDetectorsTest {
    static final Path CASES = Path.of("src/test/resources/cases");
    static final boolean UPDATE = Boolean.parseBoolean(System.getProperty("golden.update", "false"));

    private static List<Finding> run(Path caseFile, Path out) throws IOException {
        AnalysisInputs in = CaseSettings.load(caseFile).inputs(ModelSettings.defaults());
        return Analysis.run(in, out == null ? List.of() : List.of(new CaseOutputs(out))).findings();
    }

    private static List<Finding> testCase(String name) throws IOException {
        Path out = Path.of("target/detect-cases").resolve(name);
        List<Finding> found = run(CASES.resolve(name).resolve("case.properties"), out);
        Path expected = CASES.resolve(name).resolve("expected/findings.csv");
        String got = Files.readString(out.resolve("findings.csv"));
        if (UPDATE) {
            Files.createDirectories(expected.getParent());
            Files.writeString(expected, got);
        }
        assertEquals(Files.readString(expected), got, expected + " differs; regenerate with "
                + "mvn test -Dtest=SipDetectorsTest -Dgolden.update=true if intended");
        return found;
    }

    private static Finding only(List<Finding> found, String id) {
        List<Finding> f = found.stream().filter(x -> x.id().equals(id)).toList();
        assertEquals(1, f.size(), id + " in " + found);
        return f.get(0);
    }

    private static List<String> problems(List<Finding> found) {
        return found.stream().filter(f -> f.severity() != Severity.INFO).map(f -> f.id() + " " + f.message()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"samples/baseline/case.properties", "samples/sip-over-tcp/case.properties"})
    void cleanTrafficHasNoWarningOrError(String caseFile) throws IOException {
        List<Finding> found = run(Path.of(caseFile), null);
        assertEquals(List.of(), problems(found));
        Finding nat = only(found, "sip.nat_tests");
        // what the provider receives through the Linux helper shows no NAT
        assertTrue(!nat.details().get("wan tests").contains("private") && !nat.details().get("wan tests").contains("!="),
                nat.message());
    }

    @Test
    void aBrokenAlgIsOneErrorPerTypeAndCallWithTheFieldsAndBothCopies() throws IOException {
        List<Finding> found = testCase("broken-alg");
        for (AlgFindingType t : List.of(AlgFindingType.SDP_CONNECTION_NOT_REWRITTEN, AlgFindingType.SDP_PORT_WITHOUT_BINDING,
                AlgFindingType.CONTENT_LENGTH_WRONG)) {
            Finding f = only(found, t.id());
            assertEquals(Severity.ERROR, f.severity());
            assertEquals(List.of(3L), f.frames("lan"));
            assertEquals(List.of(3L), f.frames("wan"));
            assertEquals("call nrlab-call-1@192.168.1.10", f.subject());
            assertTrue(f.filters().get("wan").startsWith("sip.Call-ID == \"nrlab-call-1@192.168.1.10\""), f.filters().toString());
            assertTrue(f.fix().contains("modprobe -r nf_nat_sip nf_conntrack_sip"), f.fix());
        }
        assertEquals("sdp.connection.address", only(found, "alg.sdp_connection_not_rewritten").details().get("fields"));
        assertEquals(List.of(7L), only(found, "alg.foreign_address_rewritten").frames("wan"));
        assertEquals(List.of(508L), only(found, "alg.mangled").frames("wan"));
        assertEquals(Severity.WARNING, only(found, "alg.differs_from_prediction").severity());
        // the broken SDP is not a media fault: the RTP still flows both ways
        assertTrue(found.stream().noneMatch(f -> f.id().equals("rtp.one_way")), found.toString());
    }

    @Test
    void withoutAnAlgThePrivateSdpOnTheWanLeavesTheCallOneWay() throws IOException {
        List<Finding> found = run(Path.of("samples/alg-off/case.properties"), null);
        Finding sdp = only(found, "rtp.sdp_private_address_on_wan");
        assertEquals(Severity.ERROR, sdp.severity());
        assertTrue(sdp.frames("wan").contains(3L), sdp.frameList());
        assertTrue(sdp.message().contains("192.168.1.10"), sdp.message());
        Finding oneWay = only(found, "rtp.one_way");
        assertEquals(Severity.ERROR, oneWay.severity());
        assertTrue(oneWay.message().contains("no media to the phone reached the router's WAN"), oneWay.message());
        List<Finding> alg = found.stream().filter(f -> f.id().equals("alg.private_address_on_wan")).toList();
        assertEquals(2, alg.size(), found.toString()); // the registration's and the call's
        assertTrue(alg.stream().allMatch(f -> f.severity() == Severity.WARNING));
        assertTrue(only(found, "sip.nat_tests").details().get("wan tests").contains("private Contact (1) 2/2"));
    }

    @Test
    void mediaDroppedByTheRouterIsOneWayWithTheWanPacketsAsEvidence() throws IOException {
        List<Finding> found = testCase("one-way-rtp");
        Finding f = only(found, "rtp.one_way");
        assertEquals(Severity.ERROR, f.severity());
        assertTrue(f.message().contains("reached the router's WAN (250 packets) but none was forwarded"), f.message());
        assertTrue(f.frames("wan").containsAll(List.of(3L, 6L)), f.frameList());
        assertTrue(f.frames("lan").containsAll(List.of(3L, 6L)), f.frameList());
        assertEquals(List.of(), problems(found).stream().filter(p -> !p.startsWith("rtp.one_way")).toList());
    }

    @Test
    void aPhoneSendingFromAnotherPortIsAsymmetric() throws IOException {
        Finding f = only(testCase("asymmetric-rtp"), "rtp.asymmetric");
        assertEquals(Severity.WARNING, f.severity());
        assertTrue(f.message().contains("advertises 192.168.1.10:40000") && f.message().contains("192.168.1.10:40002"),
                f.message());
    }

    @Test
    void anAnsweredCallWithoutMediaIsReported() throws IOException {
        List<Finding> found = testCase("no-media");
        Finding f = only(found, "rtp.no_media_after_answer");
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(List.of(3L, 6L), f.frames("lan"));
        assertTrue(found.stream().noneMatch(x -> x.id().equals("rtp.one_way")));
    }

    @Test
    void theEditedCapturesAreRebuiltByteForByte() throws IOException {
        Path tmp = Files.createDirectories(Path.of("target/detect-cases/pcaps"));
        Map<String, List<String>> edits = Map.of(
                "one-way-rtp/lan.pcap", List.of("drop:203.0.113.5:30000>192.168.1.10:40000"),
                "asymmetric-rtp/lan.pcap", List.of("sport:192.168.1.10:40000>203.0.113.5:30000=40002"),
                "asymmetric-rtp/wan.pcap", List.of("sport:203.0.113.2:40000>203.0.113.5:30000=40002"),
                "no-media/lan.pcap", List.of("drop:203.0.113.5:30000>192.168.1.10:40000", "drop:192.168.1.10:40000>203.0.113.5:30000"),
                "no-media/wan.pcap", List.of("drop:203.0.113.5:30000>203.0.113.2:40000", "drop:203.0.113.2:40000>203.0.113.5:30000"));
        for (Map.Entry<String, List<String>> e : edits.entrySet()) {
            Path out = tmp.resolve(e.getKey().replace('/', '-'));
            String side = e.getKey().substring(e.getKey().indexOf('/') + 1);
            BreakAlg.run(Path.of("samples/baseline").resolve(side), out, e.getValue(), null);
            assertArrayEquals(Files.readAllBytes(CASES.resolve(e.getKey())), Files.readAllBytes(out), e.getKey());
        }
        assertArrayEquals(Files.readAllBytes(Path.of("samples/baseline/wan.pcap")),
                Files.readAllBytes(CASES.resolve("one-way-rtp/wan.pcap")));
    }
}
