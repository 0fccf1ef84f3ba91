package dev.natrecon.detect;

import static dev.natrecon.testing.CallCaptures.REMOTE;
import static dev.natrecon.testing.CallCaptures.request;
import static dev.natrecon.testing.CallCaptures.response;
import static dev.natrecon.testing.CallCaptures.sdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.engine.Analysis;
import dev.natrecon.engine.AnalysisInputs;
import dev.natrecon.engine.ModelSettings;
import dev.natrecon.testing.CallCaptures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Media findings claim only what their evidence shows (issue 16): a one-way verdict needs the missing direction to
 * have had the answer window to appear (not a stream in the last milliseconds of a capture, not a call torn down
 * within the window, not a call on hold), and asymmetry is judged against the SDP in force when each packet was sent
 * (a re-INVITE that moves the port, a hold with c=0.0.0.0, a failed re-INVITE, a late offer answered in the ACK). Each
 * situation has a control that does fire, so the tests can fail. Captures are built by {@link CallCaptures}: phone
 * 192.168.1.10 behind a router masquerading to 203.0.113.2 with a SIP helper rewriting the phone's address.
 */
class MediaEvidenceTest {
    private static final long T0 = 1_700_000_000_000_000_000L, MS = 1_000_000L, S = 1_000_000_000L;
    private static final String ID = "evidence-call-1@192.168.1.10";

    @TempDir
    Path tmp;

    private static CallCaptures answered(String phoneSdp) {
        return new CallCaptures("192.168.1.10", "203.0.113.2", true)
                .phoneSends(T0, request("INVITE", ID, 1, false, phoneSdp))
                .remoteSends(T0 + 100 * MS, response(200, "OK", "INVITE", ID, 1, sdp(REMOTE, 30000, null)))
                .phoneSends(T0 + 150 * MS, request("ACK", ID, 1, true, null));
    }

    private List<Finding> run(CallCaptures c) throws IOException {
        c.write(tmp);
        AnalysisInputs in = AnalysisInputs.pair(tmp.resolve("lan.pcap"), tmp.resolve("wan.pcap"))
                .withModel(ModelSettings.defaults());
        return Analysis.run(in, List.of()).findings();
    }

    private static List<Finding> of(List<Finding> found, String id) {
        return found.stream().filter(f -> f.id().equals(id)).toList();
    }

    private static List<String> rtpProblems(List<Finding> found) {
        return found.stream().filter(f -> f.id().startsWith("rtp.") && f.severity() != Severity.INFO)
                .map(f -> f.id() + " " + f.severity() + ": " + f.message()).toList();
    }

    // ---- one-way: the answer window

    @Test
    void oneRtpPacketTwelveMillisecondsBeforeTheCaptureEndIsNotOneWay() throws IOException {
        long end = T0 + 1_000 * MS;
        CallCaptures c = answered(sdp("PHONE", 40000, null))
                .rtpIn(end - 12 * MS, 30000, 40000, 1)
                .phoneSends(end, request("OPTIONS", "keepalive-1", 1, false, null));
        List<Finding> found = run(c);
        assertEquals(List.of(), rtpProblems(found));
        List<Finding> oneWay = of(found, "rtp.one_way");
        assertEquals(1, oneWay.size(), found.toString());
        assertEquals(Severity.INFO, oneWay.get(0).severity());
        assertTrue(oneWay.get(0).message().contains("not enough to judge")
                && oneWay.get(0).message().contains("before the end of the"), oneWay.get(0).message());
    }

    @Test
    void aCallTornDownWithinTheAnswerWindowIsNotOneWay() throws IOException {
        CallCaptures c = answered(sdp("PHONE", 40000, null))
                .rtp(T0 + 200 * MS, T0 + 700 * MS, 40000, 30000, true, false)
                .phoneSends(T0 + 700 * MS, request("BYE", ID, 2, true, null))
                .remoteSends(T0 + 750 * MS, response(200, "OK", "BYE", ID, 2, null))
                .phoneSends(T0 + 10 * S, request("OPTIONS", "keepalive-1", 1, false, null));
        List<Finding> found = run(c);
        assertEquals(List.of(), rtpProblems(found));
        Finding info = of(found, "rtp.one_way").get(0);
        assertEquals(Severity.INFO, info.severity());
        assertTrue(info.message().contains("before the call's BYE"), info.message());
    }

    @Test
    void aStreamOneWayForLongerThanTheWindowIsAnError() throws IOException {
        CallCaptures c = answered(sdp("PHONE", 40000, null))
                .rtp(T0 + 200 * MS, T0 + 5 * S, 40000, 30000, true, false)
                .phoneSends(T0 + 5 * S, request("BYE", ID, 2, true, null))
                .remoteSends(T0 + 5 * S + 50 * MS, response(200, "OK", "BYE", ID, 2, null));
        List<Finding> oneWay = of(run(c), "rtp.one_way");
        assertEquals(1, oneWay.size(), oneWay.toString());
        assertEquals(Severity.ERROR, oneWay.get(0).severity(), oneWay.get(0).message());
    }

