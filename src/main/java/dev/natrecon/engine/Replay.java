package dev.natrecon.engine;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.capture.MergedFrameSource;
import dev.natrecon.conntrack.ConntrackEvent;
import dev.natrecon.conntrack.EventSink;
import dev.natrecon.conntrack.ExpectationEvent;
import dev.natrecon.correlate.BindingTable;
import dev.natrecon.correlate.ClockEstimate;
import dev.natrecon.correlate.Crossing;
import dev.natrecon.correlate.CrossingClassifier;
import dev.natrecon.correlate.Inside;
import dev.natrecon.correlate.MatchKeys;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.PacketMatcher;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.Packet;
import dev.natrecon.decode.Protocols;
import dev.natrecon.decode.sip.SipParser;
import dev.natrecon.detect.Detection;
import dev.natrecon.detect.DetectionContext;
import dev.natrecon.detect.Finding;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pass 2 of a case as an object, in the shape of a packet dispatch loop (Zeek's {@code run_state}): for each frame of
 * the merged stream, {@link #frame decode and resolve it}, hand it to the matcher, which releases the frames whose
 * counterpart is decided to {@link #resolved} (the router model, bindings, detectors, sinks, in that order); after the
 * last frame {@link #endOfStream} empties the matcher and {@link #drain} ages the model to the captures' end; then the
 * {@link KernelComparisons} run as a step of their own and the result goes to the sinks. When a capture is decoded
 * ahead, the merge and the matcher run as a second pipeline stage on a thread of their own ({@link MatchStage}),
 * handing the replay's thread the same calls in the same order.
 *
 * <p>All sink calls go through one {@link SinkFanOut}; the first I/O error a sink meets stops the replay after the
 * frame that caused it (with the stage: after the resolved frame that caused it).
 */
final class Replay {
    /** What pass 1 decided for pass 2: the inputs and their roles, the clock, the spans, the interfaces' sides. */
    record Plan(AnalysisInputs in, List<MergedFrameSource.Input> inputs, List<Analysis.StatsCounter> counters,
                List<CaptureStats> captures, List<String> roles, List<String> decisions, ClockEstimate clock,
                long[] lanSpan, long[] wanSpan, Map<Integer, Side> sideOf, Map<Integer, String> labelOf,
                SipHelperDecision helper, RunVerdict.RoleGuess roleGuess, List<String> notes, CookedSides cooked,
                Side single) {
        /** A two-capture or router plan ({@code single} null). */
        Plan(AnalysisInputs in, List<MergedFrameSource.Input> inputs, List<Analysis.StatsCounter> counters,
             List<CaptureStats> captures, List<String> roles, List<String> decisions, ClockEstimate clock,
             long[] lanSpan, long[] wanSpan, Map<Integer, Side> sideOf, Map<Integer, String> labelOf,
             SipHelperDecision helper, RunVerdict.RoleGuess roleGuess, List<String> notes, CookedSides cooked) {
            this(in, inputs, counters, captures, roles, decisions, clock, lanSpan, wanSpan, sideOf, labelOf, helper,
                    roleGuess, notes, cooked, null);
        }
    }

    /** How often (in frames) the matcher's held frames are sampled for the peak. */
    private static final int PEAK_SAMPLE_MASK = 1023;

    private final Plan plan;
    private final AnalysisInputs in;
    private final SinkFanOut sinks;
    private final long[][] outcomes = new long[2][Outcome.values().length];
    private final long[] matched = new long[2];
    private final BindingTable bindings = new BindingTable();
    private final Detection detection;
    private final KernelComparisons kernel;
    private final ConntrackReplay model;
    private final SipRewrites rewrites;
    private final PacketMatcher matcher;
    /** Decides how each frame crossed the router, into the one reused {@link #crossing}. */
    private final CrossingClassifier classifier;
    private final Crossing crossing = new Crossing();
    /**
     * RTP/RTCP statistics per stream and side: one accumulator per input, fed where the input is decoded
     * ({@link MediaTap}, on its decoding thread when it has one), in the input's order; joined at the end.
     */
    private final List<dev.natrecon.media.MediaStreams> media = new ArrayList<>();
    /** Ports whose payloads a helper may read: kept (SIP is rare next to RTP), with anything that parses as SIP. */
    private final boolean[] helperPort = new boolean[65536];
    private final List<FrameDecoder> decoders = new ArrayList<>();
    private final long[][] spans;
    private final long[] lastOrder;
    private int ended;
    private long replayed;
    private long peak;
    /** The stage clock when one of the sinks asked for it ({@code bench --costs}); null otherwise. */
    private final Costs costs;
    /**
     * The second pipeline stage when the merge and the matcher run on a thread of their own (a capture decoded ahead,
     * no cost table); null when they run inline. Set before the stage's thread starts, never changed.
     */
    private MatchStage stage;
    /**
     * The SIP messages' consumers on a thread of their own, beside the {@link MatchStage} (never with a cost table: its
     * clock reads are per thread); null when they run on the replay's thread. Set and read on the replay's thread only.
     */
    private SipStage sipStage;

    Replay(Plan plan, List<AnalysisSink> sinks) throws IOException {
        this.plan = plan;
        this.in = plan.in();
        this.sinks = new SinkFanOut(sinks);
        this.costs = sinks.stream().filter(Costs.class::isInstance).map(Costs.class::cast).findFirst().orElse(null);
        this.kernel = new KernelComparisons(in);
        this.classifier = new CrossingClassifier(Inside.of(in.model().inside(), plan.clock().externalAddresses()),
                in.model().routerAddresses(),
                plan.clock().externalAddresses());
        this.detection = plan.single() == null ? Detection.standard(classifier.inside())
                : Detection.oneSide(classifier.inside());
        this.model = new ConntrackReplay(in.model(), plan.helper(), classifier,
                plan.single() == Side.WAN ? plan.wanSpan()[0] : plan.lanSpan()[0],
                plan.decisions(), new EventSink() {
                    @Override
                    public void accept(ConntrackEvent e) {
                        enter(Costs.Stage.BINDINGS);
                        bindings.conntrack(e);
                        exitEnter(Costs.Stage.KERNEL);
                        kernel.modelEvent(e);
                        exitEnter(Costs.Stage.DETECTORS);
                        detection.conntrack(e);
                        exitEnter(Costs.Stage.OUTPUTS);
                        Replay.this.sinks.conntrack(e);
                        exit();
                    }

                    @Override
                    public void expectation(ExpectationEvent e) {
                        enter(Costs.Stage.KERNEL);
                        kernel.modelExpectation(e);
                        exitEnter(Costs.Stage.DETECTORS);
                        detection.expectation(e);
                        exitEnter(Costs.Stage.OUTPUTS);
                        Replay.this.sinks.expectation(e);
                        exit();
                    }
                }, this.sinks::tableSize);
        model.onUplinkChange(detection::uplink);
        detection.readTable(model::view);
        this.rewrites = new SipRewrites(in.redact(), this.sinks);
        model.onSipPacket(p -> {
            if (sipStage != null) sipStage.offer(p);
            else sipPacket(p);
        });
        if (costs != null) detection.meter(System::nanoTime);
        kernel.listTables(model);
        this.matcher = new PacketMatcher(Math.round(in.matchWindowSeconds() * 1e9), plan.lanSpan(), plan.wanSpan(),
                new LinkedHashSet<>(plan.clock().externalAddresses()), classifier.inside(), this::emit);
        for (int port : in.model().sipPorts()) if (port > 0 && port < helperPort.length) helperPort[port] = true;
        for (int port : plan.helper().ports()) if (port > 0 && port < helperPort.length) helperPort[port] = true;
        for (int i = 0; i < plan.inputs().size(); i++) {
            FrameDecoder decoder = new FrameDecoder(plan.counters() != null ? plan.counters().get(i).stats.anomalies
                    : new AnomalyCounts());
            dev.natrecon.media.MediaStreams m = new dev.natrecon.media.MediaStreams(plan.inputs().size());
            media.add(m);
            decoder.media = new MediaTap(m, in.routerCapture() ? null : inputSide(i), plan.sideOf(), plan.cooked(),
                    helperPort, plan.single() != null);
            decoders.add(decoder);
        }
        this.spans = plan.single() == null ? new long[][] {plan.lanSpan(), plan.wanSpan()}
                : new long[][] {plan.single() == Side.LAN ? plan.lanSpan() : plan.wanSpan()};
        this.lastOrder = new long[plan.inputs().size()];
        Arrays.fill(lastOrder, Long.MIN_VALUE);
    }

    /**
     * A SIP packet that reached the model, to its consumers: the rewrite classification, then the sinks; on the
     * {@link SipStage}'s thread when there is one, else on this one.
     */
    private void sipPacket(SipPacket p) {
        enter(Costs.Stage.SIP_REWRITES);
        // the detectors' parse of each copy serves the rewrite classification and the ladder too (one parse a copy)
        SipParser.known(p.before(), p.beforeSip());
        SipParser.known(p.observed(), p.observedSip());
        rewrites.accept(p);
        exitEnter(Costs.Stage.OUTPUTS);
        sinks.sipPacket(p);
        exit();
    }

    /** The matcher's listener: a resolved frame, handed to the replay's thread when the matcher runs on its own. */
    private void emit(Seen s) {
        if (stage != null) stage.resolved(s);
        else resolved(s);
    }

    /**
     * A frame whose counterpart the matcher has decided, in merged order: classified once into the crossing, which the
     * model (which adds its verdict), the bindings, the detectors and the sinks read in turn.
     */
    private void resolved(Seen s) {
        enter(Costs.Stage.CLASSIFY);
        classifier.classify(s, crossing);
        // A frame of a router interface that faces neither side carries its own label and is not counted.
        if (s.captureLabel == null) {
            outcomes[s.side.ordinal()][s.outcome.ordinal()]++;
            if (s.counterpartFrame != 0) matched[s.side.ordinal()]++;
            exitEnter(Costs.Stage.MODEL);
            model.offer(crossing);
            exitEnter(Costs.Stage.BINDINGS);
            bindings.add(crossing); // after the model: an entry it ended or made this packet starts a new lifetime
        }
        exitEnter(Costs.Stage.DETECTORS);
        detection.packet(crossing);
        exitEnter(Costs.Stage.OUTPUTS);
        sinks.packet(crossing);
        exit();
    }

    /** {@link Costs}: the time from here on is {@code stage}'s (nothing without a cost table). */
    private void enter(Costs.Stage stage) {
        if (costs != null) costs.enter(stage);
    }

    private void exit() {
        if (costs != null) costs.exit();
    }

    private void exitEnter(Costs.Stage stage) {
        if (costs != null) {
            costs.exit();
            costs.enter(stage);
        }
    }

    private boolean next(DecodedMerge merged) throws IOException {
        if (costs == null) return merged.next();
        costs.enter(Costs.Stage.READ);
        try {
            return merged.next();
        } finally {
            costs.exit();
        }
    }

    /**
     * Runs the replay to its result, which the sinks have been given: the merge and the matcher on this thread, or as
     * a {@link MatchStage} on a thread of their own when a capture is decoded ahead and no cost table is kept (its
     * clock reads are per thread), then with the SIP messages' consumers as a {@link SipStage}, with the same results.
     */
    RunResult run() throws IOException {
        try (DecodedMerge merged = new DecodedMerge(plan.inputs(), decoders, plan.counters())) {
            if (costs == null && MatchStage.wanted(plan.inputs())) {
                try (SipStage sip = SipStage.wanted() ? new SipStage(this::sipPacket) : null) {
                    sipStage = sip;
                    matchAhead(merged);
                    if (sip != null) sip.finish(); // every SIP packet handled before the model ages and the result
                } finally {
                    sipStage = null;
                }
            } else {
                while (next(merged)) {
                    frame(merged);
                    sinks.rethrow();
                }
                endOfStream(merged);
            }
            drain();
        }
        sinks.rethrow();
        peak = Math.max(peak, matcher.held());
        return finish();
    }

    /**
     * The merge and the matcher on the stage's thread; this thread runs what they hand over, in the order the inline
     * loop would have. The stage's thread owns the merge, the matcher, {@link #frame}'s state ({@link #lastOrder},
     * {@link #spans}, the counts, the plan's interface labels) until the end of the stream is handed over.
     */
    private void matchAhead(DecodedMerge merged) throws IOException {
        matcher.keepRecordsUntilReleased();
        try (MatchStage st = new MatchStage(new MatchStage.Feed() {
            @Override
            public boolean step() throws IOException {
                if (!merged.next()) return false;
                frame(merged);
                return true;
            }

            @Override
            public void end() {
                endOfStream(merged);
            }
        }, matcher::release)) {
            this.stage = st;
            st.run(new MatchStage.Downstream() {
                @Override
                public void seen(Seen s) {
                    model.frameSeen(s);
                }

                @Override
                public void resolved(Seen s) {
                    Replay.this.resolved(s);
                }

                @Override
                public void afterEach() throws IOException {
                    sinks.rethrow();
                }
            });
        }
    }

    /** One frame of the merged stream (decoded by its stream, maybe ahead on another thread): counted, its payload kept when a helper may read it, matched. */
    private void frame(DecodedMerge merged) {
        enter(Costs.Stage.DECODE);
        if (plan.counters() != null && merged.exhaustedInputs() != ended) ended = captureEnded(merged);
        int idx = merged.inputIndex();
        // the frame's record, written by the thread that decoded it: the DecodedFrame, its Packet and its bytes are
        // read only for what the record does not hold (FrameRecord)
        long[] r = merged.records();
        int b = merged.recordBase();
        long nanos = r[b + FrameRecord.ORDER];
        Disposition d = FrameRecord.disposition(r, b);
        int flags = FrameRecord.flags(r, b);
        // a record handed over alone: the stream's frame object is another frame's, so nothing may read it (null
        // makes a read that MediaTap.replayReads did not foresee fail loudly instead of reading a stale packet)
        DecodedFrame decoded = (flags & FrameRecord.RECORD_ONLY) == 0 ? merged.frame() : null;
        Seen s = matcher.obtain();
        s.frame = r[b + FrameRecord.FRAME];
        s.captureNanos = r[b + FrameRecord.TIME];
        s.nanos = nanos;
        s.disposition = d;
        s.captureLabel = null;
        if ((flags & FrameRecord.LINK_EVENT) != 0) {
            Packet p = decoded.packet;
            s.linkEvent = p.linkEvent;
            s.linkEventCode = p.linkEventCode;
            s.linkEventAddress = p.linkEventAddress;
        }
        if (in.routerCapture()) {
            int ik = Analysis.interfaceKey(decoded.frame, decoded.packet, plan.cooked());
            Side side = plan.sideOf().get(ik);
            s.side = side == null ? Side.LAN : side;
            if (side == null) {
                s.captureLabel = plan.labelOf().computeIfAbsent(ik,
                        k -> "other:" + Analysis.interfaceName(k, plan.captures().get(0).interfaces));
            }
        } else {
            s.side = inputSide(idx);
        }
        long key = 0;
        if (d == Disposition.DECODED) {
            // Frames of an interface facing neither side are listed but never matched (key 0).
            key = s.captureLabel == null ? r[b + FrameRecord.KEY] : 0;
            FrameRecord.fill(s, r, b, key, decoded);
            s.flow = FrameRecord.flow(r, b, idx);
            // the WAN's silences, the router's ICMP answers, answers with no WAN copy (RouterAnswers): on this thread,
            // or on the replay's in the same order, before the frames this one's offer resolves
            if (stage != null) stage.seen(s);
            else model.frameSeen(s);
        }
        if (d == Disposition.DECODED && s.payloadLength > 0 && s.hasPorts
                && (s.protocol == Protocols.UDP || s.protocol == Protocols.TCP)
                && keepsPayload(helperPort, plan.single() != null, s.srcPort, s.dstPort, key,
                        FrameRecord.keyKind(r, b), decoded == null ? null : decoded.packet)) {
            Packet p = decoded.packet;
            s.payload = Arrays.copyOfRange(p.data, p.payloadOffset, p.payloadOffset + p.payloadLength);
            // the detectors' SIP parse, here: on the match stage's thread when there is one (SipFacts reads it)
            if (s.captureLabel == null) s.parseSip();
        }
        if (plan.counters() != null && nanos > lastOrder[idx]) lastOrder[idx] = nanos; // counted by its stream
        exitEnter(Costs.Stage.MATCH);
        matcher.offer(s);
        exit();
        replayed++;
        if ((replayed & PEAK_SAMPLE_MASK) == 0) peak = Math.max(peak, matcher.held());
    }

    /**
     * Whether the payload of a decoded TCP/UDP frame with ports is kept as a message a helper or the SDP reader may
     * read: to or from a port a helper watches ({@code helperPort}), keyed as SIP ({@code key} non-zero, of kind
     * {@code kind}), or, on one capture ({@code single}), a STUN message. One rule for the replay and for the media
     * statistics fed where a capture is decoded ({@link MediaTap}).
     */
    static boolean keepsPayload(boolean[] helperPort, boolean single, int srcPort, int dstPort, long key,
                                MatchKeys.Kind kind, Packet p) {
        return helperPort[srcPort] || helperPort[dstPort] || key != 0 && kind == MatchKeys.Kind.SIP
                || single && stun(p);
    }

    /**
     * Whether a UDP payload is a STUN message (RFC 5389 §6: the first two bits zero, the magic cookie at offset 4):
     * one capture keeps them for what the far side reports of the mapping.
     */
    private static boolean stun(Packet p) {
        if (p == null) return false; // a record handed over alone: MediaTap.replayReads found it is no STUN message
        int o = p.payloadOffset;
        return p.protocol == Protocols.UDP && p.payloadLength >= 20 && (p.data[o] & 0xc0) == 0
                && (p.data[o + 4] & 0xff) == 0x21 && (p.data[o + 5] & 0xff) == 0x12
                && (p.data[o + 6] & 0xff) == 0xa4 && (p.data[o + 7] & 0xff) == 0x42;
    }

    /** The side input {@code idx} of a two-capture or one-capture case shows. */
    private Side inputSide(int idx) {
        if (plan.single() != null) return plan.single();
        return idx == 0 ? Side.LAN : Side.WAN;
    }

    /** After the last frame, where the matcher runs: the captures' ends, then the matcher releases what it holds. */
    private void endOfStream(DecodedMerge merged) {
        if (plan.counters() != null) captureEnded(merged);
        enter(Costs.Stage.MATCH);
        matcher.finish();
        exit();
    }

    /** After the last resolved frame: the model ages to the end, the counts close. */
    private void drain() {
        enter(Costs.Stage.MODEL);
        model.finish();
        exit();
        for (FrameDecoder dec : decoders) dec.finish();
        if (plan.counters() != null) {
            for (int i = 0; i < plan.counters().size(); i++) {
                plan.counters().get(i).finish(plan.inputs().get(i).reader());
                plan.captures().add(plan.counters().get(i).stats);
            }
        }
    }

    /**
     * Tells the matcher the end of each capture the merge has just exhausted (two-capture case: the ends are not
     * known before the replay): its last corrected time. Until then the capture counts as still running, which is
     * right, since its next frame lies at or after the current one. Returns how many inputs have ended.
     */
    private int captureEnded(DecodedMerge merged) {
        int n = 0;
        for (int i = 0; i < lastOrder.length; i++) {
            if (!merged.exhausted(i)) continue;
            n++;
            if (spans[i][1] == Long.MAX_VALUE) {
                spans[i][1] = lastOrder[i];
                matcher.captureEnded(inputSide(i), lastOrder[i]);
            }
        }
        return n;
    }

    /** The steps after the run: kernel comparisons, the rewrite judgement, the detectors; then the sinks' finish. */
    private RunResult finish() throws IOException {
        // the rewrites were classified as the replay went: their divergences are known before the kernel comparisons
        enter(Costs.Stage.RESULT);
        ModelSummary modelSummary = model.summary().withDivergences(SipRewrites.CONTRADICTED, rewrites.contradicted());
        exitEnter(Costs.Stage.KERNEL);
        KernelComparisons.Checks checks = kernel.compare(model, plan.lanSpan(), plan.wanSpan());
        exitEnter(Costs.Stage.RESULT);
        rewrites.finish(bindings.bindings());
        exitEnter(Costs.Stage.DETECTORS_FINISH);
        List<dev.natrecon.media.StreamSummary> streams = dev.natrecon.media.MediaStreams.finish(media);
        List<Finding> findings = detection.finish(new DetectionContext(in.caseName(), bindings.bindings(),
                in.model().timeouts(), plan.clock().externalAddresses(), model.helperOn(),
                rewrites::verdict, plan.lanSpan(), plan.wanSpan(), streams));
        exitEnter(Costs.Stage.RESULT);
        // one side's capture: what needs the other side (drops, leaks through the router, ALG errors) is not judged
        if (plan.single() != null) findings = dev.natrecon.detect.OneSide.judgeable(findings);
        RunResult result = new RunResult(in.caseName(), plan.captures(), plan.roles(), plan.decisions(), plan.clock(),
                outcomes, matched, matcher.matchedPairs(), bindings.bindings(), replayed, peak, in.matchWindowSeconds(),
                modelSummary, model.snapshots(), checks.events(), checks.tables(), checks.expectations(), rewrites,
                findings, detection.keepalive(), limits(plan.captures(), bindings, detection, rewrites, media),
                RunVerdict.decide(plan.captures(), plan.roles(), plan.clock(), outcomes, matched,
                        matcher.matchedPairs(), plan.roleGuess(), plan.notes(), findings)
                        .withVantage(plan.single() == null ? null : VantagePoint.label(plan.single())),
                streams, detection.calls());
        exit();
        if (costs != null) {
            List<Costs.DetectorCost> per = new ArrayList<>();
            detection.costs().forEach((name, n) -> per.add(new Costs.DetectorCost(name, n[0], n[1])));
            costs.detectors(per, detection.meterReads());
        }
        sinks.finish(result, costs);
        return result;
    }

    /** Every bound the case reached: the captures' own, then the analysis stages'. */
    private static List<LimitNotice> limits(List<CaptureStats> captures, BindingTable bindings, Detection detection,
                                            SipRewrites rewrites, List<dev.natrecon.media.MediaStreams> media) {
        List<LimitNotice> out = new ArrayList<>();
        for (CaptureStats c : captures) out.addAll(c.limitNotices());
        dev.natrecon.capture.AnomalyCounts sip = rewrites.bounds();
        for (Map.Entry<String, Long> e : sip.asMap().entrySet()) {
            out.add(new LimitNotice(e.getKey(), "sip", e.getValue(), String.format(Locale.ROOT,
                    "sip: %d message(s), the first the input copy of frame %d (sip.csv), stopped at a bound (%s): %s",
                    e.getValue(), sip.firstFrame(e.getKey()), e.getKey(), sip.kind(e.getKey()).description())));
        }
        if (bindings.notKept() > 0) {
            out.add(new LimitNotice(dev.natrecon.capture.Bound.BINDINGS.id(), "bindings", bindings.notKept(),
                    String.format(Locale.ROOT, "bindings: %d matched packets belong to flows past the %d bindings "
                            + "kept (%s); they were counted in the outcomes, mappings.csv and the detectors have the "
                            + "first %d bindings", bindings.notKept(), BindingTable.MAX_BINDINGS,
                            dev.natrecon.capture.Bound.BINDINGS.id(), BindingTable.MAX_BINDINGS)));
        }
        long streamsNotKept = 0, endpointsNotKept = 0;
        for (dev.natrecon.media.MediaStreams m : media) {
            streamsNotKept += m.streamsNotKept();
            endpointsNotKept += m.sdpEndpointsNotKept();
        }
        // each capture input has an equal share of the bounds (MediaStreams(int))
        String share = media.size() > 1 ? " (" + media.size() + " captures, an equal share each)" : "";
        if (streamsNotKept > 0) {
            out.add(new LimitNotice("media.too_many_streams", "media", streamsNotKept, String.format(Locale.ROOT,
                    "media: %d RTP streams past the %d analysed%s were not analysed (media.too_many_streams); "
                            + "rtp.csv lists the streams analysed", streamsNotKept,
                    dev.natrecon.media.MediaStreams.MAX_STREAMS, share)));
        }
        if (endpointsNotKept > 0) {
            out.add(new LimitNotice("media.too_many_sdp_endpoints", "media", endpointsNotKept,
                    String.format(Locale.ROOT, "media: %d SDP media endpoints past the %d remembered%s were not "
                            + "remembered (media.too_many_sdp_endpoints); streams to them may be untied in rtp.csv",
                            endpointsNotKept, dev.natrecon.media.MediaStreams.maxSdpEndpoints(), share)));
        }
        detection.boundsHit().forEach((b, n) -> out.add(new LimitNotice(b.id(), "detectors", n,
                "detectors: " + b.description() + " (" + b.id() + ", " + n + "x)")));
        detection.notKept().forEach((id, n) -> out.add(new LimitNotice(
                dev.natrecon.capture.Bound.FINDINGS_PER_RULE.id(), "findings", n, String.format(Locale.ROOT,
                "findings: %s found %d more findings than the %d kept (%s); they were counted, not listed", id, n,
                Detection.MAX_FINDINGS_PER_RULE, dev.natrecon.capture.Bound.FINDINGS_PER_RULE.id()))));
        detection.notListed().forEach((id, n) -> out.add(new LimitNotice(
                dev.natrecon.capture.Bound.FINDINGS_PER_RULE.id(), "findings", n, String.format(Locale.ROOT,
                "findings: %s has %d more instances than listed (each finding lists its first %d, %s); they are "
                        + "counted in their finding's instances", id, n, Detection.MAX_INSTANCES_PER_GROUP,
                dev.natrecon.capture.Bound.FINDINGS_PER_RULE.id()))));
        return List.copyOf(out);
    }
}
