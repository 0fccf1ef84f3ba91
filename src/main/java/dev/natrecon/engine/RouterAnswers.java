package dev.natrecon.engine;

import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.correlate.CrossingClassifier;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import java.util.ArrayDeque;

/**
 * What the router said about packets it did not forward, and when the WAN capture fell silent, kept as frames enter
 * the matcher: a packet is resolved only after its match window, by when the router's answer to it (sent as it
 * dropped the packet) and the WAN's next frame have been offered. {@link RouterHistory} reads them:
 * <ul>
 *   <li>ICMP net/host unreachable on the LAN from a gateway there, about an inside host's packet to the outside: no
 *       route (icmp_send from ip_route_input / ip_forward);</li>
 *   <li>ICMP port unreachable on the WAN from the router's outside address, about a packet to that address: no entry
 *       took it and no socket listened (udp.c:__udp4_lib_rcv);</li>
 *   <li>the WAN capture's silences longer than {@link #SILENCE_NANOS}.</li>
 * </ul>
 * Per frame: a side check and a time compare; a record is kept only for the router's ICMP errors (rare).
 */
final class RouterAnswers {
    /** ICMP destination unreachable (RFC 792): type 3, codes 0 (net) and 1 (host); ICMPv6 (RFC 4443) type 1 code 0 (no route). */
    static final int ICMP_UNREACHABLE = 3, ICMP_NET = 0, ICMP_HOST = 1, ICMPV6_UNREACHABLE = 1, ICMPV6_NO_ROUTE = 0;
    /** ICMP port unreachable (RFC 792 type 3 code 3; RFC 4443 type 1 code 4). */
    static final int ICMP_PORT = 3, ICMPV6_PORT = 4;
    /**
     * How long after a packet the router's ICMP error about it may come: icmp_send runs as the packet is dropped in
     * routing (lab: under a millisecond); a generous bound well inside the one-second match window, so the error has
     * reached the matcher before the packet is released.
     */
    static final long ANSWER_NANOS = 100_000_000L;
    /**
     * A WAN capture without a frame for this long is silent: longer than the default match window, within which a
     * packet's copy appears (AnalysisInputs.DEFAULT_MATCH_WINDOW_SECONDS).
     */
    static final long SILENCE_NANOS = 1_000_000_000L;
    /** Recent no-route answers kept (icmp_ratelimit lets about one per second per destination through). */
    private static final int NOTICES = 32;

    private final CrossingClassifier crossings;
    /** The router's answers, newest last. */
    private final ArrayDeque<Answer> answers = new ArrayDeque<>();
    /** The WAN capture's last frame offered to the matcher, and the last silence in it: from, to, frame before it. */
    private long lastWanFrameNanos = Long.MIN_VALUE, lastWanFrameNumber, gapFrom = Long.MIN_VALUE, gapTo, gapFromFrame;
    /** The router's last no-route answer on the LAN. */
    private long lastNoRouteNanos = Long.MIN_VALUE;
    /** The frame before the silence {@link #silenceSince} last found. */
    private long silenceFrame;

    /**
     * LAN frames from the outside to an inside host seen while the WAN capture had shown no frame for
     * {@link #ANSWER_NANOS} (a forwarded packet's WAN copy precedes its LAN copy by the router's transit time, well
     * under that): candidates for answers that reached the router through a path no capture shows. A fixed ring, reused.
     */
    private final Inbound[] inbound = new Inbound[NOTICES];
    private int inboundNext, inboundCount;

    /** A LAN frame from outside with no WAN frame just before it; {@code wanBefore}: the WAN's last frame then. */
    static final class Inbound {
        long nanos, frame, srcHi, srcLo, dstHi, dstLo, wanBefore;
        int protocol, srcPort, dstPort;
    }

    /** The router's ICMP error about a packet: no route (on the LAN) or port unreachable (on the WAN). */
    record Answer(Side side, long nanos, long frame, int protocol, long srcHi, long srcLo, long dstHi, long dstLo,
                  int srcPort, int dstPort) {
    }

    RouterAnswers(CrossingClassifier crossings) {
        this.crossings = crossings;
    }

    /** Whether any answer is kept. */
    boolean any() {
        return !answers.isEmpty();
    }

    /** When the router last answered a LAN packet with no route, or MIN_VALUE. */
    long lastNoRouteNanos() {
        return lastNoRouteNanos;
    }

