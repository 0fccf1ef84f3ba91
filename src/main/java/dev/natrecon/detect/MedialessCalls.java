package dev.natrecon.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One capture of one side: the answered calls of which the capture holds no media at all (no RTP in either direction),
 * for one rule ({@code rtp.call_media} or the info of {@code rtp.no_media_after_answer}). A SIP-only capture of a load
 * test (public sip/sipp_771calls_nsec.pcapng: 771 calls) would otherwise make one finding per call saying the same
 * thing (twice: its media per call and "no media after the answer"); these calls share one cause, the capture. A single such call keeps its own finding as it was built; two or
 * more become one finding with the count, the first calls' Call-IDs and their INVITE / 200 OK frames as evidence.
 * State is constant: the first finding and at most {@link #LISTED} calls' ids and frames.
 */
final class MedialessCalls {
    /** Calls named (Call-ID and evidence frames) in the grouped finding; the rest are counted. */
    static final int LISTED = 5;

    private final Rule rule;
    private final Severity severity;
    private final String label, what, why;
    private Finding first;
    private final List<Finding> listed = new ArrayList<>();
    private long calls, startNanos = Long.MAX_VALUE, endNanos = Long.MIN_VALUE;

    /**
     * {@code label}: the subject after the count ("calls without media in this capture"); {@code what}: the words
     * after the count in the message ("answered calls of which ..."); {@code why}: the sentence's end.
     */
    MedialessCalls(Rule rule, Severity severity, String label, String what, String why) {
        this.rule = rule;
        this.label = label;
        this.severity = severity;
        this.what = what;
        this.why = why;
    }

    /** One call's finding, built as it would stand alone. */
    void add(Finding f) {
        calls++;
        if (first == null) first = f;
        if (listed.size() < LISTED) listed.add(f);
        startNanos = Math.min(startNanos, f.nanos());
        endNanos = Math.max(endNanos, f.endNanos());
    }

    /** The finding(s): none, the one call's own, or one for them all. */
    void finish(Consumer<Finding> out) {
        if (calls == 0) return;
        if (calls == 1) {
            out.accept(first);
            return;
        }
        Finding.Builder b = Finding.of(rule).severity(severity).at(startNanos).at(endNanos)
                .subject(calls + " " + label).cause("the capture");
        List<String> ids = new ArrayList<>();
        for (Finding f : listed) {
            ids.add(f.details().getOrDefault("Call-ID", f.subject()));
            for (Map.Entry<String, List<Long>> e : f.frames().entrySet()) {
                for (Long n : e.getValue()) b.frame(e.getKey(), n);
            }
        }
        for (String capture : List.of("lan", "wan")) {
            if (!listed.get(0).frames(capture).isEmpty()) {
                b.filter(capture, "sip.Call-ID in {" + String.join(", ", ids.stream().map(id -> "\""
                        + id.replace("\"", "\\\"") + "\"").toList()) + "}");
            }
        }
        String more = calls > ids.size() ? String.format(Locale.ROOT, " and %d more", calls - ids.size()) : "";
        out.accept(b.message(String.format(Locale.ROOT, "%d %s (calls %s%s): %s", calls, what, String.join(", ", ids),
                        more, why))
                .detail("calls", calls)
                .detail("Call-IDs listed", ids)
                .detail("first call", first.message())
                .build());
    }
}
