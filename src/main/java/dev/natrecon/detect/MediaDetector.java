package dev.natrecon.detect;

import dev.natrecon.correlate.Crossing;
import dev.natrecon.correlate.FlowRecord;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.Protocols;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The media of each call (INVITE dialog, by Call-ID) across the NAT: {@code rtp.one_way}, {@code rtp.asymmetric},
 * {@code rtp.sdp_private_address_on_wan}, {@code rtp.no_media_after_answer}.
 *
 * <p>Each SDP in an INVITE dialog (INVITE, its responses, ACK, UPDATE, PRACK) names the media endpoint of its sender:
 * the <em>phone</em> (the party behind the router, whose messages go LAN → WAN) or the <em>remote</em> (the party on the
 * WAN side). Each capture's copy is read on its own, so each side knows the endpoints as they were written there (before
 * or after the ALG). RTP is not parsed: a UDP packet without SIP payload belongs to a call's media when its destination
 * is one of the call's SDP endpoints as that side's copy advertises it, or when its counterpart's destination is; the
 * router's translation of the phone's media source (learnt from matched packets) counts as the phone's endpoint on the
 * WAN, since a latching remote sends there. Packets are counted per side and direction (to the phone, to the remote),
 * with their sources. State is kept per live call and is dropped {@link #END_GRACE_NANOS} after its BYE (or CANCEL, or
 * failure response); the rest is judged at the end of the captures.
 */
final class MediaDetector implements Detector {
    private final SipFacts.Memo sipFacts;
    /**
     * One capture of one side: which party sent a SIP message is told by its source (the INVITE's sender's address
     * or not), since nothing crosses the router to tell outbound from inbound.
     */
    private final boolean oneSide;
    /** One capture: the answered calls it holds no media of, one finding for them all (see {@link MedialessCalls}). */
    private static final String CANNOT_TELL = "either the calls had no media or the capture left it out (a SIP-only "
            + "filter, another interface); cannot tell which.";
    private final MedialessCalls medialessCallMedia = new MedialessCalls(MediaRules.CALL_MEDIA, Severity.INFO,
            "calls without media in this capture", "answered calls of which this one capture holds no RTP in either direction", CANNOT_TELL);
    private final MedialessCalls medialessNoMedia = new MedialessCalls(MediaRules.NO_MEDIA, Severity.INFO,
            "calls without media in this capture", "answered calls without any RTP in either direction after their 200 OK in this one capture", CANNOT_TELL);
    private final MedialessCalls tooShort = new MedialessCalls(MediaRules.NO_MEDIA, Severity.INFO,
            "calls too short to judge", "answered calls that ended within the answer window without any RTP in either direction",
            "too short to judge (media is expected within " + ANSWER_WINDOW_NANOS / 1_000_000_000L + " s of the answer).");

    MediaDetector(SipFacts.Memo sipFacts) {
        this(sipFacts, false);
    }

    /** {@code oneSide}: the replay holds one capture of one side ({@link OneSide}). */
    MediaDetector(SipFacts.Memo sipFacts, boolean oneSide) {
        this.sipFacts = sipFacts;
        this.oneSide = oneSide;
    }

    /**
     * A direction with no RTP this long after the 200 OK is reported; and a direction missing for the whole call is
     * one-way only when it had this long to appear. Phones send RTP within a packetization interval of the answer
     * (20 ms, RFC 3551's default ptime); 2 s also covers a few lost first packets, a jitter buffer's start and a peer
     * that latches (sends once the other's first packet arrived).
     */
    static final long ANSWER_WINDOW_NANOS = 2_000_000_000L;
    /**
     * The packets the flowing direction must carry before a call is called one-way: RFC 3550 A.1's MIN_SEQUENTIAL
     * (a receiver takes a source as valid only after 2 packets in sequence). A lone packet is no stream: a late packet
     * of the port's previous call, a NAT keep-alive or hole-punching packet, a B2BUA's probe before it re-INVITEs the
     * media elsewhere; below this the call gets an info saying it cannot tell.
     */
    static final int ONE_WAY_MIN_PACKETS = 2;
    /** Media after a BYE still counts for this long; then the call is judged and forgotten. */
    static final long END_GRACE_NANOS = 2_000_000_000L;


    private static final int PHONE = 0, REMOTE = 1;
    private static final String[] PARTY = {"phone", "remote"};

    /**
     * Calls followed at once. A call is forgotten once judged (ended plus a grace period); one that never ends (an
     * INVITE flood, a capture cut mid-call) stays. 20,000 concurrent calls is beyond any site a support engineer sees
     * (a big PBX carries a few thousand); past it the oldest call is judged at the current time and forgotten
     * ({@code detect.too_many_calls}).
     */
    static final int MAX_CALLS = 20_000;

