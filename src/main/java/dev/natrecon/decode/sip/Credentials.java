package dev.natrecon.decode.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SIP credentials kept out of every output: the value of an {@code Authorization} or {@code Proxy-Authorization}
 * header (RFC 3261 §20.7, §20.28; no compact form exists; the name in any case, with blanks before the colon) is
 * reduced to its scheme and username, {@code Digest username="1001", [redacted]}, so the digest response, cnonce,
 * nonce and Basic credentials go. A header's value is its line plus its continuation lines (obsolete line folding:
 * lines starting with SP or HT, RFC 3261 §7.3.1), so a folded credential is removed whole.
 *
 * <p>Applied where header text leaves the parse layer: {@link SipParser} gives every header value, issue and field in
 * this form unless asked not to ({@code analyze --no-redact}); {@link #message} does the same for a whole message's
 * text. Only text is redacted: payload bytes and offsets are untouched, so the SIP helper model and the LAN/WAN diff
 * (which compare bytes) see the real message.
 */
public final class Credentials {
    /** What replaces a credential. */
    public static final String REDACTED = "[redacted]";
    /** A credential header line; without its colon too (a malformed line the parser reports, quoting it). */
    private static final Pattern HEADER =
            Pattern.compile("(?i)^([ \\t]*(?:proxy-)?authorization(?:[ \\t]*:[ \\t]*|[ \\t]+))(.*)$");
    private static final Pattern USERNAME = Pattern.compile("(?i)\\busername[ \\t]*=[ \\t]*(\"(?:[^\"\\\\]|\\\\.)*\"|[^,\\s]+)");

    private Credentials() {
    }

    /** Whether a header of this name (as written: any case, blanks around) carries credentials. */
    public static boolean isCredential(String headerName) {
        String n = headerName.strip();
        return n.equalsIgnoreCase("Authorization") || n.equalsIgnoreCase("Proxy-Authorization");
    }

    /** One credential header's value redacted: {@code Digest username="1001", [redacted]}, {@code Basic [redacted]}. */
    public static String value(String value) {
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

    /**
     * {@code text} (one or more SIP messages, or any text quoting header lines) with every credential header's value
     * redacted, its continuation lines included (they are dropped: their content is part of the value).
     */
    public static String message(String text) {
        if (text == null || text.isEmpty() || text.toLowerCase(Locale.ROOT).indexOf("authorization") < 0) return text;
        List<String> lines = lines(text);
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < lines.size(); ) {
            String line = lines.get(i);
            String body = withoutEnding(line);
            Matcher m = HEADER.matcher(body);
            if (!m.matches()) {
                out.append(line);
                i++;
                continue;
            }
            StringBuilder value = new StringBuilder(m.group(2));
            int j = i + 1;
            for (; j < lines.size() && continuation(lines.get(j)); j++) value.append(' ').append(withoutEnding(lines.get(j)).strip());
            out.append(m.group(1)).append(value(value.toString())).append(lines.get(j - 1).substring(withoutEnding(lines.get(j - 1)).length()));
            i = j;
        }
        return out.toString();
    }

    /** A folded line: starts with SP or HT and has something after it. */
    private static boolean continuation(String line) {
        return !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && !withoutEnding(line).isBlank();
    }

    /** The lines of {@code s}, each with its own ending (CRLF, LF or CR). */
    private static List<String> lines(String s) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r' && (i + 1 >= s.length() || s.charAt(i + 1) != '\n')) {
                out.add(s.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < s.length()) out.add(s.substring(start));
        return out;
    }

    private static String withoutEnding(String line) {
        int e = line.length();
        while (e > 0 && (line.charAt(e - 1) == '\n' || line.charAt(e - 1) == '\r')) e--;
        return line.substring(0, e);
    }

    /** A parse result with its credential header values, and issue texts quoting them, redacted. */
    static SipParse redact(SipParse p) {
        if (p instanceof SipParse.Message m) {
            SipMessage msg = m.message();
            List<SipHeader> h = headers(msg.headers());
            List<SipIssue> i = issues(msg.issues());
            return h == msg.headers() && i == msg.issues() ? p : new SipParse.Message(msg.withText(h, i));
        }
        if (p instanceof SipParse.Rejected r) {
            List<SipHeader> h = headers(r.headers());
            List<SipIssue> i = issues(r.issues());
            String detail = detail(r.detail());
            if (h == r.headers() && i == r.issues() && detail.equals(r.detail())) return p;
            return new SipParse.Rejected(r.anomaly(), detail, r.startLine(), h, redactSpan(r.headerBlock()), i, r.start(), r.end());
        }
        return p;
    }

    private static List<SipHeader> headers(List<SipHeader> headers) {
        List<SipHeader> out = null;
        for (int k = 0; k < headers.size(); k++) {
            SipHeader h = headers.get(k);
            if (!isCredential(h.name().text())) continue;
            if (out == null) out = new ArrayList<>(headers);
            Span v = h.value();
            out.set(k, new SipHeader(h.index(), h.name(), h.canonicalName(), new Span(v.start(), v.end(), value(v.text())),
                    h.lineStart(), h.lineEnd(), h.folded()));
        }
        return out == null ? headers : List.copyOf(out);
    }

    private static List<SipIssue> issues(List<SipIssue> issues) {
        List<SipIssue> out = null;
        for (int k = 0; k < issues.size(); k++) {
            SipIssue i = issues.get(k);
            String d = detail(i.detail());
            Span w = redactSpan(i.where());
            if (d.equals(i.detail()) && w == i.where()) continue;
            if (out == null) out = new ArrayList<>(issues);
            out.set(k, new SipIssue(i.anomaly(), d, w));
        }
        return out == null ? issues : List.copyOf(out);
    }

    private static Span redactSpan(Span s) {
        if (s == null) return null;
        String t = message(s.text());
        return t.equals(s.text()) ? s : new Span(s.start(), s.end(), t);
    }

    /** An issue's wording: anything after "authorization:" (a parser quoting the header) is dropped. */
    private static String detail(String d) {
        if (d == null) return null;
        int a = d.toLowerCase(Locale.ROOT).indexOf("authorization");
        if (a < 0) return message(d);
        int colon = d.indexOf(':', a);
        return colon < 0 ? d : d.substring(0, colon + 1) + " " + REDACTED;
    }
}
