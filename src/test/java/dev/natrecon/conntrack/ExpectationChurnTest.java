package dev.natrecon.conntrack;

import static dev.natrecon.conntrack.Packets.udp;
import static dev.natrecon.conntrack.SipHelperModelTest.MASKS;
import static dev.natrecon.conntrack.SipHelperModelTest.MASTER;
import static dev.natrecon.conntrack.SipHelperModelTest.MS;
import static dev.natrecon.conntrack.SipHelperModelTest.PHONE;
import static dev.natrecon.conntrack.SipHelperModelTest.PHONE_B;
import static dev.natrecon.conntrack.SipHelperModelTest.PROVIDER;
import static dev.natrecon.conntrack.SipHelperModelTest.ROUTER;
import static dev.natrecon.conntrack.SipHelperModelTest.S;
import static dev.natrecon.conntrack.SipHelperModelTest.invite;
import static dev.natrecon.conntrack.SipHelperModelTest.msg;
import static dev.natrecon.conntrack.SipHelperModelTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.alg.sip.LinuxSipHelper;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Expectation churn: the SIP helper adds a call's RTP expectation, cannot add its RTCP one and removes the RTP one
 * again; the kernel reports both (IPEXP_NEW from nf_ct_expect_related_report, IPEXP_DESTROY from
 * nf_ct_unexpect_related → nf_ct_unlink_expect_report). Behind masquerade (nf_nat_sip.c:nf_nat_sdp_media) an
 * -EBUSY moves on to the next port pair, anything else (-EALREADY: an identical expectation of another master)
 * drops the packet; without NAT (nf_conntrack_sip.c:set_expected_rtp_rtcp) -EALREADY counts as success.
 * The expect-churn lab sample is the first path on a real kernel.
 */
class ExpectationChurnTest {
    static final String MASTER_B = "master-src=192.168.1.11 master-dst=203.0.113.5 sport=5060 dport=5060 ";
    static final String SIP_A = "src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060";

    final Recorder rec = new Recorder();
    ConntrackModel model = masquerading(Timeouts.linux6());

    static ConntrackModel masquerading(Timeouts timeouts) {
        ConntrackModel m = new ConntrackModel(timeouts, List.of(NatRule.masquerade(ROUTER, "192.168.1.0/24")),
                t -> t.dstPort() == 5060 ? "sip" : null);
        m.addHelper(new LinuxSipHelper("sip"));
        return m;
    }

    @AfterEach
    void nothingLeftOver() {
        rec.none();
    }

    /** Phone A's call offering RTP 40000, its expectations, and the provider's RTP that uses up the RTP one. */
    void phoneACallWhoseRtpExpectationIsUsed() {
        model.onPacket(udp(0, "lan", PHONE, 5060, PROVIDER, 5060, invite(PHONE, 40000)), rec);
        model.onPacket(udp(500 * MS, "wan", PROVIDER, 30000, ROUTER, 40000, 172), rec);
        rec.events.clear();
        rec.expectExpectations(
                "[NEW] 180 proto=17 src=203.0.113.5 dst=203.0.113.2 sport=0 dport=40000 " + MASKS + MASTER + "class=1 helper=sip",
                "[NEW] 180 proto=17 src=203.0.113.5 dst=203.0.113.2 sport=0 dport=40001 " + MASKS + MASTER + "class=1 helper=sip",
                "[DESTROY] 179 proto=17 src=203.0.113.5 dst=203.0.113.2 sport=0 dport=40000 " + MASKS + MASTER
                        + "class=1 helper=sip");
        rec.expectations.clear();
    }

    @Test
    void behindNatAnRtcpExpectationOfAnotherMasterMakesTheRtpOneComeAndGoForEveryRetransmission() {
        phoneACallWhoseRtpExpectationIsUsed();
        for (int i = 0; i < 2; i++) { // the INVITE and a retransmission: the same pair each time
            assertEquals(Verdict.DROPPED, model.onPacket(udp(2 * S + i * 500 * MS, "lan", PHONE_B, 5060, PROVIDER,
                    5060, invite(PHONE_B, 40000)), rec));
            List<ExpectationEvent> pair = List.copyOf(rec.expectations);
            rec.expectExpectations(
                    "[NEW] 180 proto=17 src=203.0.113.5 dst=203.0.113.2 sport=0 dport=40000 " + MASKS + MASTER_B
                            + "class=1 helper=sip",
                    "[DESTROY] 180 proto=17 src=203.0.113.5 dst=203.0.113.2 sport=0 dport=40000 " + MASKS + MASTER_B
                            + "class=1 helper=sip");
            ExpectationEvent.ExpectationRemoved gone = (ExpectationEvent.ExpectationRemoved) pair.get(1);
            assertEquals(ExpectationEvent.Reason.REMOVED, gone.reason(), "the helper removed it (nf_ct_unexpect_related)");
            assertEquals(pair.get(0).nanos(), gone.nanos(), "in the same packet");
            ConntrackEvent.PacketDropped d = (ConntrackEvent.PacketDropped) rec.events.get(0);
            assertTrue(d.kernelLog() == null || d.kernelLog().contains("all ports in use for SDP media"), d.kernelLog());
            rec.events.clear();
        }
        // phone A's RTCP expectation is untouched
        assertEquals(1, model.expectations().size());
        assertEquals(40001, model.expectations().get(0).dstPort);
    }

