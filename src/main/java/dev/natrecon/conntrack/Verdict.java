package dev.natrecon.conntrack;

/** What the model made of one packet. */
public enum Verdict {
    /** a new entry was created and confirmed */
    NEW,
    /** the packet belongs to an existing entry (either direction) */
    ESTABLISHED,
    /** accepted by the tracker without a state change or refresh (TCP "ignore") */
    IGNORED,
    /** the tracker found the packet invalid (no entry created, no refresh) */
    INVALID,
    /** the protocol does not create entries for this packet (an ICMP error or reply without an entry) */
    UNTRACKED,
    /**
     * the packet did not get through: routing dropped it (no route, filtered: the captures showed it nowhere),
     * masquerade found no address on the out-interface, or a masqueraded entry's packet left through another
     * interface (the entry is killed). A new flow gets no entry; an existing entry was still refreshed, because
     * conntrack runs in PREROUTING before routing (nf_conntrack_core.c:nf_conntrack_in)
     */
    DROPPED
}
