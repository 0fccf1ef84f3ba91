package dev.natrecon.report;

import dev.natrecon.correlate.Side;
import dev.natrecon.detect.CallRecord;
import java.util.List;
import java.util.Locale;

/**
 * summary.md's {@code ## Media}: one line per call with what its media did in each direction on each capture side
 * (packets, lost, mean/max jitter, MOS), from {@link CallRecord}'s legs, at most {@link #MAX_CALLS} lines so the
 * summary stays pasteable; the rest are counted and pointed to in calls.csv.
 */
final class MarkdownMedia {
    /** Calls given a line: with the findings (95 lines) and the rest (about 50) a case stays near 150 lines. */
    static final int MAX_CALLS = 10;

    private MarkdownMedia() {
    }

    static void render(SafeBuilder m, List<CallRecord> calls, boolean redact) {
        if (calls.isEmpty()) return;
        m.raw("## Media\n\n");
        int shown = 0;
        for (CallRecord c : calls) {
            if (shown++ == MAX_CALLS) break;
            m.raw("- ").raw(Escape.mdCode(Escape.redact(c.callId(), redact))).raw(c.answerNanos() < 0 ? " (not answered)" : "")
                    .raw(": ").text(direction(c, false)).raw("; ").text(direction(c, true)).raw("\n");
        }
        if (calls.size() > MAX_CALLS) {
            int more = calls.size() - MAX_CALLS;
            m.raw(more + (more == 1 ? " more call" : " more calls") + " in calls.csv\n");
        }
        m.raw("\n");
    }

    /** "to the remote: LAN 1500 packets, 0 lost, jitter mean/max 0.3/1.2 ms, MOS 4.40 / WAN …". */
    static String direction(CallRecord c, boolean toPhone) {
        StringBuilder sb = new StringBuilder(toPhone ? "to the phone:" : "to the remote:");
        boolean first = true;
        for (Side side : Side.values()) {
            CallRecord.Leg l = c.leg(side, toPhone);
            if (l == null || !l.captured()) continue;
            sb.append(first ? " " : " / ").append(side.label().toUpperCase(Locale.ROOT)).append(' ').append(leg(l));
            first = false;
        }
        if (first) sb.append(" no capture");
        return sb.toString();
    }

    static String leg(CallRecord.Leg l) {
        if (l.packets() == 0) return "no RTP";
        StringBuilder sb = new StringBuilder().append(l.packets()).append(" packets");
        if (l.lost() >= 0) {
            sb.append(", ").append(l.lost()).append(" lost");
            if (l.expected() > 0 && l.lost() > 0) {
                sb.append(String.format(Locale.ROOT, " (%.1f %%)", 100.0 * l.lost() / l.expected()));
            }
        }
        if (l.jitterMeanMs() >= 0) {
            sb.append(String.format(Locale.ROOT, ", jitter mean/max %.1f/%.1f ms", l.jitterMeanMs(),
                    Math.max(0, l.jitterMaxMs())));
        }
        if (l.score() != null) sb.append(String.format(Locale.ROOT, ", MOS %.2f", l.score().mos()));
        return sb.toString();
    }
}
