package dev.natrecon.alg.sip;

/**
 * What the router did to one address field ({@link AddressField}) of a message: {@code before} and {@code after} are
 * the field's {@code host[:port]} in the router's input and output copies ("" when absent on that side).
 */
public record FieldOutcome(String key, AddressField.AddressRole role, String before, String after, Kind kind) {
    public enum Kind {
        /** Not an address the packet's translation concerns, and left alone. */
        UNTOUCHED,
        /** An address the packet's translation concerns, left as it was. */
        NOT_REWRITTEN,
        /** Rewritten to the packet's own translation (address and, where it applies, port). */
        MAPPED,
        /** Rewritten to the translated address with another port than the packet's. */
        OTHER_PORT,
        /** Rewritten to another of the router's (outbound) or the phones' (inbound) addresses. */
        OTHER_ADDRESS,
        /** Rewritten to an address that is neither. */
        WRONG_ADDRESS,
        /** Not an address the translation concerns, yet rewritten. */
        FOREIGN_REWRITTEN,
        /** SDP o= or session c= set to the media address the router wrote (as Linux does). */
        SET_TO_MEDIA,
        /** SDP media port of a translated media address, kept. */
        PORT_KEPT,
        /** SDP media port of a translated media address, changed. */
        PORT_MOVED,
        /** Present before the router, absent after. */
        REMOVED,
        /** Absent before the router, present after. */
        ADDED
    }

    /** True for the kinds that mean the router rewrote a field the translation concerns. */
    public boolean rewritten() {
        return switch (kind) {
            case MAPPED, OTHER_PORT, OTHER_ADDRESS, WRONG_ADDRESS, PORT_MOVED -> true;
            default -> false;
        };
    }

    @Override
    public String toString() {
        return key + " " + kind + " " + before + "->" + after;
    }
}
