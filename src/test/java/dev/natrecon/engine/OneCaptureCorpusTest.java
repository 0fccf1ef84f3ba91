package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.correlate.Side;
import dev.natrecon.detect.Finding;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The public corpus captures issue 17 names, each analysed alone: the mapping, private addresses and media directions
 * natrecon reports are the facts tshark shows (src/test/resources/public/ONE-CAPTURE.md has the tshark command that
 * proves each expected value).
 */
class OneCaptureCorpusTest {
    static final Path CORPUS = PublicCorpusTest.CORPUS;

    static RunResult run(String file) throws IOException {
        return Analysis.run(AnalysisInputs.single(CORPUS.resolve(file), null), List.of());
    }

    static List<Finding> of(RunResult r, String id) {
        return r.findings().stream().filter(f -> f.id().equals(id)).toList();
    }

    /** The one finding of {@code id} whose subject is {@code subject}. */
    static Finding one(RunResult r, String id, String subject) {
        List<Finding> f = of(r, id).stream().filter(x -> x.subject().equals(subject)).toList();
        assertEquals(1, f.size(), id + " " + subject + " in " + r.findings());
        return f.get(0);
    }

    static void callMedia(RunResult r, String toPhone, String toRemote) {
        List<Finding> media = of(r, "rtp.call_media");
        assertEquals(1, media.size(), media.toString());
        assertTrue(media.get(0).message().contains(toPhone), media.get(0).message());
        assertTrue(media.get(0).message().contains(toRemote), media.get(0).message());
    }

    @Test
    void natEimRegisterCall() throws IOException {
        RunResult r = run("sip/nat_eim_register_call.pcap");
        assertEquals(VantagePoint.label(Side.LAN), r.verdict().vantage());
        Finding m = one(r, "nat.far_side_mapping", "192.168.60.101:46047");
        assertEquals("141.85.225.204:60959 (seen by 199.7.175.101:5060)", m.details().get("external"));
        assertEquals("port not preserved", m.details().get("port"));
        assertEquals("sip.Via.received == \"141.85.225.204\" && sip.Via.rport == \"60959\"", m.filters().get("lan"));
        String tests = of(r, "sip.nat_tests").get(0).message();
        assertTrue(tests.contains("private Contact (1) 6/6") && tests.contains("private SDP (8) 2/6"), tests);
        // per message: the frames ONE-CAPTURE.md's tshark filters list
        Finding contact = one(r, "sip.private_address_sent", "192.168.60.101 Contact");
        assertEquals(List.of(4L, 6L, 10L, 14L, 19L, 191L, 193L), contact.frames("lan"));
        assertEquals("ip.src==192.168.60.101 && sip.Contact contains \"192.168.60.101\"", contact.filters().get("lan"));
        assertEquals(List.of(4L, 6L, 10L, 13L, 14L, 19L, 175L, 191L, 193L),
                one(r, "sip.private_address_sent", "192.168.60.101 top Via").frames("lan"));
        assertEquals(List.of(10L, 14L), one(r, "sip.private_address_sent", "192.168.60.101 SDP c=").frames("lan"));
        assertEquals(1, dev.natrecon.detect.Causes.group(of(r, "sip.private_address_sent")).size(),
                "one finding for the phone, an instance per field");
        callMedia(r, "to the phone (SDP 192.168.60.101:48600): 77 packets from 199.7.173.72:56416",
                "to the remote (SDP 199.7.173.72:56416): 90 packets from 192.168.60.101:48600");
        assertTrue(of(r, "rtp.one_way").isEmpty());
        assertFalse(r.verdict().inconclusive());
    }

    @Test
    void aLoopbackCaptureIsNeitherSideAndNothingIsJudgedAsOnTheWan() throws IOException {
        // SIP between 127.0.0.1 and itself, H.263 RTP from 192.168.6.199 to itself: a softphone's own loopback
        RunResult r = run("encap/null_loopback_sip_h263.pcap");
        assertEquals(VantagePoint.label(Side.LAN), r.verdict().vantage());
        assertTrue(r.decisions().stream().anyMatch(d -> d.contains("neither side of a router")), r.decisions().toString());
        assertEquals(List.of(), of(r, "rtp.sdp_private_address_on_wan"), "a loopback capture is no WAN capture");
        // the control: a capture with real traffic is still read from its addresses
        RunResult wan = run("sip/nat_eim_register_call.pcap");
        assertTrue(wan.decisions().stream().noneMatch(d -> d.contains("neither side of a router")));
    }

    @Test
    void natEimMessageCallIsOneWay() throws IOException {
        RunResult r = run("sip/nat_eim_message_call.pcap");
        Finding m = one(r, "nat.far_side_mapping", "192.168.57.101:36813");
        assertEquals("141.85.225.205:37531 (seen by 199.7.173.103:5060)", m.details().get("external"));
        List<Finding> oneWay = of(r, "rtp.one_way");
        assertEquals(1, oneWay.size(), r.findings().toString());
        assertTrue(oneWay.get(0).message().contains("media flowed only from the remote to the phone"),
                oneWay.get(0).message());
        callMedia(r, "to the phone (SDP 192.168.57.101:54410): 374 packets from 199.7.175.76:50052",
                "to the remote (SDP 199.7.175.76:50052): 0 packets");
        assertEquals("error", r.verdict().label());
    }

