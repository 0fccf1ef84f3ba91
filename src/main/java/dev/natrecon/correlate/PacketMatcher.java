package dev.natrecon.correlate;

import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.Bytes;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.Packet;
import dev.natrecon.decode.Protocols;
import java.util.ArrayDeque;
import java.util.Set;

/**
 * Streaming cross-capture matcher. Frames arrive in merged, corrected-time order; a packet waits at most
 * {@code window} for a counterpart with the same {@link MatchKeys key} on the other side, and among several candidates
 * takes the nearest in time (a retransmission that the router dropped does not steal the forwarded copy's match).
 * Resolved packets leave in arrival order, so outputs are time-ordered and memory is the traffic of one window.
 *
 * <p><b>Pitfall.</b> The {@link Seen} handed to the listener is recycled right after the call, unless the listener
 * {@link #keepRecordsUntilReleased keeps the records} (a listener on another thread): then each stays the listener's
 * until it gives it back through {@link #release}.
 */
public final class PacketMatcher {
    /** Receives every frame once, in arrival order, after its outcome is known. */
    public interface Listener {
        void resolved(Seen s);
    }

    /** Longest time between a packet and its copy routed back out of the same interface (one forwarding hop). */
    public static final long ROUTED_BACK_NANOS = 10_000_000L;

    private final long windowNanos;
    private final Listener listener;
    private final Inside inside;
    private final long[] spanStart = new long[2];
    private final long[] spanEnd = new long[2];
    /**
     * Per side (LAN, WAN): packets waiting for a counterpart, by key, each the head (oldest) of a chain through
     * {@link Seen#nextSameKey} in arrival order. A walk of one chain holding both sides made every packet cost the
     * whole window's packets of its key (thousands of identical keepalive payloads: quadratic).
     */
    @SuppressWarnings("unchecked")
    private final LongMap<Seen>[] pending = new LongMap[] {new LongMap<Seen>(), new LongMap<Seen>()};
    /**
     * Per side: the same packets by key, addresses and TTL ({@link #hopKey}), chained through
     * {@link Seen#nextSameHop}, where a copy routed back out of its interface finds the packet it copies.
     */
    @SuppressWarnings("unchecked")
    private final LongMap<Seen>[] hops = new LongMap[] {new LongMap<Seen>(), new LongMap<Seen>()};
    private final ArrayDeque<Seen> waiting = new ArrayDeque<>();
    private final ArrayDeque<Seen> output = new ArrayDeque<>();
    private final ArrayDeque<Seen> pool = new ArrayDeque<>();
    private final long[] externalHi;
    private final long[] externalLo;
    private long sequence;
    private long matchedPairs;
    /** Whether a record handed to the listener stays the listener's until {@link #release} ({@link #keepRecordsUntilReleased}). */
    private boolean keptByListener;

    /**
     * @param windowNanos   longest corrected-time distance between a packet and its counterpart
     * @param lanSpan       first and last corrected time of the LAN capture; the last may be {@link Long#MAX_VALUE}
     *                      while the capture is still being read, then {@link #captureEnded} gives it
     * @param wanSpan       first and last corrected time of the WAN capture (likewise)
     * @param externalAddresses the router's own WAN addresses (a private one of these is not a leak)
     */
    public PacketMatcher(long windowNanos, long[] lanSpan, long[] wanSpan, Set<String> externalAddresses,
                         Listener listener) {
        this(windowNanos, lanSpan, wanSpan, externalAddresses, Inside.privateRanges(), listener);
    }

    /**
     * {@code inside}: what is behind the router (the case's {@code --inside}), which tells a leak (a source on the WAN
     * that {@link Inside#leaksOnWan}) and traffic between inside hosts (local).
     */
    public PacketMatcher(long windowNanos, long[] lanSpan, long[] wanSpan, Set<String> externalAddresses,
                         Inside inside, Listener listener) {
        this.windowNanos = windowNanos;
        this.inside = inside;
        this.listener = listener;
        spanStart[0] = lanSpan[0];
        spanEnd[0] = lanSpan[1];
        spanStart[1] = wanSpan[0];
        spanEnd[1] = wanSpan[1];
        externalHi = new long[externalAddresses.size()];
        externalLo = new long[externalAddresses.size()];
        int i = 0;
        long[] tmp = new long[2];
        for (String a : externalAddresses) {
            if (Addresses.parse(a, tmp)) {
                externalHi[i] = tmp[0];
                externalLo[i] = tmp[1];
                i++;
            }
        }
    }

