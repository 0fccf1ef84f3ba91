package dev.natrecon.detect;

/**
 * A change of the router's uplink as the model applied it: from the case settings or {@code --link-change}, from the
 * WAN capture's link-control messages (PPPoE, LCP, IPCP, DHCP), or inferred when translations moved to a new address.
 *
 * @param nanos   when (corrected capture time)
 * @param kind    what changed
 * @param address the address added or removed ("203.0.113.2", with or without prefix), null for DOWN/UP
 * @param source  where the model learnt it ("case settings", "DHCP ACK at wan frame 12", "inferred at wan frame 7")
 * @param inferred for a change the captures prove but do not show: the window in which it happened and the frames it
 *                 rests on ({@code nanos} is then the window's start); null when a message or the settings gave it
 */
public record UplinkChange(long nanos, Kind kind, String address, String source,
                           dev.natrecon.conntrack.Inferred inferred) {
    /** A change given by the settings or a link-control message (not inferred). */
    public UplinkChange(long nanos, Kind kind, String address, String source) {
        this(nanos, kind, address, source, null);
    }

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

    /** Whether the captures prove it without showing it (see {@link #inferred}). */
    public boolean isInferred() {
        return inferred != null;
    }
}
