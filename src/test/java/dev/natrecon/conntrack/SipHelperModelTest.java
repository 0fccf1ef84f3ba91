package dev.natrecon.conntrack;

import static dev.natrecon.conntrack.Packets.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.alg.sip.LinuxSipHelper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Linux SIP helper in the model, driven with hand-made messages behind masquerade (phone 192.168.1.10 and
 * 192.168.1.11, router 203.0.113.2, provider 203.0.113.5): the exact expectation events, the rewrites, the drops.
 */
class SipHelperModelTest {
    static final long S = 1_000_000_000L, MS = 1_000_000L;
    static final String PHONE = "192.168.1.10", PHONE_B = "192.168.1.11", PROVIDER = "203.0.113.5", ROUTER = "203.0.113.2";
    static final String MASKS = "mask-src=255.255.255.255 mask-dst=255.255.255.255 sport=0 dport=65535 ";
    static final String MASTER = "master-src=192.168.1.10 master-dst=203.0.113.5 sport=5060 dport=5060 ";

    final Recorder rec = new Recorder();
    final ConntrackModel model = new ConntrackModel(Timeouts.linux6(),
            List.of(NatRule.masquerade(ROUTER, "192.168.1.0/24")), t -> t.dstPort() == 5060 ? "sip" : null);

    SipHelperModelTest() {
        model.addHelper(new LinuxSipHelper("sip"));
    }

    @AfterEach
    void nothingLeftOver() {
        rec.none();
    }

    static String msg(String head, String sdp) {
        String body = sdp == null ? "" : sdp.replace("\n", "\r\n");
        return head.replace("\n", "\r\n").replace("@LEN@", Integer.toString(body.length())) + "\r\n" + body;
    }

    static String register(String from, int cseq) {
        return msg("REGISTER sip:" + PROVIDER + " SIP/2.0\n"
                + "Via: SIP/2.0/UDP " + from + ":5060;branch=z9hG4bK" + cseq + ";rport\n"
                + "From: <sip:100@" + PROVIDER + ">;tag=1\nTo: <sip:100@" + PROVIDER + ">\nCall-ID: reg" + from + "\n"
                + "CSeq: " + cseq + " REGISTER\nContact: <sip:100@" + from + ":5060>\nExpires: 600\nContent-Length: 0\n", null);
    }