    @Test
    void magicJackPreservesThePort() throws IOException {
        RunResult r = run("sip/nat_magicjack_call.pcap");
        Finding m = one(r, "nat.far_side_mapping", "192.168.0.10:59205");
        assertEquals("206.248.161.77:59205 (seen by 216.234.64.8:5070)", m.details().get("external"));
        assertEquals("port preserved", m.details().get("port"));
        String tests = of(r, "sip.nat_tests").get(0).message();
        assertTrue(tests.contains("private Contact (1) 2/2") && tests.contains("private SDP (8) 2/2"), tests);
        // the phone's own 200 to the provider's BYE carries its private Contact too; its top Via is the provider's
        assertEquals(List.of(46L, 50L, 953L, 1329L), one(r, "sip.private_address_sent", "192.168.0.10 Contact").frames("lan"));
        assertEquals(List.of(46L, 49L, 50L, 953L), one(r, "sip.private_address_sent", "192.168.0.10 top Via").frames("lan"));
        callMedia(r, "to the phone (SDP 192.168.0.10:49154): 626 packets from 216.234.64.16:54550",
                "to the remote (SDP 216.234.64.16:54550): 642 packets from 192.168.0.10:49154");
    }

    @Test
    void cpeWanCallHasNoTranslationBetweenThePhoneAndItsProxy() throws IOException {
        RunResult r = run("encap/cpe_wan_call.pcap");
        Finding m = one(r, "nat.far_side_mapping", "10.251.23.139:5060");
        assertEquals("10.251.23.139 (seen by 172.22.75.71:5062)", m.details().get("external"));
        callMedia(r, "to the phone (SDP 10.251.23.139:35560): 261 packets from 109.3.79.137:44344",
                "to the remote (SDP 109.3.79.137:44344): 248 packets from 10.251.23.139:35560");
        assertTrue(of(r, "rtp.one_way").isEmpty(), r.findings().toString());
        // its private Via/Contact/SDP go to a proxy on the same private network: nothing crosses to the outside
        assertEquals(List.of(), of(r, "sip.private_address_sent"));
    }

    @Test
    void sipOverTlsIsInconclusive() throws IOException {
        RunResult r = run("encap/sip_tls13_rtcp_sll.pcap");
        assertTrue(r.verdict().inconclusive());
        assertEquals("nothing_judged", r.verdict().reasons().get(0).id());
        assertEquals(List.of(), r.findings());
    }

    @Test
    void sipCallRtpG711FromTheProviderSide() throws IOException {
        RunResult r = run("sip/sip_call_rtp_g711.pcapng");
        assertEquals(VantagePoint.label(Side.WAN), r.verdict().vantage());
        callMedia(r, "to the phone (SDP 200.57.7.196:40376): 548 packets from 200.57.7.204:8000",
                "to the remote (SDP 200.57.7.204:8000): 891 packets from 200.57.7.196:40376");
        assertEquals("not translated (the far side saw this very address and port)",
                one(r, "nat.far_side_mapping", "200.57.7.204:5061").details().get("port"));
        assertTrue(of(r, "rtp.one_way").isEmpty(), r.findings().toString());
    }

    @Test
    void stunIceShowsEndpointIndependentMapping() throws IOException {
        RunResult r = run("media/stun_ice_testcall.pcap");
        Finding a = one(r, "nat.far_side_mapping", "192.168.43.155:60020");
        assertTrue(a.details().get("external").startsWith("70.199.128.46:4604 (seen by 74.125.141.127:19302"),
                a.details().get("external"));
        assertTrue(a.details().get("mapping behaviour").contains("endpoint-independent"), a.details().toString());
        assertEquals("stun.att.ipv4 == 70.199.128.46 && stun.att.port == 4604", a.filters().get("lan"));
        Finding b = one(r, "nat.far_side_mapping", "192.168.43.155:59977");
        assertTrue(b.details().get("external").startsWith("70.199.128.46:4587 "), b.details().get("external"));
        // the phone's own answers to the peer's checks report the peer, not this NAT
        assertEquals(2, of(r, "nat.far_side_mapping").size(), of(r, "nat.far_side_mapping").toString());
        assertFalse(r.verdict().inconclusive());
    }

    /**
     * A SIPp load test captured without its media (771 calls): one finding per rule and cause says so, with the count
     * and the first calls as evidence, instead of 771 findings per rule (and a detect.too_many_findings notice).
     */
    @Test
    void loadTestWithoutMediaIsOneFindingPerRule() throws IOException {
        RunResult r = run("sip/sipp_771calls_nsec.pcapng");
        List<Finding> media = of(r, "rtp.call_media");
        assertEquals(1, media.size(), media.toString());
        assertEquals("771", media.get(0).details().get("calls"));
        assertEquals("the capture", media.get(0).cause());
        // SIPp and its peer on 127.0.1.1, both on the capturing host: neither side of a router, read as the LAN side
        assertTrue(r.decisions().stream().anyMatch(d -> d.contains("neither side of a router")), r.decisions().toString());
        assertEquals(List.of(4L, 6L, 10L, 12L, 20L, 22L, 26L, 28L, 32L, 34L), media.get(0).frames("lan"));
        List<Finding> none = of(r, "rtp.no_media_after_answer");
        assertEquals(2, none.size(), none.toString());
        // every call once: the few that lasted past the answer window, and the ones too short to judge
        assertEquals(771, none.stream().mapToInt(f -> Integer.parseInt(f.details().get("calls"))).sum());
        assertTrue(r.limits().stream().noneMatch(l -> l.id().equals("detect.too_many_findings")), r.limits().toString());
    }

    /**
     * A softphone talking to a server on 127.0.0.1 (its SDP names its LAN address 192.168.6.199): loopback never
     * crossed a NAT, so no ALG evidence is claimed from it.
     */
    @Test
    void loopbackIsNoNat() throws IOException {
        RunResult r = run("encap/null_loopback_sip_h263.pcap");
        assertEquals(List.of(), of(r, "alg.external_address_written"));
        assertEquals(List.of(), of(r, "alg.reply_mapped_back"));
    }
}
