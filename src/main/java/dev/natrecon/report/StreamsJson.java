package dev.natrecon.report;

import dev.natrecon.capture.Times;
import dev.natrecon.detect.CallRecord;
import dev.natrecon.detect.EModel;
import dev.natrecon.media.StreamSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * summary.json's {@code streams}: each RTP stream per capture side in the order the streams began, with the figures
 * a ticket asks for first (rtp.csv has every column of every stream): call, SSRC, codec, packets, lost, jitter mean
 * and max, largest gap, drift, what RTCP reported, and the stream's ITU-T G.107 E-model R and MOS where it can be
 * scored ({@link EModel#score}: a codec with G.113 values and packets expected; the call's SDP ptime; half the RTCP
 * round trip as the network delay when a report gave one). At most {@link #MAX_STREAMS}; the rest are counted in
 * {@code streams_not_listed}.
 */
final class StreamsJson {
    /**
     * Streams listed: at about 600 bytes each, 1,000 keep summary.json readable in an editor (as
     * {@link Summaries#MAX_LIFETIMES}) while covering a case of a few hundred calls, two directions on two sides.
     */
    static final int MAX_STREAMS = 1_000;

    private StreamsJson() {
    }

    /** The listed streams (at most {@link #MAX_STREAMS}). */
    static List<Object> streams(List<StreamSummary> streams, List<CallRecord> calls) {
        Map<String, CallRecord> byCall = new HashMap<>();
        for (CallRecord c : calls) byCall.putIfAbsent(c.callId(), c);
        List<Object> out = new ArrayList<>(Math.min(streams.size(), MAX_STREAMS));
        for (StreamSummary s : streams) {
            if (out.size() >= MAX_STREAMS) break;
            out.add(stream(s, byCall.get(s.callId())));
        }
        return out;
    }

    /** How many streams {@link #streams} leaves out. */
    static int notListed(List<StreamSummary> streams) {
        return Math.max(0, streams.size() - MAX_STREAMS);
    }

    static Map<String, Object> stream(StreamSummary s, CallRecord call) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("side", s.side());
        m.put("call_id", s.callId().isEmpty() ? null : s.callId());
        m.put("tied_by", s.tiedBy().isEmpty() ? null : s.tiedBy());
        m.put("ssrc", s.ssrcHex());
        m.put("src", s.src());
        m.put("dst", s.dst());
        m.put("payload_type", s.payloadType());
        m.put("codec", s.codec().isEmpty() ? null : s.codec());
        m.put("first_time", Times.iso(s.firstNanos()));
        m.put("last_time", Times.iso(s.lastNanos()));
        m.put("first_frame", s.firstFrame());
        m.put("last_frame", s.lastFrame());
        m.put("packets", s.packets());
        m.put("expected", s.expected());
        m.put("lost", s.lost());
        m.put("lost_percent", round(s.lostPercent(), 100));
        m.put("jitter_mean_ms", round(s.meanJitterMs(), 1000));
        m.put("jitter_max_ms", round(s.maxJitterMs(), 1000));
        m.put("max_delta_ms", round(s.maxDeltaMs(), 1000));
        m.put("drift_ms", round(s.driftMs(), 1000));
        if (s.rtcpReports() > 0) {
            Map<String, Object> rtcp = new LinkedHashMap<>();
            rtcp.put("reports", s.rtcpReports());
            rtcp.put("fraction_lost_percent", round(s.rtcpFractionLost(), 100));
            rtcp.put("cumulative_lost", s.rtcpCumulativeLost());
            rtcp.put("jitter_ms", round(s.rtcpJitterMs(), 1000));
            rtcp.put("rtt_ms", round(s.rtcpRttMs(), 1000));
            m.put("rtcp", rtcp);
        }
        EModel.Score score = score(s, call);
        m.put("r", score == null ? null : round(score.r(), 10));
        m.put("mos", score == null ? null : round(score.mos(), 100));
        return m;
    }

    /** The stream's own E-model score: its codec (else the call's answer's), loss and mean jitter; null if none. */
    static EModel.Score score(StreamSummary s, CallRecord call) {
        if (Double.isNaN(s.meanJitterMs())) return null;
        String codec = !s.codec().isEmpty() ? s.codec() : call == null ? "" : call.codec();
        double rtt = s.rtcpRttMs();
        return EModel.score(EModel.Codec.of(codec), s.expected(), Math.max(0, s.lost()), s.meanJitterMs(),
                call == null ? 0 : call.ptimeMs(), Double.isNaN(rtt) ? -1 : rtt / 2);
    }

    private static Double round(double v, double scale) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : Math.round(v * scale) / scale;
    }
}
