package dev.natrecon.alg.sip;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Hand-made SIP messages and pairs for the rewrite analysis tests, in the lab's addressing: phone 192.168.1.10 behind a
 * router masquerading to 203.0.113.2, provider 203.0.113.5. {@link Invite} builds an INVITE with SDP whose every
 * address field can be set; Content-Length is computed unless given.
 */
final class Msgs {
    static final String PHONE = "192.168.1.10", ROUTER = "203.0.113.2", PROVIDER = "203.0.113.5";
    static final String PHONE_EP = PHONE + ":5060", ROUTER_EP = ROUTER + ":5060", PROVIDER_EP = PROVIDER + ":5060";

    private Msgs() {
    }

    /** Start line and header lines (LF-separated, no Content-Length), a body: CRLF message with Content-Length. */
    static String sip(String head, String body) {
        return sip(head, body, body.getBytes(StandardCharsets.UTF_8).length);
    }

    static String sip(String head, String body, int contentLength) {
        return head.strip().replace("\n", "\r\n") + "\r\nContent-Length: " + contentLength + "\r\n\r\n" + body;
    }

    static String sdp(String origin, String connection, int port) {
        return ("v=0\no=1001 1 1 IN IP4 " + origin + "\ns=-\nc=IN IP4 " + connection + "\nt=0 0\nm=audio " + port
                + " RTP/AVP 0\na=rtpmap:0 PCMU/8000\n").replace("\n", "\r\n");
    }

    /** An INVITE with SDP, every address field settable. */
    static final class Invite {
        String requestUri = "sip:2002@" + PROVIDER + ":5060";
        String via = PHONE_EP;
        String viaParams = ";branch=z9hG4bK-1;rport";
        String from = "sip:1001@" + PROVIDER;
        String to = "sip:2002@" + PROVIDER;
        String callId = "call-1@" + PHONE;
        String contact = PHONE_EP;
        String userAgent = "test-phone";
        String origin = PHONE;
        String connection = PHONE;
        int port = 40000;
        String extraSdp = "";
        String extraHeaders = "";
        Integer contentLength;

        String head() {
            return "INVITE " + requestUri + " SIP/2.0\nVia: SIP/2.0/UDP " + via + viaParams + "\nMax-Forwards: 70\nFrom: <"
                    + from + ">;tag=a\nTo: <" + to + ">\nCall-ID: " + callId + "\nCSeq: 1 INVITE\nContact: <sip:1001@" + contact
                    + ">\nUser-Agent: " + userAgent + extraHeaders + "\nContent-Type: application/sdp";
        }

        String body() {
            return sdp(origin, connection, port) + extraSdp.replace("\n", "\r\n");
        }

        String text() {
            return contentLength == null ? sip(head(), body()) : sip(head(), body(), contentLength);
        }

        /** What Linux nf_nat_sip makes of the default INVITE: Via, Contact, o=, c= to the router, Content-Length redone. */
        static Invite linux() {
            Invite i = new Invite();
            i.via = ROUTER_EP;
            i.contact = ROUTER_EP;
            i.origin = ROUTER;
            i.connection = ROUTER;
            return i;
        }
    }

    static SipObservation obs(CapturePoint c, long frame, long nanos, String src, String dst, String text) {
        return new SipObservation(c, List.of(frame), nanos, SipObservation.Transport.UDP, Endpoint.parse(src),
                Endpoint.parse(dst), text.getBytes(StandardCharsets.UTF_8));
    }

    /** An outbound pair: phone → provider on the LAN, router → provider on the WAN, frame 3 on both sides. */
    static SipMessagePair out(String lan, String wan) {
        return new SipMessagePair(obs(CapturePoint.LAN, 3, 1_000_000_000L, PHONE_EP, PROVIDER_EP, lan),
                obs(CapturePoint.WAN, 3, 1_000_050_000L, ROUTER_EP, PROVIDER_EP, wan), Direction.OUTBOUND);
    }

    /** An inbound pair: provider → router on the WAN, provider → phone on the LAN, frame 4 on both sides. */
    static SipMessagePair in(String wan, String lan) {
        return new SipMessagePair(obs(CapturePoint.LAN, 4, 2_000_050_000L, PROVIDER_EP, PHONE_EP, lan),
                obs(CapturePoint.WAN, 4, 2_000_000_000L, PROVIDER_EP, ROUTER_EP, wan), Direction.INBOUND);
    }

    /** A 200 OK to the INVITE with the provider's SDP; {@code via} is its top Via sent-by (and params). */
    static String ok(String via) {
        return sip("SIP/2.0 200 OK\nVia: SIP/2.0/UDP " + via + "\nFrom: <sip:1001@" + PROVIDER + ">;tag=a\nTo: <sip:2002@"
                + PROVIDER + ">;tag=b\nCall-ID: call-1@" + PHONE + "\nCSeq: 1 INVITE\nContact: <sip:2002@" + PROVIDER_EP
                + ">\nContent-Type: application/sdp", sdp(PROVIDER, PROVIDER, 30000));
    }

    /** The change of the field {@code name} in {@code d}, if it changed. */
    static java.util.Optional<FieldChange> change(SipRewriteDiff d, String name) {
        return d.changes().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