    @Test
    void behindNatAClashingRtcpExpectationMovesTheCallToTheNextPortPair() {
        // sip_direct_signalling=0: phone A's registration expects calls on 203.0.113.2:40001 from anywhere, which
        // overlaps an RTCP expectation from the provider without being identical to it (-EBUSY)
        model = masquerading(Timeouts.linux6().with("sip_direct_signalling=0"));
        String reg = msg("REGISTER sip:" + PROVIDER + " SIP/2.0\nVia: SIP/2.0/UDP " + PHONE + ":5060;branch=z9hG4bK1;rport\n"
                + "From: <sip:100@" + PROVIDER + ">;tag=1\nTo: <sip:100@" + PROVIDER + ">\nCall-ID: reg\n"
                + "CSeq: 1 REGISTER\nContact: <sip:100@" + PHONE + ":40001>\nExpires: 600\nContent-Length: 0\n", null);
        model.onPacket(udp(0, "lan", PHONE, 5060, PROVIDER, 5060, reg), rec);
        rec.events.clear();
        rec.expectations.clear();
        Arrival inv = udp(1 * S, "lan", PHONE, 5060, PROVIDER, 5060, invite(PHONE, 40000));
        assertEquals(Verdict.ESTABLISHED, model.onPacket(inv, rec));
        rec.expectExpectations(
                "[NEW] 180 proto=17 src=203.0.113.5 dst=203.0.113.2 sport=0 dport=40000 " + MASKS + MASTER + "class=1 helper=sip",
                "[DESTROY] 180 proto=17 src=203.0.113.5 dst=203.0.113.2 sport=0 dport=40000 " + MASKS + MASTER
                        + "class=1 helper=sip",
                "[NEW] 180 proto=17 src=203.0.113.5 dst=203.0.113.2 sport=0 dport=40002 " + MASKS + MASTER + "class=1 helper=sip",
                "[NEW] 180 proto=17 src=203.0.113.5 dst=203.0.113.2 sport=0 dport=40003 " + MASKS + MASTER + "class=1 helper=sip");
        rec.expectations.clear();
        rec.events.clear();
        assertTrue(text(inv.helperPayload).contains("\r\nm=audio 40002 RTP/AVP 0\r\n"), "the SDP offers the pair it got");
    }

    @Test
    void withoutNatAnIdenticalRtcpExpectationOfAnotherMasterCountsAsSet() {
        // no NAT rule: set_expected_rtp_rtcp adds them itself, and its -EALREADY is "pretend it was set up" (the
        // kernel's comment: identical expect tuples for different master conntracks); sip_direct_media=0 so that
        // phone B's SDP may name phone A's media address
        model = new ConntrackModel(Timeouts.linux6().with("sip_direct_media=0"), List.of(),
                t -> t.dstPort() == 5060 ? "sip" : null);
        model.addHelper(new LinuxSipHelper("sip"));
        model.onPacket(udp(0, "lan", PHONE, 5060, PROVIDER, 5060, invite(PHONE, 40000)), rec);
        model.onPacket(udp(500 * MS, "wan", PROVIDER, 30000, PHONE, 40000, 172), rec); // uses the RTP expectation
        rec.events.clear();
        assertEquals(3, rec.expectations.size(), "RTP and RTCP expected, RTP used");
        rec.expectations.clear();
        String sdpOfA = invite(PHONE, 40000).replace("Call-ID: call192.168.1.10", "Call-ID: callB");
        assertEquals(Verdict.NEW, model.onPacket(udp(2 * S, "lan", PHONE_B, 5060, PROVIDER, 5060, sdpOfA), rec));
        rec.events.clear();
        assertEquals(1, rec.expectations.size(), "the RTP expectation only, and it stays: " + rec.expectations);
        ExpectationEvent.ExpectationCreated rtp = (ExpectationEvent.ExpectationCreated) rec.expectations.get(0);
        assertEquals(40000, rtp.expectation().dstPort());
        assertTrue(rtp.expectation().master().text().contains("src=192.168.1.11"), rtp.expectation().master().text());
        rec.expectations.clear();
        assertEquals(2, model.expectations().size(), "phone A's RTCP and phone B's RTP");
    }
}