    private final Map<String, Call> calls = new LinkedHashMap<>();
    /**
     * The calls that ended, by their end (ties: the order they began): {@link #judgeEnded} takes the due ones from its
     * head instead of walking every open call on each SIP message. A call evicted meanwhile is skipped there.
     */
    private final java.util.PriorityQueue<Call> ended = new java.util.PriorityQueue<>(
            java.util.Comparator.comparingLong((Call c) -> c.end).thenComparingLong(c -> c.seq));
    /** Calls begun so far: each call's {@link Call#seq}. */
    private long callsBegun;
    private long callsEvicted;
    private final Map<String, Long> notKept = new java.util.TreeMap<>();
    private final Map<String, Integer> keptPerRule = new HashMap<>();
    /** Where each SDP endpoint's media goes, by side, address and port: one primitive-keyed lookup per RTP packet. */
    private final EndpointIndex<Target> endpoints = new EndpointIndex<>();
    private final List<Finding> judged = new ArrayList<>();
    /** calls.csv's rows and the media stops found as calls are judged. */
    private final CallTable table = new CallTable();
    /** Last time of each side's capture (LAN, WAN), known at {@link #finish}; until then the calls' own ends. */
    private final long[] sideEnd = {Long.MAX_VALUE, Long.MAX_VALUE};


    /**
     * Where an endpoint's media goes: party {@code to} of {@code call}, with that party's streams and its sender's SDP
     * in force per side ([side]) taken out of the call once, so the per-packet path reads them without walking the
     * call's arrays.
     */
    private static final class Target {
        final Call call;
        final int to;
        /** The streams to party {@code to} and its sender's SDP in force, on the LAN (0) and the WAN (1). */
        final Stream lanStream, wanStream;
        final SdpInForce lanSenderSdp, wanSenderSdp;

        Target(Call call, int to) {
            this.call = call;
            this.to = to;
            lanStream = call.streams[0][to];
            wanStream = call.streams[1][to];
            lanSenderSdp = call.inForce[0][1 - to];
            wanSenderSdp = call.inForce[1][1 - to];
        }

        Stream stream(int side) {
            return side == 0 ? lanStream : wanStream;
        }

        SdpInForce senderSdp(int side) {
            return side == 0 ? lanSenderSdp : wanSenderSdp;
        }
    }

    /** An endpoint registered for a call (made when an SDP or a latching source names it, never per packet). */
    private record Key(int side, long hi, long lo, int port) {
    }

    /** RTP to one party as one side shows it. */
    static final class Stream {
        long packets, first = -1, last, lastFrame;
        /** The phone's translated source last registered as a latching target (LAN streams to the remote). */
        long latchHi, latchLo;
        int latchPort = -1;
        /** The first frames (at most 5) and distinct sources (at most 4), in primitive arrays: no box per packet. */
        final long[] frames = new long[5];
        final long[] sourceHi = new long[4], sourceLo = new long[4];
        final int[] sourcePort = new int[4];
        int frameCount, sourceCount;
        /**
         * The source of the last packet once it is among {@link #sourceHi} (port -1 before): a stream's packets nearly
         * all come from one source, and this object's own fields answer for it without reading the three arrays.
         */
        long knownHi, knownLo;
        int knownPort = -1;
        /** Sources that did not fit the sender's SDP in force when they were seen (distinct, at most 8). */
        final List<OffSdp> offSdp = new ArrayList<>(2);

        void count(Seen s) {
            if (packets++ == 0) first = s.nanos;
            last = s.nanos;
            lastFrame = s.frame;
            if (frameCount < frames.length) frames[frameCount++] = s.frame;
            long hi = s.srcHi, lo = s.srcLo;
            int port = s.srcPort;
            if (sourceCount < sourcePort.length && (knownPort != port || knownLo != lo || knownHi != hi)) {
                knownHi = hi;
                knownLo = lo;
                knownPort = port;
                for (int i = 0; i < sourceCount; i++) {
                    if (sourceHi[i] == hi && sourceLo[i] == lo && sourcePort[i] == port) return;
                }
                sourceHi[sourceCount] = hi;
                sourceLo[sourceCount] = lo;
                sourcePort[sourceCount++] = port;
            }
        }

        void frames(Finding.Builder b, int side) {
            for (int i = 0; i < frameCount; i++) b.frame(side == 0 ? "lan" : "wan", frames[i]);
        }

        /** A packet whose source did not fit {@code advertised}, the sender's endpoint in force then. */
        void offSdp(Seen s, SipFacts.Host advertised) {
            for (OffSdp o : offSdp) {
                if (o.hi() == s.srcHi && o.lo() == s.srcLo && o.port() == s.srcPort && o.advertised() == advertised) return;
            }
            if (offSdp.size() < 8) offSdp.add(new OffSdp(s.srcHi, s.srcLo, s.srcPort, advertised, s.frame));
        }
    }