    static String invite(String from, int port) {
        String sdp = "v=0\no=- 1 1 IN IP4 " + from + "\ns=-\nc=IN IP4 " + from + "\nt=0 0\nm=audio " + port
                + " RTP/AVP 0\na=sendrecv\n";
        return msg("INVITE sip:200@" + PROVIDER + " SIP/2.0\n"
                + "Via: SIP/2.0/UDP " + from + ":5060;branch=z9hG4bKinv\n"
                + "From: <sip:100@" + PROVIDER + ">;tag=2\nTo: <sip:200@" + PROVIDER + ">\nCall-ID: call" + from + "\n"
                + "CSeq: 1 INVITE\nContact: <sip:100@" + from + ":5060>\nContent-Type: application/sdp\n"
                + "Content-Length: @LEN@\n", sdp);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void registerInviteByeBehindMasquerade() {
        // REGISTER: the entry, a PERMANENT INACTIVE signalling expectation on the translated address, and the rewrite
        Arrival reg = udp(0, "lan", PHONE, 5060, PROVIDER, 5060, register(PHONE, 1));
        assertEquals(Verdict.NEW, model.onPacket(reg, rec));
        rec.expect("    [NEW] ipv4     2 udp      17 3600 src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060 [UNREPLIED] "
                + "src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060 helper=sip");
        rec.expectExpectations("[NEW] 180 proto=17 src=203.0.113.5 dst=203.0.113.2 sport=0 dport=5060 " + MASKS + MASTER
                + "PERMANENT,INACTIVE class=0 helper=sip");
        String out = text(reg.helperPayload);
        assertTrue(out.contains("Via: SIP/2.0/UDP 203.0.113.2:5060;branch=z9hG4bK1;rport\r\n"), out);
        assertTrue(out.contains("Contact: <sip:100@203.0.113.2:5060>\r\n"), out);
        assertTrue(out.startsWith("REGISTER sip:203.0.113.5 SIP/2.0\r\n"), "the Request-URI is the peer's: unchanged");

        // 200 OK with the granted expiry: the expectation becomes active with 600 s left, without an event
        String ok = msg("SIP/2.0 200 OK\nVia: SIP/2.0/UDP 203.0.113.2:5060;branch=z9hG4bK1;rport=5060;received=203.0.113.2\n"
                + "From: <sip:100@203.0.113.5>;tag=1\nTo: <sip:100@203.0.113.5>;tag=9\nCall-ID: reg192.168.1.10\n"
                + "CSeq: 1 REGISTER\nContact: <sip:100@203.0.113.2:5060>;expires=600\nContent-Length: 0\n", null);
        Arrival okA = udp(10 * MS, "wan", PROVIDER, 5060, ROUTER, 5060, ok);
        model.onPacket(okA, rec);
        rec.expect(" [UPDATE] ipv4     2 udp      17 3600 src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060 "
                + "src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060 helper=sip");
        assertEquals("600 proto=17 src=203.0.113.5 dst=203.0.113.2 sport=0 dport=5060 " + MASKS + MASTER
                + "PERMANENT class=0 helper=sip", model.expectations().get(0).view(10 * MS, true).text());
        // the reply's Via is mapped back to the phone, received= and rport= with it
        assertTrue(text(okA.helperPayload).contains("Via: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK1;rport=5060;"
                + "received=192.168.1.10\r\n"), text(okA.helperPayload));

        // INVITE with SDP: RTP and RTCP expected from the provider on the translated address; SDP and length rewritten
        Arrival inv = udp(1 * S, "lan", PHONE, 5060, PROVIDER, 5060, invite(PHONE, 40000));
        model.onPacket(inv, rec);
        rec.expect();
        rec.expectExpectations(
                "[NEW] 180 proto=17 src=203.0.113.5 dst=203.0.113.2 sport=0 dport=40000 " + MASKS + MASTER + "class=1 helper=sip",
                "[NEW] 180 proto=17 src=203.0.113.5 dst=203.0.113.2 sport=0 dport=40001 " + MASKS + MASTER + "class=1 helper=sip");
        String sent = text(inv.helperPayload);
        assertTrue(sent.contains("\r\no=- 1 1 IN IP4 203.0.113.2\r\n") && sent.contains("\r\nc=IN IP4 203.0.113.2\r\n")
                && sent.contains("\r\nm=audio 40000 RTP/AVP 0\r\n"), sent);
        int body = sent.indexOf("\r\n\r\n") + 4;
        assertTrue(sent.contains("Content-Length: " + (sent.length() - body) + "\r\n"), sent);

        // a second phone offers the same media port: the identical expectation belongs to another master (-EALREADY),
        // the port search stops, the INVITE is dropped and never creates its entry
        Arrival other = udp(2 * S, "lan", PHONE_B, 5060, PROVIDER, 5060, invite(PHONE_B, 40000));
        assertEquals(Verdict.DROPPED, model.onPacket(other, rec));
        ConntrackEvent.PacketDropped d = (ConntrackEvent.PacketDropped) rec.expect(
                "[DROPPED] ipv4     2 udp      17 src=192.168.1.11 dst=203.0.113.5 sport=5060 dport=5060 [UNREPLIED] "
                        + "src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=1024 helper=sip").get(0);
        assertEquals("nf_ct_sip: dropping packet: all ports in use for SDP media \n"
                + "nf_ct_sip: dropping packet: cannot add expectation for voice ", d.kernelLog());
        assertEquals(null, model.find(ConntrackTuple.of(17, PHONE_B, 5060, PROVIDER, 5060)));

        // the same INVITE seen leaving the router: its helper did not drop it, the model's did; the model still
        // drops it, and says the captures contradict it (a divergence, which no detector reports as the router's drop)
        Arrival seen = udp(3 * S, "lan", PHONE_B, 5060, PROVIDER, 5060, invite(PHONE_B, 40000));
        seen.observed = true;
        assertEquals(Verdict.DROPPED, model.onPacket(seen, rec));
        List<ConntrackEvent> both = List.copyOf(rec.events);
        rec.events.clear();
        assertEquals(2, both.size(), both.toString());
        assertTrue(both.get(0) instanceof ConntrackEvent.PacketDropped, both.toString());
        ConntrackEvent.Diverged dv = (ConntrackEvent.Diverged) both.get(1);
        assertEquals(Divergence.HELPER_DROP_FORWARDED, dv.kind());
        assertTrue(dv.detail().contains("all ports in use for SDP media") && dv.detail().endsWith("forwarded"), dv.detail());

        // BYE: the media expectations go, newest first; the signalling one stays
        String bye = msg("BYE sip:200@203.0.113.5 SIP/2.0\nVia: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bKbye\n"
                + "From: <sip:100@203.0.113.5>;tag=2\nTo: <sip:200@203.0.113.5>;tag=7\nCall-ID: call192.168.1.10\n"
                + "CSeq: 2 BYE\nContent-Length: 0\n", null);
        model.onPacket(udp(9 * S, "lan", PHONE, 5060, PROVIDER, 5060, bye), rec);
        rec.expect(" [UPDATE] ipv4     2 udp      17 3600 src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060 "
                + "src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060 [ASSURED] helper=sip");
        rec.expectExpectations(
                "[DESTROY] 172 proto=17 src=203.0.113.5 dst=203.0.113.2 sport=0 dport=40001 " + MASKS + MASTER + "class=1 helper=sip",
                "[DESTROY] 172 proto=17 src=203.0.113.5 dst=203.0.113.2 sport=0 dport=40000 " + MASKS + MASTER + "class=1 helper=sip");
        assertEquals(1, model.expectations().size());
    }

    @Test
    void mediaFromTheExpectationIsRelatedAndRedirected() {
        model.onPacket(udp(0, "lan", PHONE, 5060, PROVIDER, 5060, invite(PHONE, 40002)), rec);
        rec.expect("    [NEW] ipv4     2 udp      17 3600 src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060 [UNREPLIED] "
                + "src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060 helper=sip");
        rec.expectExpectations(
                "[NEW] 180 proto=17 src=203.0.113.5 dst=203.0.113.2 sport=0 dport=40002 " + MASKS + MASTER + "class=1 helper=sip",
                "[NEW] 180 proto=17 src=203.0.113.5 dst=203.0.113.2 sport=0 dport=40003 " + MASKS + MASTER + "class=1 helper=sip");
        // the provider's RTP arrives on the WAN at the expected port: a new entry, EXPECTED, sent on to the phone
        Arrival rtp = udp(500 * MS, "wan", PROVIDER, 30000, ROUTER, 40002, 172);
        assertEquals(Verdict.NEW, model.onPacket(rtp, rec));
        rec.expect("    [NEW] ipv4     2 udp      17 30 src=203.0.113.5 dst=203.0.113.2 sport=30000 dport=40002 [UNREPLIED] "
                + "src=192.168.1.10 dst=203.0.113.5 sport=40002 dport=30000");
        rec.expectExpectations("[DESTROY] 179 proto=17 src=203.0.113.5 dst=203.0.113.2 sport=0 dport=40002 " + MASKS + MASTER
                + "class=1 helper=sip");
        ConntrackEntry media = model.find(ConntrackTuple.of(17, PROVIDER, 30000, ROUTER, 40002));
        assertTrue(media.has(Status.EXPECTED) && media.has(Status.DST_NAT), media.toString());
        assertEquals(PHONE, dev.natrecon.decode.Addresses.format(media.reply().srcHi(), media.reply().srcLo()));
        // the signalling entry going takes its last expectation with it
        model.advanceTo(3601 * S, rec);
        rec.expectExpectations("[DESTROY] 0 proto=17 src=203.0.113.5 dst=203.0.113.2 sport=0 dport=40003 " + MASKS + MASTER
                + "class=1 helper=sip");
        rec.expect("[DESTROY] ipv4     2 udp      17 src=203.0.113.5 dst=203.0.113.2 sport=30000 dport=40002 [UNREPLIED] "
                        + "src=192.168.1.10 dst=203.0.113.5 sport=40002 dport=30000",
                "[DESTROY] ipv4     2 udp      17 src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060 [UNREPLIED] "
                        + "src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060");
    }
}