    /**
     * The capture of {@code side} has no frame after {@code lastNanos} (corrected): a packet of the other side after
     * that is outside its span. Call it before offering a frame later than that.
     */
    public void captureEnded(Side side, long lastNanos) {
        spanEnd[side.ordinal()] = lastNanos;
    }

    /**
     * From now on a record handed to the listener stays the listener's until it is given back through
     * {@link #release}, instead of being recycled when the listener returns: for a listener that hands the records to
     * another thread. After the hand-over the matcher neither reads nor writes the record's fields except its own
     * bookkeeping (whether it still waits in the window, was emitted, was given back), which the listener never reads.
     */
    public void keepRecordsUntilReleased() {
        keptByListener = true;
    }

    /**
     * Gives back a record the listener kept ({@link #keepRecordsUntilReleased}); it is reused once the matcher's
     * window no longer refers to it either. Call it on the matcher's thread.
     */
    public void release(Seen s) {
        s.released = true;
        if (!s.inWaiting) recycle(s);
    }

    /** Takes a recycled record to fill for the next frame. */
    public Seen obtain() {
        Seen s = pool.pollLast(); // LIFO: the most recently released record is still in cache
        if (s == null) s = new Seen();
        s.clear();
        return s;
    }

    /** Copies the tuple fields of a decoded packet into {@code s}. */
    public static void fillTuple(Seen s, Packet p, long key) {
        s.key = key;
        s.protocol = p.protocol;
        s.srcHi = p.srcHi;
        s.srcLo = p.srcLo;
        s.dstHi = p.dstHi;
        s.dstLo = p.dstLo;
        s.hasPorts = p.hasPorts();
        s.srcPort = srcPort(p);
        s.dstPort = dstPort(p);
        s.length = p.ipTotalLength;
        s.ttl = p.ttl;
        s.tcpFlags = p.protocol == Protocols.TCP ? p.tcpFlags : 0;
        s.payloadLength = p.payloadLength;
        s.rtcp = rtcpShape(p);
        boolean rtp = rtpShape(p, s.rtcp);
        s.rtpSsrc = rtp ? Bytes.u32(p.data, p.payloadOffset + 8) : -1;
        s.rtpSeq = rtp ? Bytes.u16(p.data, p.payloadOffset + 2) : 0;
        s.icmpType = p.icmpType;
        s.icmpCode = p.icmpCode;
        s.icmpError = p.icmpError;
        fillDetails(s, p);
    }

    /** The tuple's source port: the port, or for a packet without ports its ICMP identifier (0 when none). */
    public static int srcPort(Packet p) {
        return p.hasPorts() ? p.srcPort : Math.max(p.icmpId, 0);
    }

    /** The tuple's destination port (0 for a packet without ports). */
    public static int dstPort(Packet p) {
        return p.hasPorts() ? p.dstPort : 0;
    }

    /**
     * Whether a UDP payload has RTCP's shape: version 2 and a packet type 192-223 (200-204 in use) where RTP would
     * carry its marker and payload type (RFC 5761 section 4).
     */
    public static boolean rtcpShape(Packet p) {
        int o = p.payloadOffset;
        return p.protocol == Protocols.UDP && p.payloadLength >= 8 && (p.data[o] & 0xc0) == 0x80
                && (p.data[o + 1] & 0xff) >= 192 && (p.data[o + 1] & 0xff) <= 223;
    }

    /** Whether a UDP payload has RTP's shape: version 2, the 12-byte fixed header, not RTCP ({@code rtcp}). */
    public static boolean rtpShape(Packet p, boolean rtcp) {
        return p.protocol == Protocols.UDP && p.payloadLength >= 12 && (p.data[p.payloadOffset] & 0xc0) == 0x80
                && !rtcp;
    }