    @Test
    void oneStrayPacketIsNoStreamToCallACallOneWay() throws IOException {
        // a single packet from the remote right after the answer, then 5 s of silence both ways: not "one-way"
        CallCaptures c = answered(sdp("PHONE", 40000, null))
                .rtpIn(T0 + 200 * MS, 30000, 40000, 1)
                .phoneSends(T0 + 5 * S, request("BYE", ID, 2, true, null))
                .remoteSends(T0 + 5 * S + 50 * MS, response(200, "OK", "BYE", ID, 2, null));
        List<Finding> found = run(c);
        List<Finding> oneWay = of(found, "rtp.one_way");
        assertEquals(1, oneWay.size(), found.toString());
        assertEquals(Severity.INFO, oneWay.get(0).severity(), oneWay.get(0).message());
        assertTrue(oneWay.get(0).message().contains("only 1 RTP packet, not a stream"), oneWay.get(0).message());
        assertTrue(oneWay.get(0).message().contains("media flowed only from the remote to the phone"),
                "the direction that flowed, the right way round: " + oneWay.get(0).message());
        // the control: two packets in sequence are a stream, and the missing direction is an error
        CallCaptures two = answered(sdp("PHONE", 40000, null))
                .rtpIn(T0 + 200 * MS, 30000, 40000, 1)
                .rtpIn(T0 + 220 * MS, 30000, 40000, 2)
                .phoneSends(T0 + 5 * S, request("BYE", ID, 2, true, null))
                .remoteSends(T0 + 5 * S + 50 * MS, response(200, "OK", "BYE", ID, 2, null));
        List<Finding> error = of(run(two), "rtp.one_way");
        assertEquals(Severity.ERROR, error.get(0).severity(), error.toString());
    }

    @Test
    void oneWayNamesTheHopWhereTheMediaWasLost() throws IOException {
        // the remote's media reaches the WAN and is never forwarded: lost at the router
        CallCaptures c = answered(sdp("PHONE", 40000, null))
                .rtp(T0 + 200 * MS, T0 + 5 * S, 40000, 30000, true, false);
        for (int i = 0; i < 200; i++) c.rtpInDropped(T0 + 205 * MS + i * 20 * MS, 30000, 40000, 1 + i);
        c.phoneSends(T0 + 5 * S, request("BYE", ID, 2, true, null))
                .remoteSends(T0 + 5 * S + 50 * MS, response(200, "OK", "BYE", ID, 2, null));
        Finding f = of(run(c), "rtp.one_way").get(0);
        assertEquals(Severity.ERROR, f.severity(), f.message());
        assertTrue(f.details().get("lost where").startsWith("at the router"), f.details().toString());
        // the remote sends nothing at all: lost before the router, not at it
        CallCaptures none = answered(sdp("PHONE", 40000, null))
                .rtp(T0 + 200 * MS, T0 + 5 * S, 40000, 30000, true, false)
                .phoneSends(T0 + 5 * S, request("BYE", ID, 2, true, null))
                .remoteSends(T0 + 5 * S + 50 * MS, response(200, "OK", "BYE", ID, 2, null));
        Finding g = of(run(none), "rtp.one_way").get(0);
        assertTrue(g.details().get("lost where").startsWith("before the router"), g.details().toString());
    }

    @Test
    void aCallOnHoldFromItsOfferIsNotJudgedOneWay() throws IOException {
        CallCaptures c = answered(sdp("PHONE", 40000, "sendonly"))
                .rtp(T0 + 200 * MS, T0 + 5 * S, 40000, 30000, true, false)
                .phoneSends(T0 + 5 * S, request("BYE", ID, 2, true, null));
        List<Finding> found = run(c);
        assertEquals(List.of(), rtpProblems(found));
        assertTrue(of(found, "rtp.one_way").get(0).message().contains("hold"), found.toString());
    }

    @Test
    void anAnsweredCallWithoutMediaEndingWithinTheWindowIsAnInfo() throws IOException {
        CallCaptures c = answered(sdp("PHONE", 40000, null))
                .phoneSends(T0 + 1_000 * MS, request("BYE", ID, 2, true, null))
                .remoteSends(T0 + 1_050 * MS, response(200, "OK", "BYE", ID, 2, null));
        List<Finding> found = run(c);
        assertEquals(List.of(), rtpProblems(found));
        List<Finding> noMedia = of(found, "rtp.no_media_after_answer");
        assertEquals(1, noMedia.size(), found.toString());
        assertTrue(noMedia.get(0).message().contains("too short to judge"), noMedia.get(0).message());
    }

    // ---- asymmetry: the SDP in force

