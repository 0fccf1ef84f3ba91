package dev.natrecon.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * A writer for the terminal that shows every control character as an escape instead of passing it on, so text taken
 * from a capture (a pcapng interface name or comment, a SIP header value, a Call-ID, a file name) cannot move the
 * cursor, retitle the window or clear the screen. ESC becomes {@code \e}; every other C0 control (U+0000-U+001F), DEL
 * (U+007F) and every C1 control (U+0080-U+009F, which some terminals take as 8-bit CSI/OSC) becomes {@code \xNN};
 * the bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) become {@code \u202e} and the like.
 * Only line feed and tab pass, as the layout of natrecon's own lines; carriage return is escaped (it could overwrite a
 * line already shown). Every command's output goes through this one filter ({@link Main#execute}), so no command can
 * forget it.
 */
public final class TerminalWriter extends FilterWriter {
    /** ANSI "carriage return, erase to end of line" (ECMA-48 EL): natrecon's own progress bar, never capture text. */
    static final String CLEAR_LINE = "\r\033[K";

    public TerminalWriter(Writer out) {
        super(out);
    }

    /**
     * The print writer every command writes to: all text through a {@link TerminalWriter}; only natrecon's own
     * control sequences ({@link #clearLine}) bypass it.
     */
    public static final class Out extends PrintWriter {
        private final Writer raw;

        public Out(Writer raw) {
            super(new TerminalWriter(raw), true);
            this.raw = raw;
        }

        /** Returns to the start of the line and erases it (the batch progress bar redrawn in place). */
        public void clearLine() {
            flush();
            try {
                raw.write(CLEAR_LINE);
            } catch (IOException e) {
                setError();
            }
        }
    }

    /** {@code w}'s {@link Out#clearLine} when it is a terminal writer; otherwise a new line. */
    static void clearLine(PrintWriter w) {
        if (w instanceof Out o) o.clearLine();
        else w.println();
    }

    /** {@code s} as the terminal shows it: control characters replaced by their escapes. */
    public static String escape(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!passes(c)) {
                if (sb == null) sb = new StringBuilder(s.length() + 8).append(s, 0, i);
                appendEscape(sb, c);
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    /**
     * One field of capture text on one line of natrecon's own output (a file or interface name, a finding's message):
     * {@link #escape}d, and its line feeds and tabs shown as {@code \x0a} and {@code \x09} too, so it cannot start a
     * line that looks like natrecon's.
     */
    public static String oneLine(Object field) {
        String s = escape(String.valueOf(field));
        return s.indexOf('\n') < 0 && s.indexOf('\t') < 0 ? s : s.replace("\n", "\\x0a").replace("\t", "\\x09");
    }

    static boolean passes(char c) {
        return c == '\n' || c == '\t' || c >= 0x20 && c < 0x7f || c > 0x9f && !bidi(c);
    }

    /** Unicode bidirectional embedding, override and isolate controls (UAX #9): they reorder what follows on the line. */
    private static boolean bidi(char c) {
        return c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069;
    }

    private static void appendEscape(StringBuilder sb, char c) {
        if (c == 0x1b) {
            sb.append("\\e");
        } else if (bidi(c)) {
            sb.append("\\u").append(Integer.toHexString(c));
        } else {
            sb.append("\\x").append(Character.forDigit(c >> 4 & 0xf, 16)).append(Character.forDigit(c & 0xf, 16));
        }
    }

    @Override
    public void write(int c) throws IOException {
        if (passes((char) c)) {
            out.write(c);
        } else {
            StringBuilder sb = new StringBuilder(4);
            appendEscape(sb, (char) c);
            out.write(sb.toString());
        }
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
        int run = off;
        for (int i = off; i < off + len; i++) {
            if (passes(cbuf[i])) continue;
            out.write(cbuf, run, i - run);
            write(cbuf[i]);
            run = i + 1;
        }
        out.write(cbuf, run, off + len - run);
    }

    @Override
    public void write(String str, int off, int len) throws IOException {
        int run = off;
        for (int i = off; i < off + len; i++) {
            if (passes(str.charAt(i))) continue;
            out.write(str, run, i - run);
            write(str.charAt(i));
            run = i + 1;
        }
        out.write(str, run, off + len - run);
    }
}