    /**
     * Copies what only some packets have into {@code s}: TCP's window-tracking fields (a full TCP header) and the
     * tuple an ICMP error quotes. Part of {@link #fillTuple}, for a caller that filled the rest from its own copy.
     */
    public static void fillDetails(Seen s, Packet p) {
        if (p.protocol == Protocols.TCP && p.tcpHeaderLength >= 20) {
            s.tcpSeq = (int) p.tcpSeq;
            s.tcpAck = (int) p.tcpAck;
            s.tcpWindow = p.tcpWindow;
            s.tcpHeaderLength = p.tcpHeaderLength;
            s.tcpDataLength = Math.max(0, p.l4Length - p.tcpHeaderLength);
            s.tcpWindowScale = p.tcpWindowScale;
            s.tcpSackPermitted = p.tcpSackPermitted;
            s.tcpSack = (int) p.tcpSack;
        }
        if (p.icmpError) {
            s.innerProtocol = p.innerProtocol;
            s.innerSrcHi = p.innerSrcHi;
            s.innerSrcLo = p.innerSrcLo;
            s.innerDstHi = p.innerDstHi;
            s.innerDstLo = p.innerDstLo;
            s.innerSrcPort = p.innerSrcPort;
            s.innerDstPort = p.innerDstPort;
        }
    }

    /** Offers the next frame of the merged stream (side, frame, times and disposition set; tuple set if IP). */
    public void offer(Seen s) {
        expire(s.nanos);
        s.sequence = sequence++;
        output.addLast(s);
        if (s.disposition != Disposition.DECODED || s.key == 0) {
            s.outcome = Outcome.NOT_MATCHED;
            s.resolved = true;
            drain();
            return;
        }
        // One chain per key and side holds the waiting packets in arrival order, which is time order (the merged
        // stream never goes back in time): the nearest of the other side's is the newest, the first of its equal times.
        Seen best = newestRunStart(pending[1 - s.side.ordinal()].get(s.key));
        if (best != null && s.nanos - best.nanos <= windowNanos) {
            unlink(best);
            pair(s, best);
            drain();
            return;
        }
        // the same packet again on the same side, one hop later: routed back out of the interface it came in on;
        // the oldest such copy within ROUTED_BACK_NANOS (its own chain: same key, addresses and TTL)
        int side = s.side.ordinal();
        // its side's chain of the key, which holds every candidate copy: s heads it now when it was empty (no
        // routed-back copy then, and s is appended with this one probe)
        Seen head = pending[side].putIfAbsent(s.key, s);
        Seen routedBack = null;
        Seen hopHead = head == null ? null : hops[side].get(hopKey(s.key, s, s.ttl + 1));
        if (hopHead != null) {
            for (Seen c = hopHead.prevSameHop; ; c = c.prevSameHop) {
                if (s.nanos - c.nanos > ROUTED_BACK_NANOS) break;
                if (c.key == s.key && c.ttl == s.ttl + 1 && c.srcHi == s.srcHi && c.srcLo == s.srcLo
                        && c.dstHi == s.dstHi && c.dstLo == s.dstLo) {
                    routedBack = c;
                }
                if (c == hopHead) break;
            }
        }
        if (routedBack != null) {
            Seen c = routedBack;
            unlink(c);
            c.outcome = s.outcome = Outcome.ROUTED_BACK;
            c.resolved = s.resolved = true;
            s.routedBackCopy = true;
            copyCounterpart(c, s);
            copyCounterpart(s, c);
            drain();
            return;
        }
        append(s, head);
        s.inWaiting = true;
        waiting.addLast(s);
    }

    /** Resolves everything still waiting; call at the end of the stream. */
    public void finish() {
        expire(Long.MAX_VALUE);
        drain();
    }

    public long matchedPairs() {
        return matchedPairs;
    }

    /** Packets held right now (a measure of the matcher's memory). */
    public int held() {
        return output.size();
    }

