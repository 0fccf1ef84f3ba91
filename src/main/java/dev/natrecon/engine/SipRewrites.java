package dev.natrecon.engine;

import dev.natrecon.alg.sip.AlgContext;
import dev.natrecon.alg.sip.BindingLookup;
import dev.natrecon.alg.sip.CapturePoint;
import dev.natrecon.alg.sip.CaseTally;
import dev.natrecon.alg.sip.CaseVerdict;
import dev.natrecon.alg.sip.Direction;
import dev.natrecon.alg.sip.Endpoint;
import dev.natrecon.alg.sip.MessageVerdict;
import dev.natrecon.alg.sip.NatBinding;
import dev.natrecon.alg.sip.SipMessagePair;
import dev.natrecon.alg.sip.SipObservation;
import dev.natrecon.alg.sip.SipRewriteClassifier;
import dev.natrecon.alg.sip.UnjudgedPorts;
import dev.natrecon.correlate.Binding;
import dev.natrecon.reassembly.SipStreamFramer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The rewrite analysis of a case, fed by the replay one SIP packet at a time: every SIP message seen on both sides
 * becomes a message pair (its LAN and WAN copies as the matcher paired them, with the model helper's prediction when a
 * helper handled it), is classified at once, handed to the sinks ({@link AnalysisSink#sipMessage}, which render it)
 * and let go. What stays is small: the case tally ({@link CaseTally}), and for the few messages whose SDP ports the router moved, those
 * ports, judged at the end against the bindings the matcher learnt (the sinks then get
 * {@link AnalysisSink#sipMessageJudged}). The phones' and
 * router's addresses the classifier compares with are learnt as the messages come ({@link SipRewriteClassifier#learn}).
 *
 * <p>A TCP segment that carries several whole SIP messages (on both sides, and in the prediction) gives one pair per
 * message; a message continued in another segment is still taken as the segment's payload.
 *
 * <p>The classification parses every message of both copies with the full SIP grammar (jain-sip), about a hundred
 * times the replay's own work per packet; SIP is a small share of a capture's packets, and the detectors' alg.*
 * findings need it, so every analysis pays it (the bench's analyze phase includes it).
 */
public final class SipRewrites {
    /**
     * sip.csv rows held until the end (about 300 bytes each): 200,000 stay near 60 MiB; a day of a few hundred phones
     * fits. Past it the messages are still classified and tallied (the verdict counts them all) but their rows are
     * not kept ({@code sip.too_many_rows}).
     */
    public static final int MAX_ROWS = 200_000;
    private final SipRewriteClassifier classifier = new SipRewriteClassifier(
            new AlgContext(java.util.Set.of(), java.util.Set.of(), BindingLookup.later()));
    private final CaseTally tally = new CaseTally();
    /** Where each verdict goes (the sinks' fan-out); the verdict's parsed copies are released after the call. */
    private final SinkFanOut out;
    private final List<WaitingRow> waiting = new ArrayList<>();
    private final boolean redact;
    private final int maxRows;
    /**
     * Messages past {@link #MAX_ROWS} whose moved ports wait for the bindings: judged for the tally only (at most
     * {@link #MAX_ROWS} of them; later ones are left out of the verdict's class counts).
     */
    private final List<WaitingRow> lateJudged = new ArrayList<>();
    private int pairs;
    private CaseVerdict verdict;
    /** Messages whose parse stopped at a bound (headers per message, media per SDP body), by anomaly id. */
    private final dev.natrecon.capture.AnomalyCounts bounds = new dev.natrecon.capture.AnomalyCounts();

    /** Messages classified so far: the index of the next one. */
    private int messages;
    /**
     * Messages whose model prediction the router's output contradicted while being Linux's text for the translation
     * its packets show ({@link MessageVerdict#modelContradicted()}): a divergence of the model (their frames are among
     * {@link ModelSummary#rewriteMismatches()}).
     */
    private long modelContradicted;

    /**
     * {@code redact}: credential values left out of every field text the rows and findings show; {@code out}: where
     * the verdicts go.
     */
    SipRewrites(boolean redact, SinkFanOut out) {
        this(redact, out, MAX_ROWS);
    }

    /** With another bound on the messages handed to the sinks (tests). */
    SipRewrites(boolean redact, SinkFanOut out, int maxRows) {
        this.redact = redact;
        this.out = out;
        this.maxRows = maxRows;
    }

    /** A message whose moved SDP ports wait for the bindings: its index, what the judgement needs. */
    private record WaitingRow(int index, Direction direction, UnjudgedPorts ports) {
    }

    void accept(SipPacket p) {
        // a copy the router sent back out of the LAN (routed back during an outage) never crossed the NAT: no pair
        if (p.observed() == null || p.counterpartSide() == null || p.counterpartSide().equals(p.side())) return;
        List<byte[]> before = List.of(p.before()), observed = List.of(p.observed());
        List<byte[]> predicted = Collections.singletonList(p.predicted());
        if (p.tcp()) {
            List<byte[]> b = SipStreamFramer.wholeMessages(p.before()), o = SipStreamFramer.wholeMessages(p.observed());
            List<byte[]> x = p.predicted() == null ? null : SipStreamFramer.wholeMessages(p.predicted());
            if (b != null && b.size() > 1 && o != null && o.size() == b.size()
                    && (p.predicted() == null || x != null && x.size() == b.size())) {
                before = b;
                observed = o;
                predicted = x != null ? x : Collections.nCopies(b.size(), null);
            }
        }
        for (int i = 0; i < before.size(); i++) {
            pairs++;
            SipMessagePair pair = pair(p, before.get(i), observed.get(i), predicted.get(i));
            classify(redact ? pair : pair.showingCredentials());
        }
    }

    private void classify(SipMessagePair pair) {
        countBounds(pair.input());
        classifier.learn(pair);
        MessageVerdict v = classifier.classify(pair);
        if (v.modelContradicted() != null) modelContradicted++;
        tally.addMessage(v);
        if (messages >= maxRows) {
            // the verdict still counts it; no sink gets its row
            if (v.unjudgedPorts() == null) tally.countClass(pair.direction(), v.algClass());
            else if (lateJudged.size() < maxRows) lateJudged.add(new WaitingRow(-1, pair.direction(), v.unjudgedPorts()));
            bounds.add(dev.natrecon.capture.Bound.SIP_ROWS, pair.input().frame());
            pair.release();
            return;
        }
        if (v.unjudgedPorts() == null) {
            tally.countClass(pair.direction(), v.algClass());
        } else {
            waiting.add(new WaitingRow(messages, pair.direction(), v.unjudgedPorts()));
        }
        messages++;
        out.sipMessage(v);
        pair.release();
    }

    /** Counts the input copy's bound issues (the output copy is the same message as the router passed it on). */
    private void countBounds(SipObservation o) {
        dev.natrecon.decode.sip.SipMessage m = o.parse().messageOrNull();
        if (m == null) return;
        for (dev.natrecon.decode.sip.SipIssue i : m.issues()) {
            if (i.anomaly().bound()) bounds.add(i.anomaly(), o.frame());
        }
        if (m.bodyLength() == 0) return;
        dev.natrecon.decode.sdp.SdpBody sdp = dev.natrecon.decode.sdp.SdpBody.fromSip(m).orElse(null);
        if (sdp == null) return;
        for (dev.natrecon.decode.sdp.SdpIssue i : sdp.issues()) {
            if (i.anomaly().bound()) bounds.add(i.anomaly(), o.frame());
        }
    }

    /** SIP messages (seen on both sides) whose parse stopped at a bound, by anomaly id, with the first frame. */
    public dev.natrecon.capture.AnomalyCounts bounds() {
        return bounds;
    }

    private static SipMessagePair pair(SipPacket p, byte[] before, byte[] observed, byte[] predicted) {
        SipObservation.Transport t = p.tcp() ? SipObservation.Transport.TCP : SipObservation.Transport.UDP;
        boolean lanFirst = p.outbound(); // the arriving copy of a pair that crossed the NAT: the LAN one when outbound
        SipObservation arrived = new SipObservation(lanFirst ? CapturePoint.LAN : CapturePoint.WAN, List.of(p.frame()),
                p.nanos(), t, endpoint(p.source()), endpoint(p.destination()), before);
        SipObservation left = new SipObservation(lanFirst ? CapturePoint.WAN : CapturePoint.LAN,
                List.of(p.counterpartFrame()), p.counterpartNanos(), t, endpoint(p.counterpartSource()),
                endpoint(p.counterpartDestination()), observed);
        SipMessagePair pair = lanFirst ? new SipMessagePair(arrived, left, Direction.OUTBOUND)
                : new SipMessagePair(left, arrived, Direction.INBOUND);
        return predicted == null ? pair : pair.withPrediction(predicted);
    }

    private static Endpoint endpoint(long[] a) {
        return Endpoint.of(a[0], a[1], (int) a[2]);
    }

    /**
     * The replay is over: the bindings the matcher learnt judge the moved SDP ports, which finishes their rows and the
     * case verdict.
     */
    SipRewrites finish(List<Binding> bindings) {
        if (pairs == 0) return this;
        List<NatBinding> udp = new ArrayList<>();
        for (Binding b : bindings) {
            if (b.protocol == dev.natrecon.decode.Protocols.UDP) {
                udp.add(new NatBinding(Endpoint.parse(b.internal()), Endpoint.parse(b.external())));
            }
        }
        BindingLookup lookup = BindingLookup.of(udp);
        for (WaitingRow w : waiting) {
            SipRewriteClassifier.JudgedPorts j = SipRewriteClassifier.judgePorts(w.ports(), lookup);
            tally.addFindings(j.added());
            tally.countClass(w.direction(), j.algClass());
            out.sipMessageJudged(w.index(), j);
        }
        waiting.clear();
        for (WaitingRow w : lateJudged) {
            SipRewriteClassifier.JudgedPorts j = SipRewriteClassifier.judgePorts(w.ports(), lookup);
            tally.addFindings(j.added());
            tally.countClass(w.direction(), j.algClass());
        }
        lateJudged.clear();
        verdict = tally.verdict(List.of());
        return this;
    }

    /** Divergence id of the messages whose model prediction the captures contradicted (see {@link #contradicted()}). */
    public static final String CONTRADICTED = "sip.rewrite_other_translation";

    /**
     * SIP messages whose model prediction the router's output contradicted, the output being what the Linux helper
     * writes for the translation the message's own packets show: the model's entry held another NAT than the router's.
     */
    public long contradicted() {
        return modelContradicted;
    }

    /** SIP messages seen on both sides. */
    public int pairs() {
        return pairs;
    }

    /**
     * What the router did to every SIP message seen on both sides, classified, or null when there was none (its
     * message verdicts are not kept: the sinks had them one by one).
     */
    public CaseVerdict verdict() {
        return verdict;
    }
}
