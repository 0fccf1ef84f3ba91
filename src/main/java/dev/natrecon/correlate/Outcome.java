package dev.natrecon.correlate;

/** What happened to a packet between the two capture points. */
public enum Outcome {
    /** Its counterpart was found and the router changed addresses or ports. */
    TRANSLATED("forwarded_translated"),
    /** Its counterpart was found with the same addresses and ports. */
    UNCHANGED("forwarded_unchanged"),
    /** Seen on the WAN with a private source address that is not the router's own (matched or not). */
    LEAKED("leaked_private_source"),
    /** No counterpart although the other capture was running: dropped or filtered by the router (or not for it). */
    NO_COUNTERPART("no_counterpart"),
    /**
     * Seen twice on the same side, the second copy one hop later (same packet, TTL one lower, within
     * {@link PacketMatcher#ROUTED_BACK_NANOS}): the router sent it back out of the interface it came in on (a route
     * through the LAN while the WAN was down). The first copy is the arrival, the second the departure.
     */
    ROUTED_BACK("routed_back"),
    /** No counterpart, but the other capture had not started or had already stopped. */
    OUTSIDE_SPAN("outside_other_capture"),
    /** Not for forwarding: broadcast, multicast, between two private addresses on the LAN, or ICMP the router sent itself. */
    LOCAL("local"),
    /** Not an IP packet, or not a whole one (fragment, link control, malformed): the disposition says which. */
    NOT_MATCHED("not_matchable");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
