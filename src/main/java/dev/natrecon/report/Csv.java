package dev.natrecon.report;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Every CSV file natrecon writes goes through here: RFC 4180 quoting ({@link CSVFormat#DEFAULT}) and the neutralising
 * of spreadsheet formulas in text cells ({@link #cell}), so a Call-ID or User-Agent such as
 * {@code =HYPERLINK("http://evil","x")} is shown as text when the file is opened in a spreadsheet.
 */
public final class Csv {
    /** The one format: RFC 4180, CRLF records. */
    public static final CSVFormat FORMAT = CSVFormat.DEFAULT;

    private Csv() {
    }

    /**
     * A cell as written. Text starting with a character a spreadsheet reads as the start of a formula ({@code =},
     * {@code +}, {@code -}, {@code @}, tab, carriage return: OWASP "CSV Injection") gets a leading {@code '}, and so does
     * text already starting with {@code '} (so {@link #text} restores every value exactly). Numbers, and text that is a
     * plain decimal number ({@code -1.5}, {@code -0.152}), are left as they are: a spreadsheet reads them as numbers,
     * not formulas. Allocation-free unless the cell is changed (packets.csv writes one row per frame).
     */
    public static Object cell(Object value) {
        if (!(value instanceof CharSequence s) || s.length() == 0) return value;
        char c = s.charAt(0);
        boolean risky = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' || c == '\'';
        if (!risky || (c == '-' || c == '+') && decimal(s)) return value;
        return "'" + s;
    }

    /** A value read back from a cell {@link #cell} wrote (the leading {@code '} it added removed). */
    public static String text(String cell) {
        if (cell.length() < 2 || cell.charAt(0) != '\'') return cell;
        char c = cell.charAt(1);
        boolean added = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' || c == '\'';
        return added ? cell.substring(1) : cell;
    }

    /** Whether {@code s} is a sign, digits and at most one decimal point with digits: a number, not a formula. */
    private static boolean decimal(CharSequence s) {
        int digits = 0, points = 0;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') digits++;
            else if (c == '.' && points++ == 0 && digits > 0) continue;
            else return false;
        }
        return digits > 0 && s.charAt(s.length() - 1) != '.';
    }

    /** Appends one record (with its line separator) to {@code out}, every cell through {@link #cell}. */
    public static void record(Appendable out, Object... cells) throws IOException {
        Object[] safe = new Object[cells.length];
        for (int i = 0; i < cells.length; i++) safe[i] = cell(cells[i]);
        FORMAT.printRecord(out, safe);
    }

    /** A printer writing {@code header} first; every record's cells go through {@link #cell}. */
    public static Printer printer(Appendable out, String... header) throws IOException {
        return new Printer(new CSVPrinter(out, FORMAT.builder().setHeader(header).build()));
    }

    /** A CSV printer that neutralises formulas in every cell. */
    public static final class Printer implements Flushable, Closeable {
        private final CSVPrinter csv;

        private Printer(CSVPrinter csv) {
            this.csv = csv;
        }

        /** One record; the cells are neutralised in place (the varargs array is the caller's own). */
        public void printRecord(Object... cells) throws IOException {
            for (int i = 0; i < cells.length; i++) cells[i] = cell(cells[i]);
            csv.printRecord(cells);
        }

        public void printRecord(Iterable<?> cells) throws IOException {
            for (Object o : cells) csv.print(cell(o));
            csv.println();
        }

        @Override
        public void flush() throws IOException {
            csv.flush();
        }

        @Override
        public void close() throws IOException {
            csv.close();
        }
    }
}
