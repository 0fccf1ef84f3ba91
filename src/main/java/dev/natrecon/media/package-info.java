/**
 * RTP and RTCP stream statistics per capture side ({@link dev.natrecon.media.MediaStreams}): every RTP stream, keyed
 * by SSRC and 5-tuple on one side, tied to its call through the SDP in force on that side, with Wireshark-compatible
 * packets, expected, lost, deltas and jitter (RFC 3550 A.8), duplicates, late packets, marker bits, silence gaps,
 * clock drift, RFC 4733 events, and what RTCP reports about it (loss, jitter, round trip from LSR/DLSR). The result
 * is one immutable {@link dev.natrecon.media.StreamSummary} per stream and side, on the run's result and in
 * {@code rtp.csv}, with its jitter and loss over time in at most {@code SeriesBuckets.CAP} buckets
 * ({@link dev.natrecon.media.StreamSeries}, the report's per-stream chart). Memory is constant per stream, nothing is allocated per RTP packet once its stream exists, and the
 * number of streams is bounded ({@link dev.natrecon.media.MediaStreams#MAX_STREAMS}). One accumulator may take a whole
 * case, or one per capture input (each fed on the thread that decodes its input) joined at the end with
 * {@link dev.natrecon.media.MediaStreams#finish(java.util.List)}.
 *
 * <p>Across the router ({@link dev.natrecon.media.HopAttribution}, {@link dev.natrecon.media.HopLedger}): per stream
 * and direction seen on both sides, from the per-packet {@code correlate.Crossing} records, what the router lost,
 * delayed and reordered, and ({@link dev.natrecon.media.HopVerdicts}) at which hop each impairment happened: before
 * the router, at it, after it, or cannot tell.
 *
 * <p>Reads frames as the engine decoded them ({@code decode}, {@code correlate.Seen}, {@code correlate.Crossing}).
 * Must not touch the router model ({@code conntrack}, {@code alg}), the engine, the detectors, the reports, batch or
 * the CLI: they read its summaries, it never reads them.
 */
package dev.natrecon.media;