    /** Media both ways from 40000, then a re-INVITE moving the phone to {@code newPort}, then media from {@code sendFrom}. */
    private static CallCaptures reInvite(int newPort, int sendFrom, int reInviteStatus) {
        CallCaptures c = answered(sdp("PHONE", 40000, null))
                .rtp(T0 + 200 * MS, T0 + 5 * S, 40000, 30000, true, true)
                .phoneSends(T0 + 5 * S, request("INVITE", ID, 2, true, sdp("PHONE", newPort, null)))
                .remoteSends(T0 + 5 * S + 50 * MS, response(reInviteStatus, reInviteStatus == 200 ? "OK" : "Not Acceptable Here",
                        "INVITE", ID, 2, reInviteStatus == 200 ? sdp(REMOTE, 30000, null) : null))
                .phoneSends(T0 + 5 * S + 80 * MS, request("ACK", ID, 2, true, null))
                .rtp(T0 + 5 * S + 100 * MS, T0 + 10 * S, sendFrom, 30000, true, false);
        // the remote sends to the endpoint in force
        int to = reInviteStatus == 200 ? newPort : 40000;
        for (int i = 0; i < 245; i++) c.rtpIn(T0 + 5 * S + 105 * MS + i * 20 * MS, 30000, to, 1000 + i);
        return c.phoneSends(T0 + 10 * S, request("BYE", ID, 3, true, null))
                .remoteSends(T0 + 10 * S + 50 * MS, response(200, "OK", "BYE", ID, 3, null));
    }

    @Test
    void aReInviteThatMovesThePortIsNotAsymmetric() throws IOException {
        List<Finding> found = run(reInvite(40002, 40002, 200));
        assertEquals(List.of(), of(found, "rtp.asymmetric"));
        assertEquals(List.of(), rtpProblems(found));
    }

    @Test
    void mediaFromAnotherPortThanTheReInviteAdvertisedIsAsymmetric() throws IOException {
        List<Finding> asym = of(run(reInvite(40002, 40004, 200)), "rtp.asymmetric");
        assertEquals(1, asym.size(), asym.toString());
        String m = asym.get(0).message();
        assertTrue(m.contains("advertises 192.168.1.10:40002") && m.contains("192.168.1.10:40004"), m);
        assertTrue(!m.contains("192.168.1.10:40000"), "the first period's media fitted its own SDP: " + m);
    }

    @Test
    void aFailedReInviteLeavesTheEarlierSdpInForce() throws IOException {
        List<Finding> found = run(reInvite(40002, 40000, 488));
        assertEquals(List.of(), of(found, "rtp.asymmetric"));
    }

    @Test
    void aHoldWithTheUnspecifiedAddressAdvertisesNothingToCompare() throws IOException {
        CallCaptures c = answered(sdp("PHONE", 40000, null))
                .rtp(T0 + 200 * MS, T0 + 5 * S, 40000, 30000, true, true)
                .phoneSends(T0 + 5 * S, request("INVITE", ID, 2, true, sdp("0.0.0.0", 40000, "sendonly")))
                .remoteSends(T0 + 5 * S + 50 * MS, response(200, "OK", "INVITE", ID, 2, sdp(REMOTE, 30000, "recvonly")))
                .phoneSends(T0 + 5 * S + 80 * MS, request("ACK", ID, 2, true, null))
                // music on hold from the phone's media port
                .rtp(T0 + 5 * S + 100 * MS, T0 + 10 * S, 40000, 30000, true, false)
                .phoneSends(T0 + 10 * S, request("BYE", ID, 3, true, null));
        List<Finding> found = run(c);
        assertEquals(List.of(), of(found, "rtp.asymmetric"));
        assertEquals(List.of(), rtpProblems(found));
    }

    @Test
    void aLateOfferAnsweredInTheAckIsJudgedFromTheAck() throws IOException {
        CallCaptures c = new CallCaptures("192.168.1.10", "203.0.113.2", true)
                .phoneSends(T0, request("INVITE", ID, 1, false, null))
                .remoteSends(T0 + 100 * MS, response(200, "OK", "INVITE", ID, 1, sdp(REMOTE, 30000, null)))
                .phoneSends(T0 + 150 * MS, request("ACK", ID, 1, true, sdp("PHONE", 40000, null)))
                .rtp(T0 + 200 * MS, T0 + 5 * S, 40000, 30000, true, true)
                .phoneSends(T0 + 5 * S, request("BYE", ID, 2, true, null));
        List<Finding> found = run(c);
        assertEquals(List.of(), rtpProblems(found));
        // and a phone sending from another port than its ACK's answer is caught
        CallCaptures off = new CallCaptures("192.168.1.10", "203.0.113.2", true)
                .phoneSends(T0, request("INVITE", ID, 1, false, null))
                .remoteSends(T0 + 100 * MS, response(200, "OK", "INVITE", ID, 1, sdp(REMOTE, 30000, null)))
                .phoneSends(T0 + 150 * MS, request("ACK", ID, 1, true, sdp("PHONE", 40000, null)))
                .rtp(T0 + 200 * MS, T0 + 5 * S, 40006, 30000, true, false)
                .rtp(T0 + 200 * MS, T0 + 5 * S, 40000, 30000, false, true)
                .phoneSends(T0 + 5 * S, request("BYE", ID, 2, true, null));
        List<Finding> asym = of(run(off), "rtp.asymmetric");
        assertEquals(1, asym.size(), asym.toString());
        assertTrue(asym.get(0).message().contains("192.168.1.10:40006"), asym.get(0).message());
    }
}
