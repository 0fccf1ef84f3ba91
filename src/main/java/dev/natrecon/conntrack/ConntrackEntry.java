package dev.natrecon.conntrack;

/**
 * One live entry of the model's table. Mutable, owned by {@link ConntrackModel}; read it freely, change it only
 * through the model. Events carry {@link EntryView} snapshots instead.
 */
public final class ConntrackEntry {
    final long id;
    final ConntrackTuple original;
    ConntrackTuple reply;
    int status;
    TcpState tcpState = TcpState.NONE;
    /** absolute model time (ns) at which the entry is dead (nf_ct_is_expired: deadline - now ≤ 0) */
    long deadlineNanos;
    final long firstNanos;
    String helper;
    FrameRef lastFrame;
    /**
     * the last packet through this entry whose copy the other capture shows too (the entry's NAT seen at work), and
     * when it arrived; MIN_VALUE / null before one
     */
    long observedNanos = Long.MIN_VALUE;
    FrameRef observedFrame;
    /** the counters and deadline right after that packet: what the entry was if it died just after it */
    long observedOrigPackets, observedOrigBytes, observedReplyPackets, observedReplyBytes, observedDeadline;
    int observedStatus;
    ConntrackEvent.NatPort natPort;
    /** the out-interface of a masqueraded entry (struct nf_conn_nat.masq_index), else null */
    String masqInterface;
    /**
     * status changes made by packets that were dropped after conntrack ran: the kernel caches them on the entry and
     * delivers them with the next packet that passes confirm (nf_conntrack_core.h:nf_conntrack_confirm delivers
     * cached events only on NF_ACCEPT)
     */
    java.util.EnumSet<Change> pending;
    long origPackets, origBytes, replyPackets, replyBytes;
    /** The TCP tracker's memory: null for other protocols (most entries of a SIP and RTP case are UDP). */
    final TcpMemory tcp;
    long timerSeq;
    /** in the table (between insert and remove): the per-packet check that a timer or refresh still concerns it */
    boolean inTable;
    /** the entry whose expectation created this one (ct->master), or null */
    ConntrackEntry master;
    /** expectations this entry announced, newest first (help->expectations); null until the first */
    java.util.List<Expectation> expecting;
    /** its helper's own memory (struct nf_ct_sip_master and the like), or null */
    Object helperData;
    long timerKeyNanos = Long.MAX_VALUE;
    /** The deadline this entry was last queued at as an early-drop candidate ({@link EarlyDropQueue}). */
    long dropKeyNanos = Long.MAX_VALUE;
    /** the timeout the last refresh set, in seconds, and the setting it came from (null: none named), -1 before one */
    long timeoutSeconds = -1;
    /**
     * UDP: the first packet at which the kernel may already have found the stream (at least 2 s after the first
     * packet, less than 2 s + 1 jiffy: the tick phase decides, which the captures do not show); MIN_VALUE before one.
     */
    long streamPossibleNanos = Long.MIN_VALUE;
    Timeouts.Key timeoutSetting;

    /** struct ip_ct_tcp, the parts the model uses. */
    static final class TcpMemory {
        int lastDir = -1;
        int lastIndex = -1;
        boolean closeInit;
        /** struct ip_ct_tcp seen[ORIGINAL], seen[REPLY]: window tracking, null when the model tracks this entry by flags */
        TcpWindow[] seen;
        /** struct ip_ct_tcp last_seq/last_ack/last_end/last_win and the retransmission count */
        int lastSeq, lastAck, lastEnd, lastWin, retrans;
        /** struct ip_ct_tcp last_wscale/last_flags: the options of the last SYN ignored in the original direction */
        int lastWscale, lastFlags;
    }

    /** struct ip_ct_tcp_state: one direction's edges (u32 sequence numbers kept in ints), window scale and flags. */
    static final class TcpWindow {
        int end, maxEnd, maxWin, maxAck, scale, flags;
    }

    long timerKey() {
        return timerKeyNanos;
    }

    ConntrackEntry(long id, ConntrackTuple original, ConntrackTuple reply, long firstNanos, FrameRef frame) {
        this.id = id;
        this.original = original;
        this.reply = reply;
        this.firstNanos = firstNanos;
        this.lastFrame = frame;
        this.tcp = original.protocol() == ConntrackTuple.TCP ? new TcpMemory() : null;
    }

    /**
     * Caches status changes of a packet dropped after conntrack ran (made on the first: most entries never hold any).
     */
    void addPending(java.util.Set<Change> changes) {
        if (changes.isEmpty()) return;
        if (pending == null) pending = java.util.EnumSet.noneOf(Change.class);
        pending.addAll(changes);
    }

    /** The cached status changes, now delivered (null when none), and none left cached. */
    java.util.EnumSet<Change> takePending() {
        java.util.EnumSet<Change> p = pending == null || pending.isEmpty() ? null : pending;
        pending = null;
        return p;
    }

    public long id() {
        return id;
    }

