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

    /**
     * The private addresses the far side receives, per message: from the WAN side of a router whose SIP helper is off
     * (alg-off) the provider gets the phone's private Via, Contact and SDP in every message the phone sent; with the
     * helper on (baseline) none; from the LAN side both show what the phone sent (the rewrite is not visible there).
     */
    @TestFactory
    List<DynamicTest> privateAddressesSentPerMessage() {
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("alg-off wan.pcap", () -> {
            RunResult r = Analysis.run(AnalysisInputs.single(Path.of("samples/alg-off/wan.pcap"), null), List.of());
            List<Finding> sent = r.findings().stream().filter(f -> f.id().equals("sip.private_address_sent")).toList();
            assertEquals(List.of("203.0.113.2 Contact", "203.0.113.2 top Via", "203.0.113.2 SDP c="),
                    sent.stream().map(Finding::subject).toList());
            for (Finding f : sent) {
                assertEquals("192.168.1.10", f.details().get("private address"), f.toString());
                assertFalse(f.frames("wan").isEmpty(), f.toString());
                assertTrue(f.filters().get("wan").startsWith("ip.src==203.0.113.2 && "), f.filters().toString());
            }
        }));
        tests.add(DynamicTest.dynamicTest("baseline wan.pcap", () -> {
            RunResult r = Analysis.run(AnalysisInputs.single(Path.of("samples/baseline/wan.pcap"), null), List.of());
            assertTrue(r.findings().stream().noneMatch(f -> f.id().equals("sip.private_address_sent")),
                    r.findings().toString());
        }));
        tests.add(DynamicTest.dynamicTest("baseline lan.pcap", () -> {
            RunResult r = Analysis.run(AnalysisInputs.single(Path.of("samples/baseline/lan.pcap"), null), List.of());
            assertEquals(List.of("192.168.1.10 Contact", "192.168.1.10 top Via", "192.168.1.10 SDP c="),
                    r.findings().stream().filter(f -> f.id().equals("sip.private_address_sent"))
                            .map(Finding::subject).toList());
        }));
        return tests;
    }
}
