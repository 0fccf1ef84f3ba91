package dev.natrecon.decode.sdp;

import dev.natrecon.decode.sip.Span;

/** An {@code a=<name>[:<value>]} line; {@code value} is null for a property attribute such as {@code a=sendonly}. */
public record SdpAttribute(Span line, Span name, Span value) {
    public String nameText() {
        return name.text();
    }
}
