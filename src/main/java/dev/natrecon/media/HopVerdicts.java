package dev.natrecon.media;

import java.util.ArrayList;
import java.util.List;

/**
 * Judges a {@link HopLedger}: which impairments of the stream are beyond noise, and at which hop. Only what the
 * numbers show with enough packets is a verdict; below the thresholds nothing is said (numbers within noise are no
 * finding), and what the router's captures cannot see is said to be unknown, with why.
 */
public final class HopVerdicts {
    /**
     * Packets a stream needs on its ingress capture before its loss is judged: 100 = 2 s of 20 ms packets (RFC 3551
     * §4.5 default ptime), so that a handful of packets at a call's edge never makes a percentage.
     */
    public static final long MIN_PACKETS = 100;
    /**
     * Loss below this is noise for voice: ITU-T Y.1541 sets the network's loss objective at 1e-3 (IPLR, classes 0-4),
     * and ITU-T G.113 Appendix I gives G.711 with packet loss concealment Bpl = 25.1, so 1 % random loss costs about
     * 3.6 R points in ITU-T G.107's Ie,eff = Ie + (95 - Ie) * Ppl / (Ppl + Bpl): the first loss a listener may notice.
     */
    public static final double MIN_LOSS_PERCENT = 1.0;
    /** Fewer lost packets than this are isolated losses, not a pattern, whatever the percentage. */
    public static final long MIN_LOST_PACKETS = 5;
    /**
     * Added router delay from which it is reported: a Linux router forwards in tens of microseconds (the lab's
     * {@code baseline}: below 0.1 ms), and 10 ms is 1/15 of ITU-T G.114's 150 ms one-way budget for the whole path.
     */
    public static final double MIN_ROUTER_DELAY_MS = 10.0;
    /** Late packets beyond this share of the arriving ones are reordering worth naming (as for loss). */
    public static final double MIN_REORDER_PERCENT = 1.0;

    private HopVerdicts() {
    }

    /** The verdicts on {@code l} from its own counts alone (no per-side stream statistics). */
    public static List<HopVerdict> judge(HopLedger l) {
        return judge(l, null, null);
    }

    /**
     * The verdicts on {@code l}; empty when the stream is too short or within noise everywhere.
     *
     * @param ingress the stream's statistics on its ingress capture ({@link MediaStreams}: its expected and lost
     *                figures are the ones loss before the router is judged by), or null: then the ledger's own
     * @param report  the stream's statistics on a side where the far end's RTCP receiver reports about it were seen
     *                (the egress side, normally), or null: loss after the router is then unknown
     */
    public static List<HopVerdict> judge(HopLedger l, StreamSummary ingress, StreamSummary report) {
        List<HopVerdict> out = new ArrayList<>();
        if (l.packets() < MIN_PACKETS || l.forwarded() == 0) return out;
        long expected = expected(l, ingress), lostBefore = lostBefore(l, ingress);
        if (significant(lostBefore, expected, MIN_LOSS_PERCENT)) {
            out.add(new HopVerdict(HopVerdict.Impairment.LOSS, HopVerdict.Hop.BEFORE_ROUTER, lostBefore, expected,
                    percent(lostBefore, expected), "sequence numbers already missing where the stream enters the "
                    + "router (" + l.ingressCapture() + " capture: " + l.gapEvents() + " gap(s), " + l.packets()
                    + " of " + expected + " packets there; " + (l.outbound() ? "on the LAN: the phone or the LAN "
                    + "itself" : "upstream: the provider's network or the access line") + ")", l.gapFrames(),
                    l.ingressCapture()));
        }
        long arrived = l.forwarded() + l.lostAtRouter();
        if (significant(l.lostAtRouter(), arrived, MIN_LOSS_PERCENT)) {
            out.add(new HopVerdict(HopVerdict.Impairment.LOSS, HopVerdict.Hop.AT_ROUTER, l.lostAtRouter(), arrived,
                    percent(l.lostAtRouter(), arrived), "on the " + l.ingressCapture() + " capture and not on the "
                    + l.egressCapture() + " capture while it was running", l.lostAtRouterFrames(),
                    l.ingressCapture()));
        }
        long after = lostAfter(l, ingress, report);
        if (after > 0 && significant(after, expected, MIN_LOSS_PERCENT)) {
            out.add(new HopVerdict(HopVerdict.Impairment.LOSS, HopVerdict.Hop.AFTER_ROUTER, after, expected,
                    percent(after, expected), "the far end's last RTCP receiver report counts " + report.rtcpCumulativeLost()
                    + " packets lost (cumulative, RFC 3550 §6.4.1), the router's captures explain "
                    + (lostBefore + l.lostAtRouter()) + " (before the router and at it, over the whole stream): at "
                    + "least " + after + " were lost after the router", new long[0], report.side()));
        }
        double delayMs = l.delayMeanNanos() / 1e6;
        if (delayMs >= MIN_ROUTER_DELAY_MS) {
            out.add(new HopVerdict(HopVerdict.Impairment.DELAY, HopVerdict.Hop.AT_ROUTER, 0, l.forwarded(), delayMs,
                    String.format(java.util.Locale.ROOT, "%s copy minus %s copy after the clock-offset correction: "
                            + "mean %.1f ms, min %.1f, max %.1f, spread (standard deviation) %.1f ms over %d packets",
                            l.egressCapture(), l.ingressCapture(), delayMs, l.delayMinNanos() / 1e6,
                            l.delayMaxNanos() / 1e6, l.delaySpreadNanos() / 1e6, l.forwarded()),
                    new long[] {l.delayMaxFrame()}, l.ingressCapture()));
        }
        if (significant(l.reorderedAtRouter(), l.forwarded(), MIN_REORDER_PERCENT)) {
            out.add(new HopVerdict(HopVerdict.Impairment.REORDERING, HopVerdict.Hop.AT_ROUTER, l.reorderedAtRouter(),
                    l.forwarded(), percent(l.reorderedAtRouter(), l.forwarded()), l.reorderedAfter()
                    + " late packet(s) on the " + l.egressCapture() + " capture, " + l.reorderedBefore()
                    + " already late on the " + l.ingressCapture() + " capture", l.reorderedAfterFrames(),
                    l.egressCapture()));
        }
        if (significant(l.reorderedBefore(), l.packets(), MIN_REORDER_PERCENT)) {
            out.add(new HopVerdict(HopVerdict.Impairment.REORDERING, HopVerdict.Hop.BEFORE_ROUTER, l.reorderedBefore(),
                    l.packets(), percent(l.reorderedBefore(), l.packets()), "late packets already where the stream "
                    + "enters the router (" + l.ingressCapture() + " capture)", new long[0], l.ingressCapture()));
        }
        return out;
    }