    /**
     * A frame as it enters the matcher (before any frame after it is resolved): a WAN frame moves the WAN's last time
     * (and closes a silence); the router's own ICMP answers are kept, so that the packet they answer, resolved later,
     * finds them.
     */
    void frameSeen(Seen s) {
        if (s.captureLabel != null) return;
        if (s.side == Side.WAN) {
            if (lastWanFrameNanos != Long.MIN_VALUE && s.nanos - lastWanFrameNanos > SILENCE_NANOS) {
                gapFrom = lastWanFrameNanos;
                gapFromFrame = lastWanFrameNumber;
                gapTo = s.nanos;
            }
            lastWanFrameNanos = s.nanos;
            lastWanFrameNumber = s.frame;
        }
        // the WAN's silence first: while the WAN shows traffic (nearly always) no address is asked
        if (s.side == Side.LAN && s.hasPorts && !s.icmpError
                && (lastWanFrameNanos == Long.MIN_VALUE || s.nanos - lastWanFrameNanos > ANSWER_NANOS)
                && !crossings.isInside(s.srcHi, s.srcLo) && crossings.isInside(s.dstHi, s.dstLo)) {
            keepInbound(s);
        }
        if (!s.icmpError) return;
        boolean v4 = s.protocol == ConntrackTuple.ICMP, v6 = s.protocol == ConntrackTuple.ICMPV6;
        boolean answer;
        if (s.side == Side.LAN) {
            boolean noRoute = v4 ? s.icmpType == ICMP_UNREACHABLE && (s.icmpCode == ICMP_NET || s.icmpCode == ICMP_HOST)
                    : v6 && s.icmpType == ICMPV6_UNREACHABLE && s.icmpCode == ICMPV6_NO_ROUTE;
            // from a gateway on the LAN (an inside address that is not the quoted destination) to the quoted source
            answer = noRoute && crossings.isInside(s.srcHi, s.srcLo) && crossings.isInside(s.innerSrcHi, s.innerSrcLo)
                    && !crossings.isInside(s.innerDstHi, s.innerDstLo)
                    && s.dstHi == s.innerSrcHi && s.dstLo == s.innerSrcLo;
        } else {
            boolean port = v4 ? s.icmpType == ICMP_UNREACHABLE && s.icmpCode == ICMP_PORT
                    : v6 && s.icmpType == ICMPV6_UNREACHABLE && s.icmpCode == ICMPV6_PORT;
            // from the quoted destination (the router's outside address) back to the quoted source
            answer = port && !crossings.isInside(s.srcHi, s.srcLo) && s.srcHi == s.innerDstHi && s.srcLo == s.innerDstLo
                    && s.dstHi == s.innerSrcHi && s.dstLo == s.innerSrcLo;
        }
        if (!answer) return;
        if (s.side == Side.LAN) lastNoRouteNanos = s.nanos;
        if (answers.size() == NOTICES) answers.removeFirst();
        answers.addLast(new Answer(s.side, s.nanos, s.frame, s.innerProtocol, s.innerSrcHi, s.innerSrcLo,
                s.innerDstHi, s.innerDstLo, s.innerSrcPort, s.innerDstPort));
    }

    private void keepInbound(Seen s) {
        Inbound n = inbound[inboundNext];
        if (n == null) n = inbound[inboundNext] = new Inbound();
        inboundNext = (inboundNext + 1) % inbound.length;
        inboundCount = Math.min(inboundCount + 1, inbound.length);
        n.nanos = s.nanos;
        n.frame = s.frame;
        n.protocol = s.protocol;
        n.srcHi = s.srcHi;
        n.srcLo = s.srcLo;
        n.dstHi = s.dstHi;
        n.dstLo = s.dstLo;
        n.srcPort = s.srcPort;
        n.dstPort = s.dstPort;
        n.wanBefore = lastWanFrameNanos;
    }

    /**
     * The answer to the LAN packet {@code s} (no WAN copy) that reached the LAN with no WAN copy either: a frame from
     * its destination back to its source (ports swapped), within {@link #SILENCE_NANOS} after it (by when the matcher
     * has offered it), with no WAN frame between {@code s} and it; or null. Only a path no capture shows carried both.
     */
    Inbound answeredElsewhere(Seen s) {
        for (int i = 0; i < inboundCount; i++) {
            Inbound n = inbound[i];
            if (n.nanos >= s.nanos && n.nanos - s.nanos < SILENCE_NANOS && n.protocol == s.protocol
                    && n.srcHi == s.dstHi && n.srcLo == s.dstLo && n.dstHi == s.srcHi && n.dstLo == s.srcLo
                    && n.srcPort == s.dstPort && n.dstPort == s.srcPort
                    && (n.wanBefore == Long.MIN_VALUE || n.wanBefore < s.nanos)) {
                return n;
            }
        }
        return null;
    }

    /** Whether the WAN capture shows a frame after {@code s}, within {@link #SILENCE_NANOS} (the WAN at work again). */
    boolean wanFrameSoonAfter(Seen s) {
        return gapTo > s.nanos && gapTo - s.nanos <= SILENCE_NANOS
                || lastWanFrameNanos > s.nanos && lastWanFrameNanos - s.nanos <= SILENCE_NANOS;
    }

    /** The router's no-route answer to {@code s}: same quoted tuple, just after it. */
    Answer answer(Seen s) {
        for (Answer n : answers) {
            if (n.side() == s.side && n.nanos() >= s.nanos && n.nanos() - s.nanos <= ANSWER_NANOS && n.protocol() == s.protocol
                    && n.srcHi() == s.srcHi && n.srcLo() == s.srcLo && n.dstHi() == s.dstHi && n.dstLo() == s.dstLo
                    && n.srcPort() == s.srcPort && n.dstPort() == s.dstPort) {
                return n;
            }
        }
        return null;
    }

    /**
     * When the silence of the WAN capture around {@code s} began (its last frame before), or MIN_VALUE when a WAN frame
     * lies within {@link #SILENCE_NANOS} after {@code s}; {@link #silenceFrame} is then that frame's number.
     */
    long silenceSince(Seen s) {
        if (lastWanFrameNanos != Long.MIN_VALUE && lastWanFrameNanos < s.nanos) {
            silenceFrame = lastWanFrameNumber; // silent from its last frame until now, past this packet's window
            return lastWanFrameNanos;
        }
        if (gapFrom != Long.MIN_VALUE && gapFrom <= s.nanos && gapTo > s.nanos + SILENCE_NANOS) {
            silenceFrame = gapFromFrame;
            return gapFrom;
        }
        return Long.MIN_VALUE;
    }

    long silenceFrame() {
        return silenceFrame;
    }
}
