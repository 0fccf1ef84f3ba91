package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.natrecon.bench.SyntheticNatCaptures;
import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.PcapWriter;
import dev.natrecon.capture.RawFrame;
import dev.natrecon.correlate.Side;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WAN capture host whose clock is 2.5 s ahead and runs 40 ppm fast: the estimate recovers both, and every packet is
 * still matched (at 40 ppm the clocks part by 4.8 ms over the 120 s capture, more than a fixed offset would absorb
 * in its residuals).
 */
class ClockDriftTest {
    @TempDir
    Path tmp;

    @Test
    void offsetAndDriftAreRecovered() throws IOException {
        Path lan = tmp.resolve("lan.pcap"), wan = tmp.resolve("wan.pcap"), skewed = tmp.resolve("wan-skewed.pcap");
        SyntheticNatCaptures.write(SyntheticNatCaptures.Config.of(3, 120).withCallTiming(30, 1, 1), lan, wan);
        long t0;
        try (CaptureReader r = CaptureReader.open(lan)) {
            RawFrame f = new RawFrame();
            r.next(f);
            t0 = f.timestampNanos;
        }
        try (CaptureReader r = CaptureReader.open(wan); OutputStream o = Files.newOutputStream(skewed);
             PcapWriter w = new PcapWriter(o, 1, true)) {
            RawFrame f = new RawFrame();
            while (r.next(f)) {
                long t = f.timestampNanos;
                long shifted = t + 2_500_000_000L + Math.round((t - t0) * 40e-6);
                w.write(shifted, f.data, f.offset, f.capturedLength, f.originalLength);
            }
        }
        RunResult r = Analysis.run(AnalysisInputs.pair(lan, skewed), List.of());
        double expectedAtAnchor = 2.5 + (r.clock().anchorNanos() - t0) * 40e-6 / 1e9;
        assertEquals(40, r.clock().driftPpm(), 1.0, r.clock().toString());
        assertEquals(expectedAtAnchor, r.clock().offsetSeconds(), 0.0005, r.clock().toString());
        for (Side s : Side.values()) assertEquals(r.matchable(s), r.matched(s), s + " all matched");
    }
}
