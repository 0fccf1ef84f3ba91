package dev.natrecon.decode.sip;

import dev.natrecon.capture.Anomaly;

/**
 * What can be wrong with a SIP message. The first four make a message {@link SipParse.Rejected} when they hit the
 * start line or a header the SIP stack cannot do without (Via, From, To, Call-ID, CSeq, Content-Length, the same set
 * jain-sip's transaction layer rejects a message for); everywhere else they are issues attached to a message that
 * was still parsed.
 */
public enum SipAnomaly implements Anomaly {
    SIP_START_LINE_INVALID("sip.start_line_invalid", "the request or status line does not parse (jain-sip or SIP/2.0 and status-code checks)"),
    SIP_HEADER_INVALID("sip.header_invalid", "a header value does not follow its grammar (jain-sip rejected it, or a port, expires or Call-ID check failed)"),
    SIP_HEADER_LINE_MALFORMED("sip.header_line_malformed", "a line in the header block has no colon or no valid header name, or continues nothing"),
    SIP_TRUNCATED("sip.truncated", "the header block does not end with an empty line: the message was cut"),
    SIP_CONTENT_LENGTH_MISMATCH("sip.content_length_mismatch", "Content-Length differs from the number of body bytes present"),
    SIP_HEADER_MISSING("sip.header_missing", "Via, From, To, Call-ID or CSeq is missing"),
    SIP_HEADER_DUPLICATE("sip.header_duplicate", "a single-valued header (Call-ID, CSeq, From, To, Content-Length, Content-Type, Expires, Max-Forwards) appears more than once; the first is used"),
    SIP_CSEQ_METHOD_MISMATCH("sip.cseq_method_mismatch", "a request's CSeq method differs from its request method"),
    SIP_BARE_LF("sip.bare_lf_line_ending", "lines end with LF alone instead of CRLF (accepted, like the Linux helper does)"),
    SIP_PARSER_DISAGREEMENT("sip.parser_disagreement", "natrecon's offset scan and jain-sip read a field differently; the raw text is kept"),
    SIP_MULTIPLE_MESSAGES("sip.multiple_messages_in_datagram", "one datagram carries more than one SIP message"),
    SIP_TRAILING_DATA("sip.trailing_data", "bytes after the last message of a datagram are neither a message nor CR/LF"),
    SIP_TOO_MANY_HEADERS("sip.too_many_headers", "a message has more than 256 headers (the bound, SipParser.MAX_HEADERS); the header lines after them were not parsed"),
    SIP_MULTIPART_MALFORMED("sip.multipart_malformed", "a multipart body has no boundary parameter, no delimiter line or no closing delimiter");

    @Override
    public boolean bound() {
        return this == SIP_TOO_MANY_HEADERS;
    }

    private final String id;
    private final String description;

    SipAnomaly(String id, String description) {
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
