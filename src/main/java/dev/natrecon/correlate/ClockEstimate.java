package dev.natrecon.correlate;

import java.util.List;

/**
 * The WAN capture's clock relative to the LAN capture's, and what the estimate rests on.
 *
 * @param method          "estimated", "given" (--wan-offset) or "none" (one router capture, or no evidence)
 * @param offsetSeconds   how far the WAN clock is ahead of the LAN clock, in seconds, at {@code anchorNanos}
 *                        (an {@code editcap -t 7.25} of the WAN file gives +7.25)
 * @param driftPpm        how much faster the WAN clock runs, parts per million
 * @param anchorNanos     LAN-clock instant the offset refers to
 * @param matches         matched packet pairs used
 * @param spreadSeconds   robust spread (1.4826 × MAD) of the residuals
 * @param maxResidualSeconds largest residual among the pairs kept
 * @param latencySeconds  half the difference between outbound and inbound deltas: the router's forwarding delay
 * @param outbound        pairs judged outbound (source translated, or private LAN source)
 * @param inbound         pairs judged inbound
 * @param outliers        pairs discarded as outliers
 * @param externalAddresses router WAN addresses seen in the translations of the sampled pairs
 */
public record ClockEstimate(String method, double offsetSeconds, double driftPpm, long anchorNanos, int matches,
                            double spreadSeconds, double maxResidualSeconds, double latencySeconds, int outbound,
                            int inbound, int outliers, List<String> externalAddresses) {

    public static ClockEstimate none(String why) {
        return new ClockEstimate(why, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of());
    }

    public static ClockEstimate given(double seconds) {
        return new ClockEstimate("given", seconds, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of());
    }

    public ClockEstimate withExternalAddresses(List<String> addresses) {
        return new ClockEstimate(method, offsetSeconds, driftPpm, anchorNanos, matches, spreadSeconds,
                maxResidualSeconds, latencySeconds, outbound, inbound, outliers, addresses);
    }

    public dev.natrecon.capture.ClockCorrection correction() {
        // WAN time t maps to LAN time t − offset − drift·(t − anchor).
        return new dev.natrecon.capture.ClockCorrection(-Math.round(offsetSeconds * 1e9), -driftPpm, anchorNanos);
    }
}
