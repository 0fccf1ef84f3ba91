package dev.natrecon.alg.sip;

import dev.natrecon.decode.sdp.SdpBody;
import dev.natrecon.decode.sdp.SdpConnection;
import dev.natrecon.decode.sdp.SdpMedia;
import dev.natrecon.decode.sip.SipAddress;
import dev.natrecon.decode.sip.SipMessage;
import dev.natrecon.decode.sip.SipUri;
import dev.natrecon.decode.sip.SipVia;
import dev.natrecon.decode.sip.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A field of a SIP message or its SDP that carries an address, a port or both, as the rewrite analysis judges it.
 * {@code key} names it ({@code contact[0]}, {@code via[0].received}, {@code sdp.media[0]}…); {@code hostField} and
 * {@code portField} are the {@link SipRewriteDiff} field names of its parts (null when it has none); {@code host}
 * is normalised ({@link Endpoint#normalize}), {@code port} is the explicit port or -1, {@code defaultPort} the port
 * an absent one means (5060 for SIP URIs and Via, as the Linux helper assumes; -1 elsewhere). For a port-only field
 * ({@code via[i].rport}, {@code sdp.media[i]}, an a=rtcp without address) {@code host} is the address the port goes
 * with (the Via's received or sent-by host; the media's c= address) and {@code hostField} is null.
 */
public record AddressField(String key, AddressRole role, String hostField, String portField, String host, int port,
        int defaultPort) {
    public AddressField {
        host = Endpoint.normalize(host);
    }

    /** What the field is. */
    public enum AddressRole {
        REQUEST_URI, VIA, VIA_RECEIVED, VIA_RPORT, VIA_MADDR, FROM, TO, CONTACT, ROUTE, RECORD_ROUTE,
        SDP_ORIGIN, SDP_CONNECTION, SDP_MEDIA_CONNECTION, SDP_MEDIA_PORT, SDP_RTCP;

        public boolean sdp() {
            return ordinal() >= SDP_ORIGIN.ordinal();
        }
    }

    /** The port in effect: the explicit one, else the default, else -1. */
    public int effectivePort() {
        return port >= 0 ? port : defaultPort;
    }

    public boolean hostIsIp() {
        return Endpoint.isIp(host);
    }

    /** True when this field has an address part of its own (the rest only pair a port with an address). */
    public boolean ownsHost() {
        return hostField != null;
    }

    public Endpoint endpoint() {
        return new Endpoint(host, effectivePort());
    }

    /** {@code host[:port]} as the field says it (the port only when the field has one). */
    public String render() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        if (portField == null) return h;
        return port < 0 ? h : h + ":" + port;
    }

    /** The diff field names of this field's parts. */
    public List<String> partNames() {
        List<String> out = new ArrayList<>(2);
        if (hostField != null) out.add(hostField);
        if (portField != null) out.add(portField);
        return out;
    }

    /** Every address field of a parsed copy, by key, in message order (SIP, then SDP). Empty if it does not parse. */
    public static Map<String, AddressField> of(SipCopy copy) {
        Map<String, AddressField> out = new LinkedHashMap<>();
        SipMessage m = copy.message();
        if (m == null) return out;
        if (m.isRequest()) uri(out, "request-uri", AddressRole.REQUEST_URI, m.requestUri());
        for (int i = 0; i < m.vias().size(); i++) {
            SipVia v = m.vias().get(i);
            String k = "via[" + i + "]";
            if (v.host() != null) {
                out.put(k, new AddressField(k, AddressRole.VIA, k + ".host", k + ".port", v.hostAddress(), v.portNumber(),
                        5060));
            }
            Span received = v.received();
            if (received != null) {
                out.put(k + ".received", new AddressField(k + ".received", AddressRole.VIA_RECEIVED, k + ".received", null,
                        received.text(), -1, -1));
            }
            if (v.rportNumber() >= 0) {
                String with = received != null ? received.text() : v.hostAddress();
                out.put(k + ".rport", new AddressField(k + ".rport", AddressRole.VIA_RPORT, null, k + ".rport",
                        with == null ? "" : with, v.rportNumber(), -1));
            }
            Span maddr = v.maddr();
            if (maddr != null) {
                out.put(k + ".maddr", new AddressField(k + ".maddr", AddressRole.VIA_MADDR, k + ".maddr", null, maddr.text(),
                        -1, -1));
            }
        }
        m.from().ifPresent(a -> address(out, "from", AddressRole.FROM, a));
        m.to().ifPresent(a -> address(out, "to", AddressRole.TO, a));
        for (int i = 0; i < m.contacts().size(); i++) address(out, "contact[" + i + "]", AddressRole.CONTACT, m.contacts().get(i));
        for (int i = 0; i < m.recordRoutes().size(); i++) {
            address(out, "record-route[" + i + "]", AddressRole.RECORD_ROUTE, m.recordRoutes().get(i));
        }
        for (int i = 0; i < m.routes().size(); i++) address(out, "route[" + i + "]", AddressRole.ROUTE, m.routes().get(i));
        SdpBody sdp = copy.sdp();
        if (sdp == null) return out;
        sdp.origin().ifPresent(o -> out.put("sdp.origin", new AddressField("sdp.origin", AddressRole.SDP_ORIGIN,
                "sdp.origin.address", null, o.address().text(), -1, -1)));
        sdp.connection().filter(c -> c.address() != null).ifPresent(c -> out.put("sdp.connection", new AddressField(
                "sdp.connection", AddressRole.SDP_CONNECTION, "sdp.connection.address", null, c.address().text(), -1, -1)));
        for (SdpMedia md : sdp.media()) {
            String k = "sdp.media[" + md.index() + "]";
            if (md.connection() != null && md.connection().address() != null) {
                out.put(k + ".connection", new AddressField(k + ".connection", AddressRole.SDP_MEDIA_CONNECTION,
                        k + ".connection.address", null, md.connection().address().text(), -1, -1));
            }
            SdpConnection c = sdp.connectionOf(md);
            String host = c == null || c.address() == null ? "" : c.address().text();
            if (md.portNumber() >= 0) {
                out.put(k, new AddressField(k, AddressRole.SDP_MEDIA_PORT, null, k + ".port", host, md.portNumber(), -1));
            }
            if (md.rtcp() != null && md.rtcp().portNumber() >= 0) {
                boolean own = md.rtcp().address() != null;
                out.put(k + ".rtcp", new AddressField(k + ".rtcp", AddressRole.SDP_RTCP, own ? k + ".rtcp.address" : null,
                        k + ".rtcp.port", own ? md.rtcp().address().text() : host, md.rtcp().portNumber(), -1));
            }
        }
        return out;
    }

    private static void uri(Map<String, AddressField> out, String k, AddressRole role, SipUri u) {
        if (u == null || !u.isSip() || u.host() == null) return;
        out.put(k, new AddressField(k, role, k + ".host", k + ".port", u.hostAddress(), u.portNumber(), 5060));
    }

    private static void address(Map<String, AddressField> out, String k, AddressRole role, SipAddress a) {
        if (a.wildcard()) return;
        uri(out, k, role, a.uri());
    }
}
