package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Side;
import dev.natrecon.report.CaseOutputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the real kernel did in each lab case (samples/NAME/README.md says how it was made) and what matching must show
 * of it: the packets the router dropped have no counterpart, un-NATed packets are leaks, ALG rewrites and TCP sequence
 * adjustment do not break matching.
 */
class LabCasesTest {
    static RunResult run(String name) throws IOException {
        Path d = Path.of("samples", name);
        return Analysis.run(AnalysisInputs.pair(d.resolve("lan.pcap"), d.resolve("wan.pcap")), List.of());
    }

    static List<String> rows(String name, String outcome) throws IOException {
        Path out = Path.of("target/lab-cases", name);
        Path d = Path.of("samples", name);
        Analysis.run(AnalysisInputs.pair(d.resolve("lan.pcap"), d.resolve("wan.pcap")), List.of(new CaseOutputs(out)));
        return Files.readAllLines(out.resolve("packets.csv")).stream().filter(l -> l.contains("," + outcome + ","))
                .map(l -> l.split(",")[0] + " " + l.split(",")[1]).toList();
    }

    @Test
    void sipOverTcpThroughTheHelpersSequenceAdjustmentIsFullyMatched() throws IOException {
        RunResult r = run("sip-over-tcp");
        for (Side s : Side.values()) assertEquals(r.matchable(s), r.matched(s), s.toString());
    }

    @Test
    void algOffAndPortClashAreFullyTranslated() throws IOException {
        for (String name : List.of("alg-off", "port-clash", "wan-address-change")) {
            RunResult r = run(name);
            for (Side s : Side.values()) assertEquals(r.matchable(s), r.matched(s), name + " " + s);
        }
        RunResult clash = run("port-clash");
        assertTrue(clash.bindings().stream().anyMatch(b -> b.internalPort == 5060 && b.externalPort != 5060),
                "one phone lost port 5060");
        assertTrue(clash.bindings().stream().anyMatch(b -> b.internalPort == 5060 && b.externalPort == 5060),
                "the other kept it");
    }

    @Test
    void helperDroppedInvitesHaveNoWanCounterpart() throws IOException {
        // README: phone B's INVITE and its retransmissions, LAN frames 96, 148, 255, 458, never reach the WAN.
        assertEquals(List.of("lan 96", "lan 148", "lan 255", "lan 458"), rows("expect-exhaustion", "no_counterpart"));
    }

    @Test
    void unNattedTrafficIsReportedAsLeaks() throws IOException {
        // README: WAN frames 3-10 leave with 192.168.1.200 (UDP, missed by the rule) or 192.168.1.10 (TCP).
        assertEquals(List.of("wan 3", "wan 4", "wan 5", "wan 6", "wan 7", "wan 8", "wan 9", "wan 10"),
                rows("leaked-private-source", "leaked_private_source"));
        RunResult stale = run("stale-mapping");
        assertEquals(8, stale.outcome(Side.WAN, Outcome.LEAKED), "the stale null binding keeps leaking after the WAN returns");
    }

    @Test
    void inboundToAnExpiredBindingIsDroppedAndTheRoutersIcmpIsItsOwn() throws IOException {
        RunResult r = run("keepalive-gap");
        assertEquals(4, r.outcome(Side.WAN, Outcome.NO_COUNTERPART), "registrar pings after the binding expired");
        assertEquals(4, r.outcome(Side.WAN, Outcome.LOCAL), "the router's port-unreachable answers");
        assertEquals(r.matchable(Side.LAN), r.matched(Side.LAN));
    }
}
