package dev.natrecon.report;

import dev.natrecon.capture.Times;
import dev.natrecon.correlate.Side;
import dev.natrecon.detect.CallRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The call list at the top of {@code report.html}: one row per call (the first {@link #MAX_ROWS}; the rest are counted
 * and all are in calls.csv) with its milestones, end reason, codec and, per direction, the RTP packets on each capture
 * side with the E-model score when there is one; each Call-ID links to its ladder when one is drawn.
 */
final class HtmlCalls {
    private HtmlCalls() {
    }

    /** Rows shown; a page with more calls is a load test, and calls.csv has them all. */
    static final int MAX_ROWS = 100;

    /** The call records by Call-ID (the first of a Call-ID seen twice). */
    static Map<String, CallRecord> byCallId(List<CallRecord> calls) {
        Map<String, CallRecord> out = new HashMap<>();
        for (CallRecord c : calls) out.putIfAbsent(c.callId(), c);
        return out;
    }

    static void render(SafeBuilder h, List<CallRecord> calls, List<CallLadder.Call> ladders) {
        render(h, calls, ladders, Map.of());
    }

    /** The call list; {@code streamCharts}: the numbers of the drawn stream charts by Call-ID, linked per row. */
    static void render(SafeBuilder h, List<CallRecord> calls, List<CallLadder.Call> ladders,
                       Map<String, List<Integer>> streamCharts) {
        h.raw("<h2 id=\"call-list\">Calls</h2>\n");
        if (calls.isEmpty()) {
            h.raw("<p>No INVITE was seen: no calls.</p>\n");
            return;
        }
        Map<String, Integer> ladderOf = new HashMap<>();
        for (int i = 0; i < ladders.size(); i++) ladderOf.putIfAbsent(ladders.get(i).callId, i + 1);
        h.raw("<p class=\"note\">").text(calls.size() <= MAX_ROWS ? calls.size() + (calls.size() == 1 ? " call" : " calls")
                        : "First " + MAX_ROWS + " of " + calls.size() + " calls")
                .raw(", in the order they ended; all are in <a href=\"calls.csv\">calls.csv</a>. RTP packets per "
                        + "direction as each capture shows them (LAN / WAN); MOS is the ITU-T G.107 E-model's estimate "
                        + "when loss and jitter were measured.</p>\n");
        h.raw("<table><tr><th>Call-ID</th><th>from → to</th><th>start (UTC)</th><th>setup</th><th>duration</th>"
                + "<th>end</th><th>codec</th><th>to the phone</th><th>to the remote</th></tr>\n");
        for (int i = 0; i < calls.size() && i < MAX_ROWS; i++) {
            CallRecord c = calls.get(i);
            Integer ladder = ladderOf.get(c.callId());
            h.raw("<tr><td class=\"mono\">");
            if (ladder != null) h.raw("<a href=\"#call").raw(Integer.toString(ladder)).raw("\">");
            h.text(CallLadder.shorten(c.callId(), 48));
            if (ladder != null) h.raw("</a>");
            List<Integer> charts = streamCharts.getOrDefault(c.callId(), List.of());
            if (!charts.isEmpty()) {
                h.raw("<div class=\"note\">jitter and loss:");
                for (Integer n : charts) {
                    h.raw(" <a href=\"#stream-").raw(Integer.toString(n)).raw("\">chart ").raw(Integer.toString(n))
                            .raw("</a>");
                }
                h.raw("</div>");
            }
            h.raw("</td><td class=\"mono\">").text(CallLadder.shorten(c.from(), 40) + " → " + CallLadder.shorten(c.to(), 40))
                    .raw("</td><td class=\"mono nw\">").text(Times.timeOfDay(c.startNanos()))
                    .raw("</td><td class=\"n\">").text(seconds(c.setupNanos()))
                    .raw("</td><td class=\"n\">").text(seconds(c.durationNanos()))
                    .raw("</td><td>").text(c.endReason())
                    .raw("</td><td>").text(c.codec().isEmpty() ? "-" : c.codec())
                    .raw("</td><td>").text(direction(c, true)).raw(inputs(c, true))
                    .raw("</td><td>").text(direction(c, false)).raw(inputs(c, false))
                    .raw("</td></tr>\n");
        }
        h.raw("</table>\n");
        if (calls.size() > MAX_ROWS) {
            h.raw("<p class=\"note\">").text((calls.size() - MAX_ROWS) + " more calls are in calls.csv.").raw("</p>\n");
        }
    }

    /** "LAN 250 / WAN 250, MOS 4.41 / 4.40" (a side without a capture is "-"). */
    static String direction(CallRecord c, boolean toPhone) {
        StringBuilder sb = new StringBuilder();
        StringBuilder mos = new StringBuilder();
        for (Side side : Side.values()) {
            CallRecord.Leg l = c.leg(side, toPhone);
            if (sb.length() > 0) sb.append(" / ");
            sb.append(side.label().toUpperCase(Locale.ROOT)).append(' ').append(l.captured() ? Long.toString(l.packets()) : "-");
            if (l.score() != null) {
                if (mos.length() > 0) mos.append(" / ");
                mos.append(String.format(Locale.ROOT, "%s %.2f", side.label().toUpperCase(Locale.ROOT), l.score().mos()));
            }
        }
        return sb + (mos.length() == 0 ? "" : "; MOS " + mos);
    }

    /** The E-model inputs of each scored side, as a note under the figures (already escaped). */
    static String inputs(CallRecord c, boolean toPhone) {
        StringBuilder sb = new StringBuilder();
        for (Side side : Side.values()) {
            CallRecord.Leg l = c.leg(side, toPhone);
            if (l.score() == null) continue;
            sb.append("<div class=\"note\">").append(Escape.html(side.label().toUpperCase(Locale.ROOT) + ": "
                    + String.format(Locale.ROOT, "lost %d of %d, jitter mean %.1f / max %.1f ms; ", l.lost(),
                    l.expected(), l.jitterMeanMs(), l.jitterMaxMs()) + l.score().inputs())).append("</div>");
        }
        return sb.toString();
    }

    private static String seconds(long nanos) {
        return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
    }
}
