package dev.natrecon.decode.sdp;

import dev.natrecon.decode.sip.Span;

/** The o= line: {@code o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>}. */
public record SdpOrigin(Span line, Span username, Span sessionId, Span sessionVersion, Span netType, Span addressType,
        Span address) {
}
