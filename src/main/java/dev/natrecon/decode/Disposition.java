package dev.natrecon.decode;

/** The one fate every frame ends in, counted per capture. */
public enum Disposition {
    /** An IP packet (or a reassembled datagram completed by this frame) decoded up to its transport header. */
    DECODED("decoded"),
    /** An IP fragment, held for reassembly; the datagram is decoded in the frame that completes it. */
    FRAGMENT("fragment"),
    /** Link control with no IP inside: PPPoE discovery, PPP LCP/IPCP/authentication. */
    LINK_CONTROL("link_control"),
    /** A valid frame of a protocol other than IP (ARP, LLDP, STP, netlink…): skipped. */
    NOT_IP("not_ip"),
    /** Damaged beyond reading its IP header: skipped, with a named anomaly. */
    MALFORMED("malformed"),
    /** A link-layer type the decoder does not know: skipped. */
    UNSUPPORTED_LINK("unsupported_link");

    private final String label;

    Disposition(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
