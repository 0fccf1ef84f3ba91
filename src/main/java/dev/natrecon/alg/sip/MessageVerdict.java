package dev.natrecon.alg.sip;

import java.util.List;

/**
 * The classification of one message pair: its class, the findings (each naming fields and the pair's frames), what
 * happened to each address field, and whether the router changed the message at all.
 */
public record MessageVerdict(SipMessagePair pair, AlgClass algClass, List<AlgFinding> findings,
        List<FieldOutcome> outcomes, boolean rewritten) {
    public MessageVerdict {
        findings = List.copyOf(findings);
        outcomes = List.copyOf(outcomes);
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
        StringBuilder sb = new StringBuilder();
        for (AlgFinding f : findings) sb.append(sb.length() == 0 ? "" : "; ").append(f.render());
        return sb.toString();
    }

    @Override
    public String toString() {
        return pair + " " + algClass.label() + (findings.isEmpty() ? "" : " " + findingsText());
    }
}
