package dev.natrecon.decode.sdp;

import dev.natrecon.capture.Anomaly;

/** What can be wrong with an SDP body; all are issues on a body that is still parsed as far as it goes. */
public enum SdpAnomaly implements Anomaly {
    SDP_LINE_INVALID("sdp.line_invalid", "a line is not <type>=<value>, or its value does not follow the grammar (jain-sip or natrecon's check)"),
    SDP_LINE_UNKNOWN("sdp.line_unknown", "a line's type letter is not one RFC 4566 defines; it is ignored"),
    SDP_LINE_DUPLICATE("sdp.line_duplicate", "a line that may appear once per level (v=, o=, c=) appears again; the first is used"),
    SDP_VERSION_MISSING("sdp.version_missing", "the body does not start with a v= line (the Linux helper then ignores the SDP)"),
    SDP_ORIGIN_MISSING("sdp.origin_missing", "there is no o= line"),
    SDP_CONNECTION_MISSING("sdp.connection_missing", "a media line with a non-zero port has no c= at media or session level"),
    SDP_PORT_INVALID("sdp.port_invalid", "an m= or a=rtcp port is not a number from 0 to 65535"),
    SDP_TOO_MANY_MEDIA("sdp.too_many_media", "a body has more than 64 media descriptions (the bound, SdpBody.MAX_MEDIA); the m= sections after them were ignored"),
    SDP_PARSER_DISAGREEMENT("sdp.parser_disagreement", "natrecon's line scan and jain-sip read a field differently; the raw text is kept");

    @Override
    public boolean bound() {
        return this == SDP_TOO_MANY_MEDIA;
    }

    private final String id;
    private final String description;

    SdpAnomaly(String id, String description) {
        this.id = id;
        this.description = description;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return description;
    }
}
