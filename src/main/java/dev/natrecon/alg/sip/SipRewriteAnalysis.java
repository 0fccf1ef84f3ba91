package dev.natrecon.alg.sip;

import java.util.List;

/**
 * The whole rewrite analysis of one case in one call, for the replay and the CLI: pair the LAN and WAN messages
 * ({@link SipPairing}), derive the context from the pairs ({@link AlgContext#fromPairs}) with the bindings the captures
 * showed, classify every pair and the case ({@link SipRewriteClassifier}). Pairs with a prediction attached
 * ({@link SipMessagePair#withPrediction}) can be classified with {@link #classify(List, BindingLookup)}.
 */
public record SipRewriteAnalysis(SipPairing.Result pairing, CaseVerdict verdict) {
    /**
     * Pairs and classifies. {@code lan} and {@code wan} are each capture point's messages (see
     * {@link SipMessageCollector}) with times on one clock; {@code bindings} may be {@link BindingLookup#unknown()}.
     */
    public static SipRewriteAnalysis run(List<SipObservation> lan, List<SipObservation> wan, BindingLookup bindings,
            long windowNanos) {
        SipPairing.Result pairing = SipPairing.pair(lan, wan, windowNanos);
        return new SipRewriteAnalysis(pairing, classify(pairing.pairs(), bindings));
    }

    public static SipRewriteAnalysis run(List<SipObservation> lan, List<SipObservation> wan, BindingLookup bindings) {
        return run(lan, wan, bindings, SipPairing.DEFAULT_WINDOW_NANOS);
    }

    /** Classifies pairs already made (with or without predictions), the context derived from them. */
    public static CaseVerdict classify(List<SipMessagePair> pairs, BindingLookup bindings) {
        return new SipRewriteClassifier(AlgContext.fromPairs(pairs, bindings)).classifyCase(pairs);
    }
}
