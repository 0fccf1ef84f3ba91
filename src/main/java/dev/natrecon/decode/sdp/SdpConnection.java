package dev.natrecon.decode.sdp;

import dev.natrecon.decode.sip.Span;

/**
 * A c= line: {@code c=<nettype> <addrtype> <connection-address>}; {@code address} excludes a multicast
 * {@code /ttl/count} suffix, which is in {@code suffix} (null when absent).
 */
public record SdpConnection(Span line, Span netType, Span addressType, Span address, Span suffix) {
    public boolean isIp6() {
        return addressType != null && addressType.text().equalsIgnoreCase("IP6");
    }
}
