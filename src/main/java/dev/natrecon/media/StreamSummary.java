package dev.natrecon.media;

/**
 * One RTP stream as one capture side saw it, over its whole life: what {@code rtp.csv} shows per row and what the
 * media-quality analyses (E-model, across-the-router attribution) read. A stream is keyed by SSRC and 5-tuple on one
 * side (the LAN copy and the WAN copy of the same stream are two summaries with the same SSRC).
 *
 * <p>The packet, expected, lost, delta and jitter figures are computed the way Wireshark's RTP analysis does
 * ({@code ui/tap-rtp-analysis.c rtppacket_analyse}, {@code tshark -z rtp,streams}): {@code expected} is the last
 * sequence number (with wraps) minus the first plus one, {@code lost = expected - packets} (negative when duplicates
 * outnumber losses), deltas are between arrival times in the capture's own clock, jitter is RFC 3550 A.8's estimator
 * in milliseconds of the payload clock. Doubles that could not be measured are {@link Double#NaN}.
 *
 * @param side             capture side: "lan" or "wan"
 * @param callId           the call (Call-ID) the stream belongs to, "" when no SDP ties it to one
 * @param tiedBy           how it was tied to the call: "sdp-destination" (sent to an endpoint the call's SDP in force
 *                         names), "sdp-source" (sent from one), "reverse" (the stream the other way between the same
 *                         endpoints is tied: a latching peer answering where the media came from), "ssrc" (the same
 *                         SSRC is tied on the other side of the router), "" when not tied
 * @param ssrc             synchronisation source (u32)
 * @param payloadType      payload type of the first packet
 * @param codec            codec name of {@code payloadType} (RFC 3551 static table, else the SDP's rtpmap; "" unknown)
 * @param payloadTypes     every payload type seen, as "0,101" (ascending)
 * @param clockRate        the payload clock in Hz used for jitter (0: unknown, no jitter computed)
 * @param src              source endpoint as this side shows it ("192.0.2.1:4000", "[2001:db8::1]:4000")
 * @param dst              destination endpoint as this side shows it
 * @param heuristic        true when no SDP announced either endpoint: the stream was taken as RTP by its shape
 * @param firstFrame       frame number of the first packet in this side's capture
 * @param lastFrame        frame number of the last packet
 * @param firstNanos       first packet's time (corrected onto the case's common clock, as the other outputs)
 * @param lastNanos        last packet's time (corrected)
 * @param packets          RTP packets received
 * @param expected         packets expected from the sequence numbers (Wireshark's count)
 * @param lost             {@code expected - packets}; negative when there were more packets than sequence numbers
 * @param duplicates       packets whose sequence number had been received already (within the last 64)
 * @param outOfOrder       packets that arrived after a higher sequence number and were not duplicates
 * @param sequenceErrors   Wireshark's "wrong sequence" count: every packet that did not follow its predecessor
 * @param markers          packets with the marker bit set
 * @param silenceGaps      talkspurt starts after a silence (marker bit set with an RTP timestamp jump larger than
 *                         the packet step, RFC 3551 section 4.1)
 * @param minDeltaMs       smallest gap between consecutive packets (ms), NaN with fewer than two packets
 * @param meanDeltaMs      mean gap (ms)
 * @param maxDeltaMs       largest gap (ms)
 * @param minJitterMs      smallest RFC 3550 interarrival jitter (ms), NaN when the clock rate is unknown
 * @param meanJitterMs     mean jitter (ms)
 * @param maxJitterMs      largest jitter (ms)
 * @param driftMs          clock drift as Wireshark's RTP analysis reports it: the least-squares slope of media time
 *                         (RTP timestamps in ms of the payload clock) on arrival time over every in-order packet,
 *                         {@code duration * (slope - 1)} (ms); positive when the sender's payload clock runs fast
 *                         against the capture's clock; NaN when unknown (no clock, a change of clock, one instant)
 * @param driftPpm         {@code slope - 1} in parts per million
 * @param rtcpReports      RTCP report blocks about this stream seen on this side (from its receiver)
 * @param rtcpFractionLost the last report's fraction lost, in percent (RFC 3550 6.4.1), NaN without a report
 * @param rtcpCumulativeLost the last report's cumulative number of packets lost (may be negative), 0 without
 * @param rtcpJitterMs     the last report's interarrival jitter in ms of the payload clock, NaN without
 * @param rtcpRttMs        round trip from this capture point to the receiver and back, from the last report whose LSR
 *                         names a sender report seen here: report arrival minus sender-report arrival minus DLSR
 *                         (RFC 3550 6.4.1); NaN when none could be paired
 * @param events           RFC 4733 telephone events (one per event, however many packets repeat it)
 * @param digits           the DTMF digits of those events, in order (at most 64 kept)
 * @param series           jitter and loss over time in bounded buckets (the stream's chart), {@link StreamSeries#EMPTY}
 *                         when the summary was not built from packets
 */
public record StreamSummary(String side, String callId, String tiedBy, long ssrc, int payloadType, String codec,
                            String payloadTypes, int clockRate, String src, String dst, boolean heuristic,
                            long firstFrame, long lastFrame, long firstNanos, long lastNanos,
                            long packets, long expected, long lost, long duplicates, long outOfOrder,
                            long sequenceErrors, long markers, long silenceGaps,
                            double minDeltaMs, double meanDeltaMs, double maxDeltaMs,
                            double minJitterMs, double meanJitterMs, double maxJitterMs,
                            double driftMs, double driftPpm,
                            long rtcpReports, double rtcpFractionLost, long rtcpCumulativeLost, double rtcpJitterMs,
                            double rtcpRttMs, long events, String digits, StreamSeries series) {

    /** A summary without a time series (built from figures, not packets). */
    public StreamSummary(String side, String callId, String tiedBy, long ssrc, int payloadType, String codec,
                         String payloadTypes, int clockRate, String src, String dst, boolean heuristic,
                         long firstFrame, long lastFrame, long firstNanos, long lastNanos,
                         long packets, long expected, long lost, long duplicates, long outOfOrder,
                         long sequenceErrors, long markers, long silenceGaps,
                         double minDeltaMs, double meanDeltaMs, double maxDeltaMs,
                         double minJitterMs, double meanJitterMs, double maxJitterMs,
                         double driftMs, double driftPpm,
                         long rtcpReports, double rtcpFractionLost, long rtcpCumulativeLost, double rtcpJitterMs,
                         double rtcpRttMs, long events, String digits) {
        this(side, callId, tiedBy, ssrc, payloadType, codec, payloadTypes, clockRate, src, dst, heuristic, firstFrame,
                lastFrame, firstNanos, lastNanos, packets, expected, lost, duplicates, outOfOrder, sequenceErrors,
                markers, silenceGaps, minDeltaMs, meanDeltaMs, maxDeltaMs, minJitterMs, meanJitterMs, maxJitterMs,
                driftMs, driftPpm, rtcpReports, rtcpFractionLost, rtcpCumulativeLost, rtcpJitterMs, rtcpRttMs, events,
                digits, StreamSeries.EMPTY);
    }

    /** Lost as a percentage of expected (Wireshark's "Lost (x%)"), 0 when nothing was expected. */
    public double lostPercent() {
        return expected <= 0 ? 0 : lost * 100.0 / expected;
    }

    /** The SSRC as Wireshark prints it: "0x0A7328F3". */
    public String ssrcHex() {
        return String.format(java.util.Locale.ROOT, "0x%08X", ssrc);
    }

    /** Whether it was tied to a call. */
    public boolean tied() {
        return !callId.isEmpty();
    }
}