    /**
     * When the last packet through this entry arrived whose copy the other capture shows too (the captures saw the
     * entry's translation at work then), or {@link Long#MIN_VALUE} when none did.
     */
    public long observedNanos() {
        return observedNanos;
    }

    /** The captures saw this packet's copy too: the entry's state right after it is kept ({@link #rewindToObserved}). */
    void observed(long t, FrameRef frame) {
        observedNanos = t;
        observedFrame = frame;
        observedOrigPackets = origPackets;
        observedOrigBytes = origBytes;
        observedReplyPackets = replyPackets;
        observedReplyBytes = replyBytes;
        observedDeadline = deadlineNanos;
        observedStatus = status;
    }

    /**
     * An entry inferred dead right after {@link #observedNanos()}: the packets the model gave it after that (none of
     * them seen leaving) found no entry in the kernel, so its counters, deadline and status bits (once out of the
     * table, whose counts follow the bits) go back to what they were then.
     */
    void rewindToObserved() {
        if (observedNanos == Long.MIN_VALUE) return;
        origPackets = observedOrigPackets;
        origBytes = observedOrigBytes;
        replyPackets = observedReplyPackets;
        replyBytes = observedReplyBytes;
        deadlineNanos = observedDeadline;
        if (!inTable) status = observedStatus;
    }

    /** The frame of {@link #observedNanos()}, or null. */
    public FrameRef observedFrame() {
        return observedFrame;
    }

    public ConntrackTuple original() {
        return original;
    }

    public ConntrackTuple reply() {
        return reply;
    }

    public int status() {
        return status;
    }

    public boolean has(int bit) {
        return (status & bit) != 0;
    }

    /** TCP state, or null for other protocols. */
    public TcpState tcpState() {
        return original.protocol() == ConntrackTuple.TCP ? tcpState : null;
    }

    public long deadlineNanos() {
        return deadlineNanos;
    }

    /**
     * The timeout in force: what the last refresh of the entry set, in seconds from that refresh (the tracker's
     * per-state value, or its helper's), -1 before the first.
     */
    public long timeoutInForce() {
        return timeoutSeconds;
    }

    /**
     * The setting {@link #timeoutInForce()} came from (udp_timeout, udp_timeout_stream, a tcp_timeout_*, the ICMP or
     * generic timeout, or sip_timeout when the SIP helper set it), or null (none yet, or a helper that names none).
     */
    public Timeouts.Key timeoutSetting() {
        return timeoutSetting;
    }

    /** Time of the first packet (the UDP 2-second rule counts from here: nf_conn.proto.udp.stream_ts - 2 s). */
    public long firstNanos() {
        return firstNanos;
    }

    public String helper() {
        return helper;
    }

    /** The entry whose expectation created this one, or null. */
    public ConntrackEntry master() {
        return master;
    }

    /** How many expectations this entry holds (the kernel's use count is one more than this, shown as use=). */
    public int expectations() {
        return expecting == null ? 0 : expecting.size();
    }

    /** This entry's expectations, newest first (help->expectations); read-only. */
    public java.util.List<Expectation> expecting() {
        return expecting == null ? java.util.List.of() : java.util.Collections.unmodifiableList(expecting);
    }

    public ConntrackEvent.NatPort natPort() {
        return natPort;
    }

    /** The interface a masqueraded entry was translated on (flushed when it goes down or loses that address). */
    public String masqInterface() {
        return masqInterface;
    }

    public FrameRef lastFrame() {
        return lastFrame;
    }

    /** A snapshot with the seconds left at {@code nowNanos} (-1 to print none). */
    public EntryView view(long nowNanos, boolean withTimeout, boolean accounting, boolean timestamp) {
        long left = withTimeout ? secondsLeft(nowNanos) : -1; // as EntryView.Latest#set
        return new EntryView(id, original, reply, status, tcpState() == null ? null : tcpState.name(), left, helper,
                accounting ? origPackets : -1, accounting ? origBytes : -1, accounting ? replyPackets : -1,
                accounting ? replyBytes : -1, timestamp ? deltaSeconds(nowNanos) : -1);
    }

    /** Whole seconds left at {@code nowNanos} (floor, at least 0), as conntrack -L prints the timeout. */
    public long secondsLeft(long nowNanos) {
        return Math.max(0, Math.floorDiv(deadlineNanos - nowNanos, 1_000_000_000L));
    }

    /**
     * delta-time as conntrack-tools prints it: both ends truncated to whole seconds first, then subtracted
     * (libnetfilter_conntrack's __snprintf_timestamp_delta); the end of an expired entry is its deadline
     * (nf_conntrack_core.c:nf_ct_delete moves tstamp->stop back by the overdue time).
     */
    long deltaSeconds(long endNanos) {
        return Math.floorDiv(endNanos, 1_000_000_000L) - Math.floorDiv(firstNanos, 1_000_000_000L);
    }

    @Override
    public String toString() {
        return "#" + id + " " + original + " / " + reply + " " + Status.names(status)
                + (tcpState() == null ? "" : " " + tcpState);
    }
}
