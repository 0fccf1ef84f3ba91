package dev.natrecon.report;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Making text taken from captures safe to show: HTML/XML escaping for report.html and the SVG drawings, Markdown
 * escaping for summary.md, and the redaction of SIP credentials (Authorization, Proxy-Authorization).
 */
public final class Escape {
    /** What replaces a credential. */
    public static final String REDACTED = "[redacted]";
    private static final Pattern AUTH_HEADER = Pattern.compile(
            "(?im)((?:^|[\\r\\n])[ \\t]*(?:proxy-)?authorization[ \\t]*:[ \\t]*)([^\\r\\n]*)");
    private static final Pattern USERNAME = Pattern.compile("(?i)\\busername[ \\t]*=[ \\t]*(\"(?:[^\"\\\\]|\\\\.)*\"|[^,\\s]+)");

    private Escape() {
    }

    /** Text and attribute values for HTML and XML: {@code & < > " '} become entities, control characters a space. */
    public static String html(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                case '\n', '\t' -> sb.append(c);
                case '\r' -> { }
                default -> sb.append(c < 0x20 || c == 0x7f || (c >= 0xfffe) || Character.isSurrogate(c) && !validPair(s, i) ? '\ufffd' : c);
            }
        }
        return sb.toString();
    }

    private static boolean validPair(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /**
     * Inline Markdown text: HTML-significant characters become entities (no raw HTML reaches the renderer) and
     * the Markdown punctuation that can start emphasis, links, code, headings, tables or strikethrough is
     * backslash-escaped (and a leading list marker); line breaks become spaces.
     */
    public static String md(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '\r', '\n', '\t' -> sb.append(' ');
                case '\\', '`', '*', '_', '[', ']', '#', '|', '~' -> sb.append('\\').append(c);
                case '-', '+' -> sb.append(i == 0 ? "\\" : "").append(c);
                default -> sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
            }
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
     * {@code text} with the value of every Authorization and Proxy-Authorization header line reduced to its scheme
     * and username ({@code Digest username="1001", [redacted]}); unchanged when {@code redact} is false.
     */
    public static String redact(String text, boolean redact) {
        if (!redact || text == null || text.isEmpty()) return text;
        if (text.toLowerCase(java.util.Locale.ROOT).indexOf("authorization") < 0) return text;
        Matcher m = AUTH_HEADER.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + credentials(m.group(2))));
        m.appendTail(sb);
        return sb.toString();
    }

    /** One header value redacted: "Digest username=\"1001\", [redacted]", "Basic [redacted]". */
    public static String credentials(String value) {
        String v = value.strip();
        int sp = 0;
        while (sp < v.length() && !Character.isWhitespace(v.charAt(sp))) sp++;
        String scheme = v.substring(0, sp);
        if (scheme.isEmpty() || !scheme.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
            return REDACTED;
        }
        Matcher u = USERNAME.matcher(v.substring(sp));
        return scheme + " " + (u.find() ? "username=" + u.group(1) + ", " : "") + REDACTED;
    }
}
