package dev.natrecon.decode.sdp;

import dev.natrecon.decode.sip.Span;

/** An RFC 3605 {@code a=rtcp:<port> [<nettype> <addrtype> <address>]} attribute; the address parts may be null. */
public record SdpRtcp(Span line, Span port, Span netType, Span addressType, Span address) {
    /** The port, or -1 when not a valid port. */
    public int portNumber() {
        return SdpBody.portValue(port);
    }
}
