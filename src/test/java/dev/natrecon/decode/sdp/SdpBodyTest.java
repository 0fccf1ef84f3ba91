package dev.natrecon.decode.sdp;

import static dev.natrecon.decode.sip.SipTexts.assertSpansMatch;
import static dev.natrecon.decode.sip.SipTexts.bytes;
import static dev.natrecon.decode.sip.SipTexts.crlf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.decode.sip.MultipartBody;
import dev.natrecon.decode.sip.SipAnomaly;
import dev.natrecon.decode.sip.SipMessage;
import dev.natrecon.decode.sip.SipParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SdpBodyTest {
    static final String OFFER = crlf(
            "v=0",
            "o=alice 2890844526 2890844527 IN IP4 192.168.1.10",
            "s=-",
            "c=IN IP4 192.168.1.10",
            "t=0 0",
            "a=sendonly",
            "m=audio 49170 RTP/AVP 0 8 101",
            "a=rtpmap:101 telephone-event/8000",
            "a=rtcp:49175 IN IP4 192.168.1.11",
            "m=video 51372/2 RTP/AVP 31",
            "c=IN IP6 2001:db8::2",
            "a=rtcp:51380",
            "a=recvonly",
            "m=image 0 udptl t38",
            "");

    static SipMessage invite(String contentType, String body) {
        String text = crlf("INVITE sip:bob@example.com SIP/2.0", "Via: SIP/2.0/UDP 192.168.1.10;branch=z9hG4bK1",
                "From: <sip:alice@example.com>;tag=1", "To: <sip:bob@example.com>", "Call-ID: sdp@test", "CSeq: 1 INVITE",
                contentType == null ? "Max-Forwards: 70" : "Content-Type: " + contentType,
                "Content-Length: " + bytes(body).length, "", body);
        SipMessage m = SipParser.parse(bytes(text), 0, bytes(text).length).messageOrNull();
        assertNotNull(m);
        assertEquals(List.of(), m.issues());
        return m;
    }

    @Test
    void offerWithSessionAndMediaConnectionsRtcpAndDirections() {
        SipMessage m = invite("application/sdp", OFFER);
        SdpBody sdp = SdpBody.fromSip(m).orElseThrow();
        assertEquals(List.of(), sdp.issues());
        assertEquals(m.bodyStart(), sdp.start());
        SdpOrigin o = sdp.origin().orElseThrow();
        assertEquals("alice", o.username().text());
        assertEquals("2890844526", o.sessionId().text());
        assertEquals("2890844527", o.sessionVersion().text());
        assertEquals("IN", o.netType().text());
        assertEquals("IP4", o.addressType().text());
        assertEquals("192.168.1.10", o.address().text());
        assertEquals("192.168.1.10", sdp.connection().orElseThrow().address().text());
        assertEquals(SdpDirection.SENDONLY, sdp.direction());
        assertEquals(3, sdp.media().size());

        SdpMedia audio = sdp.media().get(0);
        assertEquals("audio", audio.typeText());
        assertEquals(49170, audio.portNumber());
        assertEquals(1, audio.portCountNumber());
        assertEquals("RTP/AVP", audio.proto().text());
        assertEquals(List.of("0", "8", "101"), audio.formatTexts());
        assertNull(audio.connection());
        assertEquals("192.168.1.10", sdp.connectionOf(audio).address().text());
        assertEquals(49175, audio.rtcp().portNumber());
        assertEquals("192.168.1.11", audio.rtcp().address().text());
        assertNull(audio.direction());
        assertEquals(SdpDirection.SENDONLY, sdp.directionOf(audio), "inherits the session direction");

        SdpMedia video = sdp.media().get(1);
        assertEquals(51372, video.portNumber());
        assertEquals(2, video.portCountNumber());
        assertTrue(video.connection().isIp6());
        assertEquals("2001:db8::2", sdp.connectionOf(video).address().text());
        assertEquals(51380, video.rtcp().portNumber());
        assertNull(video.rtcp().address());
        assertEquals(SdpDirection.RECVONLY, sdp.directionOf(video));

        SdpMedia image = sdp.media().get(2);
        assertEquals(0, image.portNumber());
        assertEquals(List.of("t38"), image.formatTexts());

        Map<String, Span0> expected = Map.of(
                "origin.address", new Span0("192.168.1.10", OFFER.indexOf("192.168.1.10")),
                "connection.address", new Span0("192.168.1.10", OFFER.indexOf("c=IN IP4 ") + 9),
                "media[0].port", new Span0("49170", OFFER.indexOf("49170")),
                "media[0].rtcp.port", new Span0("49175", OFFER.indexOf("49175")),
                "media[0].rtcp.address", new Span0("192.168.1.11", OFFER.indexOf("192.168.1.11")),
                "media[1].port", new Span0("51372", OFFER.indexOf("51372")),
                "media[1].connection.address", new Span0("2001:db8::2", OFFER.indexOf("2001:db8::2")),
                "media[1].direction", new Span0("recvonly", OFFER.indexOf("recvonly")));
        Map<String, dev.natrecon.decode.sip.Span> f = sdp.fields();
        for (Map.Entry<String, Span0> e : expected.entrySet()) {
            dev.natrecon.decode.sip.Span s = f.get(e.getKey());
            assertEquals(e.getValue().text(), s.text(), e.getKey());
            assertEquals(m.bodyStart() + e.getValue().offset(), s.start(), e.getKey());
        }
        assertSpansMatch(m.payload(), 0, f);
    }

    record Span0(String text, int offset) {
    }

    @Test
    void ipv6OriginAndConnection() {
        String body = crlf("v=0", "o=- 1 1 IN IP6 fd17:625c:f037:2::10", "s=-", "c=IN IP6 fd17:625c:f037:2::10", "t=0 0",
                "m=audio 10000 RTP/AVP 8", "");
        SdpBody sdp = SdpBody.fromSip(invite("application/sdp", body)).orElseThrow();
        assertEquals(List.of(), sdp.issues(), "jain-sip writes the origin as [fd17:…] but it is the same address");
        assertEquals("fd17:625c:f037:2::10", sdp.origin().orElseThrow().address().text());
        assertTrue(sdp.connection().orElseThrow().isIp6());
    }

    @Test
    void sdpPartOfMultipartMixedAndNestedAlternative() {
        String mixed = crlf("--unique-boundary-1", "Content-Type: application/isup;version=itu-t92+", "",
                "\u0001\u0002isup", "--unique-boundary-1", "Content-Type: application/sdp", "", OFFER
                        + "--unique-boundary-1--", "");
        SipMessage m = invite("multipart/mixed;boundary=unique-boundary-1", mixed);
        MultipartBody mb = MultipartBody.of(m).orElseThrow();
        assertEquals(2, mb.parts().size());
        assertEquals(List.of("application/isup", "application/sdp"), mb.parts().stream().map(MultipartBody.Part::mediaType).toList());
        assertEquals(List.of(), mb.issues());
        SdpBody sdp = SdpBody.fromSip(m).orElseThrow();
        assertEquals(3, sdp.media().size());
        assertEquals(m.bodyStart() + mixed.indexOf("v=0"), sdp.start());
        assertEquals(m.bodyStart() + mixed.indexOf("--unique-boundary-1--") - 2, sdp.end(), "the CRLF before a delimiter is not SDP");
        assertSpansMatch(m.payload(), 0, sdp.fields());

        String inner = crlf("--alt", "Content-Type: text/plain", "", "hi", "--alt", "Content-Type: application/sdp", "",
                OFFER + "--alt--", "");
        String outer = crlf("--outer", "Content-Type: multipart/alternative; boundary=\"alt\"", "", inner + "--outer--", "");
        SdpBody nested = SdpBody.fromSip(invite("multipart/mixed; boundary=outer", outer)).orElseThrow();
        assertEquals(49170, nested.media().get(0).portNumber());
    }

    @Test
    void multipartWithoutClosingDelimiterStillYieldsTheSdp() {
        String body = crlf("--b", "Content-Type: application/sdp", "", OFFER);
        SipMessage m = invite("multipart/mixed;boundary=b", body);
        assertEquals(List.of(SipAnomaly.SIP_MULTIPART_MALFORMED),
                MultipartBody.of(m).orElseThrow().issues().stream().map(i -> i.anomaly()).toList());
        assertEquals(3, SdpBody.fromSip(m).orElseThrow().media().size());
        SipMessage noBoundary = invite("multipart/mixed", body);
        assertEquals(1, MultipartBody.of(noBoundary).orElseThrow().issues().size());
        assertTrue(SdpBody.fromSip(noBoundary).isEmpty());
    }

    @Test
    void messagesWithoutSdp() {
        assertTrue(SdpBody.fromSip(invite(null, "")).isEmpty(), "no body");
        assertTrue(SdpBody.fromSip(invite("application/pidf+xml", "<presence/>")).isEmpty(), "another body type");
        String text = crlf("--b", "Content-Type: text/plain", "", "no sdp here", "--b--", "");
        assertTrue(SdpBody.fromSip(invite("multipart/mixed;boundary=b", text)).isEmpty(), "multipart without an SDP part");
        assertEquals(3, SdpBody.fromSip(invite(null, OFFER)).orElseThrow().media().size(), "no Content-Type, body starts with v=");
    }

    @Test
    void malformedLinesAreNamedAndNothingIsPrinted() {
        String body = crlf("v=0", "o=bad", "s=-", "c=IN IP4", "t=0 0", "x=unknown", "garbage", "a=", "m=audio abc RTP/AVP 0",
                "m=audio 70000 RTP/AVP 0", "a=rtcp:99999", "m=video 5000 RTP/AVP", "c=IN IP4 10.0.0.1", "c=IN IP4 10.0.0.2",
                "o=- 1 1 IN IP4 1.2.3.4", "o=- 2 2 IN IP4 1.2.3.4", "");
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        SdpBody sdp;
        try (PrintStream trap = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(trap);
            System.setErr(trap);
            sdp = SdpBody.parse(bytes(body), 0, bytes(body).length);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8), "jain-sip's SDP parsers print stack traces on bad o=, m=, a=");
        List<String> found = sdp.issues().stream().map(i -> i.anomaly().name() + "@" + i.where().text()).toList();
        assertEquals(List.of(
                "SDP_LINE_INVALID@o=bad",
                "SDP_LINE_INVALID@c=IN IP4",
                "SDP_LINE_UNKNOWN@x=unknown",
                "SDP_LINE_INVALID@garbage",
                "SDP_LINE_INVALID@a=",
                "SDP_PORT_INVALID@abc",
                "SDP_PORT_INVALID@70000",
                "SDP_PORT_INVALID@99999",
                "SDP_LINE_INVALID@m=video 5000 RTP/AVP",
                "SDP_LINE_DUPLICATE@c=IN IP4 10.0.0.2",
                "SDP_LINE_DUPLICATE@o=- 2 2 IN IP4 1.2.3.4",
                "SDP_CONNECTION_MISSING@m=audio abc RTP/AVP 0",
                "SDP_CONNECTION_MISSING@m=audio 70000 RTP/AVP 0"), found);
        assertEquals(3, sdp.media().size(), "media lines are kept even when malformed");
        assertEquals("10.0.0.1", sdp.connectionOf(sdp.media().get(2)).address().text());
        assertEquals("1", sdp.origin().orElseThrow().sessionId().text());
    }

    @Test
    void neverThrowsAndNeverPrintsOnMutatedSdp() {
        byte[] base = bytes(OFFER);
        byte[] replacements = {'\r', '\n', ' ', '=', ':', '/', '[', 0, 'x', '9', '-'};
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int parsed = 0;
        try (PrintStream trap = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(trap);
            System.setErr(trap);
            // Several random changes at once, on a body with the forms jain-sip is touchy about.
            byte[] rich = bytes(crlf("v=0", "o=alice 2890844526 2890844527 IN IP6 [2001:db8::1]", "s=-",
                    "c=IN IP4 192.168.1.10/127", "t=0 0", "m=audio 49170 RTP/AVP 0 8 101", "a=rtcp:49175 IN IP6 2001:db8::5",
                    "m=video 51372/2 RTP/SAVPF 31", "b=AS:64", "e=x@y", "p=+1 234", ""));
            byte[] noise = "\r\n =:/[]\0x9-.@#\"<>;,\t".getBytes(StandardCharsets.ISO_8859_1);
            java.util.Random rnd = new java.util.Random(4566);
            for (int t = 0; t < 5000; t++) {
                byte[] b = rich.clone();
                for (int k = 1 + rnd.nextInt(3); k > 0; k--) b[rnd.nextInt(b.length)] = noise[rnd.nextInt(noise.length)];
                assertNotNull(SdpBody.parse(b, 0, b.length).fields());
            }
            for (int i = 0; i < base.length; i++) {
                assertNotNull(SdpBody.parse(base, 0, i).fields());
                for (byte r : replacements) {
                    byte[] b = base.clone();
                    b[i] = r;
                    SdpBody sdp = SdpBody.parse(b, 0, b.length);
                    assertNotNull(sdp.fields());
                    for (SdpMedia m : sdp.media()) sdp.connectionOf(m);
                    parsed++;
                }
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8));
        assertTrue(parsed > 3000);
    }

    @Test
    void versionMissingAndLongSessionIdKeptWhole() {
        String noV = crlf("o=- 1 1 IN IP4 1.2.3.4", "s=-", "c=IN IP4 1.2.3.4", "m=audio 4000 RTP/AVP 0", "");
        assertTrue(SdpBody.parse(bytes(noV), 0, noV.length()).has(SdpAnomaly.SDP_VERSION_MISSING));
        String longId = crlf("v=0", "o=- 12345678901234567890123 4 IN IP4 1.2.3.4", "s=-", "c=IN IP4 1.2.3.4", "t=0 0",
                "m=audio 4000 RTP/AVP 0", "");
        SdpBody sdp = SdpBody.parse(bytes(longId), 0, longId.length());
        assertEquals(List.of(), sdp.issues());
        assertEquals("12345678901234567890123", sdp.origin().orElseThrow().sessionId().text(),
                "jain-sip keeps only the last 18 digits; the scan keeps the text");
        String lf = "v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nc=IN IP4 1.2.3.4\nt=0 0\nm=audio 4000 RTP/AVP 0\n";
        SdpBody bare = SdpBody.parse(bytes(lf), 0, lf.length());
        assertEquals(List.of(), bare.issues());
        assertEquals(4000, bare.media().get(0).portNumber());
        assertFalse(bare.lines().get(0).text().endsWith("\r"));
    }
}
