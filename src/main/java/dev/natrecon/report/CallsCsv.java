package dev.natrecon.report;

import dev.natrecon.capture.Times;
import dev.natrecon.correlate.Side;
import dev.natrecon.detect.CallRecord;
import java.util.Locale;

/**
 * {@code calls.csv}: one row per call (INVITE dialog, by Call-ID), in the order the calls were judged (ended, or at the
 * end of the captures). Columns: {@code call_id, from, to, caller} (phone: the party behind the router called; remote:
 * it was called), {@code start} (first INVITE), {@code answer} (first 2xx), {@code end} (BYE, CANCEL or final failure
 * response), {@code setup_seconds} (INVITE to answer), {@code duration_seconds} (answer to end), {@code end_reason},
 * {@code codec} (the one the SDP answer put first), {@code codecs} (each party's latest SDP), then per capture side
 * ({@code lan}, {@code wan}) and direction ({@code to_phone}, {@code to_remote}): {@code packets}, {@code lost},
 * {@code jitter_ms} (mean RFC 3550 interarrival jitter), {@code jitter_max_ms}, {@code r} and {@code mos} (ITU-T G.107
 * E-model, {@link dev.natrecon.detect.EModel}). A cell is empty when the value is unknown: a side without a capture, a
 * call never answered, statistics not measured, a codec without G.113 values.
 */
public final class CallsCsv {
    private CallsCsv() {
    }

    public static final CsvSpec<CallRecord> SPEC = spec();

    private static CsvSpec<CallRecord> spec() {
        CsvSpec<CallRecord> s = new CsvSpec<CallRecord>()
                .column("call_id", CallRecord::callId)
                .column("from", CallRecord::from)
                .column("to", CallRecord::to)
                .column("caller", r -> r.phoneIsCaller() ? "phone" : "remote")
                .column("start", r -> Times.epoch(r.startNanos()))
                .column("answer", r -> r.answerNanos() < 0 ? "" : Times.epoch(r.answerNanos()))
                .column("end", r -> r.endNanos() < 0 ? "" : Times.epoch(r.endNanos()))
                .column("setup_seconds", r -> seconds(r.setupNanos()))
                .column("duration_seconds", r -> seconds(r.durationNanos()))
                .column("end_reason", CallRecord::endReason)
                .column("codec", CallRecord::codec)
                .column("codecs", CallRecord::codecs);
        for (Side side : Side.values()) {
            for (boolean toPhone : new boolean[] {true, false}) {
                String p = side.name().toLowerCase(Locale.ROOT) + (toPhone ? "_to_phone_" : "_to_remote_");
                s.column(p + "packets", r -> leg(r, side, toPhone).captured() ? leg(r, side, toPhone).packets() : "")
                        .column(p + "lost", r -> count(leg(r, side, toPhone).lost()))
                        .column(p + "jitter_ms", r -> millis(leg(r, side, toPhone).jitterMeanMs()))
                        .column(p + "jitter_max_ms", r -> millis(leg(r, side, toPhone).jitterMaxMs()))
                        .column(p + "r", r -> leg(r, side, toPhone).score() == null ? ""
                                : Decimals.fixed(leg(r, side, toPhone).score().r(), 1))
                        .column(p + "mos", r -> leg(r, side, toPhone).score() == null ? ""
                                : Decimals.fixed(leg(r, side, toPhone).score().mos(), 2));
            }
        }
        return s;
    }

    private static CallRecord.Leg leg(CallRecord r, Side side, boolean toPhone) {
        return r.leg(side, toPhone);
    }

    private static String seconds(long nanos) {
        return nanos < 0 ? "" : Decimals.fixed(nanos / 1e9, 3);
    }

    private static String count(long n) {
        return n < 0 ? "" : Long.toString(n);
    }

    private static String millis(double ms) {
        return ms < 0 ? "" : Decimals.fixed(ms, 3);
    }
}
