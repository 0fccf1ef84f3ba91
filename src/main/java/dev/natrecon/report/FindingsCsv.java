package dev.natrecon.report;

import dev.natrecon.capture.Times;
import dev.natrecon.detect.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** findings.csv: one row per finding, most severe first, with its evidence frames and display filters per side. */
public final class FindingsCsv {
    private FindingsCsv() {
    }

    public static final CsvSpec<Finding> SPEC = new CsvSpec<Finding>()
            .column("id", Finding::id)
            .column("severity", f -> f.severity().label())
            .column("time", f -> Times.epoch(f.nanos()))
            .column("end_time", f -> Times.epoch(f.endNanos()))
            .column("subject", Finding::subject)
            .column("message", Finding::message)
            .column("lan_frames", f -> frames(f, "lan"))
            .column("wan_frames", f -> frames(f, "wan"))
            .column("other_frames", FindingsCsv::otherFrames)
            .column("lan_filter", f -> f.filters().get("lan"))
            .column("wan_filter", f -> f.filters().get("wan"))
            .column("conntrack", Finding::conntrack)
            .column("details", FindingsCsv::details)
            .column("fix", Finding::fix);

    /** "12 15 20 (+31 more)". */
    static String frames(Finding f, String capture) {
        List<String> parts = new ArrayList<>();
        for (Long n : f.frames(capture)) parts.add(Long.toString(n));
        Integer more = f.omitted().get(capture);
        if (more != null) parts.add("(+" + more + " more)");
        return String.join(" ", parts);
    }

    static String otherFrames(Finding f) {
        List<String> parts = new ArrayList<>();
        for (String capture : f.frames().keySet()) {
            if (!capture.equals("lan") && !capture.equals("wan")) parts.add(capture + ": " + frames(f, capture));
        }
        return String.join("; ", parts);
    }

    static String details(Finding f) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, String> e : f.details().entrySet()) parts.add(e.getKey() + "=" + e.getValue());
        return String.join("; ", parts);
    }
}
