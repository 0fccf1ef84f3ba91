/**
 * The replay: opens the captures, surveys each one (counts, dispositions, time span, interfaces, a sample of match
 * keys), estimates the clock offset, then replays one merged time-ordered stream through decode, reassembly and the
 * cross-capture matcher, handing every resolved frame to the sinks, and returns a {@link dev.natrecon.engine.RunResult}.
 *
 * <p><b>The router model in the stream.</b> {@link dev.natrecon.engine.ConntrackReplay} takes each resolved frame from
 * the matcher, decides whether it is a packet arriving at the router (and from where), what became of it according to
 * the other capture (its copy's tuple, or none), and feeds it to {@link dev.natrecon.conntrack.ConntrackModel}; the
 * model's events go to the sinks as they happen. {@link dev.natrecon.engine.CaseSettings} reads a case's settings file
 * (a value that does not read is an error naming the file, the key's line and what was expected);
 * {@link dev.natrecon.engine.KernelCheck} compares the reconstruction with the router's own {@code conntrack -E} log.
 * The resource bounds a case reached (the captures', the bindings', the findings') are gathered as
 * {@link dev.natrecon.engine.LimitNotice}s in the result, for every sink to name.
 *
 * <p><b>Time across two capture points.</b> The LAN capture's clock is the reference. WAN timestamps are mapped onto it
 * by the {@link dev.natrecon.capture.ClockCorrection} estimated from packets seen on both sides (or given). Each file's
 * own time is clamped so that it never goes backwards (counted as {@code capture.time_went_backwards}); outputs show
 * both the capture time as written and the corrected time. Nothing here reads the wall clock except to time the run.
 *
 * <p>Must not touch: format-specific parsing (capture, decode), detector logic, rendering (report), the console.
 */
package dev.natrecon.engine;
