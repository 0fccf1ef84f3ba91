package dev.natrecon.conntrack;

import java.util.List;
import java.util.Map;

/**
 * One conntrack line from a real kernel: an event of {@code conntrack -E} (with {@link #event} set) or an entry of
 * {@code conntrack -L} / {@code /proc/net/nf_conntrack} ({@link #event} null).
 *
 * @param timestampNanos  the event time printed by {@code -o timestamp} (conntrack-tools' reception time), or -1
 * @param event           "NEW", "UPDATE", "DESTROY", or null for a listing
 * @param l3              "ipv4"/"ipv6" when printed (extended output and /proc), else null
 * @param protocol        "udp", "tcp", "icmp"… and its number
 * @param timeoutSeconds  seconds left, or -1 when not printed (DESTROY events)
 * @param state           TCP (or SCTP/DCCP) state such as ESTABLISHED, or null
 * @param flags           bracketed flags in order: UNREPLIED, ASSURED, OFFLOAD…
 * @param attributes      every other key=value (mark, zone, use, helper, id, delta-time…), in order
 */
public record KernelEntry(long timestampNanos, String event, String l3, String protocol, int protocolNumber,
                          long timeoutSeconds, String state, KernelTuple original, KernelTuple reply, List<String> flags,
                          Map<String, String> attributes) {
    public String helper() {
        return attributes.get("helper");
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }

    /** The entry as the model's {@link EntryView} (id 0), so kernel lines and model events print and compare alike. */
    public EntryView view() {
        int status = Status.CONFIRMED;
        if (!has("UNREPLIED")) status |= Status.SEEN_REPLY;
        if (has("ASSURED")) status |= Status.ASSURED;
        String delta = attributes.get("delta-time");
        return new EntryView(0, original.tuple(protocolNumber), reply.tuple(protocolNumber), status, state,
                timeoutSeconds, helper(), original.packets(), original.bytes(), reply.packets(), reply.bytes(),
                delta == null ? -1 : Long.parseLong(delta));
    }
}
