/**
 * Sinks that only render, each an {@link dev.natrecon.engine.AnalysisSink} the engine feeds (so this package sits above
 * {@code engine}, never below it): {@code summary.json}, {@code packets.csv} (the notable frames by default, every
 * frame on request: {@link dev.natrecon.report.PacketRows}; written a byte at a time by
 * {@link dev.natrecon.report.CsvRowWriter}, whose bytes are Commons CSV's), {@code mappings.csv}, {@code events.csv}
 * (the router model's events, each also as its {@code conntrack -E} line), {@code expectations.csv},
 * {@code tablesize.csv}, {@code sip.csv} ({@link dev.natrecon.report.SipCsv}, rendered as the engine classifies each
 * SIP message on both sides: the router's rewrites and the SIP ALG verdict), {@code findings.csv},
 * {@code keepalive.csv} ({@link dev.natrecon.report.CaseOutputs}), {@code rtp.csv} ({@link dev.natrecon.report.RtpCsv}: one
 * row per RTP stream and capture side from {@code dev.natrecon.media}), and {@code report.html}, {@code summary.md}, the
 * charts, call ladders and per-stream jitter/loss charts ({@link dev.natrecon.report.ReportSink},
 * {@link dev.natrecon.report.StreamCharts}; drawn at the end on a two-thread {@link dev.natrecon.report.RenderPool}
 * whose jobs have all ended when the sink's {@code finish} returns, PNGs by {@link dev.natrecon.report.PngEncoder};
 * the stream charts are SVG only, inlined into report.html; a line or scatter series is one SVG path, coordinates to a
 * hundredth of a pixel).
 * Times are rendered by
 * {@link dev.natrecon.capture.Times}. Every CSV goes through {@link dev.natrecon.report.Csv} (spreadsheet formulas in
 * text cells neutralised); capture text is escaped for each sink ({@link dev.natrecon.report.Escape}: HTML, Markdown
 * code spans; {@link dev.natrecon.report.Json}). Output is deterministic (UTC, root locale, ids in order of appearance) and every
 * file is written under a temporary name and renamed into place, so a killed run never leaves a half file that looks
 * whole. findings.csv has one row per instance, naming its finding (rule and cause), and summary.json its
 * {@code finding_groups}; summary.md is pasteable into a ticket as text and as Markdown (verdict and top findings first,
 * no HTML entity or backslash escape outside a code span, about 150 lines at most); report.html opens its findings with
 * an index of a few rows per rule and shows each finding's evidence before its rule ({@link dev.natrecon.report.HtmlFindings}).
 * No output a person reads carries Java collection syntax. The rendered reports are bounded ({@link dev.natrecon.report.ReportLimits}: findings sections cut with "N more,
 * see findings.csv"), and so are the charts' points (two per pixel column at most, overlapping dots drawn once); the
 * CSV files stream every row they list and are never cut.
 *
 * <p>Must not touch: analysis logic (what a packet's outcome is), the model, the console.
 */
package dev.natrecon.report;
