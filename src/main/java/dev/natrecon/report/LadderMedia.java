package dev.natrecon.report;

import dev.natrecon.correlate.Side;
import dev.natrecon.detect.CallRecord;
import java.util.List;
import java.util.Locale;

/**
 * The media bars of a call's ladder ({@link CallLadder#svg}): beside each capture lane, one bar per direction (to the
 * phone, to the remote) from its first to its last RTP packet on that side, placed on the ladder's rows by time (the
 * rows are messages, so a time between two messages is placed between their rows in proportion). Each bar carries its
 * counts as a tooltip.
 */
final class LadderMedia {
    private LadderMedia() {
    }

    static final String TO_PHONE = "#2f9e44", TO_REMOTE = "#7048e8";

    /**
     * Appends the bars of {@code media} to {@code s}: {@code times} are the drawn messages' times, row {@code i} at
     * {@code top + i * row}; {@code lanX}/{@code wanX} the capture lanes; {@code width} the drawing's width.
     */
    static void bars(StringBuilder s, CallRecord media, List<Long> times, int top, int row, int lanX, int wanX,
                     int width) {
        if (media == null || times.isEmpty()) return;
        boolean any = false;
        for (CallRecord.Leg l : media.legs()) {
            if (!l.captured() || l.packets() == 0) continue;
            any = true;
            int x = (l.side() == Side.LAN ? lanX : wanX) + (l.toPhone() ? -9 : 5);
            double y1 = y(times, l.firstNanos(), top, row), y2 = Math.max(y1 + 2, y(times, l.lastNanos(), top, row));
            String tip = String.format(Locale.ROOT, "%s, RTP %s: %d packets, +%.3f s to +%.3f s from the first message%s",
                    l.side().label().toUpperCase(Locale.ROOT), l.direction(), l.packets(),
                    (l.firstNanos() - times.get(0)) / 1e9, (l.lastNanos() - times.get(0)) / 1e9,
                    l.score() == null ? "" : String.format(Locale.ROOT, ", MOS %.2f", l.score().mos()));
            s.append("<rect x=\"").append(x).append("\" y=\"").append(fmt(y1)).append("\" width=\"4\" height=\"")
                    .append(fmt(y2 - y1)).append("\" fill=\"").append(l.toPhone() ? TO_PHONE : TO_REMOTE)
                    .append("\" opacity=\"0.8\"><title>").append(Escape.html(tip)).append("</title></rect>\n");
        }
        if (!any) return;
        s.append("<text x=\"").append(width - 4).append("\" y=\"40\" text-anchor=\"end\" font-size=\"10\" fill=\"#555555\">")
                .append("RTP bars beside each capture: <tspan fill=\"").append(TO_PHONE).append("\">to the phone</tspan>, ")
                .append("<tspan fill=\"").append(TO_REMOTE).append("\">to the remote</tspan></text>\n");
    }

    /** The y of time {@code t}: between the rows of the messages before and after it, in proportion. */
    static double y(List<Long> times, long t, int top, int row) {
        if (t <= times.get(0)) return top;
        for (int i = 1; i < times.size(); i++) {
            long a = times.get(i - 1), b = times.get(i);
            if (t <= b) return top + row * (i - 1 + (b == a ? 1.0 : (double) (t - a) / (b - a)));
        }
        return top + row * (times.size() - 1) + row / 2.0; // after the last message drawn
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
