package dev.natrecon.engine;

import dev.natrecon.alg.sip.AlgContext;
import dev.natrecon.alg.sip.BindingLookup;
import dev.natrecon.alg.sip.CapturePoint;
import dev.natrecon.alg.sip.CaseVerdict;
import dev.natrecon.alg.sip.Direction;
import dev.natrecon.alg.sip.Endpoint;
import dev.natrecon.alg.sip.MessageVerdict;
import dev.natrecon.alg.sip.NatBinding;
import dev.natrecon.alg.sip.SipMessagePair;
import dev.natrecon.alg.sip.SipObservation;
import dev.natrecon.alg.sip.SipRewriteClassifier;
import dev.natrecon.correlate.Binding;
import java.util.ArrayList;
import java.util.List;

/**
 * The rewrite analysis of a case, fed by the replay: every SIP packet seen on both sides becomes a message pair (its
 * LAN and WAN copies as the matcher paired them, with the model helper's prediction when a helper handled it); at the
 * end the pairs are classified against the bindings the captures showed. Keeps the SIP messages (not the RTP) of the
 * case until then.
 *
 * <p>Each kept payload is taken as one message (SIP over TCP with several messages in one segment is classified as
 * one, and flagged by the parser).
 *
 * <p>The classification parses every message of both copies with the full SIP grammar (jain-sip), about a hundred
 * times the cost of the replay's own work per packet, so it runs when something asks for it ({@link #verdict()}: the
 * outputs, the detectors), once.
 */
public final class SipRewrites {
    /** The packets seen on both sides, kept as the replay gave them; pairs are built when classified. */
    private final List<SipPacket> packets = new ArrayList<>();
    private List<Binding> bindings = List.of();
    private CaseVerdict verdict;
    private final List<List<String>> rows = new ArrayList<>();
    private boolean done;

    void accept(SipPacket p) {
        if (p.observed() != null && p.counterpartSide() != null) packets.add(p);
    }

    private static SipMessagePair pair(SipPacket p) {
        SipObservation.Transport t = p.tcp() ? SipObservation.Transport.TCP : SipObservation.Transport.UDP;
        boolean lanFirst = p.side().equals("lan");
        SipObservation arrived = new SipObservation(lanFirst ? CapturePoint.LAN : CapturePoint.WAN, List.of(p.frame()),
                p.nanos(), t, endpoint(p.source()), endpoint(p.destination()), p.before());
        SipObservation left = new SipObservation(lanFirst ? CapturePoint.WAN : CapturePoint.LAN,
                List.of(p.counterpartFrame()), p.counterpartNanos(), t, endpoint(p.counterpartSource()),
                endpoint(p.counterpartDestination()), p.observed());
        SipMessagePair pair = lanFirst ? new SipMessagePair(arrived, left, Direction.OUTBOUND)
                : new SipMessagePair(left, arrived, Direction.INBOUND);
        return p.predicted() == null ? pair : pair.withPrediction(p.predicted());
    }

    private static Endpoint endpoint(long[] a) {
        return Endpoint.of(a[0], a[1], (int) a[2]);
    }

    /** The replay is over: the bindings the matcher learnt judge the SDP ports. */
    SipRewrites finish(List<Binding> bindings) {
        this.bindings = List.copyOf(bindings);
        return this;
    }

    /** The sip.csv rows of the classified messages, in the order they reached the router (after {@link #verdict()}). */
    public List<List<String>> rows() {
        verdict();
        return java.util.Collections.unmodifiableList(rows);
    }

    /** SIP messages seen on both sides. */
    public int pairs() {
        return packets.size();
    }

    /**
     * What the router did to every SIP message seen on both sides, classified, or null when there was none;
     * computed on the first call.
     */
    public synchronized CaseVerdict verdict() {
        if (!done) {
            verdict = classify();
            done = true;
        }
        return verdict;
    }

    private CaseVerdict classify() {
        if (packets.isEmpty()) return null;
        List<SipMessagePair> pairs = new ArrayList<>(packets.size());
        for (SipPacket p : packets) pairs.add(pair(p));
        List<NatBinding> udp = new ArrayList<>();
        for (Binding b : bindings) {
            if (b.protocol == dev.natrecon.decode.Protocols.UDP) {
                udp.add(new NatBinding(Endpoint.parse(b.internal()), Endpoint.parse(b.external())));
            }
        }
        SipRewriteClassifier classifier = new SipRewriteClassifier(AlgContext.fromPairs(pairs, BindingLookup.of(udp)));
        List<MessageVerdict> verdicts = new ArrayList<>(pairs.size());
        for (SipMessagePair p : pairs) {
            MessageVerdict v = classifier.classify(p);
            verdicts.add(v);
            rows.add(dev.natrecon.report.SipCsv.row(v)); // rendered now, so that the parsed message can go
            p.release();
        }
        return classifier.aggregate(verdicts);
    }
}
