package dev.natrecon.alg.sip;

/**
 * How a router treated SIP, for one message, one direction or a whole case (see {@link SipRewriteClassifier} for the
 * rules).
 */
public enum AlgClass {
    /** Payloads untouched although they carry addresses the NAT translates: private addresses left on the WAN. */
    NO_ALG("no_alg"),
    /** The rewrite a Linux nf_nat_sip would make (byte for byte when a prediction is given). */
    LINUX_LIKE("linux_like"),
    /** A coherent rewrite that is not Linux's: rewrites Contact but not Via, picks other ports, rewrites Call-ID… */
    OTHER_CONSISTENT("other_consistent"),
    /** An inconsistent or damaging rewrite. */
    BROKEN("broken"),
    /**
     * Nothing to judge: the message carried no address the router translates (or its flow was not translated at all)
     * and was left untouched, which every kind of router would do. Ignored when messages are aggregated.
     */
    NEUTRAL("neutral");

    private final String label;

    AlgClass(String label) {
        this.label = label;
    }

    /** The lower-case label used in CSV and JSON. */
    public String label() {
        return label;
    }
}
