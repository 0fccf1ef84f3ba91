package dev.natrecon.media;

import dev.natrecon.correlate.Crossing;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Seen;
import dev.natrecon.decode.Addresses;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows every RTP stream across the router, one {@link HopLedger} per stream and direction, from the per-packet
 * {@link Crossing} records: the arriving copy counts on the ingress side (sequence, forwarded or lost, delay), the
 * leaving copy gives the order on the egress side. A stream is the SSRC with the addresses and ports of its arriving
 * copy (a leaving copy finds it through its counterpart's, which are the arriving copy's).
 *
 * <p>Per packet: one map lookup with a reused probe key (no allocation); per stream: one ledger, at most
 * {@link #MAX_STREAMS} of them (past that, streams are counted, not followed).
 */
public final class HopAttribution {
    /** Streams followed at most (a bound on memory: a capture full of RTP-shaped UDP cannot grow it further). */
    public static final int MAX_STREAMS = 4096;
    /** RFC 3550 §11 / RFC 4566: RTP runs on dynamic ports; a well-known port (below 1024) is not media. */
    private static final int FIRST_MEDIA_PORT = 1024;

    private final Map<Key, HopLedger> ledgers = new HashMap<>();
    private final List<HopLedger> order = new ArrayList<>();
    private final Key probe = new Key();
    private long streamsNotFollowed;

    /** One frame after matching. */
    public void packet(Crossing c) {
        Seen s = c.seen();
        if (s.rtpSsrc < 0 || s.captureLabel != null || s.srcPort < FIRST_MEDIA_PORT || s.dstPort < FIRST_MEDIA_PORT) {
            return;
        }
        if (c.role() == Crossing.Role.ARRIVING) {
            probe.set(s.rtpSsrc, s.srcHi, s.srcLo, s.dstHi, s.dstLo, s.srcPort, s.dstPort);
            HopLedger l = ledgers.get(probe);
            if (l == null) {
                if (ledgers.size() >= MAX_STREAMS) {
                    streamsNotFollowed++;
                    return;
                }
                String egress = s.outcome == Outcome.ROUTED_BACK ? c.capture() : c.capture().equals("lan") ? "wan" : "lan";
                l = new HopLedger(s.rtpSsrc, c.outbound(), c.capture(), egress,
                        Addresses.endpoint(s.srcHi, s.srcLo, s.srcPort), Addresses.endpoint(s.dstHi, s.dstLo, s.dstPort));
                ledgers.put(probe.copy(), l);
                order.add(l);
            }
            boolean forwarded = s.counterpartFrame != 0;
            l.arriving(s.rtpSeq, s.frame, s.nanos, forwarded, !forwarded && s.outcome == Outcome.NO_COUNTERPART,
                    forwarded ? s.counterpartDeltaNanos : 0);
        } else if (c.role() == Crossing.Role.LEAVING && s.counterpartFrame != 0) {
            probe.set(s.rtpSsrc, s.cpSrcHi, s.cpSrcLo, s.cpDstHi, s.cpDstLo, s.cpSrcPort, s.cpDstPort);
            HopLedger l = ledgers.get(probe);
            if (l != null) l.leaving(s.rtpSeq, s.frame);
        }
    }

    /** The streams followed, in order of their first arriving packet. */
    public List<HopLedger> ledgers() {
        return List.copyOf(order);
    }

    /** Streams seen past {@link #MAX_STREAMS}, not followed. */
    public long streamsNotFollowed() {
        return streamsNotFollowed;
    }

    /** A stream's identity: SSRC and the arriving copy's addresses and ports. Mutable for the probe only. */
    private static final class Key {
        long ssrc, srcHi, srcLo, dstHi, dstLo;
        int srcPort, dstPort;

        void set(long ssrc, long srcHi, long srcLo, long dstHi, long dstLo, int srcPort, int dstPort) {
            this.ssrc = ssrc;
            this.srcHi = srcHi;
            this.srcLo = srcLo;
            this.dstHi = dstHi;
            this.dstLo = dstLo;
            this.srcPort = srcPort;
            this.dstPort = dstPort;
        }

        Key copy() {
            Key k = new Key();
            k.set(ssrc, srcHi, srcLo, dstHi, dstLo, srcPort, dstPort);
            return k;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.ssrc == ssrc && k.srcHi == srcHi && k.srcLo == srcLo && k.dstHi == dstHi
                    && k.dstLo == dstLo && k.srcPort == srcPort && k.dstPort == dstPort;
        }

        @Override
        public int hashCode() {
            long h = ssrc * 31 + srcLo;
            h = h * 31 + srcHi;
            h = h * 31 + dstLo;
            h = h * 31 + dstHi;
            h = h * 31 + ((long) srcPort << 16 | dstPort);
            return Long.hashCode(h * 0x9E3779B97F4A7C15L);
        }
    }
}
