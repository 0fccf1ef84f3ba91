package dev.natrecon.media;

import dev.natrecon.correlate.Crossing;
import dev.natrecon.correlate.FlowRecord;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Addresses;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows every RTP stream across the router, one {@link HopLedger} per stream and direction, from the per-packet
 * {@link Crossing} records: the arriving copy counts on the ingress side (sequence, forwarded or lost, delay), the
 * leaving copy gives the order on the egress side. A stream is the SSRC with the addresses and ports of its arriving
 * copy (a leaving copy finds it through its counterpart's, which are the arriving copy's).
 *
 * <p>Per packet: one probe of an open-addressed index over primitive arrays (no key object, no allocation; about
 * 430 KB for {@link #MAX_STREAMS}), or, for a frame with a flow number, one slot of a cache keyed by it; per stream:
 * one ledger, at most {@link #MAX_STREAMS} of them (past that, their packets are counted, not followed).
 */
public final class HopAttribution {
    /** Streams followed at most (a bound on memory: a capture full of RTP-shaped UDP cannot grow it further). */
    public static final int MAX_STREAMS = 4096;
    /** RFC 3550 §11 / RFC 4566: RTP runs on dynamic ports; a well-known port (below 1024) is not media. */
    private static final int FIRST_MEDIA_PORT = 1024;
    /** Slots of the open-addressed index: a power of two at least twice {@link #MAX_STREAMS} (probes stay short). */
    private static final int SLOTS = 2 * MAX_STREAMS;

    /*
     * The index from a stream's identity (SSRC and the arriving copy's addresses and ports) to its ledger: linear
     * probing over one primitive array holding each slot's key fields side by side ({@link #KEY_FIELDS} longs, one
     * cache line), so a lookup reads one or two cache lines and no key object; slots are never freed (ledgers live to
     * the end).
     */
    /** Longs per slot in {@link #keys}: SSRC, source high/low, destination high/low, ports. */
    private static final int KEY_FIELDS = 6;
    private final long[] keys = new long[SLOTS * KEY_FIELDS];
    private final HopLedger[] slotLedger = new HopLedger[SLOTS];
    private final List<HopLedger> order = new ArrayList<>();
    /** The slot of the last stream found: a stream's packets often come in runs. */
    private int lastSlot = -1;
    /**
     * The last arriving copy (its capture side, frame number, SSRC) and its stream's ledger (null when not followed):
     * the leaving copy usually comes right after it and, being its counterpart, belongs to the same ledger without
     * a probe.
     */
    private Side lastArrivingSide;
    private long lastArrivingFrame, lastArrivingSsrc = -1;
    private HopLedger lastArrivingLedger;
    private long packetsNotFollowed;
    /*
     * A frame's flow record ({@link FlowRecord}, from its crossing) keeps the ledger found for the flow's SSRC (an
     * arriving copy) or for its SSRC and arriving tuple (a leaving copy): a flow number names one tuple of one file, so
     * with those it names the stream's whole key, and the answer never goes stale, since ledgers are never dropped from
     * the index. A frame without a record probes the index; an empty slot (a new stream, maybe not followed) is not
     * kept.
     */

    /** One frame after matching. */
    public void packet(Crossing c) {
        Seen s = c.seen();
        if (s.rtpSsrc < 0 || s.captureLabel != null || s.srcPort < FIRST_MEDIA_PORT || s.dstPort < FIRST_MEDIA_PORT) {
            return;
        }
        FlowRecord r = c.flowRecord();
        if (r != null && r.hopOwner != this) {
            r.hopOwner = this;
            r.hopLedger = r.hopOutLedger = null;
        }
        if (c.role() == Crossing.Role.ARRIVING) {
            int ports = s.srcPort << 16 | s.dstPort;
            HopLedger l;
            int i = -1;
            if (r != null && r.hopSsrc == s.rtpSsrc && r.hopLedger != null) {
                l = (HopLedger) r.hopLedger;
            } else {
                i = slot(s.rtpSsrc, s.srcHi, s.srcLo, s.dstHi, s.dstLo, ports);
                l = slotLedger[i];
            }
            lastArrivingSide = s.side;
            lastArrivingFrame = s.frame;
            lastArrivingSsrc = s.rtpSsrc;
            lastArrivingLedger = l;
            if (l == null) {
                if (order.size() >= MAX_STREAMS) {
                    packetsNotFollowed++;
                    return;
                }
                String egress = s.outcome == Outcome.ROUTED_BACK ? c.capture() : c.capture().equals("lan") ? "wan" : "lan";
                l = new HopLedger(s.rtpSsrc, c.outbound(), c.capture(), egress,
                        Addresses.endpoint(s.srcHi, s.srcLo, s.srcPort), Addresses.endpoint(s.dstHi, s.dstLo, s.dstPort));
                int k = i * KEY_FIELDS;
                keys[k] = s.rtpSsrc;
                keys[k + 1] = s.srcHi;
                keys[k + 2] = s.srcLo;
                keys[k + 3] = s.dstHi;
                keys[k + 4] = s.dstLo;
                keys[k + 5] = ports;
                slotLedger[i] = l;
                order.add(l);
                lastArrivingLedger = l;
            }
            if (r != null && i >= 0) {
                r.hopSsrc = s.rtpSsrc;
                r.hopLedger = l;
            }
            boolean forwarded = s.counterpartFrame != 0;
            l.arriving(s.rtpSeq, s.frame, s.nanos, forwarded, !forwarded && s.outcome == Outcome.NO_COUNTERPART,
                    forwarded ? s.counterpartDeltaNanos : 0);
        } else if (c.role() == Crossing.Role.LEAVING && s.counterpartFrame != 0) {
            Side arrivedOn = s.outcome == Outcome.ROUTED_BACK ? s.side : s.side.other();
            HopLedger l;
            if (s.counterpartFrame == lastArrivingFrame && arrivedOn == lastArrivingSide
                    && s.rtpSsrc == lastArrivingSsrc) {
                l = lastArrivingLedger;
            } else {
                int ports = s.cpSrcPort << 16 | s.cpDstPort;
                if (r != null && r.hopOutLedger != null && r.hopOutSsrc == s.rtpSsrc && r.hopOutPorts == ports
                        && r.hopOutSrcLo == s.cpSrcLo && r.hopOutDstLo == s.cpDstLo && r.hopOutSrcHi == s.cpSrcHi
                        && r.hopOutDstHi == s.cpDstHi) {
                    l = (HopLedger) r.hopOutLedger;
                } else {
                    l = slotLedger[slot(s.rtpSsrc, s.cpSrcHi, s.cpSrcLo, s.cpDstHi, s.cpDstLo, ports)];
                    if (l != null && r != null) {
                        r.hopOutSsrc = s.rtpSsrc;
                        r.hopOutSrcHi = s.cpSrcHi;
                        r.hopOutSrcLo = s.cpSrcLo;
                        r.hopOutDstHi = s.cpDstHi;
                        r.hopOutDstLo = s.cpDstLo;
                        r.hopOutPorts = ports;
                        r.hopOutLedger = l;
                    }
                }
            }
            if (l != null) l.leaving(s.rtpSeq, s.frame);
        }
    }

    /** The slot holding the stream, or the empty slot where it would go. Allocation-free. */
    private int slot(long ssrc, long srcHi, long srcLo, long dstHi, long dstLo, int ports) {
        int last = lastSlot;
        if (last >= 0 && same(last, ssrc, srcHi, srcLo, dstHi, dstLo, ports)) return last;
        long h = ssrc * 0x9E3779B97F4A7C15L ^ srcLo * 0xC2B2AE3D27D4EB4FL ^ dstLo * 0x165667B19E3779F9L ^ srcHi * 31
                ^ dstHi * 17 ^ ports;
        int mask = SLOTS - 1;
        int i = (int) (h ^ h >>> 29 ^ h >>> 47) & mask;
        while (slotLedger[i] != null && !same(i, ssrc, srcHi, srcLo, dstHi, dstLo, ports)) i = (i + 1) & mask;
        if (slotLedger[i] != null) lastSlot = i;
        return i;
    }

    private boolean same(int i, long ssrc, long srcHi, long srcLo, long dstHi, long dstLo, int ports) {
        int k = i * KEY_FIELDS;
        return keys[k] == ssrc && keys[k + 2] == srcLo && keys[k + 4] == dstLo && keys[k + 5] == ports
                && keys[k + 1] == srcHi && keys[k + 3] == dstHi && slotLedger[i] != null;
    }

    /** The streams followed, in order of their first arriving packet. */
    public List<HopLedger> ledgers() {
        return List.copyOf(order);
    }

    /** Arriving packets of streams past {@link #MAX_STREAMS} (each of their packets counts), not followed. */
    public long packetsNotFollowed() {
        return packetsNotFollowed;
    }
}
