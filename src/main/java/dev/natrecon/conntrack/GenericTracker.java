package dev.natrecon.conntrack;

/**
 * The generic tracker, nf_conntrack_proto_generic.c: every protocol without a tracker in this model (the kernel
 * has its own for GRE, SCTP, DCCP and UDP-Lite) gets nf_conntrack_generic_timeout on every packet: no state, no
 * ASSURED.
 */
final class GenericTracker {
    private final Timeouts timeouts;
    private final ConntrackTable table;

    GenericTracker(Timeouts timeouts, ConntrackTable table) {
        this.timeouts = timeouts;
        this.table = table;
    }

    TrackStep packet(ConntrackEntry e, long t) {
        return table.refresh(e, t, timeouts.seconds(Timeouts.Key.GENERIC), Timeouts.Key.GENERIC);
    }
}
