package dev.natrecon.report;

import dev.natrecon.capture.Times;
import dev.natrecon.alg.sip.MessageVerdict;
import dev.natrecon.alg.sip.SipCopy;
import dev.natrecon.alg.sip.SipMessagePair;
import dev.natrecon.alg.sip.SipObservation;
import dev.natrecon.alg.sip.SipPairKey;
import dev.natrecon.decode.sdp.SdpBody;
import dev.natrecon.decode.sdp.SdpConnection;
import dev.natrecon.decode.sdp.SdpMedia;
import dev.natrecon.decode.sip.SipAddress;
import dev.natrecon.decode.sip.SipMessage;
import dev.natrecon.decode.sip.SipVia;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;

/**
 * {@code sip.csv}: one row per SIP message seen on both sides of the router, with what the router changed and the
 * rewrite analysis's verdict ({@link dev.natrecon.alg.sip.SipRewriteClassifier}). "Before" is the router's input copy
 * (the LAN copy of an outbound message, the WAN copy of an inbound one), "after" its output copy; {@code capture},
 * {@code frame} and {@code time} locate the input copy, the {@code counterpart_*} columns the output copy.
 *
 * <p>Columns ({@link #COLUMNS}): {@code capture, frame, time} (epoch seconds with nanoseconds), {@code direction}
 * (out/in), {@code counterpart_capture, counterpart_frame, counterpart_time}, {@code transport} (udp/tcp),
 * {@code call_id}, {@code cseq}, {@code method_or_status} (method, or status code), {@code from}, {@code to} (as the
 * input copy writes them), {@code via_before, via_after} (top Via sent-by with its received= and rport=),
 * {@code contact_before, contact_after} (each Contact's host:port, space-separated), {@code sdp_c_before, sdp_c_after}
 * (session c= then each media's own c=), {@code sdp_m_ports_before, sdp_m_ports_after} (each m= as media/port),
 * {@code changes} (the compact field diff, {@code name: before -> after; …}), {@code class}
 * ({@link dev.natrecon.alg.sip.AlgClass#label()}), {@code findings} ({@code id(field,…); …}). A copy that does not
 * parse gives empty address columns. Rows come in the order given (the pairing orders them by the router's input time).
 */
public final class SipCsv {
    public static final String[] COLUMNS = {"capture", "frame", "time", "direction", "counterpart_capture",
        "counterpart_frame", "counterpart_time", "transport", "call_id", "cseq", "method_or_status", "from", "to",
        "via_before", "via_after", "contact_before", "contact_after", "sdp_c_before", "sdp_c_after", "sdp_m_ports_before",
        "sdp_m_ports_after", "changes", "class", "findings"};

    private static final CSVFormat FORMAT = Csv.FORMAT;

    private SipCsv() {
    }

    /** Writes {@code file} atomically (temporary file renamed into place). */
    public static void write(Path file, List<MessageVerdict> verdicts) throws IOException {
        try (AtomicFile f = new AtomicFile(file)) {
            write(f.writer(), verdicts);
            f.commit();
        }
    }

    /** Writes {@code file} atomically from rows rendered by {@link #line} earlier. */
    public static void writeLines(Path file, List<String> lines) throws IOException {
        try (AtomicFile f = new AtomicFile(file)) {
            Csv.printer(f.writer(), COLUMNS).flush();
            for (String l : lines) f.writer().append(l).append(FORMAT.getRecordSeparator());
            f.writer().flush();
            f.commit();
        }
    }

    /** One row's cells as one CSV record without its line separator: the compact form a long run keeps. */
    public static String line(List<String> cells) {
        StringBuilder sb = new StringBuilder(256);
        try {
            Csv.record(sb, cells.toArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringBuilder does not fail
        }
        sb.setLength(sb.length() - FORMAT.getRecordSeparator().length());
        return sb.toString();
    }

    /** Index of the {@code class} column. */
    public static final int CLASS_COLUMN = List.of(COLUMNS).indexOf("class");
    /** Index of the {@code findings} column. */
    public static final int FINDINGS_COLUMN = List.of(COLUMNS).indexOf("findings");

    /** Writes the header and one row per verdict to {@code out} (flushed, not closed). */
    public static void write(Writer out, List<MessageVerdict> verdicts) throws IOException {
        Csv.Printer csv = Csv.printer(out, COLUMNS);
        for (MessageVerdict v : verdicts) csv.printRecord(row(v));
        csv.flush();
    }

    /** The cells of one row, in {@link #COLUMNS} order. */
    public static List<String> row(MessageVerdict v) {
        SipMessagePair p = v.pair();
        SipObservation in = p.input(), out = p.output();
        SipCopy before = v.diff().input(), after = v.diff().output();
        SipPairKey key = in.key() != null ? in.key() : out.key();
        SipMessage m = before.message();
        List<String> r = new ArrayList<>(COLUMNS.length);
        r.add(in.capture().label());
        r.add(Long.toString(in.frame()));
        r.add(Times.epoch(in.nanos()));
        r.add(p.direction().label());
        r.add(out.capture().label());
        r.add(Long.toString(out.frame()));
        r.add(Times.epoch(out.nanos()));
        r.add(in.transport().name().toLowerCase(java.util.Locale.ROOT));
        r.add(key == null ? "" : key.callId());
        r.add(key == null ? "" : key.cseq());
        r.add(key == null ? "" : key.methodOrStatus());
        r.add(m == null ? "" : m.from().map(a -> a.text().text()).orElse(""));
        r.add(m == null ? "" : m.to().map(a -> a.text().text()).orElse(""));
        r.add(via(before));
        r.add(via(after));
        r.add(contacts(before));
        r.add(contacts(after));
        r.add(connections(before));
        r.add(connections(after));
        r.add(media(before));
        r.add(media(after));
        r.add(v.diff().compactText());
        r.add(v.algClass().label());
        r.add(v.findingsText());
        return r;
    }

    static String via(SipCopy c) {
        if (c.message() == null) return "";
        SipVia v = c.message().topVia().orElse(null);
        if (v == null || v.host() == null) return "";
        StringBuilder sb = new StringBuilder(v.host().text());
        if (v.port() != null) sb.append(':').append(v.port().text());
        if (v.received() != null) sb.append(" received=").append(v.received().text());
        if (v.rport() != null) sb.append(" rport=").append(v.rport().text());
        return sb.toString();
    }

    static String contacts(SipCopy c) {
        if (c.message() == null) return "";
        List<String> out = new ArrayList<>();
        for (SipAddress a : c.message().contacts()) {
            if (a.wildcard()) out.add("*");
            else if (a.uri() != null && a.uri().host() != null) {
                out.add(a.uri().host().text() + (a.uri().port() == null ? "" : ":" + a.uri().port().text()));
            } else if (a.uri() != null) out.add(a.uri().text().text());
        }
        return String.join(" ", out);
    }

    static String connections(SipCopy c) {
        SdpBody sdp = c.sdp();
        if (sdp == null) return "";
        Set<String> out = new LinkedHashSet<>();
        sdp.connection().map(SdpConnection::address).ifPresent(a -> out.add(a.text()));
        for (SdpMedia md : sdp.media()) if (md.connection() != null && md.connection().address() != null) out.add(md.connection().address().text());
        return String.join(" ", out);
    }

    static String media(SipCopy c) {
        SdpBody sdp = c.sdp();
        if (sdp == null) return "";
        List<String> out = new ArrayList<>();
        for (SdpMedia md : sdp.media()) out.add(md.typeText() + "/" + md.port().text());
        return String.join(" ", out);
    }
}
