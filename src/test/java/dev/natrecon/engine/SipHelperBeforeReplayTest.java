package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.bench.SyntheticNatCaptures;
import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.PcapWriter;
import dev.natrecon.capture.RawFrame;
import dev.natrecon.conntrack.ConntrackEvent;
import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.correlate.MatchKeys;
import dev.natrecon.decode.Disposition;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --sip-helper auto} is decided in pass 1, before the replay creates its first entry, from the SIP messages seen
 * on both sides; pass 1 reads further (SIP only, bounded) only when its clock sample held none.
 */
class SipHelperBeforeReplayTest {
    @TempDir
    Path tmp;

    /**
     * sip-over-tcp from its captures alone: the TCP SYN (LAN frame 1) creates the signalling entry before the first
     * SIP message (LAN frame 4); the kernel gave it helper=sip at its NEW, and so must the model.
     */
    @Test
    void anEntryCreatedByASynBeforeTheFirstSipMessageGetsTheHelper() throws IOException {
        AnalysisInputs in = CaseSettings.load(Path.of("samples", "sip-over-tcp", "case.properties"))
                .capturesOnly(ModelSettings.defaults());
        List<ConntrackEvent> events = new ArrayList<>();
        RunResult r = Analysis.run(in, List.of(new AnalysisSink() {
            @Override
            public void packet(dev.natrecon.correlate.Crossing c) {
            }

            @Override
            public void conntrack(ConntrackEvent e) {
                events.add(e);
            }

            @Override
            public void finish(RunResult result) {
            }
        }));
        assertTrue(r.decisions().stream().anyMatch(d -> d.startsWith("model SIP helper: on for tcp/5060 (decided before "
                + "the replay from the whole captures")), r.decisions().toString());
        ConntrackEvent first = events.get(0);
        assertTrue(first instanceof ConntrackEvent.EntryCreated, first.toString());
        assertEquals(ConntrackTuple.TCP, first.entry().original().protocol());
        assertEquals(1, first.frame().frame(), "created by the SYN, LAN frame 1");
        assertEquals("sip", first.entry().helper());
    }

    /** The clock sample (the first 2000 frames) holds no LAN SIP message: the captures are read on, SIP only. */
    @Test
    void withoutSipInTheClockSampleTheCapturesAreReadOnForSip() throws IOException {
        Path lan = tmp.resolve("lan.pcap"), wan = tmp.resolve("wan.pcap"), lanLate = tmp.resolve("lan-late-sip.pcap");
        SyntheticNatCaptures.write(SyntheticNatCaptures.Config.of(4, 40), lan, wan);
        long dropped = withoutSip(lan, lanLate, 2_000);
        assertTrue(dropped > 0, "the first 2000 LAN frames held SIP to take out");
        RunResult r = Analysis.run(AnalysisInputs.pair(lanLate, wan), List.of(), 2_000);
        assertTrue(r.decisions().contains("clock sample: the first 2000 frames of each capture"), r.decisions().toString());
        String line = r.decisions().stream().filter(d -> d.startsWith("model SIP helper: on for udp/5060")).findFirst()
                .orElseThrow(() -> new AssertionError(r.decisions().toString()));
        assertTrue(line.contains("from the first " + Analysis.HELPER_SCAN_FRAMES + " frames of each capture (no SIP "
                + "message seen on both sides in the first 2000)"), line);
        assertTrue(r.model().rewritesPredicted() > 0, "the model ran the helper");
        // the same captures whole: decided from the clock sample's frames, no further reading
        RunResult whole = Analysis.run(AnalysisInputs.pair(lan, wan), List.of(), 2_000);
        assertTrue(whole.decisions().stream().anyMatch(d -> d.startsWith("model SIP helper: on for udp/5060 (decided "
                + "before the replay from the first 2000 frames of each capture:")), whole.decisions().toString());
    }

    /** Copies {@code from} without the SIP messages among its first {@code frames} frames; returns how many it left out. */
    private static long withoutSip(Path from, Path to, long frames) throws IOException {
        long dropped = 0, read = 0;
        FrameDecoder dec = new FrameDecoder(new dev.natrecon.capture.AnomalyCounts());
        MatchKeys keys = new MatchKeys();
        try (CaptureReader r = CaptureReader.open(from); OutputStream o = Files.newOutputStream(to);
             PcapWriter w = new PcapWriter(o, 1, true)) {
            RawFrame f = new RawFrame();
            while (r.next(f)) {
                if (++read <= frames && dec.decode(f, f.timestampNanos) == Disposition.DECODED
                        && keys.key(dec.packet) != 0 && keys.lastKind() == MatchKeys.Kind.SIP) {
                    dropped++;
                    continue;
                }
                w.write(f.timestampNanos, f.data, f.offset, f.capturedLength, f.originalLength);
            }
        }
        return dropped;
    }
}
