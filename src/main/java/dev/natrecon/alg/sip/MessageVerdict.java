package dev.natrecon.alg.sip;

import java.util.List;

/**
 * The classification of one message pair: its class, the findings (each naming fields and the pair's frames), what
 * happened to each address field, whether the router changed the message at all, and the moved SDP ports still to be
 * judged (null when none: only a classifier whose bindings are {@link BindingLookup#later()} leaves some, and
 * its class and findings are then final only after {@link SipRewriteClassifier#judgePorts}).
 *
 * <p>{@code modelContradicted}: the model's prediction differed from the router's output, and the Linux helper run
 * for the translation the pair's own packets show wrote exactly what the router did; the model's entry held another
 * translation (its history of the router was wrong), so the difference is a divergence of the model, not a
 * departure of the router. What the model had predicted, field by field; null otherwise.
 */
public record MessageVerdict(SipMessagePair pair, AlgClass algClass, List<AlgFinding> findings,
        List<FieldOutcome> outcomes, boolean rewritten, UnjudgedPorts unjudgedPorts, String modelContradicted) {
    public MessageVerdict {
        findings = List.copyOf(findings);
        outcomes = List.copyOf(outcomes);
    }

    public MessageVerdict(SipMessagePair pair, AlgClass algClass, List<AlgFinding> findings, List<FieldOutcome> outcomes,
            boolean rewritten, UnjudgedPorts unjudgedPorts) {
        this(pair, algClass, findings, outcomes, rewritten, unjudgedPorts, null);
    }

    public MessageVerdict(SipMessagePair pair, AlgClass algClass, List<AlgFinding> findings, List<FieldOutcome> outcomes,
            boolean rewritten) {
        this(pair, algClass, findings, outcomes, rewritten, null);
    }

    public SipRewriteDiff diff() {
        return pair.diff();
    }

    public boolean has(AlgFindingType type) {
        return findings.stream().anyMatch(f -> f.type() == type);
    }

    /** The first finding of {@code type}, or null. */
    public AlgFinding finding(AlgFindingType type) {
        return findings.stream().filter(f -> f.type() == type).findFirst().orElse(null);
    }

    /** Finding ids with their fields, as {@code id(field,field); id…}. */
    public String findingsText() {
        return AlgFinding.render(findings);
    }

    @Override
    public String toString() {
        return pair + " " + algClass.label() + (findings.isEmpty() ? "" : " " + findingsText());
    }
}
