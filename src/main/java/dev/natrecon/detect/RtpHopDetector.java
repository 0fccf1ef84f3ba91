package dev.natrecon.detect;

import dev.natrecon.correlate.Crossing;
import dev.natrecon.media.HopAttribution;
import dev.natrecon.media.HopLedger;
import dev.natrecon.media.HopVerdict;
import dev.natrecon.media.HopVerdicts;
import dev.natrecon.media.StreamSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Where an RTP stream's loss, delay and reordering happened, across the router: {@code rtp.loss} (before the router
 * or at it, how much, from the ingress capture's sequence gaps or the packets the egress capture lacks),
 * {@code rtp.router_delay} and {@code rtp.router_reordering}. The numbers come from {@link HopAttribution}, which
 * reads the same per-packet {@link Crossing} records as every detector; {@link HopVerdicts} says what is beyond noise.
 * Only streams seen on both sides are judged (a stream on one capture has no "across"), so one-capture analysis never
 * reports these.
 *
 * <p>State: one ledger per stream and direction (constant size), nothing per packet.
 */
final class RtpHopDetector implements Detector {
    static final List<String> REFS = List.of("RFC 3550 §6.4.1 and A.3 (cumulative loss, extended sequence numbers)",
            "ITU-T Y.1541 (IP packet loss ratio objectives)", "ITU-T G.113 Appendix I (Bpl for G.711 with PLC)",
            "ITU-T G.107 (E-model, Ie,eff)", "ITU-T G.114 (one-way delay)");

    static final Rule LOSS = new Rule("rtp.loss", Severity.WARNING,
            "An RTP stream lost packets before the router, at it or after it",
            "For each RTP stream (SSRC and the addresses and ports where it enters the router) seen on both captures, "
                    + "per direction: packets missing already where it enters the router (RFC 3550 A.3: expected = "
                    + "highest extended sequence number - first + 1, minus packets received, on the ingress capture) "
                    + "are lost before the router (on the LAN or the phone for an outbound stream, upstream for an "
                    + "inbound one); packets on the ingress capture with no copy on the egress capture while that "
                    + "capture was running are lost at the router; when the far end's RTCP receiver reports about the "
                    + "stream are in the captures, the cumulative loss of the last one beyond what those two explain "
                    + "(over the whole stream, so a lower bound) was lost after the router; without them loss after "
                    + "the router is unknown and said so. Fires per hop when the stream had at least "
                    + HopVerdicts.MIN_PACKETS + " packets on its ingress capture and the hop lost at least "
                    + HopVerdicts.MIN_LOST_PACKETS + " packets and " + HopVerdicts.MIN_LOSS_PERCENT + " % of them.",
            List.of("at least " + HopVerdicts.MIN_PACKETS + " packets on the ingress capture (2 s of 20 ms packets, "
                            + "RFC 3551 §4.5 default ptime)",
                    "loss >= " + HopVerdicts.MIN_LOSS_PERCENT + " %: ITU-T Y.1541's loss objective is 0.1 %, and with "
                            + "G.711 + PLC (G.113 Appendix I, Bpl 25.1) 1 % costs about 3.6 R points (G.107 Ie,eff)",
                    "at least " + HopVerdicts.MIN_LOST_PACKETS + " packets lost (isolated losses are no pattern)"),
            "At the router: look for congestion or drops on the router (interface queues, CPU, traffic shaping, "
                    + "firewall rate limits; `tc -s qdisc`, `ip -s link`, `nstat`). Before the router: on an outbound "
                    + "stream the LAN or the phone (Wi-Fi, switch, the phone's CPU); on an inbound one the provider's "
                    + "network or the access line: take it up with the provider, with these numbers.", REFS);
    static final Rule DELAY = new Rule("rtp.router_delay", Severity.INFO,
            "The router added delay to an RTP stream",
            "For each RTP stream seen on both captures: the egress copy's time minus the ingress copy's, after the "
                    + "clock-offset correction the run makes (zero when both captures come from the router's own "
                    + "clock). Fires when the mean over the forwarded packets is at least "
                    + HopVerdicts.MIN_ROUTER_DELAY_MS + " ms (at least " + HopVerdicts.MIN_PACKETS + " packets); a "
                    + "warning from " + 5 * HopVerdicts.MIN_ROUTER_DELAY_MS + " ms. Delay before and after the router "
                    + "is invisible to the router's captures.",
            List.of("mean >= " + HopVerdicts.MIN_ROUTER_DELAY_MS + " ms: a Linux router forwards in tens of "
                            + "microseconds; 10 ms is 1/15 of ITU-T G.114's 150 ms one-way budget",
                    "warning from " + 5 * HopVerdicts.MIN_ROUTER_DELAY_MS + " ms (a third of G.114's budget)"),
            "Look for queueing on the router (bufferbloat: a full uplink queue, traffic shaping without a voice "
                    + "priority); give RTP a priority queue (DSCP EF) or shape below the line rate.", REFS);
    static final Rule REORDER = new Rule("rtp.router_reordering", Severity.INFO,
            "The router sent an RTP stream's packets in another order than they arrived",
            "For each RTP stream seen on both captures: packets late on the egress capture (sequence number below "
                    + "the highest before it) beyond those already late on the ingress capture. Fires from "
                    + HopVerdicts.MIN_LOST_PACKETS + " packets and " + HopVerdicts.MIN_REORDER_PERCENT + " % of the "
                    + "forwarded ones.",
            List.of("at least " + HopVerdicts.MIN_LOST_PACKETS + " packets and " + HopVerdicts.MIN_REORDER_PERCENT
                    + " % (as for loss)"),
            "Look for multiple queues or paths on the router (multi-queue NICs, load balancing, traffic shaping "
                    + "classes); a jitter buffer absorbs a little reordering.", REFS);

