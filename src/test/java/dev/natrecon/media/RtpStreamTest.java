package dev.natrecon.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.correlate.Side;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-stream arithmetic: RFC 3550 jitter, Wireshark's lost/expected, duplicates, wraps, events, RTCP. */
class RtpStreamTest {
    static final String A = "198.51.100.7:40000", B = "203.0.113.9:50000";

    private static StreamSummary only(MediaFrames f) {
        List<StreamSummary> s = f.media.finish();
        assertEquals(1, s.size(), s.toString());
        return s.get(0);
    }

    @Test
    void headerFixtureDecodes() {
        // 80 = V2 P0 X0 CC0 | 00 = M0 PT0 (PCMU) | 0001 = seq 1 | 000000a0 = ts 160 | 12345678 = SSRC | 2 payload bytes
        byte[] b = MediaFrames.hex("80 00 0001 000000a0 12345678 ffff");
        assertEquals(12, RtpStream.headerLength(b, 0, b.length));
        // 91 = V2 X1 CC1 | 80 = M1 | CSRC 0a0b0c0d | extension profile bede, length 1 word | one word
        byte[] x = MediaFrames.hex("91 80 0002 00000140 12345678 0a0b0c0d bede0001 01020304 ff");
        assertEquals(24, RtpStream.headerLength(x, 0, x.length));
        // the extension's length says 2 words, only 1 is there: does not fit
        byte[] cut = MediaFrames.hex("90 00 0002 00000140 12345678 bede0002 01020304");
        assertEquals(-1, RtpStream.headerLength(cut, 0, cut.length));
        MediaFrames f = new MediaFrames();
        for (int i = 0; i < 4; i++) f.rtp(Side.LAN, i * 20.0, A, B, MediaFrames.rtp(0, false, 1 + i, 160L * i, 0x12345678L, 160));
        StreamSummary s = only(f);
        assertEquals(0x12345678L, s.ssrc());
        assertEquals("0x12345678", s.ssrcHex());
        assertEquals("PCMU", s.codec());
        assertEquals(8000, s.clockRate());
        assertEquals("lan", s.side());
        assertEquals(A, s.src());
        assertTrue(s.heuristic(), "no SDP: taken by its shape");
    }

    @Test
    void jitterIsRfc3550InMillisecondsOfThePayloadClock() {
        // 20 ms of PCMU per packet (160 samples at 8000 Hz), arriving at 0, 20, 45, 60 ms:
        // D = |20-20| = 0, |25-20| = 5, |15-20| = 5 ms; J = J + (|D| - J)/16 -> 0, 0.3125, 0.60546875
        MediaFrames f = new MediaFrames();
        double[] at = {0, 20, 45, 60};
        for (int i = 0; i < at.length; i++) {
            f.rtp(Side.WAN, at[i], A, B, MediaFrames.rtp(0, false, 100 + i, 1000 + 160L * i, 7, 160));
        }
        StreamSummary s = only(f);
        assertEquals(0.60546875, s.maxJitterMs(), 1e-9);
        assertEquals(0.0, s.minJitterMs(), 1e-9);
        assertEquals((0 + 0.3125 + 0.60546875) / 3, s.meanJitterMs(), 1e-9);
        assertEquals(25.0, s.maxDeltaMs(), 1e-9);
        assertEquals(15.0, s.minDeltaMs(), 1e-9);
        assertEquals(20.0, s.meanDeltaMs(), 1e-9);
        // least squares of media time (0, 20, 40, 60) on arrival (0, 20, 45, 60): slope 2050 / 2118.75, times 60 ms
        assertEquals(60.0 * (2050 / 2118.75 - 1), s.driftMs(), 1e-9);
    }

    @Test
    void lostDuplicatesAndLateAsWiresharkCountsThem() {
        MediaFrames f = new MediaFrames();
        int[] seqs = {1, 2, 3, 4, 6, 5, 5, 9};
        for (int i = 0; i < seqs.length; i++) {
            f.rtp(Side.LAN, i * 20.0, A, B, MediaFrames.rtp(8, false, seqs[i], 160L * seqs[i], 9, 160));
        }
        StreamSummary s = only(f);
        assertEquals(8, s.packets());
        assertEquals(9, s.expected()); // 9 - 1 + 1
        assertEquals(1, s.lost()); // 7 and 8 missing, 5 twice
        assertEquals(1, s.duplicates());
        assertEquals(1, s.outOfOrder());
        assertEquals(4, s.sequenceErrors()); // 6 (gap), 5 (late), 5 (again), 9 (gap)
        assertEquals(100.0 / 9, s.lostPercent(), 1e-9);
    }

    @Test
    void moreDuplicatesThanLossesIsNegativeLoss() {
        MediaFrames f = new MediaFrames();
        int[] seqs = {1, 2, 3, 4, 4, 5};
        for (int i = 0; i < seqs.length; i++) f.rtp(Side.LAN, i * 20.0, A, B, MediaFrames.rtp(8, false, seqs[i], 160L * seqs[i], 9, 160));
        StreamSummary s = only(f);
        assertEquals(-1, s.lost());
        assertEquals(1, s.duplicates());
    }

