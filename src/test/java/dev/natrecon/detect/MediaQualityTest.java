package dev.natrecon.detect;

import static dev.natrecon.testing.CallCaptures.REMOTE;
import static dev.natrecon.testing.CallCaptures.request;
import static dev.natrecon.testing.CallCaptures.response;
import static dev.natrecon.testing.CallCaptures.sdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.correlate.Side;
import dev.natrecon.engine.Analysis;
import dev.natrecon.engine.AnalysisInputs;
import dev.natrecon.engine.ModelSettings;
import dev.natrecon.engine.RunResult;
import dev.natrecon.testing.CallCaptures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The calls' loss, jitter and E-model score come from the RTP streams that carried each direction on each side, and
 * rtp.jitter fires on a high mean jitter (with a control of even media).
 */
class MediaQualityTest {
    private static final long T0 = 1_700_000_000_000_000_000L, MS = 1_000_000L, S = 1_000_000_000L;
    private static final String ID = "quality-call-1@192.168.1.10";

    @TempDir
    Path tmp;

    private static CallCaptures call() {
        return new CallCaptures("192.168.1.10", "203.0.113.2", true)
                .phoneSends(T0, request("INVITE", ID, 1, false, sdp("PHONE", 40000, null)))
                .remoteSends(T0 + 100 * MS, response(200, "OK", "INVITE", ID, 1, sdp(REMOTE, 30000, null)))
                .phoneSends(T0 + 150 * MS, request("ACK", ID, 1, true, null));
    }

    private RunResult run(CallCaptures c) throws IOException {
        c.phoneSends(T0 + 11 * S, request("BYE", ID, 2, true, null))
                .remoteSends(T0 + 11 * S + 30 * MS, response(200, "OK", "BYE", ID, 2, null)).write(tmp);
        return Analysis.run(AnalysisInputs.pair(tmp.resolve("lan.pcap"), tmp.resolve("wan.pcap"))
                .withModel(ModelSettings.defaults()), List.of());
    }

    @Test
    void lossOfEveryTwentiethPacketIsCountedAndScored() throws IOException {
        CallCaptures c = call();
        int seq = 1;
        for (long t = T0 + 200 * MS; t < T0 + 10200 * MS; t += 20 * MS, seq++) {
            if (seq % 20 != 0) c.rtpOut(t, 40000, 30000, seq); // 5 % of the phone's packets never sent
            c.rtpIn(t + 5 * MS, 30000, 40000, seq);
        }
        RunResult r = run(c);
        CallRecord call = r.calls().get(0);
        for (Side side : Side.values()) {
            CallRecord.Leg out = call.leg(side, false), in = call.leg(side, true);
            assertEquals(475, out.packets(), side.toString());
            assertEquals(24, out.lost(), side + " lost (the last of 500 was not sent: 499 expected)");
            assertEquals(0, in.lost(), side.toString());
            assertNotNull(out.score(), side.toString());
            assertEquals(100.0 * 24 / 499, out.score().lossPercent(), 1e-9);
            assertEquals(EModel.mos(EModel.r(EModel.Codec.G711_PLC, 100.0 * 24 / 499, out.score().delayMs())),
                    out.score().mos(), 1e-9);
            assertTrue(in.score().mos() > 4.3 && out.score().mos() < 4.0, in.score().mos() + " " + out.score().mos());
        }
        assertEquals(List.of(), r.findings().stream().filter(f -> f.id().equals("rtp.jitter")).toList());
    }

    @Test
    void highMeanJitterToThePhoneIsReportedWithItsScore() throws IOException {
        CallCaptures c = call();
        int seq = 1;
        for (long t = T0 + 200 * MS; t < T0 + 10200 * MS; t += 20 * MS, seq++) {
            c.rtpOut(t, 40000, 30000, seq);
            c.rtpIn(t + (seq % 2 == 0 ? 105 : 5) * MS, 30000, 40000, seq); // every other packet 100 ms late
        }
        RunResult r = run(c);
        List<Finding> jitter = r.findings().stream().filter(f -> f.id().equals("rtp.jitter")).toList();
        assertEquals(1, jitter.size(), r.calls().toString());
        assertTrue(jitter.get(0).message().contains("to the phone") && jitter.get(0).message().contains("LAN: mean"),
                jitter.get(0).message());
        CallRecord.Leg in = r.calls().get(0).leg(Side.WAN, true);
        assertTrue(in.jitterMeanMs() >= Jitter.MEAN_MS, "mean " + in.jitterMeanMs());
        assertEquals(EModel.JITTER_BUFFER_FACTOR * in.jitterMeanMs(), in.score().jitterBufferMs(), 1e-9);
    }
}