    /** A private address in an SDP on the WAN. */
    private record PrivateSdp(int party, long wanFrame, long lanFrame, long nanos, String field, String address) {
    }

    static final class Call {
        final String callId;
        /** The signalling facts of calls.csv; {@code evicted}: judged early, past {@link #MAX_CALLS}. */
        final CallFacts facts = new CallFacts();
        boolean evicted;
        long answer = -1, answerFrameLan, answerFrameWan, end = -1, inviteNanos;
        /** What ended the call: BYE, CANCEL or the final failure response. */
        String endMethod = "";
        long inviteFrameLan, inviteFrameWan;
        /** [side][party]: the SDP endpoint as that side's copy advertises it, with its frame. */
        final SipFacts.Host[][] sdp = new SipFacts.Host[2][2];
        final long[][] sdpFrame = new long[2][2];
        /** [side][party]: the SDP in force over time, for judging each media packet against its own period. */
        final SdpInForce[][] inForce = {{new SdpInForce(), new SdpInForce()}, {new SdpInForce(), new SdpInForce()}};
        /** [side]: the last 2xx to an INVITE or UPDATE (the last completed offer/answer). */
        final long[] lastAccepted = {Long.MIN_VALUE, Long.MIN_VALUE};
        /** [side][to party]. */
        final Stream[][] streams = {{new Stream(), new Stream()}, {new Stream(), new Stream()}};
        final List<PrivateSdp> privateOnWan = new ArrayList<>();
        final List<Key> keys = new ArrayList<>(4);
        /** One side's capture: the INVITE's sender and whether it is the phone (else the callee is). */
        SipFacts.Host caller;
        boolean phoneIsCaller;

        /** The order the call began in (the order {@link #calls} holds them). */
        final long seq;

        Call(String callId, long seq) {
            this.callId = callId;
            this.seq = seq;
        }
    }

    @Override
    public List<Rule> rules() {
        return List.of(MediaRules.ONE_WAY, MediaRules.ASYMMETRIC, MediaRules.SDP_PRIVATE, MediaRules.NO_MEDIA,
                MediaRules.CALL_MEDIA, MediaRules.MEDIA_STOPPED, MediaRules.JITTER);
    }

    /** One side's capture: the side it shows (-1 until its first frame), for counts that name no other side. */
    private int onlySide = -1;

    /** The current crossing's destination inside-ness (read by {@link #sip} for the INVITE). */
    private boolean lastDstInside;

    @Override
    public void packet(Crossing c) {
        Seen s = c.seen();
        if (s.captureLabel != null || s.side == null) return;
        lastDstInside = c.dstInside();
        if (oneSide) onlySide = s.side.ordinal();
        if (s.payload != null) {
            SipFacts f = sipFacts.of(c);
            if (f != null) sip(s, f);
            return;
        }
        if (s.protocol != Protocols.UDP || !s.hasPorts || s.rtcp || endpoints.isEmpty()) return;
        int side = s.side.ordinal();
        FlowRecord r = c.flowRecord();
        Target t = endpoints.get(r, side, s.dstHi, s.dstLo, s.dstPort);
        if (t == null && s.counterpartFrame != 0) t = endpoints.getVia(r, 1 - side, s.cpDstHi, s.cpDstLo, s.cpDstPort);
        if (t == null) return;
        Stream st = t.stream(side);
        st.count(s);
        checkSource(t, side, st, s);
        // the phone's media source after the router: where a latching remote sends
        if (t.to == REMOTE && s.side == Side.LAN && s.counterpartFrame != 0
                && (st.latchPort != s.cpSrcPort || st.latchHi != s.cpSrcHi || st.latchLo != s.cpSrcLo)) {
            // registered once per translated source, not per packet
            st.latchHi = s.cpSrcHi;
            st.latchLo = s.cpSrcLo;
            st.latchPort = s.cpSrcPort;
            register(t.call, new Key(Side.WAN.ordinal(), s.cpSrcHi, s.cpSrcLo, s.cpSrcPort), PHONE, false);
        }
    }

    /** Records the packet's source when it does not fit the sender's SDP in force on its side (allocation-free if it fits). */
    private static void checkSource(Target t, int side, Stream st, Seen s) {
        SdpInForce sdp = t.senderSdp(side);
        if (sdp.fits(s.srcHi, s.srcLo, s.srcPort, s.nanos)) return;
        int own = 1 - t.to == PHONE ? 0 : 1;
        // on the far side only a public advertised address says what the router's rewrite promised
        if (side != own && sdp.current().isInside()) return;
        st.offSdp(s, sdp.current());
    }

