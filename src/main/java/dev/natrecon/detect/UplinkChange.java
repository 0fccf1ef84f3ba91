package dev.natrecon.detect;

/**
 * A change of the router's uplink as the model applied it: from the case settings or {@code --link-change}, from the
 * WAN capture's link-control messages (PPPoE, LCP, IPCP, DHCP), or inferred when translations moved to a new address.
 *
 * @param nanos   when (corrected capture time)
 * @param kind    what changed
 * @param address the address added or removed ("203.0.113.2", with or without prefix), null for DOWN/UP
 * @param source  where the model learnt it ("case settings", "DHCP ACK at wan frame 12", "inferred at wan frame 7")
 */
public record UplinkChange(long nanos, Kind kind, String address, String source) {
    public enum Kind {
        DOWN, UP, ADDRESS_REMOVED, ADDRESS_ADDED;

        public String text() {
            return switch (this) {
                case DOWN -> "WAN link went down";
                case UP -> "WAN link came up";
                case ADDRESS_REMOVED -> "WAN address removed";
                case ADDRESS_ADDED -> "WAN address added";
            };
        }
    }

    /** The address without its prefix length, or null. */
    public String bareAddress() {
        return address == null ? null : address.contains("/") ? address.substring(0, address.indexOf('/')) : address;
    }

    /** "WAN address 203.0.113.2 removed". */
    public String what() {
        return switch (kind) {
            case DOWN -> "WAN link down";
            case UP -> "WAN link up";
            case ADDRESS_REMOVED -> "WAN address " + bareAddress() + " removed";
            case ADDRESS_ADDED -> "WAN address " + bareAddress() + " added";
        };
    }

    /** "WAN address removed 203.0.113.2 (case settings)". */
    public String text() {
        return kind.text() + (address == null ? "" : " " + bareAddress()) + " (" + source + ")";
    }
}