    /** Expected packets where the stream enters the router: the side's statistics, else the ledger's. */
    public static long expected(HopLedger l, StreamSummary ingress) {
        return ingress != null ? ingress.expected() : l.expected();
    }

    /** Lost before the router (RFC 3550 A.3 on the ingress capture, never below 0). */
    public static long lostBefore(HopLedger l, StreamSummary ingress) {
        return ingress != null ? Math.max(0, ingress.lost()) : l.lostBefore();
    }

    /**
     * Packets the far end's last RTCP receiver report counts as lost beyond what the router's captures explain (lost
     * before the router and at it over the whole stream, so never more than the truth: the report covers the stream
     * up to its time only); -1 when no report was seen.
     */
    public static long lostAfter(HopLedger l, StreamSummary ingress, StreamSummary report) {
        if (report == null || report.rtcpReports() == 0) return -1;
        return Math.max(0, report.rtcpCumulativeLost() - lostBefore(l, ingress) - l.lostAtRouter());
    }

    /**
     * Loss after the router in words: what the far end's receiver reports add to the router's captures, or that it
     * cannot be told without them.
     */
    public static String afterTheRouter(HopLedger l, StreamSummary ingress, StreamSummary report) {
        long after = lostAfter(l, ingress, report);
        if (after < 0) {
            return "cannot tell (no RTCP receiver report from the far end about this stream in the captures; only "
                    + "that would show what arrived there, RFC 3550 §6.4.1)";
        }
        return after + " at least (the far end's last RTCP receiver report: " + report.rtcpCumulativeLost()
                + " lost in all, seen on the " + report.side() + " capture)";
    }

    /** What the router's captures cannot say about delay outside the router. */
    public static String delayOutsideTheRouter() {
        return "delay before and after the router: cannot tell (both captures are on the router; only its own "
                + "transit time is between them)";
    }

    static boolean significant(long count, long outOf, double minPercent) {
        return outOf > 0 && count >= MIN_LOST_PACKETS && percent(count, outOf) >= minPercent;
    }

    static double percent(long count, long outOf) {
        return outOf == 0 ? 0 : 100.0 * count / outOf;
    }
}