    private final HopAttribution hops = new HopAttribution();

    @Override
    public List<Rule> rules() {
        return List.of(LOSS, DELAY, REORDER);
    }

    /** RTP-shaped frames only. */
    @Override
    public int interest() {
        return PacketKinds.RTP;
    }

    @Override
    public void packet(Crossing c) {
        hops.packet(c);
    }

    /** The streams followed (for tests and the outputs). */
    HopAttribution hops() {
        return hops;
    }

    @Override
    public void finish(DetectionContext context, Consumer<Finding> findings) {
        // each ledger reads only its SSRC's summaries (up to 4,096 ledgers against up to 50,000 streams)
        java.util.Map<Long, List<StreamSummary>> bySsrc = new java.util.HashMap<>();
        for (StreamSummary s : context.streams()) bySsrc.computeIfAbsent(s.ssrc(), k -> new java.util.ArrayList<>()).add(s);
        for (HopLedger l : hops.ledgers()) {
            List<StreamSummary> same = bySsrc.getOrDefault(l.ssrc(), List.of());
            StreamSummary ingress = ingressSide(l, same);
            StreamSummary report = reportSide(l, same);
            for (HopVerdict v : HopVerdicts.judge(l, ingress, report)) findings.accept(finding(l, v, ingress, report));
        }
    }

    /** The stream's statistics where it enters the router: same side, SSRC and endpoints; null when not there. */
    static StreamSummary ingressSide(HopLedger l, List<StreamSummary> streams) {
        for (StreamSummary s : streams) {
            if (s.side().equals(l.ingressCapture()) && s.ssrc() == l.ssrc() && s.src().equals(l.src())
                    && s.dst().equals(l.dst())) {
                return s;
            }
        }
        return null;
    }

    /**
     * Where the far end's RTCP receiver reports about the stream were seen: the egress side first (the reports come
     * back through the router), else the ingress side; the summary with the SSRC and the most reports. Null without.
     */
    static StreamSummary reportSide(HopLedger l, List<StreamSummary> streams) {
        StreamSummary best = null;
        for (String side : List.of(l.egressCapture(), l.ingressCapture())) {
            for (StreamSummary s : streams) {
                if (s.side().equals(side) && s.ssrc() == l.ssrc() && s.rtcpReports() > 0
                        && (best == null || s.rtcpReports() > best.rtcpReports())) {
                    best = s;
                }
            }
            if (best != null) return best;
        }
        return null;
    }

