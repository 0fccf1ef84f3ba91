package dev.natrecon.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * One line of progress redrawn in place on a terminal ({@link TerminalWriter#clearLine}): the piece {@code batch}'s
 * bar and {@code analyze}'s frame counter share. Redraws at most every {@link #REDRAW_NANOS}, so a fast run does not
 * spend its time on the terminal.
 */
final class ProgressLine {
    /** Fewest nanoseconds between two redraws (5 per second: smooth to the eye, cheap for the run). */
    static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter out;
    private final long start = System.nanoTime();
    private long lastDraw;

    ProgressLine(PrintWriter out) {
        this.out = out;
    }

    /** Seconds since this line was made. */
    double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    /** True when the last redraw is at least {@link #REDRAW_NANOS} old. */
    boolean due() {
        return System.nanoTime() - lastDraw >= REDRAW_NANOS;
    }

    /** Replaces the line with {@code text}. */
    void draw(String text) {
        TerminalWriter.clearLine(out);
        out.print(text);
        out.flush();
        lastDraw = System.nanoTime();
    }

    /** Clears the line, so what is printed next starts on a clean one. */
    void clear() {
        if (lastDraw != 0) TerminalWriter.clearLine(out);
        out.flush();
    }

    /** Whether anything was drawn. */
    boolean drawn() {
        return lastDraw != 0;
    }

    /** "12 s", or "?" when the remaining time is unknown. */
    static String eta(double seconds) {
        return Double.isNaN(seconds) || Double.isInfinite(seconds) ? "?" : String.format(Locale.ROOT, "%.0f s", seconds);
    }
}