    /**
     * Maps {@code k} to {@code party} of {@code c}. An SDP endpoint ({@code replace}) takes over a key from a call that
     * has ended and is in its grace period (a port reused by a newer call); a key of a call still running stays with
     * it (two live calls that advertise one endpoint cannot be told apart by destination: the first keeps it).
     */
    private void register(Call c, Key k, int party, boolean replace) {
        if (k.port() <= 0 || k.port() > 65535) return;
        Target old = endpoints.get(k.side(), k.hi(), k.lo(), k.port());
        if (old != null && (!replace || old.call == c || old.call.end < 0)) return;
        endpoints.put(k.side(), k.hi(), k.lo(), k.port(), new Target(c, party));
        c.keys.add(k);
    }

    private void sip(Seen s, SipFacts f) {
        judgeEnded(s.nanos);
        Call c = calls.get(f.callId());
        boolean invite = "INVITE".equalsIgnoreCase(f.cseqMethod());
        if (c == null) {
            if (!f.request() || !"INVITE".equals(f.method())) return;
            if (calls.size() >= MAX_CALLS) {
                Map.Entry<String, Call> oldest = calls.entrySet().iterator().next();
                calls.remove(oldest.getKey());
                oldest.getValue().evicted = true;
                judge(oldest.getValue(), oldest.getValue().end >= 0 ? oldest.getValue().end : s.nanos);
                callsEvicted++;
            }
            c = new Call(f.callId(), callsBegun++);
            c.inviteNanos = s.nanos;
            c.caller = f.source();
            // the phone is the party behind the router: the callee when only it is inside, else the caller
            c.phoneIsCaller = f.source().isInside() || !lastDstInside;
            calls.put(f.callId(), c);
        }
        int side = s.side.ordinal();
        int sender = !oneSide ? (f.outbound() ? PHONE : REMOTE)
                : c.caller != null && f.source().sameAddress(c.caller.hi(), c.caller.lo()) == c.phoneIsCaller ? PHONE
                : REMOTE;
        c.facts.sip(f, sender, c.phoneIsCaller, c.answer >= 0);
        if (f.request() && "INVITE".equals(f.method())) {
            if (s.side == Side.LAN && c.inviteFrameLan == 0) c.inviteFrameLan = s.frame;
            if (s.side == Side.WAN && c.inviteFrameWan == 0) c.inviteFrameWan = s.frame;
        }
        if (f.hasSdp()) sdp(c, s, f, side, sender);
        boolean offerAnswer = invite || "UPDATE".equalsIgnoreCase(f.cseqMethod());
        if (!f.request() && offerAnswer && f.status() >= 200) {
            // the offer of the request this answers (sent by the other party) took effect, or did not
            if (f.status() < 300) c.lastAccepted[side] = s.nanos;
            else if (c.answer >= 0) c.inForce[side][1 - sender].revertSince(c.lastAccepted[side]);
        }
        if (!f.request() && invite && f.status() >= 200 && f.status() < 300) {
            if (c.answer < 0 || s.nanos < c.answer) c.answer = s.nanos;
            if (s.side == Side.LAN && c.answerFrameLan == 0) c.answerFrameLan = s.frame;
            if (s.side == Side.WAN && c.answerFrameWan == 0) c.answerFrameWan = s.frame;
        } else if (!f.request() && invite && f.status() >= 300 && c.answer < 0 && !challenge(f.status())
                || f.request() && ("BYE".equals(f.method()) || "CANCEL".equals(f.method()) && c.answer < 0)) {
            if (c.end < 0) {
                c.end = s.nanos;
                c.endMethod = f.request() ? f.method() : f.status() + " response";
                ended.add(c);
            }
        }
    }

    private void sdp(Call c, Seen s, SipFacts f, int side, int sender) {
        SipFacts.Media audio = null;
        for (SipFacts.Media m : f.media()) {
            if (m.endpoint().port() <= 0) continue;
            if (audio == null) audio = m;
            // an address the WAN packet itself comes from, translated (the router's) or the remote's own, is as
            // reachable as the signalling: not a leak even when private (a carrier NAT's WAN)
            boolean ownSource = s.outcome != dev.natrecon.correlate.Outcome.LEAKED
                    && m.endpoint().sameAddress(s.srcHi, s.srcLo);
            if (s.side == Side.WAN && m.endpoint().leaksOnWan() && !ownSource) {
                c.privateOnWan.add(new PrivateSdp(sender, s.frame, s.counterpartFrame, s.nanos,
                        "c= (sdp." + m.field() + ") of m=" + m.type() + " " + m.endpoint().port(), m.endpoint().host()));
            }
        }
        if (audio == null || !audio.endpoint().literal()) return;
        SipFacts.Host h = audio.endpoint();
        c.inForce[side][sender].advertise(h, audio.direction(), s.nanos);
        c.sdp[side][sender] = h;
        c.sdpFrame[side][sender] = s.frame;
        register(c, new Key(side, h.hi(), h.lo(), h.port()), sender, true);
    }

