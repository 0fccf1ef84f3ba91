package dev.natrecon.conntrack;

import static dev.natrecon.conntrack.TcpTracker.ACK;
import static dev.natrecon.conntrack.TcpTracker.FIN;
import static dev.natrecon.conntrack.TcpTracker.I_ACK;
import static dev.natrecon.conntrack.TcpTracker.I_FIN;
import static dev.natrecon.conntrack.TcpTracker.I_RST;
import static dev.natrecon.conntrack.TcpTracker.RST;
import static dev.natrecon.conntrack.TcpTracker.SYN;

/**
 * TCP window tracking, nf_conntrack_proto_tcp.c: tcp_new's first side, tcp_options, tcp_init_sender, tcp_in_window
 * (without NAT sequence adjustment) and nf_tcp_handle_invalid, on the two {@link ConntrackEntry.TcpWindow}s of an
 * entry whose packets carry sequence numbers.
 */
final class TcpWindowTracker {
    /** struct ip_ct_tcp_state flags (include/uapi/linux/netfilter/nf_conntrack_tcp.h) */
    static final int TCP_WINDOW_SCALE = 0x01, TCP_SACK_PERM = 0x02, TCP_BE_LIBERAL = 0x08,
            TCP_DATA_UNACKNOWLEDGED = 0x10, TCP_MAXACK_SET = 0x20;
    /** MAXACKWINCONST: the lower bound for valid ACKs reaches at least this far back */
    private static final int MAX_ACK_WIN_CONST = 66000;
    /** nf_tcp_handle_invalid: only an entry with at least this much time left is shortened (120 * HZ) */
    private static final long HANDLE_INVALID_MIN_LEFT = 120 * ConntrackTable.SECOND;

    /** tcp_in_window's answer: in window, ignore (accept without update), or invalid. */
    enum Window {
        ACCEPT, IGNORE, INVALID
    }

    private final Timeouts timeouts;
    private final ConntrackTable table;

    TcpWindowTracker(Timeouts timeouts, ConntrackTable table) {
        this.timeouts = timeouts;
        this.table = table;
    }

    private static boolean before(int a, int b) {
        return a - b < 0;
    }

    private static boolean after(int a, int b) {
        return b - a < 0;
    }

    /** segment_seq_plus_len: the sequence number after this segment (SYN and FIN count one each). */
    private static int segmentEnd(Arrival a) {
        return a.tcpSeq + a.tcpDataLength + ((a.tcpFlags & SYN) != 0 ? 1 : 0) + ((a.tcpFlags & FIN) != 0 ? 1 : 0);
    }

    /** Either side has data the other has not acknowledged. */
    static boolean dataUnacknowledged(ConntrackEntry e) {
        return ((e.tcp.seen[0].flags | e.tcp.seen[1].flags) & TCP_DATA_UNACKNOWLEDGED) != 0;
    }

    /**
     * An ignored segment (sIG) still sets last_seq, last_end and last_win (nf_conntrack_tcp_packet); an ignored SYN in
     * the original direction also its window scale and SACK-permitted options (last_wscale, last_flags), for the
     * SYN/ACK that may answer it ({@link #resync}).
     */
    static void rememberIgnored(ConntrackEntry e, int dir, int index, Arrival a) {
        e.tcp.lastSeq = a.tcpSeq;
        e.tcp.lastEnd = segmentEnd(a);
        e.tcp.lastWin = a.tcpWindow;
        if (index == TcpTracker.I_SYN && dir == 0) {
            e.tcp.lastFlags = e.tcp.lastWscale = 0;
            if (a.tcpOptionsLength > 0 && a.tcpWindowScale >= 0) {
                e.tcp.lastFlags |= TCP_WINDOW_SCALE;
                e.tcp.lastWscale = a.tcpWindowScale;
            }
            if (a.tcpOptionsLength > 0 && a.tcpSackPermitted) e.tcp.lastFlags |= TCP_SACK_PERM;
        }
    }

    /**
     * nf_conntrack_tcp_packet, TCP_CONNTRACK_IGNORE case b): a SYN/ACK acknowledging the SYN ignored before it puts the
     * entry back in sync: the ignored SYN's side from the annotated last_* values, the SYN/ACK's side cleared (so
     * tcp_in_window initialises it from the SYN/ACK).
     */
    static void resync(ConntrackEntry e, int dir) {
        ConntrackEntry.TcpWindow syn = new ConntrackEntry.TcpWindow();
        syn.end = syn.maxEnd = e.tcp.lastEnd;
        syn.maxWin = e.tcp.lastWin == 0 ? 1 : e.tcp.lastWin;
        syn.scale = e.tcp.lastWscale;
        syn.flags = e.tcp.lastFlags;
        e.tcp.seen[e.tcp.lastDir] = syn;
        e.tcp.seen[dir] = new ConntrackEntry.TcpWindow();
    }

