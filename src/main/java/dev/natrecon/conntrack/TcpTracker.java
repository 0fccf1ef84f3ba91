package dev.natrecon.conntrack;

import java.util.Set;

/**
 * The TCP tracker's state machine, nf_conntrack_proto_tcp.c: the state table tcp_conntracks indexed by direction,
 * flag class (get_conntrack_index) and old state; tcp_new's check of a first packet; nf_conntrack_tcp_packet's
 * ignored and invalid transitions, RFC 1122 reopen, ASSURED, the kill of an entry whose only answer was a RST, and
 * the timeout choice. Sequence numbers go to {@link TcpWindowTracker} when the packets carry them.
 */
final class TcpTracker {
    /** tcp_conntracks' pseudo-states: sIV invalid, sIG ignore (after the ten states NONE … SYN_SENT2). */
    static final int IV = 10, IG = 11;
    private static final int SS = 1, SR = 2, ES = 3, FW = 4, CW = 5, LA = 6, TW = 7, CL = 8, S2 = 9;
    /** enum tcp_bit_set: the flag classes of get_conntrack_index. */
    static final int I_SYN = 0, I_SYNACK = 1, I_FIN = 2, I_ACK = 3, I_RST = 4, I_NONE = 5;
    /** TCP header flag bits (RFC 9293 §3.1). */
    static final int FIN = 0x01, SYN = 0x02, RST = 0x04, ACK = 0x10;
    /** tcp_conntracks[dir][flag class][old state] (reference §3.2); columns NONE … SYN_SENT2 */
    private static final int[][][] TCP_TABLE = {
            {
                    /* SYN     */ {SS, SS, IG, IG, IG, IG, IG, SS, SS, S2},
                    /* SYN/ACK */ {IV, IV, SR, IV, IV, IV, IV, IV, IV, SR},
                    /* FIN     */ {IV, IV, FW, FW, LA, LA, LA, TW, CL, IV},
                    /* ACK     */ {ES, IV, ES, ES, CW, CW, TW, TW, CL, IV},
                    /* RST     */ {IV, CL, CL, CL, CL, CL, CL, CL, CL, CL},
                    /* none    */ {IV, IV, IV, IV, IV, IV, IV, IV, IV, IV}},
            {
                    /* SYN     */ {IV, S2, IV, IV, IV, IV, IV, SS, IV, S2},
                    /* SYN/ACK */ {IV, SR, IG, IG, IG, IG, IG, IG, IG, SR},
                    /* FIN     */ {IV, IV, FW, FW, LA, LA, LA, TW, CL, IV},
                    /* ACK     */ {IV, IG, SR, ES, CW, CW, TW, TW, CL, IG},
                    /* RST     */ {IV, CL, CL, CL, CL, CL, CL, CL, CL, CL},
                    /* none    */ {IV, IV, IV, IV, IV, IV, IV, IV, IV, IV}}};
    private static final TcpState[] STATES = TcpState.values();

    private final Timeouts timeouts;
    private final ConntrackTable table;
    private final TcpWindowTracker window;

    TcpTracker(Timeouts timeouts, ConntrackTable table) {
        this.timeouts = timeouts;
        this.table = table;
        this.window = new TcpWindowTracker(timeouts, table);
    }

    /** get_conntrack_index: RST > SYN(+ACK) > FIN > ACK > none. */
    static int flagIndex(int flags) {
        if ((flags & RST) != 0) return I_RST;
        if ((flags & SYN) != 0) return (flags & ACK) != 0 ? I_SYNACK : I_SYN;
        if ((flags & FIN) != 0) return I_FIN;
        if ((flags & ACK) != 0) return I_ACK;
        return I_NONE;
    }

    /** tcp_new: a first packet may create an entry (SYN; a mid-stream ACK only with nf_conntrack_tcp_loose). */
    boolean creates(int tcpFlags) {
        int next = TCP_TABLE[0][flagIndex(tcpFlags)][TcpState.NONE.ordinal()];
        if (next == IV || next == IG) return false;
        return next != TcpState.ESTABLISHED.ordinal() || timeouts.tcpLoose();
    }

    /**
     * A new entry is window-tracked when its packets carry sequence numbers, unless a helper may rewrite it behind
     * NAT: the model does not know the sequence adjustment a helper's rewrites cause (nf_conntrack_seqadj.c), so
     * those entries are tracked by flags.
     */
    static void startWindowTracking(ConntrackEntry e, Arrival a) {
        if (a.tcpSequenceKnown && !(e.helper != null && e.has(Status.SRC_NAT | Status.DST_NAT))) {
            e.tcp.seen = new ConntrackEntry.TcpWindow[] {new ConntrackEntry.TcpWindow(), new ConntrackEntry.TcpWindow()};
        }
    }

