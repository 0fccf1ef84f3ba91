package dev.natrecon.engine;

import dev.natrecon.correlate.Binding;
import dev.natrecon.correlate.ClockEstimate;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Side;
import dev.natrecon.detect.Finding;
import java.util.List;

/**
 * Everything one analysis found, for sinks and the CLI to render.
 *
 * @param captures    per-capture statistics; for a router capture a single entry
 * @param roles       labels of {@code captures}: "lan", "wan" or "router"
 * @param decisions   human-readable lines saying what was decided and why (interface roles, clock offset)
 * @param outcomes    [side][outcome] packet counts
 * @param matched     [side] packets that found their counterpart (whatever their outcome)
 * @param peakHeld    most frames held by the matcher at once (memory indicator)
 * @param model       what the conntrack/NAT replay did
 * @param snapshots   the model's table at the instants asked for
 * @param kernelCheck the comparison with the router's own conntrack log, or null when none was given
 * @param tableChecks the comparisons with the router's {@code conntrack -L} listings, in the order given
 * @param expectCheck the comparison with the router's own {@code conntrack -E expect} log, or null
 * @param sipRewrites what the router did to every SIP message seen on both sides, classified (no ALG, Linux-like,
 *                    another consistent ALG, broken), or null when no SIP message was seen on both sides
 * @param findings    what the detectors found, most severe first ({@link dev.natrecon.detect.Detection#ORDER})
 * @param keepalive   the keepalive timeline of the UDP bindings that carry SIP (keepalive.csv), in time order
 * @param limits      the resource bounds this case reached (empty when none): the analysis is cut where they say
 * @param verdict     the run's one verdict (findings, clean or inconclusive with its reasons), which every output shows
 * @param streams     every RTP stream on each capture side with its statistics ({@code rtp.csv}), in the order
 *                    they began ({@link dev.natrecon.media.MediaStreams})
 * @param calls       every SIP call (INVITE dialog) with its media per side and direction (calls.csv), in the order
 *                    they were judged
 */
public record RunResult(String caseName, List<CaptureStats> captures, List<String> roles, List<String> decisions,
                        ClockEstimate clock, long[][] outcomes, long[] matched, long matchedPairs, List<Binding> bindings,
                        long packetsReplayed, long peakHeld, double matchWindowSeconds,
                        ModelSummary model, List<TableSnapshot> snapshots,
                        KernelCheck kernelCheck, List<KernelTableCheck> tableChecks, KernelExpectCheck expectCheck,
                        SipRewrites sipRewrites, List<Finding> findings,
                        List<dev.natrecon.detect.KeepaliveRow> keepalive, List<LimitNotice> limits,
                        RunVerdict verdict, List<dev.natrecon.media.StreamSummary> streams,
                        List<dev.natrecon.detect.CallRecord> calls) {

    public long outcome(Side side, Outcome o) {
        return outcomes[side.ordinal()][o.ordinal()];
    }

    public long matched(Side side) {
        return matched[side.ordinal()];
    }

    /** Packets of one side that could be matched at all (IP packets that left the LAN/WAN for the router). */
    public long matchable(Side side) {
        long n = 0;
        for (Outcome o : Outcome.values()) if (o != Outcome.NOT_MATCHED && o != Outcome.LOCAL) n += outcomes[side.ordinal()][o.ordinal()];
        return n;
    }
}
