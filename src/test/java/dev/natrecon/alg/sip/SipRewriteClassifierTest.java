package dev.natrecon.alg.sip;

import static dev.natrecon.alg.sip.Msgs.PHONE;
import static dev.natrecon.alg.sip.Msgs.PHONE_EP;
import static dev.natrecon.alg.sip.Msgs.PROVIDER;
import static dev.natrecon.alg.sip.Msgs.PROVIDER_EP;
import static dev.natrecon.alg.sip.Msgs.ROUTER;
import static dev.natrecon.alg.sip.Msgs.ROUTER_EP;
import static dev.natrecon.alg.sip.Msgs.bytes;
import static dev.natrecon.alg.sip.Msgs.in;
import static dev.natrecon.alg.sip.Msgs.out;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.alg.sip.Msgs.Invite;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One hand-made message pair per rule of {@link SipRewriteClassifier}: the class it gives and the finding it names, with
 * the fields. The Linux-like INVITE is {@link Invite#linux()}; each test departs from it in one way.
 */
class SipRewriteClassifierTest {
    static final NatBinding RTP = new NatBinding(new Endpoint(PHONE, 40000), new Endpoint(ROUTER, 40000));
    static final AlgContext CONTEXT = new AlgContext(Set.of(PHONE), Set.of(ROUTER, "203.0.113.3"),
            BindingLookup.of(List.of(RTP, new NatBinding(new Endpoint(PHONE, 40002), new Endpoint(ROUTER, 40002)),
                    new NatBinding(new Endpoint("192.168.1.11", 40004), new Endpoint(ROUTER, 40004)))));
    static final SipRewriteClassifier C = new SipRewriteClassifier(CONTEXT);

    static MessageVerdict outbound(Invite lan, Invite wan) {
        return C.classify(out(lan.text(), wan.text()));
    }

    static MessageVerdict outbound(Invite wan) {
        return outbound(new Invite(), wan);
    }

    /** The verdict has the class and a finding of {@code type} naming exactly {@code fields}; returns the finding. */
    static AlgFinding expect(MessageVerdict v, AlgClass c, AlgFindingType type, String... fields) {
        assertEquals(c, v.algClass(), v.toString());
        AlgFinding f = v.finding(type);
        assertNotNull(f, type.id() + " in " + v);
        assertEquals(List.of(fields), f.fields(), v.toString());
        assertEquals(v.pair().frames(), f.frames());
        return f;
    }

    // ---- the four classes

    @Test
    void untouchedOutboundMessageWithThePhonesAddressIsNoAlg() {
        MessageVerdict v = outbound(new Invite());
        AlgFinding f = expect(v, AlgClass.NO_ALG, AlgFindingType.PRIVATE_ADDRESS_ON_WAN, "via[0].host", "contact[0].host",
                "sdp.origin.address", "sdp.connection.address");
        assertTrue(f.detail().contains("contact[0].host=192.168.1.10"), f.detail());
        assertFalse(v.rewritten());
        assertEquals(1, v.findings().size(), "an untouched message is not called broken field by field: " + v);
    }

    @Test
    void linuxRewriteIsLinuxLike() {
        MessageVerdict v = outbound(Invite.linux());
        assertEquals(AlgClass.LINUX_LIKE, v.algClass(), v.toString());
        assertEquals(List.of(), v.findings());
        assertTrue(v.rewritten());
        assertEquals(FieldOutcome.Kind.MAPPED, v.outcomes().stream().filter(o -> o.key().equals("contact[0]")).findFirst()
                .orElseThrow().kind());
        assertEquals(FieldOutcome.Kind.PORT_KEPT, v.outcomes().stream().filter(o -> o.key().equals("sdp.media[0]"))
                .findFirst().orElseThrow().kind());
    }

    @Test
    void linuxAddsThePortWhenItMapsAUriWithoutOne() {
        Invite lan = new Invite();
        lan.contact = PHONE;
        assertEquals(AlgClass.LINUX_LIKE, outbound(lan, Invite.linux()).algClass());
        // Leaving it without a port (same address) is another ALG's way, not broken.
        Invite wan = Invite.linux();
        wan.contact = ROUTER;
        MessageVerdict v = outbound(lan, wan);
        expect(v, AlgClass.OTHER_CONSISTENT, AlgFindingType.NOT_LINUX, "contact[0].port");
    }

    @Test
    void noTranslatableFieldAndUntouchedIsNeutral() {
        String ok = Msgs.sip("SIP/2.0 200 OK\nVia: SIP/2.0/UDP " + PROVIDER_EP + ";branch=z9hG4bK-9\nFrom: <sip:r@" + PROVIDER
                + ">;tag=x\nTo: <sip:1001@" + PROVIDER + ">;tag=y\nCall-ID: ping@" + PROVIDER + "\nCSeq: 1 OPTIONS", "");
        MessageVerdict v = C.classify(out(ok, ok));
        assertEquals(AlgClass.NEUTRAL, v.algClass());
        assertEquals(List.of(), v.findings());
    }

    @Test
    void untranslatedFlowIsNeutral() {
        String t = new Invite().text();
        SipMessagePair p = new SipMessagePair(Msgs.obs(CapturePoint.LAN, 3, 1, PHONE_EP, PROVIDER_EP, t),
                Msgs.obs(CapturePoint.WAN, 3, 2, PHONE_EP, PROVIDER_EP, t), Direction.OUTBOUND);
        MessageVerdict v = C.classify(p);
        assertEquals(AlgClass.NEUTRAL, v.algClass());
        assertTrue(v.has(AlgFindingType.UNTRANSLATED_FLOW));
        assertTrue(v.has(AlgFindingType.PRIVATE_ADDRESS_ON_WAN), "still a private address on the WAN");
    }

    @Test
    void inboundMessageLeftWithTheRoutersAddressIsNoAlg() {
        String wan = Msgs.ok(ROUTER_EP + ";branch=z9hG4bK-1;received=" + ROUTER + ";rport=5060");
        MessageVerdict v = C.classify(in(wan, wan));
        expect(v, AlgClass.NO_ALG, AlgFindingType.EXTERNAL_ADDRESS_ON_LAN, "via[0].host", "via[0].port", "via[0].received",
                "via[0].rport");
    }

    @Test
    void inboundLinuxRestoreIsLinuxLike() {
        String wan = Msgs.ok(ROUTER_EP + ";branch=z9hG4bK-1;received=" + ROUTER + ";rport=5060");
        String lan = Msgs.ok(PHONE_EP + ";branch=z9hG4bK-1;received=" + PHONE + ";rport=5060");
        MessageVerdict v = C.classify(in(wan, lan));
        assertEquals(AlgClass.LINUX_LIKE, v.algClass(), v.toString());
        assertEquals(List.of(), v.findings(), "the provider's SDP is foreign and left alone");
    }

    // ---- broken: partial rewrites

    @Test
    void contactNotRewrittenWhileViaIs() {
        Invite wan = Invite.linux();
        wan.contact = PHONE_EP;
        expect(outbound(wan), AlgClass.BROKEN, AlgFindingType.CONTACT_NOT_REWRITTEN, "contact[0].host", "contact[0].port");
    }

    @Test
    void sdpConnectionNotRewrittenWhileContactIs() {
        Invite wan = Invite.linux();
        wan.connection = PHONE;
        MessageVerdict v = outbound(wan);
        AlgFinding f = expect(v, AlgClass.BROKEN, AlgFindingType.SDP_CONNECTION_NOT_REWRITTEN, "sdp.connection.address");
        assertTrue(f.detail().contains("192.168.1.10"), f.detail());
        assertTrue(v.has(AlgFindingType.PRIVATE_ADDRESS_ON_WAN));
    }

    @Test
    void mediaLevelConnectionNotRewritten() {
        Invite lan = new Invite(), wan = Invite.linux();
        lan.extraSdp = "c=IN IP4 192.168.1.10\n";
        wan.extraSdp = "c=IN IP4 192.168.1.10\n";
        expect(outbound(lan, wan), AlgClass.BROKEN, AlgFindingType.SDP_CONNECTION_NOT_REWRITTEN,
                "sdp.media[0].connection.address");
    }

    @Test
    void rtcpAddressNotRewritten() {
        Invite lan = new Invite(), wan = Invite.linux();
        lan.extraSdp = "a=rtcp:40001 IN IP4 192.168.1.10\n";
        wan.extraSdp = "a=rtcp:40001 IN IP4 192.168.1.10\n";
        expect(outbound(lan, wan), AlgClass.BROKEN, AlgFindingType.SDP_RTCP_NOT_REWRITTEN, "sdp.media[0].rtcp.address");
    }

    @Test
    void rtcpPortMovedIsJudgedLikeAMediaPort() {
        Invite lan = new Invite(), wan = Invite.linux();
        lan.extraSdp = "a=rtcp:40001 IN IP4 192.168.1.10\n";
        wan.extraSdp = "a=rtcp:40007 IN IP4 203.0.113.2\n";
        MessageVerdict v = outbound(lan, wan);
        expect(v, AlgClass.BROKEN, AlgFindingType.SDP_PORT_WITHOUT_BINDING, "sdp.media[0].rtcp.port");
        Invite bare = new Invite(), bareWan = Invite.linux();
        bare.extraSdp = "a=rtcp:40001\n";
        bareWan.extraSdp = "a=rtcp:40003\n";
        expect(outbound(bare, bareWan), AlgClass.BROKEN, AlgFindingType.SDP_PORT_WITHOUT_BINDING, "sdp.media[0].rtcp.port");
    }

    // ---- other consistent: coherent departures

    @Test
    void viaNotRewrittenIsAnotherConsistentAlg() {
        Invite wan = Invite.linux();
        wan.via = PHONE_EP;
        MessageVerdict v = outbound(wan);
        expect(v, AlgClass.OTHER_CONSISTENT, AlgFindingType.VIA_NOT_REWRITTEN, "via[0].host", "via[0].port");
        assertEquals(List.of("via[0].host"), v.finding(AlgFindingType.NOT_LINUX).fields());
    }

    @Test
    void viaParamNotRewrittenInbound() {
        String wan = Msgs.ok(ROUTER_EP + ";branch=z9hG4bK-1;received=" + ROUTER + ";rport=5060");
        String lan = Msgs.ok(PHONE_EP + ";branch=z9hG4bK-1;received=" + ROUTER + ";rport=5060");
        expect(C.classify(in(wan, lan)), AlgClass.OTHER_CONSISTENT, AlgFindingType.VIA_PARAM_NOT_REWRITTEN,
                "via[0].received");
    }

    @Test
    void requestUriNotRewrittenInbound() {
        String head = "OPTIONS sip:1001@%s SIP/2.0\nVia: SIP/2.0/UDP " + PROVIDER_EP + ";branch=z9hG4bK-p\nFrom: <sip:r@"
                + PROVIDER + ">;tag=r\nTo: <sip:1001@%s>\nCall-ID: ping-1@" + PROVIDER + "\nCSeq: 7 OPTIONS";
        String wan = Msgs.sip(String.format(head, ROUTER_EP, ROUTER_EP), "");
        String lan = Msgs.sip(String.format(head, ROUTER_EP, PHONE_EP), "");
        expect(C.classify(in(wan, lan)), AlgClass.OTHER_CONSISTENT, AlgFindingType.REQUEST_URI_NOT_REWRITTEN,
                "request-uri.host", "request-uri.port");
        // The Linux way: both mapped.
        assertEquals(AlgClass.LINUX_LIKE, C.classify(in(wan, Msgs.sip(String.format(head, PHONE_EP, PHONE_EP), "")))
                .algClass());
    }

    @Test
    void fromNotRewritten() {
        Invite lan = new Invite(), wan = Invite.linux();
        lan.from = "sip:1001@" + PHONE_EP;
        wan.from = lan.from;
        expect(outbound(lan, wan), AlgClass.OTHER_CONSISTENT, AlgFindingType.FROM_TO_NOT_REWRITTEN, "from.host", "from.port");
    }

    @Test
    void sdpOriginNotRewritten() {
        Invite wan = Invite.linux();
        wan.origin = PHONE;
        expect(outbound(wan), AlgClass.OTHER_CONSISTENT, AlgFindingType.SDP_ORIGIN_NOT_REWRITTEN, "sdp.origin.address");
    }

    @Test
    void anotherRouterAddressIsConsistent() {
        Invite wan = Invite.linux();
        wan.contact = "203.0.113.3:5060";
        expect(outbound(wan), AlgClass.OTHER_CONSISTENT, AlgFindingType.OTHER_ADDRESS, "contact[0].host", "contact[0].port");
    }

    @Test
    void anotherPortIsConsistent() {
        Invite wan = Invite.linux();
        wan.contact = ROUTER + ":5070";
        expect(outbound(wan), AlgClass.OTHER_CONSISTENT, AlgFindingType.OTHER_PORT, "contact[0].port");
    }

    @Test
    void callIdRewrittenBySubstitutionIsAnExtraRewrite() {
        Invite wan = Invite.linux();
        wan.callId = "call-1@" + ROUTER;
        MessageVerdict v = outbound(wan);
        expect(v, AlgClass.OTHER_CONSISTENT, AlgFindingType.EXTRA_FIELD_REWRITTEN, "call-id");
        assertTrue(v.finding(AlgFindingType.NOT_LINUX).fields().contains("call-id"));
    }

    // ---- SDP ports and bindings

    @Test
    void sdpPortMovedToABoundPortIsFine() {
        Invite wan = Invite.linux();
        wan.port = 40002;
        Invite lan = new Invite();
        lan.port = 40002;
        // LAN 40002 -> WAN 40002 is bound; moving 40000 -> 40002 is bound to another phone port of the same phone.
        MessageVerdict kept = outbound(lan, wan);
        assertEquals(AlgClass.LINUX_LIKE, kept.algClass());
        Invite lan2 = new Invite();
        lan2.port = 40002;
        Invite wan2 = Invite.linux();
        wan2.port = 40002;
        assertFalse(outbound(lan2, wan2).has(AlgFindingType.SDP_PORT_MOVED), "a kept port is not a move");
        SipRewriteClassifier withBinding = new SipRewriteClassifier(new AlgContext(Set.of(PHONE), Set.of(ROUTER),
                BindingLookup.of(List.of(new NatBinding(new Endpoint(PHONE, 40000), new Endpoint(ROUTER, 40002))))));
        MessageVerdict v = withBinding.classify(out(new Invite().text(), wan.text()));
        AlgFinding f = expect(v, AlgClass.LINUX_LIKE, AlgFindingType.SDP_PORT_MOVED, "sdp.media[0].port");
        assertTrue(f.detail().endsWith("bound"), f.detail());
    }

    @Test
    void sdpPortRewrittenToAPortWithoutBinding() {
        Invite wan = Invite.linux();
        wan.port = 40100;
        AlgFinding f = expect(outbound(wan), AlgClass.BROKEN, AlgFindingType.SDP_PORT_WITHOUT_BINDING, "sdp.media[0].port");
        assertTrue(f.detail().contains("no binding for 203.0.113.2:40100"), f.detail());
    }

    @Test
    void sdpPortRewrittenToAnotherPhonesBinding() {
        Invite wan = Invite.linux();
        wan.port = 40004;
        AlgFinding f = expect(outbound(wan), AlgClass.BROKEN, AlgFindingType.SDP_PORT_FOREIGN_BINDING, "sdp.media[0].port");
        assertTrue(f.detail().contains("192.168.1.11:40004"), f.detail());
    }

    /**
     * A classifier that learns the bindings only at the end ({@link BindingLookup#later()}) leaves the moved ports on
     * the verdict; judged then, they give the class and findings the classifier with the bindings gives at once.
     */
    @Test
    void movedPortsJudgedLaterGiveTheSameVerdict() {
        SipRewriteClassifier later = new SipRewriteClassifier(new AlgContext(CONTEXT.phoneAddresses(),
                CONTEXT.routerAddresses(), BindingLookup.later()));
        for (int port : new int[] {40100, 40004, 40002, 40000}) {
            Invite wan = Invite.linux();
            wan.port = port;
            MessageVerdict now = outbound(wan);
            MessageVerdict waiting = later.classify(out(new Invite().text(), wan.text()));
            if (port == 40000) { // not moved: nothing waits
                assertNull(waiting.unjudgedPorts());
                assertEquals(now.findingsText(), waiting.findingsText());
                continue;
            }
            assertNotNull(waiting.unjudgedPorts(), "port " + port);
            assertFalse(waiting.findingsText().contains("sdp_port"), waiting.findingsText());
            SipRewriteClassifier.JudgedPorts judged = SipRewriteClassifier.judgePorts(waiting.unjudgedPorts(),
                    CONTEXT.bindings());
            assertEquals(now.algClass(), judged.algClass(), "port " + port);
            assertEquals(now.findings(), judged.findings(), "port " + port);
        }
    }

    @Test
    void sdpPortIsNotJudgedWithoutBindings() {
        Invite wan = Invite.linux();
        wan.port = 40101; // odd: not a port Linux would pick
        SipRewriteClassifier blind = new SipRewriteClassifier(new AlgContext(Set.of(), Set.of(), BindingLookup.unknown()));
        MessageVerdict v = blind.classify(out(new Invite().text(), wan.text()));
        AlgFinding f = expect(v, AlgClass.OTHER_CONSISTENT, AlgFindingType.SDP_PORT_MOVED, "sdp.media[0].port");
        assertTrue(f.detail().contains("bindings not known"));
        assertEquals(List.of("sdp.media[0].port"), v.finding(AlgFindingType.NOT_LINUX).fields());
    }

    @Test
    void bindingPredicateAnswersWithoutHolders() {
        Invite wan = Invite.linux();
        wan.port = 40004;
        SipRewriteClassifier c = new SipRewriteClassifier(new AlgContext(Set.of(), Set.of(), BindingLookup.of(b -> false)));
        expect(c.classify(out(new Invite().text(), wan.text())), AlgClass.BROKEN, AlgFindingType.SDP_PORT_WITHOUT_BINDING,
                "sdp.media[0].port");
    }

    // ---- broken: wrong and foreign rewrites, damage

    @Test
    void wrongAddressWritten() {
        Invite wan = Invite.linux();
        wan.contact = "198.51.100.7:5060";
        expect(outbound(wan), AlgClass.BROKEN, AlgFindingType.WRONG_ADDRESS_WRITTEN, "contact[0].host", "contact[0].port");
    }

    @Test
    void foreignAddressRewritten() {
        Invite wan = Invite.linux();
        wan.to = "sip:2002@" + ROUTER;
        AlgFinding f = expect(outbound(wan), AlgClass.BROKEN, AlgFindingType.FOREIGN_ADDRESS_REWRITTEN, "to.host");
        assertEquals("to: 203.0.113.5 -> 203.0.113.2", f.detail());
    }

    @Test
    void foreignSdpOfTheProviderRewrittenInbound() {
        String wan = Msgs.ok(ROUTER_EP + ";branch=z9hG4bK-1");
        String lan = Msgs.ok(PHONE_EP + ";branch=z9hG4bK-1").replace("c=IN IP4 " + PROVIDER, "c=IN IP4 " + PHONE);
        expect(C.classify(in(wan, lan)), AlgClass.BROKEN, AlgFindingType.FOREIGN_ADDRESS_REWRITTEN, "sdp.connection.address");
    }

    @Test
    void unexplainedChange() {
        Invite wan = Invite.linux();
        wan.userAgent = "test-phne";
        AlgFinding f = expect(outbound(wan), AlgClass.BROKEN, AlgFindingType.UNEXPLAINED_CHANGE, "user-agent");
        assertEquals("user-agent: test-phone -> test-phne", f.detail());
    }

    @Test
    void removedContactIsUnexplained() {
        Invite lan = new Invite();
        lan.extraHeaders = "\nContact: <sip:1001@192.168.1.10:5062>";
        MessageVerdict v = outbound(lan, Invite.linux());
        assertEquals(AlgClass.BROKEN, v.algClass(), v.toString());
        assertTrue(v.finding(AlgFindingType.UNEXPLAINED_CHANGE).fields().contains("contact[1].host"), v.toString());
    }

    @Test
    void contentLengthNotUpdated() {
        Invite wan = Invite.linux();
        wan.contentLength = bytes(new Invite().body()).length;
        AlgFinding f = expect(outbound(wan), AlgClass.BROKEN, AlgFindingType.CONTENT_LENGTH_WRONG, "content-length");
        int body = bytes(wan.body()).length;
        assertEquals("declared " + (body + 2) + ", body " + body + " bytes (before the router: declared " + (body + 2)
                + ", body " + (body + 2) + ")", f.detail());
    }

    @Test
    void outputThatNoLongerParsesIsMangled() {
        Invite wan = Invite.linux();
        wan.via = ROUTER_EP + ":5060";
        MessageVerdict v = outbound(wan);
        AlgFinding f = expect(v, AlgClass.BROKEN, AlgFindingType.MANGLED, "via[0]");
        assertTrue(f.detail().startsWith("sip.header_invalid"), f.detail());
    }

    @Test
    void sdpLineBrokenByTheRouterIsMangled() {
        Invite wan = Invite.linux();
        wan.connection = ""; // "c=IN IP4 " with no address
        MessageVerdict v = outbound(wan);
        assertEquals(AlgClass.BROKEN, v.algClass(), v.toString());
        assertTrue(v.finding(AlgFindingType.MANGLED).fields().contains("sdp.connection"), v.toString());
    }

    @Test
    void inputThatDoesNotParseIsNotJudged() {
        Invite lan = new Invite();
        lan.via = PHONE_EP + ":5060";
        MessageVerdict v = outbound(lan, lan);
        assertEquals(AlgClass.NEUTRAL, v.algClass());
        assertTrue(v.has(AlgFindingType.INPUT_UNPARSABLE));
    }

    // ---- prediction

    @Test
    void predictionDecidesLinuxLike() {
        SipMessagePair p = out(new Invite().text(), Invite.linux().text());
        MessageVerdict same = C.classify(p.withPrediction(bytes(Invite.linux().text())));
        assertEquals(AlgClass.LINUX_LIKE, same.algClass());
        assertEquals(List.of(), same.findings());

        Invite predicted = Invite.linux();
        predicted.port = 40002;
        MessageVerdict other = C.classify(p.withPrediction(bytes(predicted.text())));
        AlgFinding f = expect(other, AlgClass.OTHER_CONSISTENT, AlgFindingType.DIFFERS_FROM_PREDICTION, "sdp.media[0].port");
        assertEquals("sdp.media[0].port: predicted 40002, observed 40000", f.detail());
        assertNull(other.finding(AlgFindingType.NOT_LINUX), "the prediction is the authority");

        // An untouched message against a prediction that rewrites it stays NO_ALG.
        MessageVerdict none = C.classify(out(new Invite().text(), new Invite().text()).withPrediction(bytes(Invite.linux().text())));
        assertEquals(AlgClass.NO_ALG, none.algClass());
        assertTrue(none.has(AlgFindingType.DIFFERS_FROM_PREDICTION));

        // Byte-for-byte: a prediction that only differs in the Content-Length padding is not Linux-like.
        String padded = Invite.linux().text().replace("Content-Length: ", "Content-Length:  ");
        assertEquals(AlgClass.OTHER_CONSISTENT, C.classify(p.withPrediction(bytes(padded))).algClass());
    }

    /**
     * The model's entry held another WAN address than the router's (its history missed an address change): it
     * predicted Via/Contact/SDP with that address, the router wrote the address its packets were translated to,
     * exactly as Linux does for that translation. A divergence of the model, not a departure of the router.
     */
    @Test
    void aPredictionFromAnotherTranslationIsTheModelsDivergence() {
        SipMessagePair p = out(new Invite().text(), Invite.linux().text());
        String stale = Invite.linux().text().replace(ROUTER, "203.0.113.99");
        MessageVerdict v = C.classify(p.withPrediction(bytes(stale)));
        assertEquals(AlgClass.LINUX_LIKE, v.algClass());
        assertFalse(v.has(AlgFindingType.DIFFERS_FROM_PREDICTION), v.toString());
        assertNotNull(v.modelContradicted());
        assertTrue(v.modelContradicted().contains("predicted 203.0.113.99, observed " + ROUTER), v.modelContradicted());

        // the router's own text departs from Linux's too (a wrong address): the model's prediction stays the authority
        SipMessagePair wrong = out(new Invite().text(), Invite.linux().text().replace("c=IN IP4 " + ROUTER,
                "c=IN IP4 198.51.100.7"));
        MessageVerdict w = C.classify(wrong.withPrediction(bytes(stale)));
        assertTrue(w.has(AlgFindingType.DIFFERS_FROM_PREDICTION), w.toString());
        assertNull(w.modelContradicted());
    }

    // ---- case rules

    static SipMessagePair outboundOn(long frame, String lan, String wan) {
        return new SipMessagePair(Msgs.obs(CapturePoint.LAN, frame, frame * 1_000_000L, PHONE_EP, PROVIDER_EP, lan),
                Msgs.obs(CapturePoint.WAN, frame, frame * 1_000_000L + 50_000, ROUTER_EP, PROVIDER_EP, wan), Direction.OUTBOUND);
    }

    static SipMessagePair inboundOn(long frame, String wan, String lan) {
        return new SipMessagePair(Msgs.obs(CapturePoint.LAN, frame, frame * 1_000_000L + 50_000, PROVIDER_EP, PHONE_EP, lan),
                Msgs.obs(CapturePoint.WAN, frame, frame * 1_000_000L, PROVIDER_EP, ROUTER_EP, wan), Direction.INBOUND);
    }

    @Test
    void linuxCaseIsLinuxLikeBothWays() {
        String wanOk = Msgs.ok(ROUTER_EP + ";branch=z9hG4bK-1"), lanOk = Msgs.ok(PHONE_EP + ";branch=z9hG4bK-1");
        CaseVerdict c = CaptureSip.classifyCase(C, List.of(outboundOn(1, new Invite().text(), Invite.linux().text()),
                inboundOn(2, wanOk, lanOk)));
        assertEquals(AlgClass.LINUX_LIKE, c.algClass());
        assertEquals(AlgClass.LINUX_LIKE, c.byDirection().get(Direction.OUTBOUND));
        assertEquals(AlgClass.LINUX_LIKE, c.byDirection().get(Direction.INBOUND));
        assertEquals(List.of(), c.findings());
    }

    @Test
    void rewritingOnlyOutboundIsOneDirectionOnly() {
        String wanOk = Msgs.ok(ROUTER_EP + ";branch=z9hG4bK-1");
        CaseVerdict c = CaptureSip.classifyCase(C, List.of(outboundOn(1, new Invite().text(), Invite.linux().text()),
                inboundOn(2, wanOk, wanOk)));
        assertEquals(AlgClass.BROKEN, c.algClass(), c.toString());
        assertEquals(AlgClass.LINUX_LIKE, c.byDirection().get(Direction.OUTBOUND));
        assertEquals(AlgClass.NO_ALG, c.byDirection().get(Direction.INBOUND));
        AlgFinding f = c.finding(AlgFindingType.ONE_DIRECTION_ONLY);
        assertEquals(List.of("via[0].host", "via[0].port", "via[0]"), f.fields());
        assertEquals(List.of(new FrameRef(CapturePoint.LAN, 2), new FrameRef(CapturePoint.WAN, 2)), f.frames());
        assertTrue(f.detail().contains("1 outbound message(s) rewritten, 1 inbound message(s) left untranslated"), f.detail());
    }

    @Test
    void rewritingSomeMessagesOfAFlowIsInconsistent() {
        Invite reInvite = new Invite();
        reInvite.viaParams = ";branch=z9hG4bK-2;rport";
        CaseVerdict c = CaptureSip.classifyCase(C, List.of(outboundOn(1, new Invite().text(), Invite.linux().text()),
                outboundOn(5, reInvite.text(), reInvite.text())));
        assertEquals(AlgClass.BROKEN, c.algClass());
        AlgFinding f = c.finding(AlgFindingType.INCONSISTENT_ACROSS_MESSAGES);
        assertEquals(List.of(new FrameRef(CapturePoint.LAN, 5), new FrameRef(CapturePoint.WAN, 5)), f.frames());
        assertTrue(f.fields().contains("contact[0].host"), f.toString());
    }

    @Test
    void untouchedFlowNextToARewrittenOneIsInformation() {
        String other = new Invite().text().replace(PHONE, "192.168.1.20");
        SipMessagePair untouched = new SipMessagePair(Msgs.obs(CapturePoint.LAN, 9, 9, "192.168.1.20:5070", PROVIDER_EP, other),
                Msgs.obs(CapturePoint.WAN, 9, 10, ROUTER + ":5070", PROVIDER_EP, other), Direction.OUTBOUND);
        CaseVerdict c = CaptureSip.classifyCase(C, List.of(outboundOn(1, new Invite().text(), Invite.linux().text()), untouched));
        assertEquals(AlgClass.LINUX_LIKE, c.algClass(), c.toString());
        assertTrue(c.has(AlgFindingType.SOME_FLOWS_UNTOUCHED));
        assertEquals(1, c.count(AlgClass.NO_ALG));
    }

    @Test
    void untouchedCaseIsNoAlgAndMergesFindings() {
        Invite bye = new Invite();
        bye.viaParams = ";branch=z9hG4bK-3;rport";
        CaseVerdict c = CaptureSip.classifyCase(C, List.of(outboundOn(1, new Invite().text(), new Invite().text()),
                outboundOn(7, bye.text(), bye.text())));
        assertEquals(AlgClass.NO_ALG, c.algClass());
        AlgFinding f = c.finding(AlgFindingType.PRIVATE_ADDRESS_ON_WAN);
        assertEquals(4, f.frames().size(), "both messages, both sides");
        assertFalse(c.has(AlgFindingType.ONE_DIRECTION_ONLY));
    }

    @Test
    void everyFindingIdIsDottedAndUnique() {
        Set<String> ids = new java.util.HashSet<>();
        for (AlgFindingType t : AlgFindingType.values()) {
            assertTrue(t.id().matches("alg\\.[a-z_]+"), t.id());
            assertTrue(ids.add(t.id()), t.id());
            assertEquals(t, AlgFindingType.byId(t.id()));
        }
    }
}
