package dev.natrecon.decode.sip;

import java.util.List;

/**
 * A name-addr or addr-spec with its header parameters: one From, To, Contact, Route or Record-Route value. A
 * wildcard Contact ({@code *}) has {@code wildcard} set and no URI. {@code header} indexes
 * {@link SipMessage#headers()}.
 */
public record SipAddress(int header, Span text, Span displayName, SipUri uri, boolean wildcard, List<SipParam> params) {
    public SipAddress {
        params = List.copyOf(params);
    }

    /** The value of header parameter {@code name} (case-insensitive) as written, or null. */
    public Span param(String name) {
        SipParam p = SipParam.find(params, name);
        return p == null ? null : p.value();
    }

    public Span tag() {
        return param("tag");
    }

    public Span expires() {
        return param("expires");
    }

    /** The expires parameter in seconds, or -1 when absent or not a number. */
    public long expiresSeconds() {
        return Grammar.deltaSeconds(expires());
    }

    public Span host() {
        return uri == null ? null : uri.host();
    }

    public int portNumber() {
        return uri == null ? -1 : uri.portNumber();
    }
}