    private static Finding finding(HopLedger l, HopVerdict v, StreamSummary ingress, StreamSummary report) {
        Rule rule = switch (v.impairment()) {
            case LOSS -> LOSS;
            case DELAY -> DELAY;
            case REORDERING -> REORDER;
        };
        String ssrc = String.format(Locale.ROOT, "0x%08x", l.ssrc());
        Finding.Builder f = Finding.of(rule).at(l.firstNanos()).at(l.lastNanos())
                .subject("RTP " + ssrc + " " + l.flow()).cause(v.hop().label());
        if (v.impairment() == HopVerdict.Impairment.DELAY
                && v.percent() >= 5 * HopVerdicts.MIN_ROUTER_DELAY_MS) {
            f.severity(Severity.WARNING);
        }
        for (long frame : v.frames()) f.frame(v.capture(), frame);
        String filter = "rtp.ssrc == " + ssrc;
        f.filter(l.ingressCapture(), filter).filter(l.egressCapture(), filter);
        String way = l.outbound() ? "outbound" : "inbound";
        StringBuilder m = new StringBuilder();
        m.append("RTP stream ").append(ssrc).append(" (").append(l.flow()).append(", ").append(way).append("): ");
        switch (v.impairment()) {
            case LOSS -> m.append(String.format(Locale.ROOT, "%d of %d packets (%.2f %%) lost %s: %s. ", v.count(),
                    v.outOf(), v.percent(), v.hop().label(), v.evidence()));
            case DELAY -> m.append(String.format(Locale.ROOT, "the router added %.1f ms on average: %s. ",
                    v.percent(), v.evidence()));
            case REORDERING -> m.append(String.format(Locale.ROOT, "%d of %d packets (%.2f %%) reordered %s: %s. ",
                    v.count(), v.outOf(), v.percent(), v.hop().label(), v.evidence()));
        }
        long expected = HopVerdicts.expected(l, ingress), lostBefore = HopVerdicts.lostBefore(l, ingress);
        String after = HopVerdicts.afterTheRouter(l, ingress, report);
        m.append("Before the router ").append(lossText(lostBefore, expected)).append(" lost; at the router ")
                .append(lossText(l.lostAtRouter(), l.forwarded() + l.lostAtRouter()))
                .append(String.format(Locale.ROOT, " lost, %.1f ms added; after the router ", l.delayMeanNanos() / 1e6))
                .append(after).append('.');
        if (v.impairment() == HopVerdict.Impairment.DELAY) m.append(' ').append(HopVerdicts.delayOutsideTheRouter());
        f.message(m.toString());
        f.detail("hop", v.hop().label());
        f.detail("ingress capture", l.ingressCapture());
        f.detail("packets on the ingress capture", l.packets());
        f.detail("expected (RFC 3550 A.3)", expected);
        f.detail("lost before the router", lossText(lostBefore, expected));
        f.detail("lost at the router", lossText(l.lostAtRouter(), l.forwarded() + l.lostAtRouter()));
        f.detail("lost after the router", after);
        f.detail("router delay (ms)", String.format(Locale.ROOT, "mean %.2f, min %.2f, max %.2f, spread %.2f",
                l.delayMeanNanos() / 1e6, l.delayMinNanos() / 1e6, l.delayMaxNanos() / 1e6,
                l.delaySpreadNanos() / 1e6));
        f.detail("reordered at the router", l.reorderedAtRouter());
        if (l.notJudged() > 0) f.detail("not judged (egress capture not running)", l.notJudged());
        return f.build();
    }

    private static String lossText(long lost, long outOf) {
        return String.format(Locale.ROOT, "%d of %d (%.2f %%)", lost, outOf, outOf == 0 ? 0.0 : 100.0 * lost / outOf);
    }
}
