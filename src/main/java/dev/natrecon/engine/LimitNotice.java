package dev.natrecon.engine;

/**
 * A resource bound one case reached ({@link dev.natrecon.capture.Bound} and the other anomalies whose
 * {@link dev.natrecon.capture.Anomaly#bound()} is true): what a report shows so nobody mistakes a cut analysis for a
 * whole one.
 *
 * @param id    the anomaly id ({@code capture.decompression_limit})
 * @param where the capture file it concerns, or the stage ("findings", "bindings", "report")
 * @param count how often it was hit
 * @param text  one line for a person, naming the file or stage and the bound
 */
public record LimitNotice(String id, String where, long count, String text) {
}