    /**
     * 401 and 407 ask for credentials: the caller retries the INVITE in the same call (RFC 3261 §22.2-22.3), so the
     * call does not end there.
     */
    private static boolean challenge(int status) {
        return status == 401 || status == 407;
    }

    /** Judges and forgets calls that ended more than the grace period before {@code now}. */
    private void judgeEnded(long now) {
        if (ended.isEmpty() || now - ended.peek().end <= END_GRACE_NANOS) return;
        List<Call> due = new ArrayList<>();
        while (!ended.isEmpty() && now - ended.peek().end > END_GRACE_NANOS) {
            Call c = ended.poll();
            if (calls.get(c.callId) == c) due.add(c);
        }
        due.sort(java.util.Comparator.comparingLong(c -> c.seq)); // judged in the order they began
        for (Call c : due) {
            calls.remove(c.callId);
            judge(c, c.end);
        }
    }

    private void judge(Call c, long end) {
        for (Key k : c.keys) {
            Target t = endpoints.get(k.side(), k.hi(), k.lo(), k.port());
            if (t != null && t.call == c) {
                endpoints.remove(k.side(), k.hi(), k.lo(), k.port());
            }
        }
        table.add(c, end, sideEnd, at -> base(MediaRules.MEDIA_STOPPED, c, c.answer, at));
        if (c.answer < 0) return;
        if (oneSide) callMedia(c, end);
        oneWayAndNoMedia(c, end);
        asymmetric(c);
        privateSdp(c);
    }

    /** One side's capture: the call's media per direction, with the SDP endpoints and the sources seen. */
    private void callMedia(Call c, long end) {
        List<String> ways = new ArrayList<>();
        Finding.Builder b = base(MediaRules.CALL_MEDIA, c, c.answer, end);
        for (int side = 0; side < 2; side++) {
            for (int to = 0; to < 2; to++) {
                SipFacts.Host sdp = c.sdp[side][to];
                Stream st = c.streams[side][to];
                if (sdp == null && st.packets == 0) continue;
                List<String> from = new ArrayList<>();
                for (int i = 0; i < st.sourceCount; i++) {
                    from.add(Addresses.format(st.sourceHi[i], st.sourceLo[i]) + ":" + st.sourcePort[i]);
                }
                String way = String.format(Locale.ROOT, "to the %s (SDP %s): %d packets%s", PARTY[to],
                        sdp == null ? "none" : sdp.text(), st.packets, from.isEmpty() ? "" : " from " + String.join(", ", from));
                ways.add(way);
                b.detail(PARTY[to] + " media", way);
                st.frames(b, side);
            }
        }
        Finding f = b.message("Call " + c.callId + ": " + String.join("; ", ways) + ".").build();
        boolean anyMedia = false;
        for (int side = 0; side < 2; side++) for (int to = 0; to < 2; to++) anyMedia |= c.streams[side][to].packets > 0;
        if (anyMedia) keep(f);
        else medialessCallMedia.add(f);
    }

    private long count(Call c, int side, int to) {
        return c.streams[side][to].packets;
    }

    private String counts(Call c) {
        if (oneSide && onlySide >= 0) return String.format(Locale.ROOT, "%s capture: %d to the phone, %d to the remote",
                onlySide == 0 ? "LAN" : "WAN", count(c, onlySide, PHONE), count(c, onlySide, REMOTE));
        return String.format(Locale.ROOT, "LAN: %d to the phone, %d to the remote; WAN: %d to the phone, %d to the remote",
                count(c, 0, PHONE), count(c, 0, REMOTE), count(c, 1, PHONE), count(c, 1, REMOTE));
    }

    private Finding.Builder base(Rule rule, Call c, long from, long to) {
        Finding.Builder b = Finding.of(rule).at(from).at(Math.max(from, to)).subject("call " + c.callId)
                .frame("lan", c.inviteFrameLan).frame("wan", c.inviteFrameWan)
                .frame("lan", c.answerFrameLan).frame("wan", c.answerFrameWan)
                .detail("Call-ID", c.callId);
        for (int side = 0; side < 2; side++) {
            String label = side == 0 ? "lan" : "wan";
            StringBuilder f = new StringBuilder("sip.Call-ID == \"" + c.callId.replace("\"", "\\\"") + "\"");
            for (int p = 0; p < 2; p++) {
                SipFacts.Host h = c.sdp[side][p];
                if (h != null) f.append(" || (").append(DisplayFilters.endpoint(Protocols.UDP, h.hi(), h.lo(), h.port())).append(")");
                b.detail(label + " SDP " + PARTY[p], h == null ? "none" : h.text());
            }
            b.filter(label, f.toString());
        }
        b.detail("RTP packets", counts(c));
        return b;
    }

