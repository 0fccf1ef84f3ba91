package dev.natrecon.report;

import dev.natrecon.capture.Times;
import dev.natrecon.detect.Causes;
import dev.natrecon.detect.Finding;
import dev.natrecon.detect.FindingGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * findings.csv: one row per instance, most severe first, the instances of one finding ({@link Causes}) together: each
 * row names its finding ({@code finding}: the number the terminal, summary.md and summary.json use), how many instances
 * that finding has and what they share ({@code cause}), with its evidence frames and display filters per side.
 */
public final class FindingsCsv {
    private FindingsCsv() {
    }

    /** One row: an instance and the finding it belongs to. */
    public record Row(FindingGroup group, Finding instance) {
    }

    /** The rows of {@code findings} (in the case's order, {@link dev.natrecon.detect.Detection#finish}). */
    public static List<Row> rows(List<Finding> findings) {
        List<Row> rows = new ArrayList<>(findings.size());
        for (FindingGroup g : Causes.group(findings)) for (Finding f : g.instances()) rows.add(new Row(g, f));
        return rows;
    }

    public static final CsvSpec<Row> SPEC = new CsvSpec<Row>()
            .column("finding", r -> r.group().number())
            .column("instances", r -> r.group().count())
            .column("cause", r -> r.group().cause())
            .column("id", r -> r.instance().id())
            .column("severity", r -> r.instance().severity().label())
            .column("time", r -> Times.epoch(r.instance().nanos()))
            .column("end_time", r -> Times.epoch(r.instance().endNanos()))
            .column("subject", r -> r.instance().subject())
            .column("message", r -> r.instance().message())
            .column("lan_frames", r -> frames(r.instance(), "lan"))
            .column("wan_frames", r -> frames(r.instance(), "wan"))
            .column("other_frames", r -> FindingsCsv.otherFrames(r.instance()))
            .column("lan_filter", r -> r.instance().filters().get("lan"))
            .column("wan_filter", r -> r.instance().filters().get("wan"))
            .column("conntrack", r -> r.instance().conntrack())
            .column("details", r -> FindingsCsv.details(r.instance()))
            .column("fix", r -> r.instance().fix());

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
