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
 * @param divergences where the captures contradicted the Linux prediction, by divergence id
 * @param conntrackS  the model's counters as {@code conntrack -S} prints them
 */
public record ModelSummary(List<String> settings, Map<String, Long> arrivals, Map<String, Long> verdicts,
                           Map<String, Long> events, Map<String, Long> natPorts, long peakEntries, long peakNanos,
                           long liveAtEnd, long endNanos, Map<String, Long> divergences, String conntrackS,
                           Map<String, Long> expectationEvents, long expectationsAtEnd, long rewritesPredicted,
                           long rewritesEqual, List<String> rewriteMismatches) {
}
