package dev.natrecon.batch;

import java.util.Map;

/**
 * How one case of a batch ended: a summary.csv row (also kept in the case's folder as case-summary.csv, which is how a
 * rerun knows the case is complete).
 *
 * @param status       "ok" (analysed) or "failed"
 * @param verdict      "inconclusive" when the captures could not show what the router did ({@code reasons} says why),
 *                     else "clean", "warning" or "error" (the worst finding; info findings count as clean); empty
 *                     when failed
 * @param reasons      why the case is inconclusive, in plain words ("; "-joined), or empty
 * @param worstFinding the most severe finding's severity whatever the verdict ("info", "warning", "error"), or empty
 * @param inputsSha256 content hash of every input file of the case (names and bytes), for resumption
 * @param counts       findings per id
 * @param top          the most severe findings, "id: message" joined by " | " (at most three)
 * @param error        one line naming the file (and frame) when failed
 * @param report       the case's report file, relative to the batch's output folder, or empty
 * @param resumed      true when this run skipped the case because its report was complete and its inputs unchanged
 */
public record CaseOutcome(String name, String status, String verdict, String reasons, String worstFinding, String rule, String origin, String inputsSha256,
                          double durationSeconds, long packets, int findings, Map<String, Integer> counts, String top,
                          String error, String report, boolean resumed)
        implements java.io.Serializable {
    public CaseOutcome {
        counts = Map.copyOf(counts);
    }

    public boolean failed() {
        return status.equals("failed");
    }

    CaseOutcome asResumed() {
        return new CaseOutcome(name, status, verdict, reasons, worstFinding, rule, origin, inputsSha256, durationSeconds, packets, findings,
                counts, top, error, report, true);
    }
}
