package dev.natrecon.alg.sip;

import java.util.List;
import java.util.Map;

/**
 * The classification of a case: its class, the class of each direction, how many messages fell in each class, the
 * findings (message findings merged by id — fields and frames united — then the case-level ones), and the message
 * verdicts it was built from.
 */
public record CaseVerdict(AlgClass algClass, Map<Direction, AlgClass> byDirection, Map<AlgClass, Integer> counts,
        List<AlgFinding> findings, List<MessageVerdict> messages) {
    public CaseVerdict {
        byDirection = Map.copyOf(byDirection);
        counts = Map.copyOf(counts);
        findings = List.copyOf(findings);
        messages = List.copyOf(messages);
    }

    public boolean has(AlgFindingType type) {
        return findings.stream().anyMatch(f -> f.type() == type);
    }

    public AlgFinding finding(AlgFindingType type) {
        return findings.stream().filter(f -> f.type() == type).findFirst().orElse(null);
    }

    public int count(AlgClass c) {
        return counts.getOrDefault(c, 0);
    }

    @Override
    public String toString() {
        return algClass.label() + " " + byDirection + " " + counts + " " + findings.stream().map(AlgFinding::render).toList();
    }
}
