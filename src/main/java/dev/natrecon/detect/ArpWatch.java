package dev.natrecon.detect;

import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.LinkEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which addresses the router no longer answers ARP for on its WAN, from the WAN capture alone: a request for an address
 * followed by another request for it, or by a second of the capture, without a reply. Linux answers an ARP request for
 * any of its own addresses at once (arp_ignore=0, net/ipv4/arp.c:arp_process); the asking host repeats an unanswered
 * request every retrans_time (1 s, neigh.default.retrans_time_ms) up to mcast_solicit (3) times. A capture taken on the
 * router's WAN interface sees both the requests and its replies, so a request left unanswered there means the router
 * did not own the address any more. The last moment it provably did is the last reply, or the last packet to the
 * address it forwarded, which the caller knows.
 *
 * <p>State: per address asked for, the pending request and the unanswered requests' frames (at most
 * {@link #MAX_FRAMES}); at most {@link #MAX_ADDRESSES} addresses.
 */
final class ArpWatch {
    /** How long a reply may take before the request counts as unanswered (the asker's own retry interval). */
    static final long ANSWER_NANOS = 1_000_000_000L;
    static final int MAX_ADDRESSES = 1024;
    static final int MAX_FRAMES = 50;

    /** An address the router stopped answering for: the first unanswered request, and every one seen. */
    record Unanswered(String address, long nanos, long frame, List<Long> frames) {
    }

    private static final class State {
        long pendingNanos = Long.MIN_VALUE, pendingFrame;
        Unanswered unanswered;
    }

    private final Map<Integer, State> byAddress = new HashMap<>();
    private long earliestPending = Long.MAX_VALUE;

    /** Whether no request waits for its answer: until the next ARP frame, {@link #offer} has nothing to expire. */
    boolean idle() {
        return earliestPending == Long.MAX_VALUE;
    }

    /**
     * A WAN frame in merged order: ARP requests and replies are noted; returns the addresses whose request has just
     * turned out unanswered (usually none: an empty list, no allocation).
     */
    List<Unanswered> offer(Seen s) {
        List<Unanswered> out = List.of();
        if (earliestPending != Long.MAX_VALUE && s.nanos - earliestPending > ANSWER_NANOS) out = expire(s.nanos, out);
        if (s.linkEvent != LinkEvent.ARP || s.side != Side.WAN || s.captureLabel != null) return out;
        State st = byAddress.get(s.linkEventAddress);
        if (st == null) {
            if (byAddress.size() >= MAX_ADDRESSES || s.linkEventCode != 1) return out;
            st = new State();
            byAddress.put(s.linkEventAddress, st);
        }
        if (s.linkEventCode == 2) { // a reply: the address is owned (again)
            st.pendingNanos = Long.MIN_VALUE;
            st.unanswered = null;
            return out;
        }
        if (st.unanswered != null) {
            if (st.unanswered.frames().size() < MAX_FRAMES) st.unanswered.frames().add(s.frame);
            return out;
        }
        if (st.pendingNanos != Long.MIN_VALUE) { // asked again, never answered
            out = confirm(s.linkEventAddress, st, out);
            if (st.unanswered.frames().size() < MAX_FRAMES) st.unanswered.frames().add(s.frame);
            return out;
        }
        st.pendingNanos = s.nanos;
        st.pendingFrame = s.frame;
        earliestPending = Math.min(earliestPending, s.nanos);
        return out;
    }

    private List<Unanswered> expire(long now, List<Unanswered> out) {
        earliestPending = Long.MAX_VALUE;
        for (Map.Entry<Integer, State> e : byAddress.entrySet()) {
            State st = e.getValue();
            if (st.pendingNanos == Long.MIN_VALUE) continue;
            if (now > st.pendingNanos + ANSWER_NANOS) out = confirm(e.getKey(), st, out);
            else earliestPending = Math.min(earliestPending, st.pendingNanos);
        }
        return out;
    }

    private static List<Unanswered> confirm(int address, State st, List<Unanswered> out) {
        List<Long> frames = new ArrayList<>();
        frames.add(st.pendingFrame);
        st.unanswered = new Unanswered(Addresses.format(0, Addresses.v4(address)), st.pendingNanos, st.pendingFrame,
                frames);
        st.pendingNanos = Long.MIN_VALUE;
        List<Unanswered> list = out.isEmpty() ? new ArrayList<>() : out;
        list.add(st.unanswered);
        return list;
    }
}
