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
     * Text that GitHub-flavoured renderers could turn into a link or a mention however it is escaped: the extended
     * autolinks ({@code www.}, {@code scheme://}, {@code mailto:}, {@code xmpp:}, e-mail addresses), {@code @mentions}
     * and {@code #123} references (backslash escapes and entities do not stop them: GFM finds autolinks in the text
     * after both are decoded; code spans do); and, to be plain about it, any text with link, image or tag syntax
     * ({@code [ ] ( ) < >}), which escaping would keep inert but a code span shows as written.
     */
    private static final java.util.regex.Pattern LINKABLE =
            java.util.regex.Pattern.compile("(?i)www\\.|://|@|mailto:|xmpp:|#[0-9]|[\\[\\]()<>]");

    /**
     * Capture text in Markdown prose: escaped plain text ({@link #md}) when nothing in it can become a link, else a
     * code span ({@link #mdCode}), which GFM never autolinks.
     */
    public static String mdText(String s) {
        if (s == null || s.isEmpty()) return "";
        return LINKABLE.matcher(s).find() ? mdCode(s) : md(s);
    }

    /** What GFM turns into a link or mention whatever the escaping ({@link #LINKABLE} without the brackets). */
    private static final java.util.regex.Pattern AUTOLINK =
            java.util.regex.Pattern.compile("(?i)www\\.|://|@|mailto:|xmpp:|#[0-9]");

    /** What Markdown could take as markup or an entity anywhere in a line ({@link #mdPlain}). */
    private static final java.util.regex.Pattern MARKUP = java.util.regex.Pattern.compile("[\\\\`*_\\[\\]|~<&]");

    /** What Markdown takes as a block's markup at the start of a line: a heading, list item or quote ({@link #mdPlain}). */
    private static final java.util.regex.Pattern LEADING_MARKUP = java.util.regex.Pattern.compile("([#+>-]|[0-9]+[.)]).*");

    /**
     * Capture text in pasteable Markdown prose: the whole text in a code span ({@link #mdCode}) when it holds HTML
     * ({@code <}) or something that can become a link or mention; else each word as written when nothing in it is
     * markup ({@code \ ` * _ [ ] | ~ &}; for the first word also a leading {@code # - + >} or {@code 1.}), or that word
     * in a code span. Never an HTML entity or a backslash escape: the
     * text reads the same pasted as plain text and rendered as Markdown.
     */
    public static String mdPlain(String s) {
        if (s == null || s.isEmpty()) return "";
        StringBuilder line = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            line.append(c < 0x20 || c == 0x7f || c >= 0x80 && c <= 0x9f ? ' ' : c);
        }
        // HTML or a link: the whole text in one code span, shown as written
        if (line.indexOf("<") >= 0 || AUTOLINK.matcher(line).find()) return mdCode(line.toString());
        StringBuilder out = new StringBuilder(line.length() + 16);
        String[] words = line.toString().split(" ", -1);
        boolean blank = true; // out.toString().isBlank(), kept as the words are appended
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            if (i > 0) out.append(' ');
            if (w.isEmpty()) continue;
            boolean markup = MARKUP.matcher(w).find() || AUTOLINK.matcher(w).find()
                    || blank && LEADING_MARKUP.matcher(w).matches();
            out.append(markup ? mdCode(w) : w);
            blank &= !markup && w.isBlank();
        }
        return out.toString();
    }

    /**
     * A Markdown code span holding {@code s} verbatim on one line: line breaks and other control characters become
     * spaces; the fence is one backtick longer than the longest run of backticks inside (CommonMark 0.31 §6.1), padded
     * with a space where the content starts or ends with a backtick or blank. Inside a code span CommonMark and GFM
     * take every character literally: no HTML, no entity, no backslash escape, no emphasis, no link and no autolink,
     * so {@code <img src=x>} or {@code www.evil.example} are shown as written (no fallback to escaped text is needed).
     */
    public static String mdCode(String s) {
        if (s == null || s.isEmpty()) return "";
        StringBuilder body = new StringBuilder(s.length());
        int run = 0, longest = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            run = c == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
            body.append(c < 0x20 || c == 0x7f || c >= 0x80 && c <= 0x9f ? ' ' : c);
        }
        String fence = "`".repeat(longest + 1);
        char first = body.charAt(0), last = body.charAt(body.length() - 1);
        boolean pad = first == '`' || last == '`' || first == ' ' && last == ' ' && !body.toString().isBlank();
        return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
    }

    /**
     * {@link #mdCode} for a GFM table cell: a {@code |} is escaped as {@code \|}, which the table parser takes before
     * the code span is read (GFM 0.29 §4.10), so the cell cannot end early.
     */
    public static String mdCodeCell(String s) {
        return mdCode(s).replace("|", "\\|");
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