    /**
     * The oldest of the newest equal-time run of the chain at {@code head} (null for none): the nearest in time to a
     * later packet, and among equally near ones the first that arrived. The tail remembers where its run starts; when
     * that packet has left the chain meanwhile (and was not replaced, see {@link #unlink}), the run is walked.
     */
    private static Seen newestRunStart(Seen head) {
        if (head == null) return null;
        Seen tail = head.prevSameKey;
        Seen r = tail.runStart;
        if (r != null && r.sequence == tail.runStartSequence && r.prevSameKey != null && r.nanos == tail.nanos) {
            return r;
        }
        Seen c = tail;
        while (c != head && c.prevSameKey.nanos == c.nanos) c = c.prevSameKey;
        tail.runStart = c;
        tail.runStartSequence = c.sequence;
        return c;
    }

    /** Same key, same addresses and this TTL: the chain where a routed-back copy looks for the packet it copies. */
    private static long hopKey(long key, Seen s, int ttl) {
        long h = MatchKeys.mix(key ^ s.srcHi * 31 ^ s.srcLo);
        h = MatchKeys.mix(h ^ s.dstHi * 17 ^ s.dstLo ^ (long) ttl << 56);
        return h == 0 ? 1 : h;
    }

    /**
     * Appends {@code s} (waiting) to its side's chain for its key and to its chain for key, addresses and TTL. Each
     * chain is doubly linked in arrival order; its head (oldest, the map's value) links back to its tail (newest).
     * {@code head}: the key chain's head before {@code s}, or null when the chain was empty and {@code s} was made its
     * head (put in the map already).
     */
    private void append(Seen s, Seen head) {
        int side = s.side.ordinal();
        s.nextSameKey = null;
        if (head == null) {
            s.prevSameKey = s;
            s.runStart = s;
        } else {
            Seen tail = head.prevSameKey;
            tail.nextSameKey = s;
            s.prevSameKey = tail;
            head.prevSameKey = s;
            s.runStart = tail.nanos == s.nanos && tail.runStart != null ? tail.runStart : s;
        }
        s.runStartSequence = s.runStart.sequence;
        s.hopKey = hopKey(s.key, s, s.ttl);
        Seen hopHead = hops[side].putIfAbsent(s.hopKey, s);
        s.nextSameHop = null;
        if (hopHead == null) {
            s.prevSameHop = s;
        } else {
            Seen tail = hopHead.prevSameHop;
            tail.nextSameHop = s;
            s.prevSameHop = tail;
            hopHead.prevSameHop = s;
        }
    }

    /** Takes {@code c} out of both its chains. */
    private void unlink(Seen c) {
        int side = c.side.ordinal();
        LongMap<Seen> chains = pending[side];
        // the head is the one record its predecessor (the chain's tail, the chains being circular backwards) does
        // not point forward to: only a record further down asks the map for its chain's head
        Seen head = c.prevSameKey.nextSameKey != c ? c : chains.get(c.key);
        Seen next = c.nextSameKey;
        Seen tail = head.prevSameKey;
        // the run's next packet starts it now (a run is contiguous: the next one of equal time is in it)
        if (tail.runStart == c && tail.runStartSequence == c.sequence && next != null && next.nanos == c.nanos) {
            tail.runStart = next;
            tail.runStartSequence = next.sequence;
        }
        if (c == head) {
            if (next == null) {
                chains.remove(c.key);
            } else {
                next.prevSameKey = c.prevSameKey;
                chains.put(c.key, next);
            }
        } else {
            Seen prev = c.prevSameKey;
            prev.nextSameKey = next;
            if (next == null) {
                head.prevSameKey = prev;
            } else {
                next.prevSameKey = prev;
            }
        }
        c.nextSameKey = null;
        c.prevSameKey = null;
        c.runStart = null;
        LongMap<Seen> hopChains = hops[side];
        Seen hopHead = c.prevSameHop.nextSameHop != c ? c : hopChains.get(c.hopKey);
        Seen hopNext = c.nextSameHop;
        if (c == hopHead) {
            if (hopNext == null) {
                hopChains.remove(c.hopKey);
            } else {
                hopNext.prevSameHop = c.prevSameHop;
                hopChains.put(c.hopKey, hopNext);
            }
        } else {
            Seen prev = c.prevSameHop;
            prev.nextSameHop = hopNext;
            if (hopNext == null) {
                hopHead.prevSameHop = prev;
            } else {
                hopNext.prevSameHop = prev;
            }
        }
        c.nextSameHop = null;
        c.prevSameHop = null;
    }

