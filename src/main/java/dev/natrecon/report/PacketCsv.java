package dev.natrecon.report;

import dev.natrecon.correlate.Crossing;
import dev.natrecon.correlate.Seen;
import dev.natrecon.decode.Protocols;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * packets.csv: one row per frame {@link PacketRows} keeps, written through {@link CsvRowWriter} with nothing allocated
 * per row for IPv4 frames (the translation is composed in the buffer, not as a String).
 */
public final class PacketCsv implements Closeable {
    /** packets.csv columns, in order. */
    public static final String[] COLUMNS = {"capture", "frame", "capture_time", "corrected_time", "disposition",
        "protocol", "src", "sport", "dst", "dport", "ip_length", "outcome", "translation", "counterpart_capture",
        "counterpart_frame", "counterpart_delta_ms"};

    private final CsvRowWriter csv;
    private final PacketRows rows;

    public PacketCsv(OutputStream out, PacketRows rows) throws IOException {
        this.csv = new CsvRowWriter(out, COLUMNS);
        this.rows = rows;
    }

    /** Writes {@code c}'s row if {@link PacketRows} keeps it. */
    public void packet(Crossing c) throws IOException {
        Seen s = c.seen();
        if (!rows.keeps(s)) return;
        boolean ip = s.protocol >= 0 && (s.srcLo != 0 || s.srcHi != 0);
        csv.text(c.capture()).number(s.frame).epoch(s.captureNanos).epoch(s.nanos).text(s.disposition.label());
        if (ip) {
            csv.text(Protocols.name(s.protocol)).address(s.srcHi, s.srcLo);
            if (s.hasPorts) csv.number(s.srcPort);
            else csv.empty();
            csv.address(s.dstHi, s.dstLo);
            if (s.hasPorts) csv.number(s.dstPort);
            else csv.empty();
            csv.number(s.length);
        } else {
            csv.empty().empty().empty().empty().empty().empty();
        }
        csv.text(s.outcome.label());
        translation(s);
        String cp = c.counterpartCapture();
        if (cp == null) csv.empty();
        else csv.text(cp);
        if (s.counterpartFrame == 0) csv.empty().empty();
        else csv.number(s.counterpartFrame).milliseconds(s.counterpartDeltaNanos);
        csv.endRecord();
    }

    /**
     * "src 192.168.1.10:5060->203.0.113.2:5060 dst ..." : what the router changed, seen from the LAN (empty when
     * nothing or no counterpart). Plain ASCII starting with a letter: no quoting, written in place.
     */
    private void translation(Seen s) throws IOException {
        if (s.counterpartFrame == 0 || s.sameTupleAsCounterpart()) {
            csv.empty();
            return;
        }
        boolean lanIsOwn = s.side == dev.natrecon.correlate.Side.LAN;
        long lSrcHi = lanIsOwn ? s.srcHi : s.cpSrcHi, lSrcLo = lanIsOwn ? s.srcLo : s.cpSrcLo;
        long lDstHi = lanIsOwn ? s.dstHi : s.cpDstHi, lDstLo = lanIsOwn ? s.dstLo : s.cpDstLo;
        int lSrcPort = lanIsOwn ? s.srcPort : s.cpSrcPort, lDstPort = lanIsOwn ? s.dstPort : s.cpDstPort;
        long wSrcHi = lanIsOwn ? s.cpSrcHi : s.srcHi, wSrcLo = lanIsOwn ? s.cpSrcLo : s.srcLo;
        long wDstHi = lanIsOwn ? s.cpDstHi : s.dstHi, wDstLo = lanIsOwn ? s.cpDstLo : s.dstLo;
        int wSrcPort = lanIsOwn ? s.cpSrcPort : s.srcPort, wDstPort = lanIsOwn ? s.cpDstPort : s.dstPort;
        boolean src = lSrcHi != wSrcHi || lSrcLo != wSrcLo || lSrcPort != wSrcPort;
        boolean dst = lDstHi != wDstHi || lDstLo != wDstLo || lDstPort != wDstPort;
        csv.openCell();
        if (src) {
            csv.appendAscii("src ").appendEndpoint(lSrcHi, lSrcLo, lSrcPort).appendAscii("->")
                    .appendEndpoint(wSrcHi, wSrcLo, wSrcPort);
        }
        if (dst) {
            if (src) csv.append(' ');
            csv.appendAscii("dst ").appendEndpoint(lDstHi, lDstLo, lDstPort).appendAscii("->")
                    .appendEndpoint(wDstHi, wDstLo, wDstPort);
        }
    }

    public void flush() throws IOException {
        csv.flush();
    }

    @Override
    public void close() throws IOException {
        csv.close();
    }
}
