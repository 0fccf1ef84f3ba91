package dev.natrecon.detect;

import static dev.natrecon.testing.CallCaptures.REMOTE;
import static dev.natrecon.testing.CallCaptures.request;
import static dev.natrecon.testing.CallCaptures.response;
import static dev.natrecon.testing.CallCaptures.sdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * rtp.media_stopped and the call records (calls.csv): a direction that stops mid-call while the other continues, with
 * its controls (both directions to the end; a stop shorter than the threshold; silence suppression offered), and the
 * call's SIP milestones, end reason and packet counts per side.
 */
class MediaStoppedTest {
    private static final long T0 = 1_700_000_000_000_000_000L, MS = 1_000_000L, S = 1_000_000_000L;
    private static final String ID = "stopped-call-1@192.168.1.10";

    @TempDir
    Path tmp;

    private static CallCaptures answered(String remoteSdp) {
        return new CallCaptures("192.168.1.10", "203.0.113.2", true)
                .phoneSends(T0, request("INVITE", ID, 1, false, sdp("PHONE", 40000, null)))
                .remoteSends(T0 + 100 * MS, response(180, "Ringing", "INVITE", ID, 1, null))
                .remoteSends(T0 + 2 * S, response(200, "OK", "INVITE", ID, 1, remoteSdp))
                .phoneSends(T0 + 2 * S + 50 * MS, request("ACK", ID, 1, true, null));
    }

    private static CallCaptures bye(CallCaptures c, long at) {
        return c.phoneSends(at, request("BYE", ID, 2, true, null))
                .remoteSends(at + 30 * MS, response(200, "OK", "BYE", ID, 2, null));
    }

    private RunResult run(CallCaptures c) throws IOException {
        c.write(tmp);
        AnalysisInputs in = AnalysisInputs.pair(tmp.resolve("lan.pcap"), tmp.resolve("wan.pcap"))
                .withModel(ModelSettings.defaults());
        return Analysis.run(in, List.of());
    }

    private static List<Finding> stopped(RunResult r) {
        return r.findings().stream().filter(f -> f.id().equals("rtp.media_stopped")).toList();
    }

    /** Both directions for 4 s, then only the phone's for 16 s more; inbound RTP still reaches the WAN, not the LAN. */
    private static CallCaptures stopsInbound(String remoteSdp, boolean reachesWan) {
        CallCaptures c = answered(remoteSdp).rtp(T0 + 2100 * MS, T0 + 6100 * MS, 40000, 30000, true, true)
                .rtp(T0 + 6100 * MS, T0 + 22 * S, 40000, 30000, true, false);
        if (reachesWan) {
            int seq = 1000;
            for (long t = T0 + 6105 * MS; t < T0 + 22 * S; t += 20 * MS) c.rtpInDropped(t, 30000, 40000, seq++);
        }
        return bye(c, T0 + 22 * S);
    }

    @Test
    void aDirectionThatStopsWhileTheOtherContinuesIsReportedWithTheHop() throws IOException {
        RunResult r = run(stopsInbound(sdp(REMOTE, 30000, null), true));
        List<Finding> found = stopped(r);
        assertEquals(1, found.size(), r.findings().toString());
        Finding f = found.get(0);
        assertEquals(Severity.WARNING, f.severity());
        assertTrue(f.message().contains("media to the phone stopped 4.") && f.message().contains("continued"), f.message());
        assertTrue(f.message().contains("the router stopped forwarding it"), f.message());
        assertTrue(!f.frames().getOrDefault("lan", List.of()).isEmpty(), f.toString());
    }

    @Test
    void theSenderStoppingIsReportedWithoutBlamingTheRouter() throws IOException {
        Finding f = stopped(run(stopsInbound(sdp(REMOTE, 30000, null), false))).get(0);
        assertTrue(!f.message().contains("router stopped forwarding"), f.message());
    }

    @Test
    void silenceSuppressionOfferedMakesItAnInfo() throws IOException {
        String cn = sdp(REMOTE, 30000, null).replace("RTP/AVP 0", "RTP/AVP 0 13");
        List<Finding> found = stopped(run(stopsInbound(cn, true)));
        assertEquals(1, found.size());
        assertEquals(Severity.INFO, found.get(0).severity());
        assertTrue(found.get(0).message().contains("cannot tell"), found.get(0).message());
    }

    @Test
    void mediaBothWaysToTheByeAndAShortStopAreNotReported() throws IOException {
        RunResult both = run(bye(answered(sdp(REMOTE, 30000, null))
                .rtp(T0 + 2100 * MS, T0 + 22 * S, 40000, 30000, true, true), T0 + 22 * S));
        assertEquals(List.of(), stopped(both));
        // the other direction continues 8 s after the stop: under the 10 s threshold
        RunResult shortStop = run(bye(answered(sdp(REMOTE, 30000, null))
                .rtp(T0 + 2100 * MS, T0 + 10 * S, 40000, 30000, true, true)
                .rtp(T0 + 10 * S, T0 + 18 * S, 40000, 30000, true, false), T0 + 18 * S));
        assertEquals(List.of(), stopped(shortStop));
    }

    @Test
    void theCallRecordHasTheMilestonesEndReasonAndCounts() throws IOException {
        RunResult r = run(bye(answered(sdp(REMOTE, 30000, null))
                .rtp(T0 + 2100 * MS, T0 + 12100 * MS, 40000, 30000, true, true), T0 + 13 * S));
        assertEquals(1, r.calls().size());
        CallRecord c = r.calls().get(0);
        assertEquals(ID, c.callId());
        assertEquals("1001@" + REMOTE, c.from());
        assertEquals("2002@" + REMOTE, c.to());
        assertTrue(c.phoneIsCaller());
        assertEquals(T0, c.startNanos());
        assertEquals(2 * S, c.setupNanos(), 1 * MS);
        assertEquals(11 * S, c.durationNanos(), 1 * MS);
        assertEquals("BYE from the phone (caller)", c.endReason());
        assertEquals("PCMU", c.codec());
        for (Side side : Side.values()) {
            assertEquals(500, c.leg(side, true).packets(), side + " to the phone");
            assertEquals(500, c.leg(side, false).packets(), side + " to the remote");
            assertTrue(c.leg(side, true).captured());
        }
    }

    @Test
    void anUnansweredCallEndsWithItsFailureResponse() throws IOException {
        RunResult r = run(new CallCaptures("192.168.1.10", "203.0.113.2", true)
                .phoneSends(T0, request("INVITE", ID, 1, false, sdp("PHONE", 40000, null)))
                .remoteSends(T0 + 100 * MS, response(486, "Busy Here", "INVITE", ID, 1, null))
                .phoneSends(T0 + 150 * MS, request("ACK", ID, 1, false, null)));
        CallRecord c = r.calls().get(0);
        assertEquals(-1, c.answerNanos());
        assertEquals(-1, c.durationNanos());
        assertEquals("486 response from the remote", c.endReason());
    }
}
