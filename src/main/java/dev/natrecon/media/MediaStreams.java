package dev.natrecon.media;

import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Packet;
import dev.natrecon.decode.Protocols;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The RTP and RTCP of one case, per capture side: every UDP frame of a side goes through {@link #frame}, in the
 * capture's order, and {@link #finish} gives one {@link StreamSummary} per stream and side.
 *
 * <p><b>What counts as RTP.</b> RFC 7983 section 7 demultiplexes by the first byte: 128-191 is RTP or RTCP (0-3 STUN,
 * 16-19 ZRTP, 20-63 DTLS, 64-79 TURN channels are not). Among those, a second byte 192-223 is RTCP (RFC 5761
 * section 4). A version-2 datagram with at least the 12-byte fixed header is RTP when an SDP seen on the same side
 * named its destination or source endpoint; otherwise it is taken by its shape, as Wireshark's RTP heuristic does,
 * only with an assigned payload type (RFC 3551 static 0-34 or dynamic 96-127; 72-76 would be RTCP) and both ports
 * above the system range (RFC 6335 section 6: 0-1023 belong to assigned services); such a heuristic stream is
 * reported only when at least {@link #MIN_HEURISTIC_PACKETS} of its packets followed their predecessor's sequence
 * number (a DNS or game datagram that happens to start with 0b10 does not do that).
 *
 * <p><b>Ties to calls.</b> See {@link SdpAdverts}: a stream belongs to the call whose SDP in force on the same side
 * named its destination ("sdp-destination") or, failing that, its source ("sdp-source": symmetric RTP, RFC 4961). A
 * stream that neither names, which is what latching produces (a peer that answers to wherever the media came from, a
 * NAT's translated port), is tied at the end when the stream the other way between the same two endpoints is tied
 * ("reverse"), or when a stream with the same SSRC on the other capture side is (the same stream through the router,
 * "ssrc"). Anything else stays untied: the SDP does not say, so natrecon does not guess.
 */
public final class MediaStreams {
    /**
     * Streams followed per case (both sides). A call has two to four per side; 50,000 streams cover over ten thousand
     * concurrent calls and cost a few hundred bytes each. Past it new streams are counted, not analysed
     * ({@link #streamsNotKept()}, reported as the {@code media.too_many_streams} limit). A case fed to one accumulator
     * per capture input splits it equally between them ({@link #MediaStreams(int)}).
     */
    public static final int MAX_STREAMS = 50_000;
    /** This accumulator's budget of full chart series (its share of {@link SeriesBudget#MAX_SERIES}). */
    private final SeriesBudget seriesBudget;
    /** This accumulator's share of {@link #MAX_STREAMS}. */
    private final int maxStreams;
    /** Packets in sequence that make a stream without SDP RTP (see the class comment). */
    static final int MIN_HEURISTIC_PACKETS = 3;
    /** RFC 3550 section 5.1: the fixed RTP header is 12 bytes. */
    private static final int RTP_HEADER = 12;

    private static final class Key {
        int side, srcPort, dstPort;
        long ssrc, srcHi, srcLo, dstHi, dstLo;

        Key set(int side, long ssrc, long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort) {
            this.side = side;
            this.ssrc = ssrc;
            this.srcHi = srcHi;
            this.srcLo = srcLo;
            this.srcPort = srcPort;
            this.dstHi = dstHi;
            this.dstLo = dstLo;
            this.dstPort = dstPort;
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.ssrc == ssrc && k.srcLo == srcLo && k.dstLo == dstLo && k.srcPort == srcPort
                    && k.dstPort == dstPort && k.side == side && k.srcHi == srcHi && k.dstHi == dstHi;
        }

        @Override
        public int hashCode() {
            long h = ssrc * 0x9E3779B97F4A7C15L ^ srcLo * 0xC2B2AE3D27D4EB4FL ^ dstLo * 0x165667B19E3779F9L
                    ^ srcHi * 31 ^ dstHi * 17 ^ ((long) srcPort << 17 | (long) dstPort << 1 | side);
            return (int) (h ^ h >>> 32);
        }
    }

    private final StreamIndex streams = new StreamIndex();
    /**
     * The stream each flow number last found ({@link dev.natrecon.correlate.FlowId#index}; a slot is right when its
     * stream's {@link RtpStream#flow} is the frame's flow and its SSRC and side the packet's): a frame of a stream
     * whose flow was seen before costs one comparison instead of the index's hash over eight fields. Frames without
     * a flow number ({@code FlowId.NONE}) ask the index.
     */
    private final RtpStream[] byFlow = new RtpStream[FLOW_SLOTS];
    /** Slots of {@link #byFlow}: a few times the streams of a busy site's side (100 calls: about 200). */
    private static final int FLOW_SLOTS = 1 << 12;
    /** The latest stream of each SSRC on each side ([side] map): what an RTCP report block is about. */
    private final List<Map<Long, RtpStream>> bySsrc = List.of(new HashMap<>(), new HashMap<>());
    private final SdpAdverts sdp;
    private final RtcpReader rtcp = new RtcpReader(this);
    private RtpStream last;
    /** The streams past {@link #maxStreams}, each counted once (by a 64-bit hash of its key). */
    private final dev.natrecon.correlate.DistinctLongs refused = new dev.natrecon.correlate.DistinctLongs();
    private long rtpPackets, rtcpPackets;

    /** The statistics of a whole case in one accumulator: every bound in full. */
    public MediaStreams() {
        this(1);
    }

    /**
     * One of {@code shares} accumulators of a case, one per capture input, each fed on its input's own thread
     * ({@link #finish(List)} joins them): each gets {@code 1/shares} of the case's bounds ({@link #MAX_STREAMS},
     * {@link SeriesBudget#MAX_SERIES}, {@link SdpAdverts#MAX_ENDPOINTS}), so what a bound keeps depends only on its
     * own input's frames and never on how the threads ran, and the case's memory stays what one accumulator's was.
     */
    public MediaStreams(int shares) {
        if (shares < 1) throw new IllegalArgumentException("shares " + shares);
        this.maxStreams = MAX_STREAMS / shares;
        this.seriesBudget = new SeriesBudget(SeriesBudget.MAX_SERIES / shares);
        this.sdp = new SdpAdverts(SdpAdverts.MAX_ENDPOINTS / shares);
    }

    /**
     * One frame of capture side {@code s.side}, in the capture's order: decoded, not on an interface that faces
     * neither side. {@code p} is its decoded view (the bytes are read now, nothing is kept); a SIP payload the engine
     * kept is {@code s.payload}; {@code s.flow} is the frame's flow number ({@link dev.natrecon.correlate.FlowId}: equal
     * numbers, equal tuples, among all the frames this accumulator is fed) or NONE.
     */
    public void frame(Seen s, Packet p) {
        if (s.side == null) return;
        frame(s.side, s.frame, s.nanos, s.captureNanos, s.flow, s.payload, p);
    }

    /**
     * {@link #frame(Seen, Packet)} with the frame's facts as arguments: frame {@code frame} of capture side
     * {@code sideOf}, at {@code nanos} (corrected) and {@code captureNanos} (the capture's clock), of flow {@code flow},
     * with the SIP payload the engine kept or null. The caller writes nothing per frame (a record written on every frame
     * by the decoding thread, allocated beside another thread's objects, cost a cache-line transfer per frame).
     */
    public void frame(Side sideOf, long frame, long nanos, long captureNanos, long flow, byte[] payload, Packet p) {
        if (p.protocol != Protocols.UDP || !p.hasPorts()) return;
        int side = sideOf.ordinal();
        if (payload != null) {
            sdp.sip(side, payload);
            return;
        }
        int len = p.payloadLength, o = p.payloadOffset;
        byte[] b = p.data;
        if (len < RTP_HEADER || o + len > b.length) return;
        int b0 = b[o] & 0xff;
        if (b0 < 128 || b0 > 191) return; // RFC 7983 section 7: not RTP/RTCP (STUN, ZRTP, DTLS, TURN, other)
        int b1 = b[o + 1] & 0xff;
        if (b1 >= 192 && b1 <= 223) {
            rtcpPackets++;
            rtcp.read(side, captureNanos, b, o, len);
            return;
        }
        long ssrc = ((b[o + 8] & 0xffL) << 24) | ((b[o + 9] & 0xff) << 16) | ((b[o + 10] & 0xff) << 8) | (b[o + 11] & 0xff);
        int slot = dev.natrecon.correlate.FlowId.index(flow, FLOW_SLOTS - 1);
        RtpStream st = flow != dev.natrecon.correlate.FlowId.NONE ? byFlow[slot] : last;
        if (st == null || (flow != dev.natrecon.correlate.FlowId.NONE ? st.flow != flow || st.ssrc != ssrc
                || st.side != side : st.ssrc != ssrc || st.side != side || st.srcPort != p.srcPort
                || st.dstPort != p.dstPort || st.srcLo != p.srcLo || st.dstLo != p.dstLo || st.srcHi != p.srcHi
                || st.dstHi != p.dstHi)) {
            st = streams.get(side, ssrc, p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort);
            if (st == null) {
                st = open(side, ssrc, p, b1 & 0x7f);
                if (st == null) return;
            }
            if (flow != dev.natrecon.correlate.FlowId.NONE) {
                st.flow = flow;
                byFlow[slot] = st;
            } else {
                last = st;
            }
        }
        rtpPackets++;
        st.packet(frame, nanos, captureNanos, b, o, len);
    }

    /** A new stream, or null when the packet is not taken as RTP or the bound is reached. */
    private RtpStream open(int side, long ssrc, Packet p, int pt) {
        SdpAdverts.Advert to = sdp.find(side, p.dstHi, p.dstLo, p.dstPort);
        SdpAdverts.Advert from = to != null ? null : sdp.find(side, p.srcHi, p.srcLo, p.srcPort);
        SdpAdverts.Advert ad = to != null ? to : from;
        if (ad == null && (!PayloadTypes.plausible(pt) || p.srcPort < 1024 || p.dstPort < 1024)) return null;
        if (streams.size() >= maxStreams) {
            // every packet of a stream past the bound arrives here again: count the stream once
            refused.add(refusedKey(side, ssrc, p));
            return null;
        }
        RtpStream st = new RtpStream(side, ssrc, p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort, ad != null,
                ad == null ? null : ad.dynamicNames(), ad == null ? null : ad.dynamicClocks());
        st.seriesBudget(seriesBudget);
        if (ad != null) {
            st.callId = ad.callId();
            st.tiedBy = to != null ? "sdp-destination" : "sdp-source";
        }
        streams.add(st);
        bySsrc.get(side).put(ssrc, st);
        return st;
    }

    /** A 64-bit hash of a stream's key (side, SSRC, both ends), each field spread by its own odd multiplier. */
    static long refusedKey(int side, long ssrc, Packet p) {
        long h = mix(side + 1, ssrc);
        h = mix(mix(h, p.srcHi), p.srcLo);
        h = mix(mix(h, p.dstHi), p.dstLo);
        return mix(h, (long) p.srcPort << 16 | p.dstPort);
    }

    private static long mix(long h, long v) {
        h = (h ^ v) * 0x9E3779B97F4A7C15L;
        return h ^ h >>> 29;
    }

    /** The latest stream of {@code ssrc} on {@code side}, or null (for RTCP). */
    RtpStream stream(int side, long ssrc) {
        return bySsrc.get(side).get(ssrc);
    }

    /** SDP endpoints not remembered because of {@link SdpAdverts#MAX_ENDPOINTS} (their streams may stay untied). */
    public long sdpEndpointsNotKept() {
        return sdp.notKept();
    }

    /** The bound on remembered SDP endpoints per case. */
    public static int maxSdpEndpoints() {
        return SdpAdverts.MAX_ENDPOINTS;
    }

    /** Streams not analysed because of this accumulator's share of {@link #MAX_STREAMS}. */
    public long streamsNotKept() {
        return refused.size();
    }

    /** RTP packets read into a stream, and RTCP datagrams read. */
    public long rtpPackets() {
        return rtpPackets;
    }

    public long rtcpPackets() {
        return rtcpPackets;
    }

    /**
     * After the last frame: the untied streams are tied where the evidence allows (see the class comment), heuristic
     * streams that never showed RTP's sequence are dropped, and the rest summarised in the order they began.
     */
    public List<StreamSummary> finish() {
        return finish(List.of(this));
    }

    /**
     * {@link #finish()} over the accumulators of one case's inputs, listed in the merge's input order, each fed its own
     * input's frames (every capture side in exactly one of them): the streams come in the order their first packets
     * have in the merged replay, which never reorders one input's frames and orders by corrected time with ties to the
     * input listed first, so they are sorted stably by their first corrected time, then their input.
     */
    public static List<StreamSummary> finish(List<MediaStreams> inputs) {
        List<RtpStream> all = new ArrayList<>();
        List<Integer> inputOf = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            for (RtpStream st : inputs.get(i).streams.inOrder()) {
                all.add(st);
                inputOf.add(i);
            }
        }
        if (inputs.size() > 1) {
            Integer[] order = new Integer[all.size()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            // stable: one input's streams keep their order, as the merge keeps one input's frames
            java.util.Arrays.sort(order, java.util.Comparator.<Integer>comparingLong(i -> all.get(i).firstNanos)
                    .thenComparingInt(inputOf::get));
            List<RtpStream> sorted = new ArrayList<>(all.size());
            for (Integer i : order) sorted.add(all.get(i));
            all.clear();
            all.addAll(sorted);
        }
        // the latest stream of each SSRC per side at the end, as each input's own map has it
        List<Map<Long, RtpStream>> latest = List.of(new HashMap<>(), new HashMap<>());
        for (MediaStreams m : inputs) {
            for (int side = 0; side < 2; side++) latest.get(side).putAll(m.bySsrc.get(side));
        }
        List<RtpStream> kept = new ArrayList<>();
        for (RtpStream st : all) {
            if (st.announced || st.inSequence >= MIN_HEURISTIC_PACKETS) kept.add(st);
        }
        Map<Key, RtpStream> tiedPaths = new HashMap<>();
        for (RtpStream st : kept) {
            if (st.tiedBy.startsWith("sdp")) {
                tiedPaths.putIfAbsent(new Key().set(st.side, 0, st.srcHi, st.srcLo, st.srcPort, st.dstHi, st.dstLo,
                        st.dstPort), st);
            }
        }
        Key probe = new Key();
        for (RtpStream st : kept) {
            if (!st.callId.isEmpty()) continue;
            RtpStream rev = tiedPaths.get(probe.set(st.side, 0, st.dstHi, st.dstLo, st.dstPort, st.srcHi, st.srcLo,
                    st.srcPort));
            if (rev != null) {
                st.callId = rev.callId;
                st.tiedBy = "reverse";
            }
        }
        for (RtpStream st : kept) {
            if (!st.callId.isEmpty()) continue;
            RtpStream other = latest.get(1 - st.side).get(st.ssrc);
            if (other != null && !other.callId.isEmpty() && overlaps(st, other)) {
                st.callId = other.callId;
                st.tiedBy = "ssrc";
            }
        }
        List<StreamSummary> out = new ArrayList<>(kept.size());
        for (RtpStream st : kept) out.add(st.summary(Side.values()[st.side].label()));
        return List.copyOf(out);
    }

    /** Whether two streams' lifetimes overlap (corrected times), with 2 s of slack for a path's delay. */
    private static boolean overlaps(RtpStream a, RtpStream b) {
        long slack = 2_000_000_000L;
        return a.firstNanos <= b.lastNanos + slack && b.firstNanos <= a.lastNanos + slack;
    }
}
