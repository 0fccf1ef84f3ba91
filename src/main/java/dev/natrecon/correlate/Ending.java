package dev.natrecon.correlate;

import dev.natrecon.conntrack.ConntrackEvent;

/**
 * How one lifetime of a binding ended ({@link Binding#ending()}): from the router model's event on the lifetime's
 * entry, or from the captures when a later matched pair shows another translation for the same internal and remote
 * endpoints.
 */
public enum Ending {
    /** The entry's timeout ran out (the model's {@link ConntrackEvent.EntryExpired}: conntrack's DESTROY by gc). */
    EXPIRED("expired"),
    /**
     * Masquerade deleted it because its interface went down or lost the address
     * (nf_nat_masquerade.c:masq_device_event / masq_inet_event).
     */
    FLUSHED("flushed"),
    /**
     * Deleted before its deadline for another reason the model names (a SYN reopening a closed TCP connection, a RST,
     * early drop, a packet leaving through another interface than its masquerade's): {@link Binding#endDetail()}.
     */
    KILLED("killed"),
    /**
     * The captures showed another translation for the same endpoints while the model held no end for it: the lifetime
     * ended at the latest when the first packet of the next one crossed.
     */
    REPLACED("replaced"),
    /** Still alive when the captures end (the model ages its table to the captures' end). */
    ALIVE("alive");

    private final String label;

    Ending(String label) {
        this.label = label;
    }

    /** The word in mappings.csv and summary.json. */
    public String label() {
        return label;
    }

    /**
     * The ending a model event gives, or null for an event that ends no entry. A kill is {@link #FLUSHED} when the
     * model names masquerade's device or address notifier (the reasons {@code MasqueradeEvents} gives), otherwise
     * {@link #KILLED}.
     */
    public static Ending of(ConntrackEvent e) {
        if (e instanceof ConntrackEvent.EntryExpired) return EXPIRED;
        if (e instanceof ConntrackEvent.EntryKilled k) {
            String r = k.reason();
            return r != null && (r.contains("masq_device_event") || r.contains("masq_inet_event")) ? FLUSHED : KILLED;
        }
        return null;
    }
}
