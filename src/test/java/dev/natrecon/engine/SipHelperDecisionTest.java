package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.decode.Addresses;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --sip-helper auto} from the captures: each SIP message seen on both sides compared as text, per transport and
 * server port, before the replay.
 */
class SipHelperDecisionTest {
    static final String PHONE = "192.168.1.10", PROVIDER = "203.0.113.5";
    static final int UDP = ConntrackTuple.UDP, TCP = ConntrackTuple.TCP;

    /** A REGISTER from {@code host:port} as the phone wrote it (Via, Contact and From carry the host). */
    static String register(String host, int port, String callId) {
        return "REGISTER sip:" + PROVIDER + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + host + ":" + port + ";branch=z9hG4bK-1;rport\r\n"
                + "From: <sip:100@" + PROVIDER + ">;tag=1\r\n"
                + "To: <sip:100@" + PROVIDER + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 REGISTER\r\n"
                + "Contact: <sip:100@" + host + ":" + port + ">\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    static SipHelperEvidence.Message msg(long key, long frame, int proto, String src, int sport, String dst, int dport,
                                         String text) {
        long[] s = new long[2], d = new long[2];
        assertTrue(Addresses.parse(src, s) && Addresses.parse(dst, d));
        return new SipHelperEvidence.Message(key, frame, proto, s[0], s[1], sport, d[0], d[1], dport,
                !text.startsWith("SIP/2.0 "), text);
    }

    static SipHelperDecision decide(List<SipHelperEvidence.Message> lan, List<SipHelperEvidence.Message> wan) {
        SipHelperEvidence l = new SipHelperEvidence(), w = new SipHelperEvidence();
        lan.forEach(l::add);
        wan.forEach(w::add);
        return SipHelperDecision.decide(l, w, "the test's frames");
    }

    @Test
    void aRewriteThatKeepsTheLengthDecidesOn() {
        // 192.168.1.10 and 203.0.113.20 have the same length: the message length says nothing, the text does
        String wanAddress = "203.0.113.20";
        String lan = register(PHONE, 5060, "abc"), wan = register(wanAddress, 5060, "abc");
        assertEquals(lan.length(), wan.length());
        SipHelperDecision d = decide(List.of(msg(7, 1, UDP, PHONE, 5060, PROVIDER, 5060, lan)),
                List.of(msg(7, 1, UDP, wanAddress, 5060, PROVIDER, 5060, wan)));
        assertTrue(d.on());
        assertTrue(d.attached(UDP, 5060));
        assertFalse(d.attached(TCP, 5060), "attached only where the captures show it at work");
        assertEquals(List.of(5060), d.ports());
        assertTrue(d.describe().get(0).startsWith("model SIP helper: on for udp/5060 (decided before the replay from "
                + "the test's frames: 1 translated SIP message(s)"), d.describe().toString());
        assertTrue(d.describe().get(0).contains("LAN frame 1 / WAN frame 1 (192.168.1.10 -> 203.0.113.20)"));
    }

    @Test
    void aTranslatedMessageWithItsPrivateAddressLeftInTheTextDecidesOff() {
        String text = register(PHONE, 5060, "abc");
        SipHelperDecision d = decide(List.of(msg(7, 3, UDP, PHONE, 5060, PROVIDER, 5060, text)),
                List.of(msg(7, 4, UDP, "203.0.113.2", 5060, PROVIDER, 5060, text)));
        assertFalse(d.on());
        assertFalse(d.attached(UDP, 5060));
        assertTrue(d.sawPair());
        assertTrue(d.describe().get(0).startsWith("model SIP helper: off for udp/5060"), d.describe().toString());
    }

    @Test
    void theAnswerToARewrittenRequestIsRewrittenBackOnTheWayIn() {
        String wanVia = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 203.0.113.2:5060;branch=z9hG4bK-1\r\nCall-ID: abc\r\n"
                + "CSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n";
        String lanVia = wanVia.replace("203.0.113.2", PHONE);
        SipHelperDecision d = decide(List.of(msg(9, 2, UDP, PROVIDER, 5060, PHONE, 5060, lanVia)),
                List.of(msg(9, 2, UDP, PROVIDER, 5060, "203.0.113.2", 5060, wanVia)));
        assertTrue(d.attached(UDP, 5060), d.describe().toString());
    }

    @Test
    void noTranslationIsNoEvidence() {
        // a null binding (the NAT rule missed the source): nf_nat_sip only rewrites translated connections
        String text = register("192.168.1.200", 5060, "abc");
        SipHelperDecision d = decide(List.of(msg(7, 1, UDP, "192.168.1.200", 5060, PROVIDER, 5060, text)),
                List.of(msg(7, 1, UDP, "192.168.1.200", 5060, PROVIDER, 5060, text)));
        assertFalse(d.on());
        assertEquals(List.of("model SIP helper: undecided for udp/5060 (its SIP messages crossed without address "
                + "translation, which nf_nat_sip does not rewrite); modelled off"), d.describe());
    }