    /**
     * tcp_new: the originator's side from the first packet; a picked-up connection (no SYN) is liberal in both
     * directions.
     */
    static void tcpNew(ConntrackEntry e, Arrival a, boolean syn) {
        ConntrackEntry.TcpWindow s = e.tcp.seen[0];
        s.end = segmentEnd(a);
        s.maxWin = a.tcpWindow == 0 ? 1 : a.tcpWindow;
        if (syn) {
            s.maxEnd = s.end;
            tcpOptions(s, a);
        } else {
            s.maxEnd = s.end + s.maxWin;
            e.tcp.seen[0].flags = e.tcp.seen[1].flags = TCP_SACK_PERM | TCP_BE_LIBERAL;
        }
    }

    /** tcp_options: window scale and SACK-permitted, reset only when the segment has options at all. */
    private static void tcpOptions(ConntrackEntry.TcpWindow s, Arrival a) {
        if (a.tcpOptionsLength <= 0) return;
        s.scale = 0;
        s.flags &= TCP_BE_LIBERAL;
        if (a.tcpSackPermitted) s.flags |= TCP_SACK_PERM;
        if (a.tcpWindowScale >= 0) {
            s.scale = a.tcpWindowScale;
            s.flags |= TCP_WINDOW_SCALE;
        }
    }

    /** tcp_init_sender: a SYN/ACK (or SYN) sets the sender's side; scaling only if both sides offered it. */
    private static void initSender(ConntrackEntry.TcpWindow sender, ConntrackEntry.TcpWindow receiver, Arrival a,
                                   int end, int win, int dir) {
        sender.end = sender.maxEnd = end;
        sender.maxWin = win == 0 ? 1 : win;
        tcpOptions(sender, a);
        if (dir == 1 && !((sender.flags & TCP_WINDOW_SCALE) != 0 && (receiver.flags & TCP_WINDOW_SCALE) != 0)) {
            sender.scale = 0;
            receiver.scale = 0;
        }
    }

    private static int maxAckWindow(ConntrackEntry.TcpWindow sender) {
        return Integer.compareUnsigned(sender.maxWin, MAX_ACK_WIN_CONST) > 0 ? sender.maxWin : MAX_ACK_WIN_CONST;
    }

    /** nf_tcp_log_invalid: a liberal side (picked up, or nf_conntrack_tcp_be_liberal=1) accepts whatever failed. */
    private Window failed(ConntrackEntry.TcpWindow sender, Window verdict) {
        return (sender.flags & TCP_BE_LIBERAL) != 0 || timeouts.tcpBeLiberal() ? Window.ACCEPT : verdict;
    }

