package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.correlate.Side;
import dev.natrecon.detect.Finding;
import dev.natrecon.detect.OneSide;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every lab sample analysed from its {@code lan.pcap} alone and from its {@code wan.pcap} alone: the vantage point is
 * decided right from the traffic, nothing that needs the other side (drops, leaks through the router, ALG errors,
 * stale or clashing translations, expectations) is claimed, and where the LAN capture's SIP responses carry the
 * registrar's {@code received}/{@code rport} the mapping the far side saw is reported.
 */
class OneSideLabTest {
    /** The lab samples with both captures (the real-kernel runs under samples/). */
    static List<Path> samples() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("samples"))) {
            s.filter(d -> Files.isRegularFile(d.resolve("lan.pcap")) && Files.isRegularFile(d.resolve("wan.pcap")))
                    .sorted().forEach(out::add);
        }
        return out;
    }

    @TestFactory
    List<DynamicTest> eachSideAlone() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path sample : samples()) {
            for (Side side : Side.values()) {
                Path file = sample.resolve(side.label() + ".pcap");
                tests.add(DynamicTest.dynamicTest(sample.getFileName() + " " + side.label() + " alone", () -> {
                    RunResult r = Analysis.run(AnalysisInputs.single(file, null), List.of());
                    assertTrue(r.verdict().oneSide(), "one side's verdict");
                    assertEquals(VantagePoint.label(side), r.verdict().vantage(), r.decisions().toString());
                    assertEquals(List.of(side.label()), r.roles());
                    for (Finding f : r.findings()) {
                        assertTrue(OneSide.judgeable(f.id()), "needs the other side: " + f.id() + " " + f.message());
                    }
                    // nothing can be missing on the other side of one capture
                    assertEquals(0, r.outcome(Side.LAN, dev.natrecon.correlate.Outcome.NO_COUNTERPART)
                            + r.outcome(Side.WAN, dev.natrecon.correlate.Outcome.NO_COUNTERPART));
                    assertFalse(r.verdict().reasons().stream().anyMatch(x -> x.id().equals("too_few_matched")),
                            r.verdict().reasonText());
                }));
            }
        }
        assertTrue(tests.size() >= 2, "lab samples found");
        return tests;
    }

    @TestFactory
    List<DynamicTest> sideGivenOverridesTheTraffic() {
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("baseline lan.pcap as --side wan", () -> {
            RunResult r = Analysis.run(AnalysisInputs.single(Path.of("samples/baseline/lan.pcap"), "wan"), List.of());
            assertEquals(List.of("wan"), r.roles());
            assertTrue(r.decisions().get(0).contains("given by --side"), r.decisions().get(0));
        }));
        return tests;
    }
}
