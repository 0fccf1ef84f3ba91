package dev.natrecon.decode.sdp;

import dev.natrecon.decode.sip.Span;
import java.util.List;

/**
 * One media description: the m= line ({@code m=<media> <port>[/<count>] <proto> <fmt> ...}) and what belongs to it —
 * its own c= (null when it uses the session's, see {@link SdpBody#connectionOf}), {@code a=rtcp}, the direction
 * attribute it declares (null when none, see {@link SdpBody#directionOf}) and all its attributes.
 */
public record SdpMedia(int index, Span line, Span type, Span port, Span portCount, Span proto, List<Span> formats,
        SdpConnection connection, SdpRtcp rtcp, SdpDirection direction, List<SdpAttribute> attributes) {
    public SdpMedia {
        formats = List.copyOf(formats);
        attributes = List.copyOf(attributes);
    }

    /** The port, or -1 when not a valid port. */
    public int portNumber() {
        return SdpBody.portValue(port);
    }

    /** The number of ports ({@code /count}), 1 when absent. */
    public int portCountNumber() {
        if (portCount == null) return 1;
        int n = SdpBody.portValue(portCount);
        return n < 0 ? 1 : n;
    }

    public String typeText() {
        return type.text();
    }

    public List<String> formatTexts() {
        return formats.stream().map(Span::text).toList();
    }
}