    private void streamFrames(Finding.Builder b, Call c, int to) {
        for (int side = 0; side < 2; side++) {
            c.streams[side][to].frames(b, side);
        }
    }

    private void oneWayAndNoMedia(Call c, long end) {
        boolean oneWay = false;
        Finding notJudged = null;
        boolean held = false;
        for (int side = 0; side < 2; side++) for (int p = 0; p < 2; p++) held |= c.inForce[side][p].everHeld();
        for (int side = 0; side < 2 && !oneWay; side++) {
            for (int to = 0; to < 2; to++) {
                if (count(c, side, to) == 0 && count(c, side, 1 - to) > 0) {
                    // the missing direction had to have time to appear: after the answer and the other's first packet
                    long from = Math.max(c.answer, c.streams[side][1 - to].first);
                    long until = Math.min(end, sideEnd[side]);
                    boolean enough = count(c, side, 1 - to) >= ONE_WAY_MIN_PACKETS;
                    if (!held && enough && until - from >= ANSWER_WINDOW_NANOS) {
                        oneWay = true;
                        keep(oneWay(c, to, end));
                        break;
                    }
                    if (notJudged == null) notJudged = oneWayNotJudged(c, side, to, from, until, held, enough);
                }
            }
        }
        if (!oneWay && notJudged != null) keep(notJudged);
        long[] first = new long[2];
        for (int to = 0; to < 2; to++) {
            first[to] = -1;
            for (int side = 0; side < 2; side++) {
                long t = c.streams[side][to].first;
                if (t >= 0 && (first[to] < 0 || t < first[to])) first[to] = t;
            }
        }
        long window = c.answer + ANSWER_WINDOW_NANOS;
        boolean late0 = first[0] < 0 || first[0] > window, late1 = first[1] < 0 || first[1] > window;
        if (!late0 && !late1) return;
        if (end - c.answer < ANSWER_WINDOW_NANOS) {
            if (first[0] < 0 && first[1] < 0) {
                Consumer<Finding> to = oneSide ? tooShort::add : this::keep; // one capture: one finding for them all
                to.accept(base(MediaRules.NO_MEDIA, c, c.answer, end).severity(Severity.INFO)
                        .message(String.format(Locale.ROOT, "Call %s was answered %.3f s before %s, without any RTP in "
                                        + "either direction on either side: too short to judge (media is expected within "
                                        + "%.0f s of the answer).", c.callId, (end - c.answer) / 1e9,
                                c.end >= 0 && c.end <= end ? "its " + c.endMethod : "the end of the captures",
                                ANSWER_WINDOW_NANOS / 1e9))
                        .build());
            }
            return;
        }
        List<String> missing = new ArrayList<>();
        for (int to = 0; to < 2; to++) {
            boolean late = to == 0 ? late0 : late1;
            if (!late) continue;
            if (first[to] < 0 && first[1 - to] >= 0) continue; // one way for the whole call: rtp.one_way
            missing.add(first[to] < 0 ? "to the " + PARTY[to] + " never"
                    : String.format(Locale.ROOT, "to the %s only %.3f s after the answer", PARTY[to], (first[to] - c.answer) / 1e9));
        }
        if (missing.isEmpty()) return;
        if (first[0] < 0 && first[1] < 0) missing = List.of("no RTP in either direction on either side for the "
                + String.format(Locale.ROOT, "%.3f s", (end - c.answer) / 1e9) + " the call lasted after it");
        Finding.Builder b = base(MediaRules.NO_MEDIA, c, c.answer, end);
        if (oneSide && first[0] < 0 && first[1] < 0) {
            // one capture without any of the call's media: the call had none, or the capture left it out (a
            // SIP-only filter, another interface); that capture cannot tell which
            medialessNoMedia.add(b.severity(Severity.INFO).message(String.format(Locale.ROOT, "Call %s: this one "
                    + "capture holds no RTP of the call in either direction for the %.3f s after its 200 OK: either the "
                    + "call had no media or the capture left it out (a SIP-only filter, another interface); cannot tell "
                    + "which.", c.callId, (end - c.answer) / 1e9)).build());
            return;
        }
        // a direction that started late did flow: clipped audio at the start, a warning; an error is for media absent
        boolean onlyLate = true;
        for (int to = 0; to < 2; to++) if ((to == 0 ? late0 : late1) && first[to] < 0) onlyLate = false;
        if (onlyLate) b.severity(Severity.WARNING);
        if (!onlyLate) {
            // a direction absent from both of the router's captures never reached the router
            b.detail("lost where", oneSide ? "cannot tell: one capture (the other side's is needed)"
                    : "before the router: none of the missing media reached either of the router's captures (not sent, "
                    + "or sent elsewhere)");
        }
        b
                .message(String.format(Locale.ROOT, "No RTP within %.0f s of the 200 OK of call %s: %s%s.",
                        ANSWER_WINDOW_NANOS / 1e9, c.callId, String.join("; ", missing),
                        onlyLate ? " (it did flow later: the start of the call was silent)" : ""));
        streamFrames(b, c, PHONE);
        streamFrames(b, c, REMOTE);
        keep(b.build());
    }