    /** nf_conntrack_tcp_packet for one packet of {@code e} in direction {@code dir}. */
    TrackStep packet(ConntrackEntry e, int dir, long t, Arrival a, Set<Change> changes) {
        TcpState old = e.tcpState;
        int index = flagIndex(a.tcpFlags);
        int next = TCP_TABLE[dir][index][old.ordinal()];
        boolean tracked = e.tcp.seen != null && a.tcpSequenceKnown;
        if (tracked && old == TcpState.NONE) TcpWindowTracker.tcpNew(e, a, next == SS);
        if (next == SS && old.ordinal() >= TW) {
            // RFC 1122 reopen: after a FIN close or our own last RST, kill and look up again (NF_REPEAT)
            if (e.tcp.closeInit || (e.tcp.lastDir == dir && e.tcp.lastIndex == I_RST)) return TrackStep.REOPEN;
            next = IG;
        }
        if (next == IG && index == I_SYNACK && e.tcp.lastIndex == I_SYN && e.tcp.lastDir != dir && a.tcpSequenceKnown
                && a.tcpAck == e.tcp.lastEnd) {
            // case b): this SYN/ACK acknowledges the SYN ignored before it (a client reconnecting on the same ports
            // while the entry lived on): client and server are in sync, the firewall gets in sync from the SYN
            old = TcpState.SYN_SENT;
            next = SR;
            e.tcp.closeInit = false; // the seen[].flags are replaced, CLOSE_INIT with them
            if (e.tcp.seen != null) TcpWindowTracker.resync(e, dir);
        }
        if (next == IG) {
            e.tcp.lastDir = dir;
            e.tcp.lastIndex = index;
            if (a.tcpSequenceKnown) TcpWindowTracker.rememberIgnored(e, dir, index, a);
            return TrackStep.IGNORED; // accepted, no state change, no refresh
        }
        if (next == IV) return TrackStep.INVALID;
        if (tracked) {
            switch (window.inWindow(e, dir, index, a)) {
                case IGNORE -> {
                    return TrackStep.IGNORED; // accepted without any update (not even last_dir/last_index)
                }
                case INVALID -> {
                    window.handleInvalid(e, dir, index, t);
                    return TrackStep.INVALID;
                }
                default -> {
                }
            }
        }
        TcpState state = STATES[next];
        boolean retransmittedSyn = index == I_SYN && dir == 0 && e.tcp.lastDir == 0 && e.tcp.lastIndex == I_SYN
                && old == TcpState.SYN_SENT;
        e.tcp.lastDir = dir;
        e.tcp.lastIndex = index;
        e.tcpState = state;
        if (old != state && state == TcpState.FIN_WAIT) e.tcp.closeInit = true;
        Timeouts.Key timeout = timeout(e, state, index);
        if (old != state && old != TcpState.NONE) changes.add(Change.STATE);
        if (!e.has(Status.SEEN_REPLY)) {
            if (index == I_RST && old != TcpState.NONE) return TrackStep.KILL; // the only answer was a RST
            // "do not renew timeout on SYN retransmission": NF_ACCEPT before nf_ct_refresh_acct, so it is not counted
            // either (lab, leaked-private-source: three SYN retransmissions left packets=1 in conntrack -L)
            if (retransmittedSyn) return TrackStep.IGNORED;
            // mid-stream pickup without a reply: capped at the "unacknowledged" timeout
            long unack = timeouts.seconds(Timeouts.Key.TCP_UNACKNOWLEDGED);
            if (state == TcpState.ESTABLISHED && timeouts.seconds(timeout) > unack) timeout = Timeouts.Key.TCP_UNACKNOWLEDGED;
        } else if (!e.has(Status.ASSURED) && (old == TcpState.SYN_RECV || old == TcpState.ESTABLISHED)
                && state == TcpState.ESTABLISHED) {
            table.setStatus(e, Status.ASSURED);
            changes.add(Change.ASSURED);
        }
        table.refresh(e, t, timeouts.seconds(timeout), timeout);
        return TrackStep.ACCEPTED;
    }

    /**
     * nf_conntrack_tcp_packet's timeout choice: the state's value, capped at nf_conntrack_tcp_timeout_max_retrans once
     * nf_conntrack_tcp_max_retrans identical segments were retransmitted; the close timeout after a RST; capped at
     * nf_conntrack_tcp_timeout_unacknowledged while either side has data the other has not acknowledged; capped at
     * max_retrans again while the last window advertised was zero. The caps need window tracking (sequence numbers);
     * without it only the state and RST rules apply.
     */
    private Timeouts.Key timeout(ConntrackEntry e, TcpState state, int index) {
        Timeouts.Key stateSetting = Timeouts.tcpSetting(state);
        long stateTimeout = timeouts.seconds(stateSetting);
        long retrans = timeouts.seconds(Timeouts.Key.TCP_MAX_RETRANS);
        long unack = timeouts.seconds(Timeouts.Key.TCP_UNACKNOWLEDGED);
        boolean tracked = e.tcp.seen != null;
        if (tracked && e.tcp.retrans >= timeouts.seconds(Timeouts.Key.TCP_MAX_RETRANS_COUNT) && stateTimeout > retrans) {
            return Timeouts.Key.TCP_MAX_RETRANS;
        }
        if (index == I_RST) return Timeouts.Key.TCP_CLOSE;
        if (tracked && TcpWindowTracker.dataUnacknowledged(e) && stateTimeout > unack) return Timeouts.Key.TCP_UNACKNOWLEDGED;
        if (tracked && e.tcp.lastWin == 0 && stateTimeout > retrans) return Timeouts.Key.TCP_MAX_RETRANS;
        return stateSetting;
    }
}
