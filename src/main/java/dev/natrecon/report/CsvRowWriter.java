package dev.natrecon.report;

import dev.natrecon.decode.Addresses;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A CSV writer for tables with one row per frame ({@code packets.csv}): cells go straight into a byte buffer, numbers
 * as digits, addresses as dotted quads, with no boxing and no String per value. The output is byte for byte what
 * {@link Csv#printer} writes: a text cell that is plain printable ASCII, needs no quotes and cannot be read as a
 * formula is copied as it is; any other text cell (commas, quotes, line breaks, non-ASCII, a leading {@code =},
 * an empty first cell...) is handed to Commons CSV ({@link Csv#FORMAT}) after {@link Csv#cell}, so quoting stays
 * Commons CSV's. Not thread-safe; nothing is written to the stream until the buffer fills or {@link #flush()}.
 */
public final class CsvRowWriter implements Flushable, Closeable {
    /** Buffer size: 64 KiB, a few hundred rows, written to the stream in one call. */
    static final int BUFFER = 1 << 16;
    /** Room kept for the widest cell the byte path writes at once (an IPv4 endpoint pair, a number). */
    private static final int CELL_ROOM = 64;

    private final OutputStream out;
    private final byte[] buf = new byte[BUFFER];
    private final StringBuilder slow = new StringBuilder();
    private int pos;
    private boolean newRecord = true;

    /** A writer over {@code out} that writes {@code header} as its first record. */
    public CsvRowWriter(OutputStream out, String... header) throws IOException {
        this.out = out;
        for (String h : header) text(h);
        endRecord();
    }

    /** A text cell (null is an empty cell). */
    public CsvRowWriter text(CharSequence s) throws IOException {
        if (s == null) s = "";
        if (!plain(s, newRecord)) return quoted(s);
        int n = s.length();
        separator();
        for (int i = 0; i < n; i++) {
            if (pos == buf.length) drain();
            buf[pos++] = (byte) s.charAt(i);
        }
        return this;
    }

    /** An empty cell. */
    public CsvRowWriter empty() throws IOException {
        return newRecord ? quoted("") : separator();
    }

    /** A whole number. */
    public CsvRowWriter number(long v) throws IOException {
        separator();
        digits(v);
        return this;
    }

    /** Nanoseconds since the epoch as seconds with nine decimals, as {@link dev.natrecon.capture.Times#epoch} writes. */
    public CsvRowWriter epoch(long nanos) throws IOException {
        separator();
        digits(Math.floorDiv(nanos, 1_000_000_000L));
        buf[pos++] = '.';
        padded(Math.floorMod(nanos, 1_000_000_000L), 9);
        return this;
    }

    /** Nanoseconds as milliseconds with three decimals, rounded to the microsecond ("-0.152"). */
    public CsvRowWriter milliseconds(long nanos) throws IOException {
        separator();
        long micros = Math.round(nanos / 1000.0);
        if (micros < 0) buf[pos++] = '-';
        long abs = Math.abs(micros);
        digits(abs / 1000);
        buf[pos++] = '.';
        padded(abs % 1000, 3);
        return this;
    }

    /** An address cell: IPv4 written digit by digit, IPv6 through {@link Addresses#format}. */
    public CsvRowWriter address(long hi, long lo) throws IOException {
        if (!Addresses.isV4(hi, lo)) return text(Addresses.format(hi, lo));
        separator();
        v4((int) lo);
        return this;
    }

    /**
     * Starts a cell the caller composes with {@link #append(char)}, {@link #appendAscii} and {@link #appendEndpoint}:
     * only for content that is known to need neither quotes nor formula neutralising (printable ASCII without
     * {@code ,} or {@code "}, not starting with {@code = + - @ '} or a character below {@code #}).
     */
    public CsvRowWriter openCell() throws IOException {
        return separator();
    }

    public CsvRowWriter append(char c) throws IOException {
        room();
        buf[pos++] = (byte) c;
        return this;
    }

    public CsvRowWriter appendAscii(String s) throws IOException {
        for (int i = 0; i < s.length(); i++) append(s.charAt(i));
        return this;
    }

    /** "a.b.c.d:port", or "[v6]:port" as {@link Addresses#endpoint} writes it. */
    public CsvRowWriter appendEndpoint(long hi, long lo, int port) throws IOException {
        if (!Addresses.isV4(hi, lo)) return appendAscii(Addresses.endpoint(hi, lo, port));
        room();
        v4((int) lo);
        buf[pos++] = ':';
        digits(port);
        return this;
    }

    /** Ends the record (CRLF, as {@link Csv#FORMAT}). */
    public void endRecord() throws IOException {
        room();
        buf[pos++] = '\r';
        buf[pos++] = '\n';
        newRecord = true;
    }

    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            drain();
        } finally {
            out.close();
        }
    }

    /**
     * Whether Commons CSV ({@link Csv#FORMAT}, minimal quoting) writes {@code s} unquoted and {@link Csv#cell} leaves
     * it as it is: non-empty (an empty first cell is quoted), printable ASCII, no comma or quote, a first character
     * above {@code #} that is not a formula start, a last character above space.
     */
    static boolean plain(CharSequence s, boolean first) {
        int n = s.length();
        if (n == 0) return !first;
        char c = s.charAt(0);
        if (c <= '#' || c == '=' || c == '+' || c == '-' || c == '@' || c == '\'') return false;
        if (s.charAt(n - 1) <= ' ') return false;
        for (int i = 0; i < n; i++) {
            char x = s.charAt(i);
            if (x < ' ' || x > '~' || x == ',' || x == '"') return false;
        }
        return true;
    }

    /** A cell Commons CSV writes (its own delimiter included), after {@link Csv#cell}. */
    private CsvRowWriter quoted(CharSequence s) throws IOException {
        slow.setLength(0);
        Csv.FORMAT.print(Csv.cell(s.toString()), slow, newRecord);
        newRecord = false;
        byte[] bytes = slow.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > buf.length - pos) drain();
        if (bytes.length > buf.length) {
            out.write(bytes);
        } else {
            System.arraycopy(bytes, 0, buf, pos, bytes.length);
            pos += bytes.length;
        }
        return this;
    }

    private CsvRowWriter separator() throws IOException {
        room();
        if (!newRecord) buf[pos++] = ',';
        newRecord = false;
        return this;
    }

    private void room() throws IOException {
        if (buf.length - pos < CELL_ROOM) drain();
    }

    private void drain() throws IOException {
        if (pos > 0) out.write(buf, 0, pos);
        pos = 0;
    }

    private void v4(int a) {
        digits(a >>> 24);
        buf[pos++] = '.';
        digits(a >>> 16 & 0xff);
        buf[pos++] = '.';
        digits(a >>> 8 & 0xff);
        buf[pos++] = '.';
        digits(a & 0xff);
    }

    private void digits(long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                for (byte b : Long.toString(v).getBytes(StandardCharsets.US_ASCII)) buf[pos++] = b;
                return;
            }
            buf[pos++] = '-';
            v = -v;
        }
        int len = 1;
        for (long t = v; t >= 10; t /= 10) len++;
        padded(v, len);
    }

    /** {@code v} (non-negative) in exactly {@code width} digits, zero-padded on the left. */
    private void padded(long v, int width) {
        for (int i = pos + width - 1; i >= pos; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        pos += width;
    }
}
