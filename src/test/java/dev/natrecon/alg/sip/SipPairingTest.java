package dev.natrecon.alg.sip;

import static dev.natrecon.alg.sip.Msgs.PHONE_EP;
import static dev.natrecon.alg.sip.Msgs.PROVIDER_EP;
import static dev.natrecon.alg.sip.Msgs.ROUTER_EP;
import static dev.natrecon.alg.sip.Msgs.obs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.alg.sip.Msgs.Invite;
import dev.natrecon.decode.sip.SipParse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SipPairingTest {
    static final long MS = 1_000_000L;

    static SipObservation lan(long frame, long ms, String text) {
        return obs(CapturePoint.LAN, frame, ms * MS, PHONE_EP, PROVIDER_EP, text);
    }

    static SipObservation wan(long frame, long ms, String text) {
        return obs(CapturePoint.WAN, frame, ms * MS, ROUTER_EP, PROVIDER_EP, text);
    }

    @Test
    void keyIsCallIdCseqMethodAndBranch() {
        SipPairKey k = lan(1, 0, new Invite().text()).key();
        assertEquals(new SipPairKey("call-1@192.168.1.10", "1 INVITE", "INVITE", "z9hG4bK-1"), k);
        assertEquals("INVITE", k.label());
        SipPairKey ok = obs(CapturePoint.WAN, 2, 0, PROVIDER_EP, ROUTER_EP, Msgs.ok(ROUTER_EP + ";branch=z9hG4bK-1")).key();
        assertEquals("200", ok.methodOrStatus());
        assertEquals("200 (INVITE)", ok.label());
        // A copy that no longer parses still has a key, from the header lines the parser kept.
        Invite mangled = Invite.linux();
        mangled.via = ROUTER_EP + ":5060";
        SipObservation m = wan(3, 0, mangled.text());
        assertTrue(m.parse() instanceof SipParse.Rejected);
        assertEquals(k, m.key());
        assertNull(lan(4, 0, "\r\n\r\n").key(), "a keep-alive has no key");
    }

    @Test
    void retransmissionsPairWithTheirOwnCopyAndADroppedOneStaysUnpaired() {
        String lanText = new Invite().text(), wanText = Invite.linux().text();
        // The phone sends at 0, 500 and 1500 ms; the router dropped the first two and forwarded the third.
        List<SipObservation> lans = List.of(lan(1, 0, lanText), lan(2, 500, lanText), lan(3, 1500, lanText));
        List<SipObservation> wans = List.of(wan(1, 1500, wanText));
        SipPairing.Result r = SipPairing.pair(lans, wans);
        assertEquals(1, r.pairs().size());
        assertEquals(3, r.pairs().get(0).lan().frame());
        assertEquals(List.of(1L, 2L), r.unpairedLan().stream().map(SipObservation::frame).toList());
        assertEquals(List.of(), r.unpairedWan());
        assertEquals(Direction.OUTBOUND, r.pairs().get(0).direction());
    }

    @Test
    void copiesFurtherApartThanTheWindowDoNotPair() {
        String t = new Invite().text();
        assertEquals(0, SipPairing.pair(List.of(lan(1, 0, t)), List.of(wan(1, 1001, t))).pairs().size());
        assertEquals(1, SipPairing.pair(List.of(lan(1, 0, t)), List.of(wan(1, 1001, t)), 2_000 * MS).pairs().size());
    }

    @Test
    void aRewrittenCallIdPairsOnTheRestOfTheKey() {
        Invite wan = Invite.linux();
        wan.callId = "call-1@203.0.113.2";
        SipPairing.Result r = SipPairing.pair(List.of(lan(1, 0, new Invite().text())), List.of(wan(1, 0, wan.text())));
        assertEquals(1, r.pairs().size());
    }

    @Test
    void differentTransportsDoNotPair() {
        String t = new Invite().text();
        SipObservation tcp = new SipObservation(CapturePoint.WAN, List.of(1L), 0, SipObservation.Transport.TCP,
                Endpoint.parse(ROUTER_EP), Endpoint.parse(PROVIDER_EP), Msgs.bytes(t));
        assertEquals(0, SipPairing.pair(List.of(lan(1, 0, t)), List.of(tcp)).pairs().size());
    }

    @Test
    void directionFromThePackets() {
        String t = new Invite().text();
        assertEquals(Direction.OUTBOUND, SipPairing.direction(lan(1, 5, t), wan(1, 6, t)));
        SipObservation in = obs(CapturePoint.WAN, 1, 0, PROVIDER_EP, ROUTER_EP, t);
        SipObservation inLan = obs(CapturePoint.LAN, 1, 0, PROVIDER_EP, PHONE_EP, t);
        assertEquals(Direction.INBOUND, SipPairing.direction(inLan, in));
        // Untranslated (a null binding): a private source going to a public address is outbound.
        SipObservation leakLan = obs(CapturePoint.LAN, 1, 9, "192.168.1.200:5060", PROVIDER_EP, t);
        SipObservation leakWan = obs(CapturePoint.WAN, 1, 1, "192.168.1.200:5060", PROVIDER_EP, t);
        assertEquals(Direction.OUTBOUND, SipPairing.direction(leakLan, leakWan));
        assertEquals(List.of(), new SipMessagePair(leakLan, leakWan, Direction.OUTBOUND).translations());
    }

    @Test
    void translationsInternalExternalRemote() {
        SipMessagePair p = Msgs.out(new Invite().text(), Invite.linux().text());
        assertEquals(List.of(new Translation(Endpoint.parse(PHONE_EP), Endpoint.parse(ROUTER_EP))), p.translations());
        assertEquals(Endpoint.parse(PHONE_EP), p.internal());
        assertEquals(Endpoint.parse(ROUTER_EP), p.external());
        assertEquals(Endpoint.parse(PROVIDER_EP), p.remote());
        assertEquals("udp 192.168.1.10:5060 <-> 203.0.113.5:5060", p.flow());
        SipMessagePair i = Msgs.in(Msgs.ok(ROUTER_EP), Msgs.ok(PHONE_EP));
        assertEquals(List.of(new Translation(Endpoint.parse(ROUTER_EP), Endpoint.parse(PHONE_EP))), i.translations());
        assertEquals(p.flow(), i.flow(), "both directions of one flow");
    }

    @Test
    void shiftedWanCapturePairsOnceItsClockIsCorrected() throws IOException {
        Path lan = Path.of("samples/baseline/lan.pcap"), shifted = Path.of("samples/baseline/wan-shifted.pcap");
        SipPairing.Result right = CaptureSip.pairs(lan, shifted, 7_250_000_000L);
        SipPairing.Result plain = CaptureSip.pairs(Path.of("samples/baseline"));
        assertEquals(9, right.pairs().size());
        for (int i = 0; i < 9; i++) {
            assertEquals(plain.pairs().get(i).lan().frame(), right.pairs().get(i).lan().frame());
            assertEquals(plain.pairs().get(i).wan().frame(), right.pairs().get(i).wan().frame());
        }
        assertEquals(0, CaptureSip.pairs(lan, shifted, 0).pairs().size(), "7.25 s apart: outside the window");
    }

    @Test
    void tcpMessagesKeepTheirSegmentsFrames() throws IOException {
        SipPairing.Result r = CaptureSip.pairs(Path.of("samples/sip-over-tcp"));
        assertEquals(9, r.pairs().size());
        assertEquals(List.of(), r.unpairedLan());
        assertEquals(List.of(), r.unpairedWan());
        for (SipMessagePair p : r.pairs()) {
            assertEquals(SipObservation.Transport.TCP, p.lan().transport());
            assertNotNull(p.lan().key());
            assertTrue(p.lan().frames().size() >= 1);
        }
    }
}