    private void pair(Seen a, Seen b) {
        matchedPairs++;
        copyCounterpart(a, b);
        copyCounterpart(b, a);
        a.outcome = outcomeOfPair(a);
        b.outcome = outcomeOfPair(b);
        a.resolved = true;
        b.resolved = true;
    }

    private static void copyCounterpart(Seen to, Seen from) {
        to.counterpartFrame = from.frame;
        to.cpSrcHi = from.srcHi;
        to.cpSrcLo = from.srcLo;
        to.cpDstHi = from.dstHi;
        to.cpDstLo = from.dstLo;
        to.cpSrcPort = from.srcPort;
        to.cpDstPort = from.dstPort;
        to.cpLength = from.length;
        to.cpPayload = from.payload;
        to.cpSip = from.sip;
        to.counterpartDeltaNanos = from.nanos - to.nanos;
    }

    private Outcome outcomeOfPair(Seen s) {
        if (s.side == Side.WAN && isLeak(s)) return Outcome.LEAKED;
        // the same loopback or link-local packet on both captures (both taken on one host): it crossed nothing
        if (Addresses.eitherHostOrLinkScope(s.srcHi, s.srcLo, s.dstHi, s.dstLo)) {
            return Outcome.LOCAL;
        }
        return s.sameTupleAsCounterpart() ? Outcome.UNCHANGED : Outcome.TRANSLATED;
    }

    private boolean isLeak(Seen s) {
        return inside.leaksOnWan(s.srcHi, s.srcLo) && !isExternal(s.srcHi, s.srcLo);
    }

    private boolean isExternal(long hi, long lo) {
        for (int i = 0; i < externalHi.length; i++) {
            if (externalHi[i] == hi && externalLo[i] == lo) return true;
        }
        return false;
    }

    private void expire(long now) {
        while (!waiting.isEmpty()) {
            Seen s = waiting.peekFirst();
            if (s.resolved) {
                waiting.pollFirst();
                s.inWaiting = false;
                if (s.emitted && (!keptByListener || s.released)) recycle(s);
                continue;
            }
            if (now != Long.MAX_VALUE && now - s.nanos <= windowNanos) break;
            waiting.pollFirst();
            s.inWaiting = false;
            unlink(s);
            s.outcome = unmatchedOutcome(s);
            s.resolved = true;
        }
        drain();
    }

    private Outcome unmatchedOutcome(Seen s) {
        if (s.side == Side.WAN && isLeak(s)) return Outcome.LEAKED;
        if (Addresses.isMulticastOrBroadcast(s.dstHi, s.dstLo)) return Outcome.LOCAL;
        // loopback and link-local never cross a router (RFC 1122 3.2.1.3, RFC 3927 2.7): the capturing host's own
        if (Addresses.eitherHostOrLinkScope(s.srcHi, s.srcLo, s.dstHi, s.dstLo)) {
            return Outcome.LOCAL;
        }
        // ICMP the router itself sends from its WAN address (port unreachable for an expired binding) is its own.
        if (s.side == Side.WAN && (s.protocol == Protocols.ICMP || s.protocol == Protocols.ICMPV6) && isExternal(s.srcHi, s.srcLo)) {
            return Outcome.LOCAL;
        }
        if (s.side == Side.LAN && inside.contains(s.srcHi, s.srcLo) && inside.contains(s.dstHi, s.dstLo)) {
            return Outcome.LOCAL;
        }
        int other = 1 - s.side.ordinal();
        if (s.nanos < spanStart[other] || s.nanos > spanEnd[other]) return Outcome.OUTSIDE_SPAN;
        return Outcome.NO_COUNTERPART;
    }

    private void drain() {
        while (!output.isEmpty() && output.peekFirst().resolved) {
            Seen s = output.pollFirst();
            s.emitted = true; // before the hand-over: a listener that keeps the record may pass it to another thread
            listener.resolved(s);
            if (!keptByListener && !s.inWaiting) recycle(s);
        }
    }

    /** A record goes back to the pool only when neither queue refers to it any more. */
    private void recycle(Seen s) {
        if (pool.size() < 1 << 16) pool.addLast(s);
    }
}
