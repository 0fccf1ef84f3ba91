package dev.natrecon.report;

import dev.natrecon.decode.sip.Credentials;

/**
 * Making text taken from captures safe to show: HTML/XML escaping for report.html and the SVG drawings, Markdown
 * escaping for summary.md, and the redaction of SIP credentials (Authorization, Proxy-Authorization).
 */
public final class Escape {
    /** What replaces a credential. */
    public static final String REDACTED = Credentials.REDACTED;

    private Escape() {
    }

    /**
     * Text and attribute values for HTML and XML ({@link Html#escape}); carriage returns are dropped first, so SIP's
     * CRLF lines read as lines.
     */
    public static String html(String s) {
        return s == null ? "" : Html.escape(s.replace("\r", ""));
    }

    /**
     * Inline Markdown text: HTML-significant characters become entities ({@link Html#escape}: no raw HTML reaches
     * the renderer), the Markdown punctuation that can start emphasis, links, code, tables or strikethrough is
     * backslash-escaped, and so is a leading heading or list marker; line breaks become spaces.
     */
    public static String md(String s) {
        if (s == null) return "";
        String h = Html.escape(s.replace('\r', ' ').replace('\n', ' ').replace('\t', ' '));
        StringBuilder sb = new StringBuilder(h.length() + 16);
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if ("\\`*_[]|~".indexOf(c) >= 0 || i == 0 && "#-+".indexOf(c) >= 0) sb.append('\\');
            sb.append(c);
        }
        return sb.toString();
    }

    /**
     * A Markdown code span: the text verbatim on one line (backticks become quotes, so the span cannot end early).
     * Text with {@code <} or {@code >} is given as escaped plain text instead ({@link #md}): a renderer that is not
     * CommonMark might still read a tag inside a code span.
     */
    public static String mdCode(String s) {
        if (s == null || s.isEmpty()) return "";
        if (s.indexOf('<') >= 0 || s.indexOf('>') >= 0) return md(s);
        StringBuilder sb = new StringBuilder(s.length() + 2).append('`');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c == '`' ? '\'' : c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return sb.append('`').toString();
    }

    /**
     * {@code text} with the value of every Authorization and Proxy-Authorization header, folded or not, reduced to its
     * scheme and username ({@link Credentials#message}); unchanged when {@code redact} is false. A second line of
     * defence: SIP text already leaves the parse layer redacted.
     */
    public static String redact(String text, boolean redact) {
        return redact ? Credentials.message(text) : text;
    }

    /** One header value redacted ({@link Credentials#value}). */
    public static String credentials(String value) {
        return Credentials.value(value);
    }
}
