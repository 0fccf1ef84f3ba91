package dev.natrecon.decode.sip;

import java.util.List;

/**
 * A UDP payload on a SIP port split into what it carries: normally one item; several when one datagram carries
 * several messages (each delimited by its Content-Length). {@code issues} are about the datagram as a whole
 * ({@link SipAnomaly#SIP_MULTIPLE_MESSAGES}, {@link SipAnomaly#SIP_TRAILING_DATA}).
 */
public record SipDatagram(List<SipParse> items, List<SipIssue> issues) {
    public SipDatagram {
        items = List.copyOf(items);
        issues = List.copyOf(issues);
    }

    /** The messages among the items. */
    public List<SipMessage> messages() {
        return items.stream().map(SipParse::messageOrNull).filter(java.util.Objects::nonNull).toList();
    }
}