    /**
     * tcp_in_window without NAT sequence adjustment: I. seq ≤ sender's max end (else invalid, or ignored when only the
     * receiver's window was overshot), III. (s)ack ≤ receiver's end (else invalid), II. end ≥ sender's end − receiver's
     * max window and IV. (s)ack ≥ receiver's end − MAXACKWINDOW (else ignored); then the sender's and receiver's
     * edges, the data-unacknowledged flags and the retransmission count (identical ACK-class segments in a row).
     */
    Window inWindow(ConntrackEntry e, int dir, int index, Arrival a) {
        ConntrackEntry.TcpWindow sender = e.tcp.seen[dir], receiver = e.tcp.seen[1 - dir];
        boolean syn = (a.tcpFlags & SYN) != 0, hasAck = (a.tcpFlags & ACK) != 0, rst = (a.tcpFlags & RST) != 0;
        int seq = a.tcpSeq, ack = a.tcpAck, sack = ack;
        int win = a.tcpWindow;
        int end = segmentEnd(a);
        if ((receiver.flags & TCP_SACK_PERM) != 0) sack = a.tcpSack;
        if (sender.maxWin == 0) {
            if (syn) {
                initSender(sender, receiver, a, end, win, dir);
                if (!hasAck) return Window.ACCEPT; // simultaneous open
            } else {
                // mid-connection: the history is lost, take what the packet shows
                sender.end = end;
                int swin = win << sender.scale;
                sender.maxWin = swin == 0 ? 1 : swin;
                sender.maxEnd = end + sender.maxWin;
                if (receiver.maxWin == 0) {
                    receiver.end = receiver.maxEnd = sack;
                } else if (sack == receiver.end + 1) {
                    receiver.end++; // likely the answer to a keep-alive
                }
            }
        } else if (syn && after(end, sender.end)
                && (e.tcpState == TcpState.SYN_SENT || e.tcpState == TcpState.SYN_RECV)) {
            initSender(sender, receiver, a, end, win, dir); // a reinitialised TCP (RFC 793)
            if (dir == 1 && !hasAck) return Window.ACCEPT;
        }
        if (!hasAck) {
            ack = sack = receiver.end;
        } else if (rst && ack == 0) {
            ack = sack = receiver.end; // broken stacks: RST+ACK with ack 0
        }
        if (rst && seq == 0 && e.tcpState == TcpState.SYN_SENT) seq = end = sender.end; // RST answering the SYN
        if (!before(seq, sender.maxEnd + 1)) {
            int overshot = end - sender.maxEnd + 1;
            boolean ackOk = after(sack, receiver.end - maxAckWindow(sender) - 1);
            boolean inReceiverWindow = receiver.maxWin != 0 && after(end, sender.end - receiver.maxWin - 1);
            if (inReceiverWindow && ackOk && Integer.compareUnsigned(overshot, receiver.maxWin) <= 0
                    && before(sack, receiver.end + 1)) {
                sender.end = end; // "bytes more than expected": let a later ACK of it update the state
                sender.flags |= TCP_DATA_UNACKNOWLEDGED;
                return failed(sender, Window.IGNORE);
            }
            return failed(sender, Window.INVALID); // SEQ is over the upper bound
        }
        if (!before(sack, receiver.end + 1)) return failed(sender, Window.INVALID); // ACKed data not seen yet
        boolean inReceiverWindow = receiver.maxWin == 0 || after(end, sender.end - receiver.maxWin - 1);
        if (!inReceiverWindow) return failed(sender, Window.IGNORE); // already ACKed data retransmitted
        if (!after(sack, receiver.end - maxAckWindow(sender) - 1)) return failed(sender, Window.IGNORE); // old ACK
        if (!syn) win <<= sender.scale;
        int swin = win + (sack - ack);
        if (Integer.compareUnsigned(sender.maxWin, swin) < 0) sender.maxWin = swin;
        if (after(end, sender.end)) {
            sender.end = end;
            sender.flags |= TCP_DATA_UNACKNOWLEDGED;
        }
        if (hasAck) {
            if ((sender.flags & TCP_MAXACK_SET) == 0) {
                sender.maxAck = ack;
                sender.flags |= TCP_MAXACK_SET;
            } else if (after(ack, sender.maxAck)) {
                sender.maxAck = ack;
            }
        }
        if (receiver.maxWin != 0 && after(end, sender.maxEnd)) receiver.maxWin += end - sender.maxEnd;
        if (after(sack + win, receiver.maxEnd - 1)) {
            receiver.maxEnd = sack + win;
            if (win == 0) receiver.maxEnd++;
        }
        if (ack == receiver.end) receiver.flags &= ~TCP_DATA_UNACKNOWLEDGED;
        if (index == I_ACK) {
            if (e.tcp.lastDir == dir && e.tcp.lastSeq == seq && e.tcp.lastAck == ack && e.tcp.lastEnd == end
                    && e.tcp.lastWin == a.tcpWindow) {
                e.tcp.retrans++;
            } else {
                e.tcp.lastSeq = seq;
                e.tcp.lastAck = ack;
                e.tcp.lastEnd = end;
                e.tcp.lastWin = a.tcpWindow;
                e.tcp.retrans = 0;
            }
        }
        return Window.ACCEPT;
    }

    /**
     * nf_tcp_handle_invalid: an out-of-window FIN or RST answering an out-of-window FIN or RST from the other side
     * shrinks an ASSURED entry's remaining time to the unacknowledged timeout (if it had at least 120 s and more than
     * that left); otherwise it is only remembered.
     */
    void handleInvalid(ConntrackEntry e, int dir, int index, long t) {
        if (!e.has(Status.ASSURED) || e.has(Status.FIXED_TIMEOUT)) return;
        if (index != I_RST && index != I_FIN) return;
        if (e.tcp.lastDir != dir && (e.tcp.lastIndex == I_FIN || e.tcp.lastIndex == I_RST)) {
            long left = e.deadlineNanos - t;
            long unack = timeouts.seconds(Timeouts.Key.TCP_UNACKNOWLEDGED);
            if (left < HANDLE_INVALID_MIN_LEFT) return;
            if (left > unack * ConntrackTable.SECOND) table.refresh(e, t, unack, Timeouts.Key.TCP_UNACKNOWLEDGED);
        } else {
            e.tcp.lastIndex = index;
            e.tcp.lastDir = dir;
        }
    }
}
