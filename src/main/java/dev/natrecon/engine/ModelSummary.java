package dev.natrecon.engine;

import java.util.List;
import java.util.Map;

/**
 * What the conntrack/NAT replay did, for the summary and the console.
 *
 * @param settings    every value the model used, one line each, with where it came from
 * @param arrivals    packets fed to the model, by ingress ("lan", "wan", "local")
 * @param verdicts    the model's verdicts by name
 * @param events      events by kind (created, updated, expired, killed, …)
 * @param natPorts    new translated entries by how their port was found (kept, reused, observed, guessed)
 * @param peakEntries most live entries at once, and when ({@code peakNanos})
 * @param divergences where the captures contradicted the Linux prediction, by divergence id (the replay's, and
 *                    {@link SipRewrites#CONTRADICTED}: SIP rewrites the model predicted from an entry with another NAT)
 * @param conntrackS  the model's counters as {@code conntrack -S} prints them
 */
public record ModelSummary(List<String> settings, Map<String, Long> arrivals, Map<String, Long> verdicts,
                           Map<String, Long> events, Map<String, Long> natPorts, long peakEntries, long peakNanos,
                           long liveAtEnd, long endNanos, Map<String, Long> divergences, String conntrackS,
                           Map<String, Long> expectationEvents, long expectationsAtEnd, long rewritesPredicted,
                           long rewritesEqual, List<String> rewriteMismatches) {
    /** The same summary with {@code n} more divergences of kind {@code id} (none added when {@code n} is 0). */
    public ModelSummary withDivergences(String id, long n) {
        if (n == 0) return this;
        Map<String, Long> d = new java.util.TreeMap<>(divergences);
        d.merge(id, n, Long::sum);
        return new ModelSummary(settings, arrivals, verdicts, events, natPorts, peakEntries, peakNanos, liveAtEnd,
                endNanos, d, conntrackS, expectationEvents, expectationsAtEnd, rewritesPredicted, rewritesEqual,
                rewriteMismatches);
    }
}
