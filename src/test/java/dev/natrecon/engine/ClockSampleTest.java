package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.bench.SyntheticNatCaptures;
import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.PcapWriter;
import dev.natrecon.capture.RawFrame;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Side;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pass 1 of a two-capture case samples the clock from the first frames of each capture only; statistics and capture
 * ends come from the replay. Whatever the prefix, the analysis must come out the same as with the whole captures
 * sampled, fall back to the whole captures when the prefixes do not overlap, and still tell packets outside the
 * other capture's span from packets the router dropped.
 */
class ClockSampleTest {
    @TempDir
    Path tmp;

    @Test
    void aShortPrefixGivesTheSameAnalysisAsTheWholeCaptures() throws IOException {
        Path lan = tmp.resolve("lan.pcap"), wan = tmp.resolve("wan.pcap"), shifted = tmp.resolve("wan-shifted.pcap");
        SyntheticNatCaptures.write(SyntheticNatCaptures.Config.of(4, 40), lan, wan);
        rewrite(wan, shifted, 1_250_000_000L, Long.MAX_VALUE); // WAN clock 1.25 s ahead
        AnalysisInputs in = AnalysisInputs.pair(lan, shifted);
        RunResult whole = Analysis.run(in, List.of(), Long.MAX_VALUE);
        RunResult prefix = Analysis.run(in, List.of(), 2_000);
        assertTrue(prefix.decisions().contains("clock sample: the first 2000 frames of each capture"), prefix.decisions().toString());
        assertEquals(1.25, prefix.clock().offsetSeconds(), 0.0005, prefix.clock().toString());
        for (Side s : Side.values()) {
            assertEquals(whole.matched(s), prefix.matched(s), s + " matched");
            assertEquals(prefix.matchable(s), prefix.matched(s), s + " all matched");
        }
        for (int i = 0; i < 2; i++) {
            CaptureStats a = whole.captures().get(i), b = prefix.captures().get(i);
            assertEquals(a.frames, b.frames);
            assertTrue(b.frames > 2_000 * 5, "the captures are much longer than the prefix: " + b.frames);
            assertEquals(a.capturedBytes, b.capturedBytes);
            assertEquals(a.firstNanos, b.firstNanos);
            assertEquals(a.lastNanos, b.lastNanos);
            assertEquals(a.matchKeyKinds, b.matchKeyKinds);
            assertEquals(a.linkTypes, b.linkTypes);
        }
        // the statistics the replay counted are the ones inspect's survey counts
        CaptureStats surveyed = Analysis.survey(shifted);
        assertEquals(surveyed.frames, prefix.captures().get(1).frames);
        assertEquals(surveyed.matchKeyKinds, prefix.captures().get(1).matchKeyKinds);
        assertEquals(surveyed.lastNanos, prefix.captures().get(1).lastNanos);
    }

    @Test
    void prefixesThatDoNotOverlapFallBackToTheWholeCaptures() throws IOException {
        Path lan = tmp.resolve("lan.pcap"), wan = tmp.resolve("wan.pcap"), late = tmp.resolve("wan-late.pcap");
        SyntheticNatCaptures.write(SyntheticNatCaptures.Config.of(4, 40), lan, wan);
        long start = firstNanos(lan);
        rewrite(wan, late, 0, start + 20_000_000_000L); // the WAN capture starts 20 s later
        RunResult r = Analysis.run(AnalysisInputs.pair(lan, late), List.of(), 2_000);
        assertTrue(r.decisions().stream().anyMatch(d -> d.startsWith("clock sample: the first 2000 frames of each capture gave")
                && d.endsWith("sampled the whole captures")), r.decisions().toString());
        assertEquals(0, r.clock().offsetSeconds(), 0.0005, r.clock().toString());
        assertTrue(r.outcome(Side.LAN, Outcome.OUTSIDE_SPAN) > 1000, "LAN packets before the WAN capture began");
        assertEquals(r.matchable(Side.WAN), r.matched(Side.WAN), "every WAN packet has its LAN copy");
    }

    @Test
    void packetsAfterTheOtherCaptureEndedAreOutsideItsSpan() throws IOException {
        Path lan = tmp.resolve("lan.pcap"), wan = tmp.resolve("wan.pcap"), cut = tmp.resolve("wan-cut.pcap");
        SyntheticNatCaptures.write(SyntheticNatCaptures.Config.of(4, 40), lan, wan);
        long start = firstNanos(lan), end = start + 25_000_000_000L;
        long[] wanLast = {0};
        try (CaptureReader r = CaptureReader.open(wan); OutputStream o = Files.newOutputStream(cut);
             PcapWriter w = new PcapWriter(o, 1, true)) {
            RawFrame f = new RawFrame();
            while (r.next(f)) {
                if (f.timestampNanos > end) break;
                wanLast[0] = f.timestampNanos;
                w.write(f.timestampNanos, f.data, f.offset, f.capturedLength, f.originalLength);
            }
        }
        long lanAfter = 0, lanTotal = 0;
        try (CaptureReader r = CaptureReader.open(lan)) {
            RawFrame f = new RawFrame();
            while (r.next(f)) {
                lanTotal++;
                if (f.timestampNanos > wanLast[0]) lanAfter++;
            }
        }
        RunResult r = Analysis.run(AnalysisInputs.pair(lan, cut), List.of(), 2_000);
        long outside = r.outcome(Side.LAN, Outcome.OUTSIDE_SPAN);
        assertTrue(lanAfter > 1000 && lanAfter < lanTotal, "the case has LAN packets after the WAN capture: " + lanAfter);
        // every LAN packet after the WAN capture's last frame, but an inbound one forwarded just after it
        assertTrue(outside <= lanAfter && outside >= lanAfter - 5, "outside span " + outside + ", LAN packets after the "
                + "WAN capture's last frame " + lanAfter);
        // only packets in flight at the cut (LAN copy before it, WAN copy after) look dropped
        assertTrue(r.outcome(Side.LAN, Outcome.NO_COUNTERPART) <= 5, "no counterpart: " + r.outcome(Side.LAN, Outcome.NO_COUNTERPART));
    }

    private static long firstNanos(Path file) throws IOException {
        try (CaptureReader r = CaptureReader.open(file)) {
            RawFrame f = new RawFrame();
            return r.next(f) ? f.timestampNanos : 0;
        }
    }

    /** Copies {@code from}, shifting every timestamp by {@code shift} and dropping frames before {@code notBefore}. */
    private static void rewrite(Path from, Path to, long shift, long notBefore) throws IOException {
        try (CaptureReader r = CaptureReader.open(from); OutputStream o = Files.newOutputStream(to);
             PcapWriter w = new PcapWriter(o, 1, true)) {
            RawFrame f = new RawFrame();
            while (r.next(f)) {
                if (notBefore != Long.MAX_VALUE && f.timestampNanos < notBefore) continue;
                w.write(f.timestampNanos + shift, f.data, f.offset, f.capturedLength, f.originalLength);
            }
        }
    }
}
