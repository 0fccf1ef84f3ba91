package dev.natrecon.detect;

import dev.natrecon.correlate.Crossing;
import dev.natrecon.correlate.Inside;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.sdp.SdpBody;
import dev.natrecon.decode.sdp.SdpConnection;
import dev.natrecon.decode.sdp.SdpDirection;
import dev.natrecon.decode.sdp.SdpMedia;
import dev.natrecon.decode.sip.SipAddress;
import dev.natrecon.decode.sip.SipMessage;
import dev.natrecon.decode.sip.SipParser;
import dev.natrecon.decode.sip.SipVia;
import dev.natrecon.decode.sip.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the SIP detectors read from one copy of a SIP message (one {@link Seen} with its payload), parsed once through
 * {@code decode.sip} / {@code decode.sdp}: the dialog keys, the top Via, the Contacts and the SDP's media endpoints.
 * Nothing of the payload is kept.
 *
 * @param outbound   true when the message crossed the router from the LAN to the WAN (its sender is inside)
 * @param cseqMethod the CSeq method (the request's own method for a request)
 * @param fromAor    From URI as {@code user@host} (no parameters), or empty
 * @param contacts   every Contact URI's host and port (port -1 when absent)
 * @param media      the SDP's m= lines with their connection address (media-level c=, else session c=); empty when the
 *                   message carries no SDP
 * @param viaMapped  the source the far side saw, as the top Via's {@code received=} (else its sent-by host) and
 *                   {@code rport=} value (port -1 when no value): what RFC 3581 servers write; null when the top Via
 *                   carries neither a received nor an rport value
 * @param toAor      To URI as {@code user@host}, or empty
 */
record SipFacts(Side side, long frame, long nanos, boolean outbound, boolean request, String method, int status,
                String callId, String cseqMethod, String fromAor, Host via, boolean viaRport, boolean viaReceived,
                List<Host> contacts, boolean hasSdp, List<Media> media, Host source, Host viaMapped, String toAor) {

    /**
     * A host (literal address or name) and port as written; {@code hi/lo} valid when {@code literal}; {@code inside}
     * when it is a literal address inside the router (the case's {@code --inside}, else the private ranges and shared
     * space); {@code leaksOnWan} when, seen on the WAN, it is an inside address that should have been translated
     * ({@link Inside#leaksOnWan}: without {@code --inside}, private addresses only).
     */
    record Host(String host, int port, boolean literal, long hi, long lo, boolean inside, boolean leaksOnWan) {
        static Host of(String host, int port, Inside inside) {
            long[] a = new long[2];
            boolean lit = Addresses.parse(host, a);
            return new Host(host == null ? "" : host, port, lit, a[0], a[1], lit && inside.contains(a[0], a[1]),
                    lit && inside.leaksOnWan(a[0], a[1]));
        }

        boolean isInside() {
            return inside;
        }

        /** A literal unspecified address (0.0.0.0, ::): an SDP that advertises no address (RFC 3264 8.4 hold). */
        boolean unspecified() {
            return literal && (hi == 0 && (lo == 0 || lo == Addresses.V4_MAPPED_PREFIX));
        }

        boolean sameAddress(long h, long l) {
            return literal && hi == h && lo == l;
        }

        String text() {
            return port < 0 ? host : (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * One m= line: type, port (0: disabled), the connection address that applies to it, its direction, its codecs in
     * format order ({@link SdpCodecs}) and its a=ptime (0: none).
     */
    record Media(String type, Host endpoint, String field, SdpDirection direction, List<String> codecs, int ptime) {
    }

    /**
     * One frame's facts, kept for the next detector that asks about the same frame (the detectors see each frame in
     * turn), so a SIP message is parsed once per frame, not once per detector.
     */
    static final class Memo {
        private final Inside inside;
        private Seen seen;
        private long sequence = -1;
        private SipFacts facts;

        /** {@code inside}: what is behind the router, for the inside-ness of the addresses a message carries. */
        Memo(Inside inside) {
            this.inside = inside;
        }

        /** What is behind the router, as this memo reads the addresses a message carries. */
        Inside inside() {
            return inside;
        }

        SipFacts of(Crossing c) {
            Seen s = c.seen();
            if (s != seen || s.sequence != sequence) {
                seen = s;
                sequence = s.sequence;
                facts = SipFacts.of(c, inside);
            }
            return facts;
        }
    }

    /** The SIP message the frame carries, or null when its payload is none or does not parse as one. */
    static SipFacts of(Crossing crossing, Inside inside) {
        Seen s = crossing.seen();
        if (s.payload == null || s.captureLabel != null || s.payload.length == 0) return null;
        SipMessage m;
        try {
            // parsed where the frame was filled (Seen#parseSip), else now: the same result either way
            if (s.sipFailed) return null;
            m = (s.sip != null ? s.sip : SipParser.parse(s.payload, 0, s.payload.length)).messageOrNull();
        } catch (RuntimeException e) {
            return null;
        }
        if (m == null || m.callId().isEmpty()) return null;
        boolean outbound = crossing.outbound();
        String cseqMethod = m.cseq().map(c -> c.methodName()).orElse(m.isRequest() ? m.method() : "");
        String from = m.from().map(a -> aor(a)).orElse("");
        SipVia top = m.topVia().orElse(null);
        Host via = top == null ? null : Host.of(top.hostAddress(), top.portNumber() < 0 ? 5060 : top.portNumber(), inside);
        List<Host> contacts = new ArrayList<>();
        for (SipAddress c : m.contacts()) {
            if (c.wildcard() || c.uri() == null || c.uri().host() == null) continue;
            contacts.add(Host.of(c.uri().hostAddress(), c.portNumber(), inside));
        }
        List<Media> media = new ArrayList<>();
        boolean hasSdp = false;
        try {
            SdpBody sdp = SdpBody.fromSip(m).orElse(null);
            if (sdp != null) {
                hasSdp = true;
                for (SdpMedia md : sdp.media()) {
                    SdpConnection c = sdp.connectionOf(md);
                    String addr = c == null || c.address() == null ? "" : c.address().text();
                    int slash = addr.indexOf('/');
                    if (slash >= 0) addr = addr.substring(0, slash);
                    media.add(new Media(md.typeText(), Host.of(addr, Math.max(md.portNumber(), 0), inside),
                            md.connection() != null ? "media[" + md.index() + "].connection" : "connection",
                            sdp.directionOf(md), SdpCodecs.of(md), SdpCodecs.ptime(md)));
                }
            }
        } catch (RuntimeException e) {
            hasSdp = false;
        }
        Host source = Host.of(Addresses.format(s.srcHi, s.srcLo), s.hasPorts ? s.srcPort : -1, inside);
        Host mapped = null;
        if (top != null && (top.received() != null || top.rportNumber() > 0)) {
            mapped = Host.of(top.received() != null ? top.received().text() : top.hostAddress(), top.rportNumber(),
                    inside);
        }
        return new SipFacts(s.side, s.frame, s.nanos, outbound, m.isRequest(), m.isRequest() ? m.method() : "",
                m.isResponse() ? m.statusCode() : 0, m.callId().get().text(), cseqMethod, from, via,
                top != null && top.hasRport(), top != null && top.received() != null, List.copyOf(contacts), hasSdp,
                List.copyOf(media), source, mapped, m.to().map(a -> aor(a)).orElse(""));
    }

    private static String aor(SipAddress a) {
        if (a.uri() == null || a.uri().host() == null) return a.text().text();
        Span user = a.uri().user();
        return (user == null ? "" : user.text() + "@") + a.uri().host().text();
    }

    /** "INVITE" or "200 INVITE", for messages in findings. */
    String what() {
        return request ? method : status + " " + cseqMethod.toUpperCase(Locale.ROOT);
    }

    /**
     * The Call-ID of a SIP payload by a plain scan of its header lines ({@code Call-ID:} or the compact {@code i:}), or
     * null: cheap enough for every SIP packet, where a full parse is not needed.
     */
    static String callId(byte[] p) {
        int n = p.length, i = 0;
        while (i < n) {
            int end = i;
            while (end < n && p[end] != '\n') end++;
            int lineEnd = end > i && p[end - 1] == '\r' ? end - 1 : end;
            if (lineEnd == i && i > 0) return null; // end of the headers
            int colon = -1;
            for (int k = i; k < lineEnd; k++) {
                if (p[k] == ':') {
                    colon = k;
                    break;
                }
            }
            if (colon > i) {
                String name = new String(p, i, colon - i, java.nio.charset.StandardCharsets.ISO_8859_1).trim();
                if (name.equalsIgnoreCase("call-id") || name.equalsIgnoreCase("i")) {
                    String v = new String(p, colon + 1, lineEnd - colon - 1, java.nio.charset.StandardCharsets.ISO_8859_1)
                            .trim();
                    return v.isEmpty() ? null : v;
                }
            }
            i = end + 1;
        }
        return null;
    }
}
