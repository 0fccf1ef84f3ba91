package dev.natrecon.detect;

import dev.natrecon.media.StreamSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fills a call's legs ({@link CallRecord.Leg}) with the statistics of the RTP streams ({@link StreamSummary}, the
 * media package's per-stream figures) that carried them: the streams of the leg's capture side sent from one of the
 * leg's sources while the leg ran. A leg carried by several streams (a new SSRC after a re-INVITE) adds their lost and
 * expected packets, takes the packet-weighted mean of their mean jitter and the largest of their largest. Then scores
 * the leg with the E-model ({@link EModel#score}): the codec of its streams (else the SDP answer's), its loss, its
 * mean jitter (the buffer assumption: {@link EModel#JITTER_BUFFER_FACTOR}), the answer's ptime and, as the network delay, half the RTCP round trip measured at that capture point
 * when a report gave one (else unknown).
 */
final class CallQuality {
    private final Map<String, List<StreamSummary>> bySource = new HashMap<>();

    CallQuality(List<StreamSummary> streams) {
        for (StreamSummary s : streams) {
            bySource.computeIfAbsent(s.side() + ' ' + s.src(), k -> new ArrayList<>(2)).add(s);
        }
    }

    /** The streams that carried {@code leg} of call {@code r}. */
    List<StreamSummary> streams(CallRecord r, CallRecord.Leg leg) {
        if (leg.packets() == 0 || bySource.isEmpty()) return List.of();
        List<StreamSummary> out = new ArrayList<>(1);
        String side = leg.side().label();
        for (String src : leg.sources()) {
            for (StreamSummary s : bySource.getOrDefault(side + ' ' + src, List.of())) {
                boolean otherCall = !s.callId().isEmpty() && !s.callId().equals(r.callId());
                boolean overlaps = s.firstNanos() <= leg.lastNanos() && s.lastNanos() >= leg.firstNanos();
                if (!otherCall && overlaps && !out.contains(s)) out.add(s);
            }
        }
        return out;
    }

    /** {@code leg} with its streams' loss and jitter and its score; unchanged when no stream carried it. */
    CallRecord.Leg fill(CallRecord r, CallRecord.Leg leg) {
        List<StreamSummary> streams = streams(r, leg);
        if (streams.isEmpty()) return leg;
        long lost = 0, expected = 0, weight = 0, mostPackets = -1;
        double jitterSum = 0, jitterMax = -1, rtt = Double.NaN, maxDelta = -1;
        String codec = "";
        for (StreamSummary s : streams) {
            lost += s.lost();
            expected += s.expected();
            if (!Double.isNaN(s.meanJitterMs())) {
                jitterSum += s.meanJitterMs() * s.packets();
                weight += s.packets();
            }
            if (!Double.isNaN(s.maxJitterMs())) jitterMax = Math.max(jitterMax, s.maxJitterMs());
            if (!Double.isNaN(s.maxDeltaMs())) maxDelta = Math.max(maxDelta, s.maxDeltaMs());
            if (!Double.isNaN(s.rtcpRttMs()) && (Double.isNaN(rtt) || s.rtcpRttMs() > rtt)) rtt = s.rtcpRttMs();
            if (s.packets() > mostPackets && !s.codec().isEmpty()) {
                mostPackets = s.packets();
                codec = s.codec();
            }
        }
        double jitterMean = weight == 0 ? -1 : jitterSum / weight;
        EModel.Codec c = EModel.Codec.of(codec.isEmpty() ? r.codec() : codec);
        EModel.Score score = jitterMean < 0 ? null : EModel.score(c, expected, Math.max(0, lost), jitterMean, r.ptimeMs(),
                Double.isNaN(rtt) ? -1 : rtt / 2);
        return new CallRecord.Leg(leg.side(), leg.toPhone(), leg.captured(), leg.packets(), leg.firstNanos(),
                leg.lastNanos(), lost, expected, jitterMean, jitterMax, score, maxDelta, leg.sources());
    }

    /** "0x0A7328F3" of each stream, for messages. */
    static String ssrcs(List<StreamSummary> streams) {
        List<String> out = new ArrayList<>();
        for (StreamSummary s : streams) out.add(s.ssrcHex());
        return String.join(", ", out);
    }

    static String ms(double v) {
        return String.format(Locale.ROOT, "%.1f ms", v);
    }
}
