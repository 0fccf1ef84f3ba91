package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.correlate.Binding;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Side;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real-kernel baseline (samples/baseline, made by samples/lab/lab.sh baseline: nftables masquerade and the SIP
 * helper in a network-namespace router) is matched completely in both directions, and the clock offset of its
 * 7.25-s-shifted WAN copy (editcap -t 7.25) is estimated to within 1 ms.
 */
class LabBaselineTest {
    static final Path CASE = Path.of("samples/baseline");

    @Test
    void everyPacketIsMatchedInBothDirections() throws IOException {
        RunResult r = Analysis.run(AnalysisInputs.pair(CASE.resolve("lan.pcap"), CASE.resolve("wan.pcap")), List.of());
        for (Side side : Side.values()) {
            assertTrue(r.matchable(side) > 500, "the sample has SIP and 5 s of RTP both ways");
            assertEquals(r.matchable(side), r.matched(side), side + " matched 100 %");
            assertEquals(0, r.outcome(side, Outcome.LEAKED));
        }
        assertEquals(0.0, r.clock().offsetSeconds(), 0.001, "same host, same clock: " + r.clock());
        assertEquals(List.of("203.0.113.2"), r.clock().externalAddresses());
        assertEquals(2, r.bindings().size(), "SIP and RTP");
        for (Binding b : r.bindings()) {
            assertEquals("192.168.1.10", b.internal().split(":")[0]);
            assertEquals("203.0.113.2", b.external().split(":")[0]);
            assertEquals(b.internalPort, b.externalPort, "masquerade kept the port");
        }
    }

    @Test
    void shiftedWanClockIsEstimatedWithinOneMillisecond() throws IOException {
        RunResult plain = Analysis.run(AnalysisInputs.pair(CASE.resolve("lan.pcap"), CASE.resolve("wan.pcap")), List.of());
        RunResult shifted = Analysis.run(AnalysisInputs.pair(CASE.resolve("lan.pcap"), CASE.resolve("wan-shifted.pcap")),
                List.of());
        double shift = shifted.clock().offsetSeconds() - plain.clock().offsetSeconds();
        assertEquals(7.25, shift, 0.001, shifted.clock().toString());
        assertEquals(7.25, shifted.clock().offsetSeconds(), 0.001);
        assertTrue(shifted.clock().matches() > 500);
        for (Side side : Side.values()) assertEquals(shifted.matchable(side), shifted.matched(side));
    }

    @Test
    void givenOffsetIsUsedAsIs() throws IOException {
        AnalysisInputs in = new AnalysisInputs(CASE.resolve("lan.pcap"), CASE.resolve("wan-shifted.pcap"), null, null,
                null, 7.25, 1.0);
        RunResult r = Analysis.run(in, List.of());
        assertEquals("given", r.clock().method());
        assertEquals(r.matchable(Side.LAN), r.matched(Side.LAN));
        // Given a wrong offset, packets fall outside the window and are reported, not mis-matched.
        RunResult wrong = Analysis.run(new AnalysisInputs(CASE.resolve("lan.pcap"), CASE.resolve("wan-shifted.pcap"),
                null, null, null, 0.0, 1.0), List.of());
        assertEquals(0, wrong.matched(Side.LAN));
    }
}
