package dev.natrecon.detect;

import dev.natrecon.capture.Times;
import dev.natrecon.correlate.Crossing;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code uplink.outage}: the captures show the WAN out for a while: the LAN kept sending to the outside, the packets
 * found no copy on the WAN, and the WAN capture, which had shown traffic before, was silent meanwhile. Names the window
 * (from the WAN's last frame before to its first after) and the evidence: the lost LAN packets, the router's ICMP
 * net/host unreachable about them (no route: the WAN lost its address or went down), and answers that reached the
 * phone with no WAN copy (they went by an uplink no capture shows). Information: what the outage left behind (a stale
 * entry, an expired binding) has its own findings.
 *
 * <p>State: one open outage (a few numbers and a bounded list of frames); per frame a side check and a compare.
 */
final class OutageDetector implements Detector {
    static final Rule RULE = new Rule("uplink.outage", Severity.INFO,
            "The WAN was out: the LAN's packets found no WAN copy while the WAN capture was silent",
            "LAN packets from an inside host to the outside with no copy on the WAN while the WAN capture, which showed "
                    + "frames before, showed none for longer than the match window; at least " + 2 + " of them, so that "
                    + "one lost packet is not called an outage. The window runs from the WAN's last frame before to "
                    + "its first after (a WAN capture that stops there shows no outage). The router's ICMP net/host unreachable about "
                    + "them means no route (the WAN lost its address or went down: icmp_send from ip_route_input); "
                    + "answers reaching the phone with no WAN copy mean an uplink no capture shows carried them.",
            List.of("silence: longer than the default match window, 1 s (AnalysisInputs.DEFAULT_MATCH_WINDOW_SECONDS)",
                    "at least 2 LAN packets without a WAN copy in the silence"),
            "Nothing to fix in the NAT by itself: find the uplink's cause (link, address, route, provider); "
                    + "nat.stale_mapping and keepalive.gap_exceeds_timeout name what the outage left wrong, if anything.",
            List.of("RFC 792 (destination unreachable)", "../shared/reference/linux-netfilter.md §6"));

    /** Longer than the default match window, within which a packet's copy appears on the other capture. */
    static final long SILENCE_NANOS = 1_000_000_000L;
    /** Fewer lost packets than this are losses, not an outage. */
    static final int MIN_LOST = 2;
    /** ICMP destination unreachable (RFC 792): type 3, codes 0 (net) and 1 (host). */
    private static final int UNREACHABLE = 3, NET = 0, HOST = 1;
    /** Evidence frames kept per kind. */
    private static final int KEEP = 8;

    private long lastWanNanos = Long.MIN_VALUE, lastWanFrame;
    private Open open;
    /** Outages found past {@link Detection#MAX_FINDINGS_PER_RULE}: counted, not kept. */
    private long notKept;

    /** The outage being watched. */
    private static final class Open {
        long fromNanos, wanBefore, firstLost = Long.MIN_VALUE;
        int lost, noRoute, elsewhere;
        final long[] lostFrames = new long[KEEP], icmpFrames = new long[KEEP], answerFrames = new long[KEEP];
    }

    private final java.util.List<Finding> findings = new java.util.ArrayList<>();

    @Override
    public List<Rule> rules() {
        return List.of(RULE);
    }

    @Override
    public void packet(Crossing c) {
        Seen s = c.seen();
        if (s.captureLabel != null) return;
        if (s.side == Side.WAN) {
            if (open != null) close(s.nanos, s.frame);
            lastWanNanos = s.nanos;
            lastWanFrame = s.frame;
            return;
        }
        if (lastWanNanos == Long.MIN_VALUE || s.nanos - lastWanNanos <= SILENCE_NANOS) return;
        if (s.icmpError) {
            if (open != null && c.srcInside() && s.icmpType == UNREACHABLE && (s.icmpCode == NET || s.icmpCode == HOST)) {
                if (open.noRoute < KEEP) open.icmpFrames[open.noRoute] = s.frame;
                open.noRoute++;
            }
            return;
        }
        if (s.outcome != Outcome.NO_COUNTERPART) return;
        if (c.srcInside() && !c.dstInside()) {
            if (open == null) {
                open = new Open();
                open.fromNanos = lastWanNanos;
                open.wanBefore = lastWanFrame;
            }
            if (open.lost < KEEP) open.lostFrames[open.lost] = s.frame;
            if (open.firstLost == Long.MIN_VALUE) open.firstLost = s.nanos;
            open.lost++;
        } else if (open != null && !c.srcInside() && c.dstInside()) {
            if (open.elsewhere < KEEP) open.answerFrames[open.elsewhere] = s.frame;
            open.elsewhere++;
        }
    }

    /** The WAN is back at {@code wanFrame}: the outage found, if it is one. */
    private void close(long untilNanos, long wanFrame) {
        Open o = open;
        open = null;
        if (o.lost < MIN_LOST) return;
        if (findings.size() >= Detection.MAX_FINDINGS_PER_RULE) {
            notKept++;
            return;
        }
        Finding.Builder f = Finding.of(RULE).subject("WAN").at(o.fromNanos).at(untilNanos);
        f.frame("wan", o.wanBefore);
        f.frame("wan", wanFrame);
        for (int i = 0; i < Math.min(o.lost, KEEP); i++) f.frame("lan", o.lostFrames[i]);
        for (int i = 0; i < Math.min(o.noRoute, KEEP); i++) f.frame("lan", o.icmpFrames[i]);
        for (int i = 0; i < Math.min(o.elsewhere, KEEP); i++) f.frame("lan", o.answerFrames[i]);
        StringBuilder m = new StringBuilder();
        m.append("The WAN was out between ").append(Times.timeOfDay(o.fromNanos)).append(" (WAN frame ")
                .append(o.wanBefore).append(", its last before) and ")
                .append(Times.timeOfDay(untilNanos)).append(" (WAN frame ").append(wanFrame).append(", its first after)")
                .append(": ").append(o.lost).append(" LAN packet(s) to the outside found no WAN copy, from LAN frame ")
                .append(o.lostFrames[0]).append(" at ").append(Times.timeOfDay(o.firstLost)).append(". ");
        if (o.noRoute > 0) {
            m.append("The router answered ").append(o.noRoute).append(" with ICMP net/host unreachable (LAN frame ")
                    .append(o.icmpFrames[0]).append(o.noRoute > 1 ? " …" : "").append("): it had no route out, the WAN "
                            + "had lost its address or gone down. ");
        }
        if (o.elsewhere > 0) {
            m.append(o.elsewhere).append(" answer(s) reached the phone with no WAN copy (LAN frame ")
                    .append(o.answerFrames[0]).append(o.elsewhere > 1 ? " …" : "").append("): an uplink no capture "
                            + "shows carried that traffic. ");
        }
        if (o.noRoute == 0 && o.elsewhere == 0) {
            m.append("The router answered none of them and no answer came: the packets were lost on the WAN side "
                    + "(carrier loss) or dropped. ");
        }
        f.message(m.toString().strip()).detail("lost LAN packets", o.lost).detail("ICMP no route", o.noRoute)
                .detail("answers by another path", o.elsewhere);
        findings.add(f.build());
    }

    @Override
    public java.util.Map<String, Long> findingsNotKept() {
        return notKept == 0 ? java.util.Map.of() : java.util.Map.of(RULE.id(), notKept);
    }

    @Override
    public void finish(DetectionContext context, Consumer<Finding> out) {
        // an outage still open at the end is the WAN capture having stopped (or never overlapping the LAN's): the
        // captures cannot tell it from an outage, so it is not one
        open = null;
        for (Finding f : findings) out.accept(f);
    }
}
