package dev.natrecon.conntrack;

/**
 * Kinds of {@link ConntrackEvent.Diverged}: where the captures contradict what Linux would have done. The ids are
 * stable (reports and detectors key on them).
 */
public enum Divergence {
    /**
     * The WAN showed another source port than Linux would have taken: the original port was free (or a live mapping
     * of the same source would have been reused) — nf_nat_core.c:get_unique_tuple has no random choice there.
     */
    SOURCE_PORT("nat.source_port"),
    /**
     * The translated source address is not the one the rules give: another external address than the SNAT target or
     * the out-interface's address (masquerade), a translation where no rule applies, or none where one does.
     */
    SOURCE_ADDRESS("nat.source_address"),
    /** The destination was translated otherwise than the DNAT rules say (or translated without a rule). */
    DESTINATION("nat.destination"),
    /**
     * After the model's deadline the flow was still translated with the expired entry's mapping while Linux would
     * have chosen another for the new entry: the router's entry lived longer than the model's timeout.
     */
    EXPIRED_MAPPING_USED("nat.expired_mapping_used"),
    /**
     * The captures show the packet forwarded although Linux drops it: masquerade on an interface without address
     * ("ate my IP address"), a masqueraded entry leaving through another interface (nf_nat_oif_changed).
     */
    FORWARDED_BUT_DROPPED("route.forwarded_but_dropped"),
    /**
     * A packet from the WAN to the router's own address, with no entry and no DNAT rule, was forwarded to the LAN
     * (Linux would have delivered it to the router itself): the router still had an entry the model did not.
     */
    INBOUND_WITHOUT_ENTRY("nat.inbound_without_entry"),
    /**
     * The model's helper dropped the packet (nf_conntrack_sip / nf_nat_sip returned NF_DROP: an expectation it could
     * not add, a rewrite it could not make) while the captures show it forwarded: the router's helper state (its
     * expectations, its history) was not the model's. The model still drops it; no finding says the router did.
     */
    HELPER_DROP_FORWARDED("helper.forwarded_but_dropped");

    private final String id;

    Divergence(String id) {
        this.id = id;
    }

    /** Stable dotted id, e.g. "nat.source_port". */
    public String id() {
        return id;
    }
}
