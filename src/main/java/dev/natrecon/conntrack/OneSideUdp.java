package dev.natrecon.conntrack;

/**
 * The UDP state and timeout policy of {@code nf_conntrack_proto_udp.c} (udp_packet()) for a table built from one
 * capture's packets alone ({@code engine.OneSideTable}), where no NAT, helper or router model applies: a new entry
 * is CONFIRMED and [UNREPLIED] with {@code nf_conntrack_udp_timeout}; the first packet of the reply direction sets
 * SEEN_REPLY (same timeout); once replied, a packet at least 2 s (plus a jiffy) after the first sets ASSURED and the
 * timeout becomes {@code nf_conntrack_udp_timeout_stream} (Linux 5.0 and later; before, at once). The same rules as
 * the model's {@link UdpTracker}, without its table.
 */
public final class OneSideUdp {
    /** nf_conntrack_proto_udp.c: stream_ts = the first packet's jiffies + 2 * HZ (Linux 5.0 and later). */
    static final long STREAM_DELAY_NANOS = 2 * ConntrackTable.SECOND;

    private OneSideUdp() {
    }

    /** A new entry's status; its timeout goes to {@code timeoutNanos[0]}. */
    public static int created(long t, Timeouts timeouts, long[] timeoutNanos) {
        timeoutNanos[0] = timeouts.nanos(Timeouts.Key.UDP);
        return Status.CONFIRMED;
    }

    /**
     * The status after a packet at {@code t} ({@code original}: in the entry's original direction) of an entry whose
     * first packet came at {@code firstNanos}; the timeout it sets goes to {@code timeoutNanos[0]}.
     */
    public static int packet(int status, long firstNanos, long t, boolean original, Timeouts timeouts,
                             long[] timeoutNanos) {
        if ((status & Status.SEEN_REPLY) == 0) {
            timeoutNanos[0] = timeouts.nanos(Timeouts.Key.UDP);
            return original ? status : status | Status.SEEN_REPLY;
        }
        boolean stream = !timeouts.udpTwoSecondRule() || t - firstNanos >= STREAM_DELAY_NANOS + timeouts.jiffyNanos();
        timeoutNanos[0] = timeouts.nanos(stream ? Timeouts.Key.UDP_STREAM : Timeouts.Key.UDP);
        return stream ? status | Status.ASSURED : status;
    }
}
