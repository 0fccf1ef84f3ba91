package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Side;
import dev.natrecon.detect.Finding;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * samples/cgnat: the baseline call from a real Linux router whose WAN address (100.64.10.2/22) is in the RFC 6598
 * shared address space behind a carrier NAT, the provider's server at 100.64.10.1 on the carrier's network (its
 * README: every packet forwarded, masquerade kept the ports, the helper wrote 100.64.10.2 into Via, Contact and SDP).
 * The router's own carrier-NAT address on the WAN is no private address (RFC 1918 / RFC 4193) and no leak (issue 16).
 */
class CarrierNatLabTest {
    /** The rules that would call the router's own 100.64 address private or leaked. */
    private static final Set<String> PRIVATE_RULES = Set.of("alg.private_address_on_wan",
            "rtp.sdp_private_address_on_wan", "nat.private_source_leak");

    @ParameterizedTest(name = "from its {0}")
    @ValueSource(strings = {"settings", "captures"})
    void theRoutersOwnCarrierNatAddressIsNeitherPrivateNorALeak(String how) throws IOException {
        RunResult r = Analysis.run(KernelConformanceTest.inputs("cgnat", how), List.of());
        for (Finding f : r.findings()) {
            assertTrue(!PRIVATE_RULES.contains(f.id()), how + ": " + f.id() + " " + f.message());
        }
        assertEquals(RunVerdict.Kind.CLEAN, r.verdict().kind(), r.verdict().reasonText());
        // every packet crossed the router and was translated: none local, none leaked, none without a counterpart
        for (Side s : Side.values()) {
            assertEquals(509, r.outcome(s, Outcome.TRANSLATED), how + " " + s);
            assertEquals(0, r.outcome(s, Outcome.LEAKED), how + " " + s);
            assertEquals(0, r.outcome(s, Outcome.NO_COUNTERPART), how + " " + s);
        }
    }

    @ParameterizedTest(name = "{0} alone")
    @ValueSource(strings = {"lan", "wan"})
    void eachCaptureAloneIsTakenOnItsSide(String side) throws IOException {
        RunResult r = Analysis.run(AnalysisInputs.single(Path.of("samples/cgnat", side + ".pcap"), null), List.of());
        assertEquals(List.of(side), r.roles(), r.decisions().toString());
        for (Finding f : r.findings()) {
            assertTrue(!PRIVATE_RULES.contains(f.id()), side + ": " + f.id() + " " + f.message());
        }
    }
}
