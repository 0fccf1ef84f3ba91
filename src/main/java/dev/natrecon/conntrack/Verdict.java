package dev.natrecon.conntrack;

/** What the model made of one packet. */
public enum Verdict {
    /** a new entry was created and confirmed */
    NEW,
    /** the packet belongs to an existing entry (either direction) */
    ESTABLISHED,
    /** accepted by the tracker without a state change or refresh (TCP "ignore") */
    IGNORED,
    /**
     * the kernel attaches no entry ({@code ct state invalid}): the tracker refused the packet, its tuple cannot be
     * inverted, an ICMP reply without an entry, or an ICMP error that matches no entry (no entry created, no refresh)
     */
    INVALID,
    /**
     * an ICMP/ICMPv6 error about a packet of an existing entry (ctinfo RELATED, or RELATED_REPLY when the quoted packet
     * travelled in the entry's original direction): no entry created, no refresh, no counters
     * (nf_conntrack_proto_icmp.c:nf_conntrack_inet_error)
     */
    RELATED,
    /**
     * the packet did not get through: the table was full and early drop freed nothing, routing dropped it (no route,
     * filtered: the captures showed it nowhere), masquerade found no address on the out-interface, or a masqueraded
     * entry's packet left through another interface (the entry is killed). A new flow gets no entry; an existing
     * entry was still refreshed, because conntrack runs in PREROUTING before routing (nf_conntrack_core.c:nf_conntrack_in)
     */
    DROPPED,
    /** the model cannot tell: an ICMP error quoting an ICMP packet whose type and id were not decoded */
    UNTRACKED
}
