package dev.natrecon.alg.sip;

/**
 * The findings of the SIP rewrite analysis, each with a stable dotted id for detectors and reports and the
 * {@link Effect} it has on a message's class. Message-level unless marked as case-level.
 */
public enum AlgFindingType {
    /** The WAN copy carries a private address (RFC 1918 etc., or a phone's LAN address) in an address field. */
    PRIVATE_ADDRESS_ON_WAN("alg.private_address_on_wan", Effect.EVIDENCE,
            "a private address is left in an address field of the WAN copy (Via, Contact, SDP…)"),
    /** An inbound message still carries the router's external address after the router. */
    EXTERNAL_ADDRESS_ON_LAN("alg.external_address_on_lan", Effect.EVIDENCE,
            "the router's external address was not mapped back in an inbound message"),
    CONTACT_NOT_REWRITTEN("alg.contact_not_rewritten", Effect.BROKEN,
            "other fields were rewritten but a Contact still carries the untranslated address"),
    SDP_CONNECTION_NOT_REWRITTEN("alg.sdp_connection_not_rewritten", Effect.BROKEN,
            "the message was rewritten but an SDP c= still carries the untranslated address"),
    SDP_RTCP_NOT_REWRITTEN("alg.sdp_rtcp_not_rewritten", Effect.BROKEN,
            "the message was rewritten but an a=rtcp address still carries the untranslated address"),
    VIA_NOT_REWRITTEN("alg.via_not_rewritten", Effect.OTHER,
            "the message was rewritten but a Via sent-by still carries the untranslated address"),
    VIA_PARAM_NOT_REWRITTEN("alg.via_param_not_rewritten", Effect.OTHER,
            "a Via received=, rport= or maddr= still carries the untranslated address or port"),
    REQUEST_URI_NOT_REWRITTEN("alg.request_uri_not_rewritten", Effect.OTHER,
            "the message was rewritten but the Request-URI still carries the untranslated address"),
    FROM_TO_NOT_REWRITTEN("alg.from_to_not_rewritten", Effect.OTHER,
            "the message was rewritten but From or To still carries the untranslated address"),
    SDP_ORIGIN_NOT_REWRITTEN("alg.sdp_origin_not_rewritten", Effect.OTHER,
            "the SDP was rewritten but o= still carries the untranslated address"),
    OTHER_ADDRESS("alg.other_address", Effect.OTHER,
            "an address was rewritten to another of the router's (or phone's) addresses than the packet's own translation"),
    OTHER_PORT("alg.other_port", Effect.OTHER,
            "a SIP header port was rewritten to another port than the packet's own translation"),
    SDP_PORT_MOVED("alg.sdp_port_moved", Effect.INFO,
            "an SDP media port was rewritten to another port that has a binding"),
    SDP_PORT_WITHOUT_BINDING("alg.sdp_port_without_binding", Effect.BROKEN,
            "an SDP media port was rewritten to a port the captures show no binding for"),
    SDP_PORT_FOREIGN_BINDING("alg.sdp_port_foreign_binding", Effect.BROKEN,
            "an SDP media port was rewritten to a port that is bound to another internal endpoint"),
    WRONG_ADDRESS_WRITTEN("alg.wrong_address_written", Effect.BROKEN,
            "an address the router translates was rewritten to an address that is neither the translation nor the router's"),
    FOREIGN_ADDRESS_REWRITTEN("alg.foreign_address_rewritten", Effect.BROKEN,
            "an address that the packet's translation does not concern (not the phone's) was rewritten"),
    EXTRA_FIELD_REWRITTEN("alg.extra_field_rewritten", Effect.OTHER,
            "a non-address field (Call-ID, a header Linux leaves alone) was rewritten by substituting the translation"),
    UNEXPLAINED_CHANGE("alg.unexplained_change", Effect.BROKEN,
            "a field changed in a way no address translation explains (removed, reworded, corrupted)"),
    CONTENT_LENGTH_WRONG("alg.content_length_wrong", Effect.BROKEN,
            "Content-Length does not match the body after the router (not updated after a body change, or wrong)"),
    MANGLED("alg.mangled", Effect.BROKEN,
            "the router's output does not parse (or gained parse errors) although its input did"),
    INPUT_UNPARSABLE("alg.input_unparsable", Effect.INFO,
            "the router's input does not parse as SIP: nothing to judge"),
    UNTRANSLATED_FLOW("alg.untranslated_flow", Effect.INFO,
            "the packet was not translated (a null binding): no ALG rewrites anything on it"),
    NOT_LINUX("alg.not_linux", Effect.OTHER,
            "without the model's prediction: fields where the rewrite departs from what the Linux helper writes "
                    + "(or why it drops the message)"),
    DIFFERS_FROM_PREDICTION("alg.differs_from_prediction", Effect.OTHER,
            "the output differs from the predicted (Linux model) output in these fields"),
    /** Case-level. */
    ONE_DIRECTION_ONLY("alg.one_direction_only", Effect.BROKEN,
            "the router rewrites in one direction but leaves the other direction's messages untranslated"),
    /** Case-level. */
    INCONSISTENT_ACROSS_MESSAGES("alg.inconsistent_across_messages", Effect.BROKEN,
            "on one flow and direction some messages are rewritten and others that need it are not"),
    /** Case-level. */
    SOME_FLOWS_UNTOUCHED("alg.some_flows_untouched", Effect.INFO,
            "the router rewrites SIP on some flows but leaves other translated flows untouched (e.g. a helper bound to one port)");

    /** What a finding does to the class of the message (or case) it is about. */
    public enum Effect {
        /** Makes it {@link AlgClass#BROKEN}. */
        BROKEN,
        /** A rewrite that departs from Linux: a rewritten message becomes {@link AlgClass#OTHER_CONSISTENT}. */
        OTHER,
        /** What an untouched message shows (no ALG): no effect by itself. */
        EVIDENCE,
        /** Context only. */
        INFO
    }

    private final String id;
    private final Effect effect;
    private final String description;

    AlgFindingType(String id, Effect effect, String description) {
        this.id = id;
        this.effect = effect;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public Effect effect() {
        return effect;
    }

    public String description() {
        return description;
    }

    /** The type with this id, or null. */
    public static AlgFindingType byId(String id) {
        for (AlgFindingType t : values()) if (t.id.equals(id)) return t;
        return null;
    }
}