    @Test
    void noSipOnBothSidesIsUndecided() {
        SipHelperDecision d = decide(List.of(msg(7, 1, UDP, PHONE, 5060, PROVIDER, 5060, register(PHONE, 5060, "a"))),
                List.of());
        assertFalse(d.on());
        assertFalse(d.sawPair());
        assertEquals(List.of("model SIP helper: undecided for udp/5060 (its SIP messages were seen on one side only); "
                + "modelled off"), d.describe());
        assertEquals(List.of("model SIP helper: undecided: no SIP message seen in the test's frames; modelled off"),
                decide(List.of(), List.of()).describe());
    }

    @Test
    void sipOnAnotherPortIsFoundByItsContentAndAttachedThere() {
        String lan = register(PHONE, 5062, "abc").replace(PROVIDER, PROVIDER + ":5080");
        String wan = lan.replace(PHONE, "203.0.113.2");
        SipHelperDecision d = decide(List.of(msg(7, 1, UDP, PHONE, 5062, PROVIDER, 5080, lan)),
                List.of(msg(7, 1, UDP, "203.0.113.2", 5062, PROVIDER, 5080, wan)));
        assertTrue(d.attached(UDP, 5080), "the flow's server port: where its first request went");
        assertFalse(d.attached(UDP, 5060));
        assertFalse(d.attached(UDP, 5062), "the phone's own port is not the entry's destination");
    }

    @Test
    void theServerPortOfAFlowIsTakenFromItsFirstMessage() {
        // the provider's request to the phone on the phone's own flow (phone:5062 -> provider:5060) keeps server 5060
        String reg = register(PHONE, 5062, "a");
        String invite = "INVITE sip:100@" + PHONE + ":5062 SIP/2.0\r\nVia: SIP/2.0/UDP " + PROVIDER
                + ":5060;branch=z9hG4bK-2\r\nCall-ID: b\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
        SipHelperDecision d = decide(List.of(msg(1, 1, UDP, PHONE, 5062, PROVIDER, 5060, reg),
                        msg(2, 5, UDP, PROVIDER, 5060, PHONE, 5062, invite)),
                List.of(msg(1, 1, UDP, "203.0.113.2", 5062, PROVIDER, 5060, reg.replace(PHONE, "203.0.113.2")),
                        msg(2, 5, UDP, PROVIDER, 5060, "203.0.113.2", 5062, invite.replace(PHONE, "203.0.113.2"))));
        assertTrue(d.attached(UDP, 5060));
        assertFalse(d.attached(UDP, 5062));
    }

    @Test
    void tcpAndUdpAreDecidedApart() {
        String lan = register(PHONE, 5060, "t").replace("SIP/2.0/UDP", "SIP/2.0/TCP");
        SipHelperDecision d = decide(List.of(msg(3, 4, TCP, PHONE, 5060, PROVIDER, 5060, lan)),
                List.of(msg(3, 4, TCP, "203.0.113.2", 5060, PROVIDER, 5060, lan.replace(PHONE, "203.0.113.2"))));
        assertTrue(d.attached(TCP, 5060));
        assertFalse(d.attached(UDP, 5060));
        assertTrue(d.describe().get(0).startsWith("model SIP helper: on for tcp/5060"), d.describe().toString());
        assertTrue(d.describe().get(1).startsWith("model SIP helper: not attached on other transports and ports"));
    }

    @Test
    void anAddressInTheCallIdAloneIsNotWhatTheHelperRewrites() {
        String text = "OPTIONS sip:" + PROVIDER + " SIP/2.0\r\nVia: SIP/2.0/UDP 203.0.113.9:5060;branch=z9hG4bK-3\r\n"
                + "Call-ID: 42@" + PHONE + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        SipHelperDecision d = decide(List.of(msg(4, 1, UDP, PHONE, 5060, PROVIDER, 5060, text)),
                List.of(msg(4, 1, UDP, "203.0.113.2", 5060, PROVIDER, 5060, text)));
        assertFalse(d.on());
        assertTrue(d.describe().get(0).startsWith("model SIP helper: undecided for udp/5060"), d.describe().toString());
    }

    @Test
    void addressesAreMatchedWhole() {
        assertEquals(1, SipHelperDecision.count("Via: SIP/2.0/UDP 192.168.1.10:5060", "192.168.1.10"));
        assertEquals(0, SipHelperDecision.count("Via: SIP/2.0/UDP 192.168.1.10:5060", "192.168.1.1"));
        assertEquals(0, SipHelperDecision.count("c=IN IP4 10.192.168.1.10", "192.168.1.10"));
        assertEquals(1, SipHelperDecision.count("Contact: <sip:[2001:db8::10]:5060>", "2001:db8::10"));
        assertEquals(0, SipHelperDecision.count("Contact: <sip:[2001:db8::100]:5060>", "2001:db8::10"));
        assertTrue(SipHelperDecision.rewritable("Via: SIP/2.0/UDP 192.168.1.10;branch=z", "192.168.1.10", 5060),
                "no port is SIP's default, 5060");
        assertFalse(SipHelperDecision.rewritable("Via: SIP/2.0/UDP 192.168.1.10:5062;branch=z", "192.168.1.10", 5060),
                "another port than the packet's is not the connection's (map_addr)");
        assertTrue(SipHelperDecision.rewritable("v=0\r\nc=IN IP4 192.168.1.10\r\n", "192.168.1.10", 5062));
    }
}
