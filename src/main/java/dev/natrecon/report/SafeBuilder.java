package dev.natrecon.report;

import java.util.function.UnaryOperator;

/**
 * Builds a page that shows capture text (report.html, summary.md): markup written by the renderer goes in through
 * {@link #raw}, anything taken from a capture through {@link #text}, which redacts credentials (unless told not to)
 * and then escapes for the page's language.
 */
final class SafeBuilder {
    private final StringBuilder sb = new StringBuilder(1 << 14);
    private final boolean redact;
    private final UnaryOperator<String> escape;

    SafeBuilder(boolean redact, UnaryOperator<String> escape) {
        this.redact = redact;
        this.escape = escape;
    }

    /** Markup written by the renderer itself (never capture text). */
    SafeBuilder raw(String s) {
        sb.append(s);
        return this;
    }

    /** Capture text: redacted, then escaped with the page's escaper. */
    SafeBuilder text(String s) {
        return text(s, escape);
    }

    /** Capture text escaped another way (a Markdown code span). */
    SafeBuilder text(String s, UnaryOperator<String> escaper) {
        sb.append(escaper.apply(Escape.redact(s, redact)));
        return this;
    }

    /** Characters written so far. */
    int length() {
        return sb.length();
    }

    /** Lines ended since character {@code from}. */
    int lines(int from) {
        int n = 0;
        for (int i = from; i < sb.length(); i++) if (sb.charAt(i) == '\n') n++;
        return n;
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
