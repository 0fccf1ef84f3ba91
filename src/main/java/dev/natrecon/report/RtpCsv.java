package dev.natrecon.report;

import dev.natrecon.capture.Times;
import dev.natrecon.media.StreamSummary;

/**
 * rtp.csv: one row per RTP stream and capture side ({@link StreamSummary}), in the order the streams began. Times
 * in ms with three decimals, as {@code tshark -z rtp,streams} prints them; a figure that could not be measured (one
 * packet, an unknown payload clock, no RTCP report) is an empty cell.
 */
public final class RtpCsv {
    private RtpCsv() {
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "" : Decimals.fixed(v, 3);
    }

    public static final CsvSpec<StreamSummary> SPEC = new CsvSpec<StreamSummary>()
            .column("side", StreamSummary::side)
            .column("call_id", StreamSummary::callId)
            .column("tied_by", StreamSummary::tiedBy)
            .column("ssrc", StreamSummary::ssrcHex)
            .column("src", StreamSummary::src)
            .column("dst", StreamSummary::dst)
            .column("payload_type", StreamSummary::payloadType)
            .column("codec", StreamSummary::codec)
            .column("payload_types", StreamSummary::payloadTypes)
            .column("clock_rate", s -> s.clockRate() == 0 ? "" : s.clockRate())
            .column("rtp_by", s -> s.heuristic() ? "heuristic" : "sdp")
            .column("first_time", s -> Times.epoch(s.firstNanos()))
            .column("last_time", s -> Times.epoch(s.lastNanos()))
            .column("first_frame", StreamSummary::firstFrame)
            .column("last_frame", StreamSummary::lastFrame)
            .column("packets", StreamSummary::packets)
            .column("expected", StreamSummary::expected)
            .column("lost", StreamSummary::lost)
            .column("lost_percent", s -> Decimals.fixed(s.lostPercent(), 2))
            .column("duplicates", StreamSummary::duplicates)
            .column("out_of_order", StreamSummary::outOfOrder)
            .column("sequence_errors", StreamSummary::sequenceErrors)
            .column("markers", StreamSummary::markers)
            .column("silence_gaps", StreamSummary::silenceGaps)
            .column("min_delta_ms", s -> ms(s.minDeltaMs()))
            .column("mean_delta_ms", s -> ms(s.meanDeltaMs()))
            .column("max_delta_ms", s -> ms(s.maxDeltaMs()))
            .column("min_jitter_ms", s -> ms(s.minJitterMs()))
            .column("mean_jitter_ms", s -> ms(s.meanJitterMs()))
            .column("max_jitter_ms", s -> ms(s.maxJitterMs()))
            .column("drift_ms", s -> ms(s.driftMs()))
            .column("drift_ppm", s -> Double.isNaN(s.driftPpm()) ? "" : Decimals.fixed(s.driftPpm(), 0))
            .column("rtcp_reports", StreamSummary::rtcpReports)
            .column("rtcp_fraction_lost_percent", s -> Double.isNaN(s.rtcpFractionLost()) ? ""
                    : Decimals.fixed(s.rtcpFractionLost(), 2))
            .column("rtcp_cumulative_lost", s -> s.rtcpReports() == 0 ? "" : s.rtcpCumulativeLost())
            .column("rtcp_jitter_ms", s -> ms(s.rtcpJitterMs()))
            .column("rtcp_rtt_ms", s -> ms(s.rtcpRttMs()))
            .column("events", StreamSummary::events)
            .column("digits", StreamSummary::digits);
}
