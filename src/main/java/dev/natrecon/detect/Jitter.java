package dev.natrecon.detect;

import dev.natrecon.correlate.Side;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code rtp.jitter}: a direction of a call whose mean RFC 3550 interarrival jitter, on some capture side, reaches
 * {@link #MEAN_MS} (the largest alone is not judged: single events that are not network jitter set it, an RFC 4733
 * event's packets sharing one timestamp, a pause without a timestamp jump): one finding per call and direction, with each side's figures
 * (so a jitter already present before the router and one that appears after it can be told apart) and the E-model
 * score it leads to.
 */
final class Jitter {
    private Jitter() {
    }

    /**
     * Mean jitter that is reported: 30 ms. An RFC 3550 jitter J is about 1.1 times the standard deviation of the
     * transit time for normally spread delays (J estimates the mean of |D|, D a difference of two transits), so a mean J
     * of 30 ms spreads the delay by some 27 ms: a 99.9 % interval of well over 100 ms, twice ITU-T Y.1541's 50 ms IPDV
     * bound for interactive (class 0/1) traffic.
     */
    static final double MEAN_MS = 30;
    /**
     * A leg whose streams paused this long between two packets is not judged: 1 s, fifty packetization intervals
     * (RFC 3551's 20 ms). A pause (hold, silence suppression without a timestamp jump, a sender restart) is one huge
     * transit difference that the estimator carries for dozens of packets (it moves by 1/16 per packet, RFC 3550
     * A.8), raising the mean with no jitter in the network.
     */
    static final double PAUSE_MS = 1000;

    private static final String[] SIDE = {"LAN", "WAN"};

    /** The findings of call {@code r} (its legs filled by {@link CallQuality}). */
    static List<Finding> findings(CallRecord r) {
        List<Finding> out = new ArrayList<>(0);
        for (boolean toPhone : new boolean[] {true, false}) {
            List<String> sides = new ArrayList<>(2);
            boolean high = false;
            long at = Long.MAX_VALUE, until = Long.MIN_VALUE;
            EModel.Score worst = null;
            for (Side side : Side.values()) {
                CallRecord.Leg l = r.leg(side, toPhone);
                if (l == null || l.jitterMaxMs() < 0) continue;
                boolean over = l.jitterMeanMs() >= MEAN_MS && l.maxDeltaMs() < PAUSE_MS;
                high |= over;
                at = Math.min(at, l.firstNanos());
                until = Math.max(until, l.lastNanos());
                sides.add(String.format(Locale.ROOT, "%s: mean %.1f ms, max %.1f ms over %d packets%s",
                        SIDE[side.ordinal()], l.jitterMeanMs(), l.jitterMaxMs(), l.packets(),
                        l.score() == null ? "" : String.format(Locale.ROOT, ", MOS %.2f", l.score().mos())));
                if (l.score() != null && (worst == null || l.score().mos() < worst.mos())) worst = l.score();
            }
            if (!high) continue;
            String dir = toPhone ? "to the phone" : "to the remote";
            Finding.Builder b = Finding.of(MediaRules.JITTER).at(at).at(Math.max(at, until)).subject("call " + r.callId())
                    .detail("Call-ID", r.callId()).detail("jitter " + dir, String.join("; ", sides));
            if (worst != null) b.detail("E-model", worst.inputs());
            b.filter("lan", "sip.Call-ID == \"" + r.callId().replace("\"", "\\\"") + "\" || rtp");
            b.filter("wan", "sip.Call-ID == \"" + r.callId().replace("\"", "\\\"") + "\" || rtp");
            out.add(b.message(String.format(Locale.ROOT, "Call %s: high RFC 3550 jitter in the media %s (%s)%s.",
                    r.callId(), dir, String.join("; ", sides), worst == null ? ""
                            : String.format(Locale.ROOT, "; a fixed jitter buffer of four times the mean adds %.0f ms of delay",
                            worst.jitterBufferMs()))).build());
        }
        return out;
    }
}
