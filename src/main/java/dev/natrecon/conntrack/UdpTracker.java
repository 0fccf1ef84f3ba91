package dev.natrecon.conntrack;

import java.util.Set;

/**
 * The UDP tracker, nf_conntrack_proto_udp.c:nf_conntrack_udp_packet: nf_conntrack_udp_timeout until the entry has
 * seen a reply, then nf_conntrack_udp_timeout_stream and ASSURED once the stream rule allows it.
 */
final class UdpTracker {
    /** nf_conntrack_proto_udp.c: stream_ts = the first packet's jiffies + 2 * HZ (since Linux 5.0). */
    private static final long STREAM_DELAY_NANOS = 2 * ConntrackTable.SECOND;

    private final Timeouts timeouts;
    private final ConntrackTable table;

    UdpTracker(Timeouts timeouts, ConntrackTable table) {
        this.timeouts = timeouts;
        this.table = table;
    }

    /** One packet of {@code e} at {@code t}; ASSURED goes to {@code changes} when this packet set it. */
    TrackStep packet(ConntrackEntry e, long t, Set<Change> changes) {
        if (!e.has(Status.SEEN_REPLY)) return table.refresh(e, t, timeouts.seconds(Timeouts.Key.UDP), Timeouts.Key.UDP);
        Timeouts.Key setting = Timeouts.Key.UDP;
        boolean stream = false;
        // since 5.0: stream only once time_after(jiffies, stream_ts), stream_ts = first packet's jiffies + 2 s: in
        // ticks that is at least 2 s + 1 jiffy later (lab, wan-address-change-snat: a packet 2.000726 s after the
        // first did not assure the entry; expect-churn: one 2.003138 s after did, at CONFIG_HZ=250): from 2 s on the
        // kernel may already have set it, depending on where the ticks fall; the event carries that earliest instant
        if (timeouts.udpTwoSecondRule() && !e.has(Status.ASSURED) && e.streamPossibleNanos == Long.MIN_VALUE
                && t - e.firstNanos >= STREAM_DELAY_NANOS) {
            e.streamPossibleNanos = t;
        }
        // (before 5.0: at once)
        if (!timeouts.udpTwoSecondRule() || t - e.firstNanos >= STREAM_DELAY_NANOS + timeouts.jiffyNanos()) {
            setting = Timeouts.Key.UDP_STREAM;
            stream = !e.has(Status.ASSURED);
        }
        table.refresh(e, t, timeouts.seconds(setting), setting);
        if (stream) {
            table.setStatus(e, Status.ASSURED);
            changes.add(Change.ASSURED);
        }
        return TrackStep.ACCEPTED;
    }
}
