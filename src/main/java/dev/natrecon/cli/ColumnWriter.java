package dev.natrecon.cli;

import java.io.PrintWriter;
import java.io.Writer;

/**
 * Keeps a command's lines within {@link #COLUMNS} columns: a longer line is broken at spaces, the continuation lines
 * indented four columns past the line's own indentation; a word longer than a line is cut where the line ends. Writes
 * whole lines to the underlying writer (the terminal filter, {@link TerminalWriter}); {@code flush} passes on a partial
 * line as it is.
 */
final class ColumnWriter extends Writer {
    /** The width of the terminal natrecon's lines keep to (the classic 80 columns are too narrow for a flow and a time). */
    static final int COLUMNS = 120;

    private final PrintWriter out;
    private final StringBuilder line = new StringBuilder();

    ColumnWriter(PrintWriter out) {
        this.out = out;
    }

    /** A print writer over {@code out} whose lines keep to {@link #COLUMNS}. */
    static PrintWriter over(PrintWriter out) {
        return new PrintWriter(new ColumnWriter(out), true);
    }

    @Override
    public void write(char[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
            char c = buf[i];
            if (c == '\n') {
                emit(line.toString());
                line.setLength(0);
            } else {
                line.append(c);
            }
        }
    }

    private void emit(String text) {
        out.write(wrap(text));
        out.write('\n');
    }

    /** {@code text} (one line) broken into lines of at most {@link #COLUMNS}, joined by line feeds. */
    static String wrap(String text) {
        if (text.length() <= COLUMNS) return text;
        int lead = 0;
        while (lead < text.length() && text.charAt(lead) == ' ') lead++;
        String indent = " ".repeat(Math.min(lead + 4, COLUMNS / 2));
        StringBuilder b = new StringBuilder(text.length() + 16);
        String rest = text;
        while (rest.length() > COLUMNS) {
            int cut = rest.lastIndexOf(' ', COLUMNS);
            int next;
            if (cut <= indent.length()) { // one word longer than a line: cut it
                cut = COLUMNS;
                next = COLUMNS;
            } else {
                next = cut + 1;
            }
            b.append(rest, 0, cut).append('\n');
            rest = indent + rest.substring(next);
        }
        return b.append(rest).toString();
    }

    @Override
    public void flush() {
        if (line.length() > 0) {
            out.write(line.toString());
            line.setLength(0);
        }
        out.flush();
    }

    @Override
    public void close() {
        flush();
    }
}
