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
    UNTRACKED
}