    /** A one-way stream without the evidence for {@code rtp.one_way}: an info saying why it is not judged. */
    private Finding oneWayNotJudged(Call c, int side, int missing, long from, long until, boolean held,
                                    boolean enough) {
        // media to `missing` is absent: it is the other party that did not send; the flowing direction goes to `other`
        int other = 1 - missing;
        long flowed = count(c, side, other);
        List<String> why = new ArrayList<>(3);
        if (held) {
            why.add("an SDP of the call put the media on hold or made it one-way (sendonly, recvonly, inactive or "
                    + "c=0.0.0.0), so one direction only may be what was negotiated");
        }
        if (!enough) {
            why.add(String.format(Locale.ROOT, "the flowing direction carried only %d RTP packet%s, not a stream (at "
                    + "least %d needed, RFC 3550 A.1): a stray packet does not show that media was set up", flowed,
                    flowed == 1 ? "" : "s", ONE_WAY_MIN_PACKETS));
        }
        if (until - from < ANSWER_WINDOW_NANOS) {
            why.add(String.format(Locale.ROOT, "the %s had only %.3f s to send its media before %s (%.0f s needed)",
                    PARTY[other], Math.max(0, until - from) / 1e9, c.end >= 0 && c.end <= until
                            ? "the call's " + c.endMethod : "the end of the " + (side == 0 ? "LAN" : "WAN") + " capture",
                    ANSWER_WINDOW_NANOS / 1e9));
        }
        Finding.Builder b = base(MediaRules.ONE_WAY, c, c.answer, Math.max(c.answer, until)).severity(Severity.INFO)
                .message(String.format(Locale.ROOT, "Call %s: media flowed only from the %s to the %s on the %s side, "
                        + "but not enough to judge it one-way: %s (%s).", c.callId, PARTY[missing], PARTY[other],
                        side == 0 ? "LAN" : "WAN", String.join("; ", why), counts(c)));
        streamFrames(b, c, other);
        return b.build();
    }

    private Finding oneWay(Call c, int missing, long end) {
        int other = 1 - missing;
        long lan = count(c, 0, missing), wan = count(c, 1, missing);
        String where;
        if (oneSide) {
            where = "where the missing direction was lost (before the router, at it or after it) needs the other "
                    + "side's capture";
        } else if (missing == PHONE) {
            where = wan > 0 && lan == 0 ? String.format(Locale.ROOT, "the remote's media reached the router's WAN (%d "
                    + "packets) but none was forwarded to the phone on the LAN", wan)
                    : wan == 0 && lan == 0 ? "no media to the phone reached the router's WAN: the remote sent it "
                    + "elsewhere or not at all (check the SDP it received on the WAN"
                    + (c.sdp[1][PHONE] == null ? "" : ": " + c.sdp[1][PHONE].text()) + ")"
                    : String.format(Locale.ROOT, "media to the phone: LAN %d, WAN %d packets", lan, wan);
        } else {
            where = lan > 0 && wan == 0 ? String.format(Locale.ROOT, "the phone sent media (%d packets on the LAN) but "
                    + "none left the router's WAN", lan)
                    : lan == 0 && wan == 0 ? "the phone sent no media to the remote's SDP endpoint"
                    + (c.sdp[0][REMOTE] == null ? "" : " " + c.sdp[0][REMOTE].text())
                    : String.format(Locale.ROOT, "media to the remote: LAN %d, WAN %d packets", lan, wan);
        }
        Finding.Builder b = base(MediaRules.ONE_WAY, c, c.answer, end).message(String.format(Locale.ROOT,
                "Call %s: media flowed only from the %s to the %s; %s (%s).", c.callId, PARTY[missing], PARTY[other],
                where, counts(c))).detail("lost where", hop(missing, lan, wan));
        streamFrames(b, c, other);
        streamFrames(b, c, missing);
        return b.build();
    }

    /**
     * Where the missing direction's media was lost, as far as the captures show: "at the router" when it reached the
     * router's capture on the sender's side and not the other; before the router when the sender's side holds none;
     * "cannot tell" with one capture (or copies on both sides, which a missing direction does not have).
     */
    private String hop(int missing, long lan, long wan) {
        if (oneSide) return "cannot tell: one capture (the other side's is needed)";
        long senderSide = missing == PHONE ? wan : lan, receiverSide = missing == PHONE ? lan : wan;
        String sender = PARTY[1 - missing];
        if (senderSide > 0 && receiverSide == 0) return "at the router (it reached the router and was not forwarded)";
        if (senderSide == 0 && receiverSide == 0) {
            return "before the router (none reached it from the " + sender + ": not sent, or sent elsewhere)";
        }
        return "cannot tell";
    }