    @Test
    void sequenceAndTimestampWrapsAreNotLoss() {
        MediaFrames f = new MediaFrames();
        int[] seqs = {65534, 65535, 0, 1};
        long ts = 0xFFFFFFFFL - 160;
        for (int i = 0; i < seqs.length; i++) {
            f.rtp(Side.LAN, i * 20.0, A, B, MediaFrames.rtp(0, false, seqs[i], (ts + 160L * i) & 0xFFFFFFFFL, 3, 160));
        }
        StreamSummary s = only(f);
        assertEquals(4, s.expected());
        assertEquals(0, s.lost());
        assertEquals(0, s.sequenceErrors());
        assertEquals(0.0, s.maxJitterMs(), 1e-9);
        assertEquals(20.0, s.maxDeltaMs(), 1e-9);
    }

    @Test
    void markerAfterATimestampJumpIsASilenceGap() {
        MediaFrames f = new MediaFrames();
        f.rtp(Side.LAN, 0, A, B, MediaFrames.rtp(0, true, 1, 0, 5, 160));
        f.rtp(Side.LAN, 20, A, B, MediaFrames.rtp(0, false, 2, 160, 5, 160));
        f.rtp(Side.LAN, 40, A, B, MediaFrames.rtp(0, false, 3, 320, 5, 160));
        // 1 s of silence suppressed (RFC 3551 4.1: marker on the first packet of the talkspurt)
        f.rtp(Side.LAN, 1040, A, B, MediaFrames.rtp(0, true, 4, 320 + 8160, 5, 160));
        f.rtp(Side.LAN, 1060, A, B, MediaFrames.rtp(0, false, 5, 320 + 8320, 5, 160));
        StreamSummary s = only(f);
        assertEquals(2, s.markers());
        assertEquals(1, s.silenceGaps());
        assertEquals(0, s.lost());
        // the gap is not a delta (marker packets are left out, as Wireshark)
        assertEquals(20.0, s.maxDeltaMs(), 1e-9);
    }

    @Test
    void clockDriftAgainstArrival() {
        // the sender's clock runs 1 % fast: 20.2 ms of samples every 20 ms
        MediaFrames f = new MediaFrames();
        for (int i = 0; i < 101; i++) f.rtp(Side.LAN, i * 20.0, A, B, MediaFrames.rtp(0, false, i + 1, 1616L * i / 10, 5, 160));
        StreamSummary s = only(f);
        assertEquals(20.0, s.driftMs(), 0.2); // 2000 ms arrived, 2020 ms of media
        assertEquals(10_000, s.driftPpm(), 100);
    }

    @Test
    void driftIsTheLeastSquaresSlopeNotTheLastPacketsLateness() {
        // a clock that keeps time, but the last packet is held 60 ms (a jitter spike): first-to-last would call that
        // -60 ms of drift; the fitted line over 201 packets moves by under 2 ms
        MediaFrames f = new MediaFrames();
        for (int i = 0; i < 201; i++) {
            double at = i * 20.0 + (i == 200 ? 60.0 : 0.0);
            f.rtp(Side.LAN, at, A, B, MediaFrames.rtp(0, false, i + 1, 160L * i, 5, 160));
        }
        StreamSummary s = only(f);
        assertTrue(Math.abs(s.driftMs()) < 2.0, "drift " + s.driftMs());
        assertTrue(s.driftMs() < 0, "the held packet pulls the line down a little: " + s.driftMs());
    }

    @Test
    void driftStaysPreciseOverALongStream() {
        // an hour of 20 ms packets from a clock 50 ppm slow: the running fit must not lose the slope to rounding
        MediaFrames f = new MediaFrames();
        int n = 180_000;
        for (int i = 0; i < n; i++) {
            long ts = Math.round(160.0 * i * (1 - 50e-6));
            f.rtp(Side.WAN, i * 20.0, A, B, MediaFrames.rtp(0, false, (i + 1) & 0xffff, ts, 9, 160));
        }
        StreamSummary s = only(f);
        assertEquals(-50.0, s.driftPpm(), 0.5);
        assertEquals(-50e-6 * (n - 1) * 20.0, s.driftMs(), 1.0);
    }

    @Test
    void driftFitRecoversALineAndNeedsTwoInstants() {
        DriftFit fit = new DriftFit();
        assertTrue(Double.isNaN(fit.slope()), "no point");
        fit.add(5, 7);
        assertTrue(Double.isNaN(fit.slope()), "one point");
        fit.add(5, 9);
        assertTrue(Double.isNaN(fit.slope()), "one instant");
        DriftFit line = new DriftFit();
        for (int x = 0; x < 1000; x++) line.add(x, 3 + 1.001 * x + (x % 2 == 0 ? 0.5 : -0.5));
        assertEquals(1.001, line.slope(), 1e-5);
        assertEquals(1000, line.points());
    }
}
