/**
 * Sinks that only render: {@code summary.json}, {@code packets.csv}, {@code mappings.csv}, {@code events.csv} (the
 * router model's events, each also as its {@code conntrack -E} line) and {@code tablesize.csv} (Apache Commons CSV),
 * {@code sip.csv} ({@link dev.natrecon.report.SipCsv}: each SIP message on both sides with the router's rewrites and the
 * SIP ALG verdict; not yet among a case's outputs),
 * and later charts and the HTML report. Every CSV goes through {@link dev.natrecon.report.Csv} (spreadsheet formulas in
 * text cells neutralised); capture text is escaped for each sink ({@link dev.natrecon.report.Escape}: HTML, Markdown
 * code spans; {@link dev.natrecon.report.Json}). Output is deterministic (UTC, root locale, ids in order of appearance) and every
 * file is written under a temporary name and renamed into place, so a killed run never leaves a half file that looks
 * whole. The rendered reports are bounded ({@link dev.natrecon.report.ReportLimits}: findings sections cut with "N more,
 * see findings.csv"); the CSV files stream every row and are never cut.
 *
 * <p>Must not touch: analysis logic (what a packet's outcome is), the model, the console.
 */
package dev.natrecon.report;
