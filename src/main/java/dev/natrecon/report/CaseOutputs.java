package dev.natrecon.report;

import dev.natrecon.alg.sip.MessageVerdict;
import dev.natrecon.alg.sip.SipRewriteClassifier;
import dev.natrecon.capture.Times;
import dev.natrecon.conntrack.ConntrackEvent;
import dev.natrecon.conntrack.EntryView;
import dev.natrecon.conntrack.EventFormat;
import dev.natrecon.conntrack.Status;
import dev.natrecon.correlate.Binding;
import dev.natrecon.correlate.Side;
import dev.natrecon.correlate.Crossing;
import dev.natrecon.decode.Addresses;
import dev.natrecon.engine.AnalysisSink;
import dev.natrecon.engine.RunResult;
import dev.natrecon.engine.TableSample;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a case's files into its output folder: {@code packets.csv}, {@code events.csv} (the router model's events),
 * {@code expectations.csv} (its expectations' timeline) and {@code tablesize.csv} as the replay goes, then {@code mappings.csv}, {@code sip.csv}, {@code findings.csv}, {@code keepalive.csv},
 * {@code rtp.csv} (one row per RTP stream and side), {@code calls.csv} (one row per call) and {@code summary.json}. Each is renamed into place only when complete.
 */
public final class CaseOutputs implements AnalysisSink {
    /** packets.csv columns, in order ({@link PacketCsv#COLUMNS}). */
    public static final String[] PACKET_COLUMNS = PacketCsv.COLUMNS;
    /**
     * mappings.csv columns, in order: one row per lifetime of a binding (the router model's entry for it, or the
     * translation the WAN showed, changed), with how it ended.
     */
    public static final String[] MAPPING_COLUMNS = {"binding", "lifetime", "protocol", "internal", "external",
        "external_seen", "remote", "translation", "entry", "first_time", "last_time", "ended", "end_time",
        "end_frame", "end_detail", "first_lan_frame", "first_wan_frame", "lan_out_packets",
        "lan_out_bytes", "wan_out_packets", "wan_out_bytes", "wan_in_packets", "wan_in_bytes", "lan_in_packets",
        "lan_in_bytes"};

    /** events.csv columns: the model's events, each also as the line {@code conntrack -E} would print. */
    public static final String[] EVENT_COLUMNS = {"time", "event", "kind", "entry", "protocol", "state",
        "timeout", "original", "reply", "status", "helper", "nat_port", "detail", "capture", "frame", "conntrack_line"};
    /** expectations.csv columns: each expectation created or removed, also as {@code conntrack -E expect} prints it. */
    public static final String[] EXPECTATION_COLUMNS = {"time", "event", "reason", "expectation", "protocol", "src",
        "dst", "dport", "class", "flags", "master", "seconds_left", "capture", "frame", "conntrack_line"};
    /** tablesize.csv columns: one row per second in which the model's table changed. */
    public static final String[] TABLE_COLUMNS = {"second", "entries", "peak_in_second", "tcp", "udp", "icmp",
        "other", "unreplied", "assured"};

    private final Path dir;
    private final AtomicFile packetsFile, eventsFile, tableFile, expectFile;
    private final PacketCsv packets;
    private final Csv.Printer events, table, expect;
    private final SipRows sipRows;

    /** Outputs into {@code dir} with every frame in packets.csv ({@link PacketRows#ALL}). */
    public CaseOutputs(Path dir) throws IOException {
        this(dir, PacketRows.ALL);
    }

    /** Outputs into {@code dir}; {@code rows}: which frames packets.csv lists. */
    public CaseOutputs(Path dir, PacketRows rows) throws IOException {
        this.dir = dir;
        this.sipRows = new SipRows(dir);
        this.packetsFile = new AtomicFile(dir.resolve("packets.csv"));
        this.packets = new PacketCsv(packetsFile.stream(), rows);
        this.eventsFile = new AtomicFile(dir.resolve("events.csv"));
        this.events = Csv.printer(eventsFile.writer(), EVENT_COLUMNS);
        this.tableFile = new AtomicFile(dir.resolve("tablesize.csv"));
        this.table = Csv.printer(tableFile.writer(), TABLE_COLUMNS);
        this.expectFile = new AtomicFile(dir.resolve("expectations.csv"));
        this.expect = Csv.printer(expectFile.writer(), EXPECTATION_COLUMNS);
    }

    @Override
    public void expectation(dev.natrecon.conntrack.ExpectationEvent e) throws IOException {
        dev.natrecon.conntrack.ExpectView x = e.expectation();
        String flags = x.flags() == 0 ? "" : ((x.flags() & dev.natrecon.conntrack.Expectation.PERMANENT) != 0 ? "PERMANENT" : "")
                + ((x.flags() & 3) == 3 ? "," : "") + ((x.flags() & dev.natrecon.conntrack.Expectation.INACTIVE) != 0 ? "INACTIVE" : "");
        expect.printRecord(Times.epoch(e.nanos()),
                e instanceof dev.natrecon.conntrack.ExpectationEvent.ExpectationCreated ? "NEW" : "DESTROY",
                e instanceof dev.natrecon.conntrack.ExpectationEvent.ExpectationRemoved r
                        ? r.reason() == null ? "" : r.reason().name().toLowerCase(java.util.Locale.ROOT) : "",
                x.id(), EventFormat.protocolName(x.protocol()), x.srcAny() ? "*" : Addresses.format(x.srcHi(), x.srcLo()),
                dev.natrecon.conntrack.UnknownNat.shown(Addresses.format(x.dstHi(), x.dstLo())), x.dstPort(), x.className(), flags, x.master().text(),
                x.timeoutSeconds(), e.frame().point(), e.frame().frame() == 0 ? "" : e.frame().frame(),
                EventFormat.expectLine(e));
    }

    @Override
    public void conntrack(ConntrackEvent e) throws IOException {
        EntryView v = e.entry();
        String detail = "";
        String nat = "";
        if (e instanceof ConntrackEvent.EntryCreated c) nat = c.natPort().name().toLowerCase(java.util.Locale.ROOT);
        if (e instanceof ConntrackEvent.EntryUpdated u) detail = String.join(", ", u.changes().stream()
                .map(c -> c.toString().toLowerCase(java.util.Locale.ROOT)).toList());
        if (e instanceof ConntrackEvent.EntryKilled k) detail = k.reason();
        if (e instanceof ConntrackEvent.PacketDropped d) {
            detail = d.reason() + (d.kernelLog() == null ? "" : "; kernel log: " + d.kernelLog().strip().replace("\n", " | "));
        }
        events.printRecord(Times.epoch(e.nanos()), EventFormat.tag(e), e.getClass().getSimpleName(), v.id(),
                EventFormat.protocolName(v.original().protocol()), v.state() == null ? "" : v.state(),
                v.timeoutSeconds() < 0 ? "" : v.timeoutSeconds(), v.original().text(), dev.natrecon.conntrack.UnknownNat.replyText(v),
                Status.names(v.status()), v.helper() == null ? "" : v.helper(), nat, detail,
                e.frame().point(), e.frame().frame() == 0 ? "" : e.frame().frame(), EventFormat.line(e));
    }

    @Override
    public void tableSize(TableSample t) throws IOException {
        table.printRecord(Times.epoch(t.secondNanos()), t.entries(), t.peak(), t.tcp(), t.udp(), t.icmp(), t.other(),
                t.unreplied(), t.assured());
    }

    @Override
    public void packet(Crossing c) throws IOException {
        packets.packet(c);
    }

    @Override
    public void finish(RunResult r) throws IOException {
        packets.flush();
        packetsFile.commit();
        events.flush();
        eventsFile.commit();
        table.flush();
        tableFile.commit();
        expect.flush();
        expectFile.commit();
        try (AtomicFile f = new AtomicFile(dir.resolve("mappings.csv"));
             Csv.Printer csv = Csv.printer(f.writer(), MAPPING_COLUMNS)) {
            for (Binding b : r.bindings()) {
                csv.printRecord(b.id, b.lifetime, b.protocolName(), b.internal(),
                        dev.natrecon.conntrack.UnknownNat.shown(b.external()), b.externalSeen(),
                        b.remote(), b.translation(), b.entry() == 0 ? "" : b.entry(), Times.epoch(b.firstNanos),
                        Times.epoch(b.lastNanos), b.ending().label(),
                        b.ended() ? Times.epoch(b.endNanos()) : "", b.endFrame() == 0 ? "" : b.endFrame(),
                        b.endDetail(), b.firstLanFrame, b.firstWanFrame,
                        b.packets(Side.LAN, 0), b.bytes(Side.LAN, 0), b.packets(Side.WAN, 0), b.bytes(Side.WAN, 0),
                        b.packets(Side.WAN, 1), b.bytes(Side.WAN, 1), b.packets(Side.LAN, 1), b.bytes(Side.LAN, 1));
            }
            csv.flush();
            f.commit();
        }
        sipRows.write(dir.resolve("sip.csv"));
        FindingsCsv.SPEC.write(dir.resolve("findings.csv"), FindingsCsv.rows(r.findings()));
        KeepaliveCsv.SPEC.write(dir.resolve("keepalive.csv"), r.keepalive());
        RtpCsv.SPEC.write(dir.resolve("rtp.csv"), r.streams());
        CallsCsv.SPEC.write(dir.resolve("calls.csv"), r.calls());
        try (AtomicFile f = new AtomicFile(dir.resolve("summary.json"))) {
            Json.write(f.writer(), Summaries.run(r));
            f.commit();
        }
    }

    /** Its finish reads the result and writes only its own files (the CSV files and summary.json). */
    @Override
    public boolean finishesAlongside() {
        return true;
    }

    @Override
    public void sipMessage(MessageVerdict verdict) throws IOException {
        sipRows.add(verdict);
    }

    @Override
    public void sipMessageJudged(int index, SipRewriteClassifier.JudgedPorts judged) {
        sipRows.judged(index, judged);
    }

    /** Discards the partial packets.csv when the run fails. */
    public void abandon() throws IOException {
        packetsFile.close();
        eventsFile.close();
        tableFile.close();
        expectFile.close();
        sipRows.close();
    }
}