    private void asymmetric(Call c) {
        for (int sender = 0; sender < 2; sender++) {
            int to = 1 - sender;
            int own = sender == PHONE ? 0 : 1, far = 1 - own;
            // the sender's own side first: there a difference is the endpoint's; after the router, the rewrite's
            int side = !c.streams[own][to].offSdp.isEmpty() ? own : !c.streams[far][to].offSdp.isEmpty() ? far : -1;
            if (side < 0) continue;
            List<OffSdp> off = c.streams[side][to].offSdp;
            String sides = side == 0 ? "LAN" : "WAN";
            String text = side == own
                    ? String.format(Locale.ROOT, "the %s advertises %s in its SDP but sends its RTP from %s (%s side)",
                    PARTY[sender], OffSdp.advertised(off), OffSdp.sources(off), sides)
                    : String.format(Locale.ROOT, "after the router the SDP advertises the %s at %s but its RTP comes from "
                    + "%s (%s side): the SDP rewrite and the NAT disagree", PARTY[sender], OffSdp.advertised(off), OffSdp.sources(off),
                    sides);
            Stream st = c.streams[side][to];
            Finding.Builder b = base(MediaRules.ASYMMETRIC, c, st.first, st.last)
                    .message("Call " + c.callId + ": " + text + "; a peer that latches onto the source sends its media "
                            + "where the " + PARTY[sender] + " does not listen.");
            streamFrames(b, c, to);
            for (OffSdp o : off) b.frame(side == 0 ? "lan" : "wan", o.frame());
            keep(b.build());
        }
    }

    private void privateSdp(Call c) {
        for (int party = 0; party < 2; party++) {
            Finding.Builder b = null;
            List<String> what = new ArrayList<>();
            for (PrivateSdp p : c.privateOnWan) {
                if (p.party() != party) continue;
                if (b == null) b = base(MediaRules.SDP_PRIVATE, c, p.nanos(), p.nanos());
                b.at(p.nanos()).frame("wan", p.wanFrame()).frame("lan", p.lanFrame());
                String w = p.field() + " " + p.address();
                if (!what.contains(w)) what.add(w);
            }
            if (b == null) continue;
            long reached = count(c, 1, party);
            b.severity(reached > 0 ? Severity.WARNING : Severity.ERROR)
                    .detail("private on the WAN", String.join("; ", what))
                    .message(String.format(Locale.ROOT, "Call %s: the %s's SDP on the WAN advertises a private media "
                                    + "address (%s)%s.", c.callId, PARTY[party], String.join("; ", what),
                            reached > 0 ? String.format(Locale.ROOT, "; %d RTP packets to the %s still reached the "
                                    + "router's WAN (the peer latched onto the source)", reached, PARTY[party])
                                    : "; no RTP to the " + PARTY[party] + " reached the router's WAN"));
            keep(b.build());
        }
    }

    @Override
    public void finish(DetectionContext context, Consumer<Finding> findings) {
        long end = Long.MIN_VALUE;
        if (context != null) {
            if (context.lanSpan() != null) end = Math.max(end, sideEnd[0] = context.lanSpan()[1]);
            if (context.wanSpan() != null) end = Math.max(end, sideEnd[1] = context.wanSpan()[1]);
        }
        for (Call c : new ArrayList<>(calls.values())) {
            long e = c.end >= 0 ? c.end : end == Long.MIN_VALUE ? c.inviteNanos : end;
            judge(c, e);
        }
        calls.clear();
        ended.clear();
        table.finish(context, context.streams()).forEach(this::keep);
        medialessCallMedia.finish(this::keep);
        medialessNoMedia.finish(this::keep);
        tooShort.finish(this::keep);
        judged.forEach(findings);
    }

    /**
     * Keeps a judged finding (one per call: each its own finding) unless its rule already has the most kept at its
     * severity (then counts it): calls too short to judge (info) never crowd out the errors of later calls.
     */
    private void keep(Finding f) {
        int n = keptPerRule.merge(f.id() + ' ' + f.severity(), 1, Integer::sum);
        if (n > Detection.MAX_FINDINGS_PER_RULE) {
            notKept.merge(f.id(), 1L, Long::sum);
        } else {
            judged.add(f);
        }
    }


    /** Every call judged, in the order they were judged (complete after {@link #finish}). */
    List<CallRecord> calls() {
        return table.records();
    }

    @Override
    public Map<String, Long> findingsNotKept() {
        return notKept;
    }

    @Override
    public Map<dev.natrecon.capture.Bound, Long> boundsHit() {
        return callsEvicted == 0 ? Map.of() : Map.of(dev.natrecon.capture.Bound.CALLS, callsEvicted);
    }
}
