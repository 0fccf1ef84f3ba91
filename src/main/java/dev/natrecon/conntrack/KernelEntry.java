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

    /**
     * Who in userspace caused the event, as conntrack-tools prints it at the end of the line: {@code [USERSPACE]
     * portid=N progname=NAME} (libnetfilter_conntrack, from the netlink message's sender: an operator's
     * {@code conntrack -D} / {@code -F} deletion, or an entry inserted with {@code conntrack -I}).
     *
     * @param portid   the netlink port id of the sender, -1 when not printed
     * @param progname the sending program's name ("conntrack"), or null when not printed
     */
    public record Userspace(long portid, String progname) {
        /** The ending as conntrack-tools prints it, without a leading space. */
        public String text() {
            return "[USERSPACE]" + (portid >= 0 ? " portid=" + portid : "") + (progname != null ? " progname=" + progname : "");
        }
    }

    /** The userspace sender of this event ({@code [USERSPACE] portid=… progname=…}), or null: the kernel's own event. */
    public Userspace userspace() {
        if (!has("USERSPACE")) return null;
        String port = attributes.get("portid");
        long portid = -1;
        if (port != null) {
            try {
                portid = Long.parseLong(port);
            } catch (NumberFormatException e) {
                portid = -1;
            }
        }
        return new Userspace(portid, attributes.get("progname"));
    }

    /** A DESTROY that a userspace program asked for ({@code conntrack -D} or {@code -F}): an operator's deletion. */
    public boolean deletedByUserspace() {
        return "DESTROY".equals(event) && has("USERSPACE");
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
