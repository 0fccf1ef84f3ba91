package dev.natrecon.conntrack;

/**
 * What a protocol tracker's packet function told the core (the {@code ->packet()} return values of
 * nf_conntrack_l4proto, plus the two ways a TCP packet ends its entry).
 */
enum TrackStep {
    /** NF_ACCEPT after nf_ct_refresh_acct: counted and refreshed. */
    ACCEPTED,
    /** NF_ACCEPT before nf_ct_refresh_acct: neither counted nor refreshed. */
    IGNORED,
    /** -NF_ACCEPT: the packet is invalid for this entry. */
    INVALID,
    /** nf_ct_kill_acct: counted, then the entry is deleted (a RST was the only answer). */
    KILL,
    /** -NF_REPEAT after nf_ct_kill: a SYN reopens a closed connection with a new entry. */
    REOPEN
}
