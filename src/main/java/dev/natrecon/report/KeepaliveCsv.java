package dev.natrecon.report;

import dev.natrecon.capture.Times;
import dev.natrecon.detect.KeepaliveRow;

/**
 * keepalive.csv: one row per packet on each UDP binding that carries SIP, with the gap its conntrack entry went
 * without a refresh before it and the timeout in force (keepalive.gap_exceeds_timeout): the data of a chart of gaps
 * against the timeout.
 */
public final class KeepaliveCsv {
    private KeepaliveCsv() {
    }

    public static final CsvSpec<KeepaliveRow> SPEC = new CsvSpec<KeepaliveRow>()
            .column("binding", r -> r.binding() == 0 ? "" : r.binding())
            .column("internal", KeepaliveRow::internal)
            .column("external", KeepaliveRow::external)
            .column("remote", KeepaliveRow::remote)
            .column("direction", KeepaliveRow::direction)
            .column("mechanism", KeepaliveRow::mechanism)
            .column("gap_start", r -> Times.epoch(r.gapStartNanos()))
            .column("time", r -> Times.epoch(r.nanos()))
            .column("gap_seconds", r -> String.format(java.util.Locale.ROOT, "%.6f", r.gapSeconds()))
            .column("timeout_seconds", r -> r.timeoutSeconds() < 0 ? "" : r.timeoutSeconds())
            .column("timeout_kind", KeepaliveRow::timeoutKind)
            .column("exceeded", r -> r.exceeded() ? "yes" : "no")
            .column("lan_frame", r -> r.lanFrame() == 0 ? "" : r.lanFrame())
            .column("wan_frame", r -> r.wanFrame() == 0 ? "" : r.wanFrame())
            .column("note", KeepaliveRow::note);
}
