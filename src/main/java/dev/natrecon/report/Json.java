package dev.natrecon.report;

import java.io.IOException;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal deterministic JSON renderer for maps, lists, strings, numbers and booleans: keys keep the insertion order
 * of the map given (use LinkedHashMap/TreeMap), doubles are printed with the root locale, strings are escaped.
 */
public final class Json {
    private Json() {
    }

    public static String render(Object value) {
        StringBuilder sb = new StringBuilder();
        try {
            write(sb, null, value, 0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringBuilder does not throw
        }
        sb.append('\n');
        return sb.toString();
    }

    /** Characters rendered before they are handed to {@link #write(Appendable, Object)}'s {@code out} in one call. */
    static final int CHUNK = 1 << 15;

    /**
     * {@link #render}, written to {@code out} as it goes: a summary of 20,000 calls is never one string in memory. It
     * is rendered into a buffer of about {@link #CHUNK} characters, handed to {@code out} whenever it is full after an
     * element of a list or object: one call per chunk instead of one per character (a {@code Writer} takes a lock
     * per call).
     */
    public static void write(Appendable out, Object value) throws IOException {
        StringBuilder sb = new StringBuilder(CHUNK + 1024);
        write(sb, out, value, 0);
        sb.append('\n');
        out.append(sb);
    }

    /** {@code v} appended to {@code sb}, which goes to {@code out} (when not null) whenever it holds a chunk. */
    private static void write(StringBuilder sb, Appendable out, Object v, int indent) throws IOException {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            string(sb, s);
        } else if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) sb.append("null");
            else sb.append(number(d));
        } else if (v instanceof Float f) {
            write(sb, out, (double) f, indent);
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(String.valueOf(v));
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                pad(sb, indent + 1);
                string(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                write(sb, out, e.getValue(), indent + 1);
                if (++i < m.size()) sb.append(',');
                sb.append('\n');
                handOn(sb, out);
            }
            pad(sb, indent);
            sb.append('}');
        } else if (v instanceof Collection<?> c) {
            if (c.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append("[\n");
            int i = 0;
            for (Object o : c) {
                pad(sb, indent + 1);
                write(sb, out, o, indent + 1);
                if (++i < c.size()) sb.append(',');
                sb.append('\n');
                handOn(sb, out);
            }
            pad(sb, indent);
            sb.append(']');
        } else {
            string(sb, v.toString());
        }
    }

    /**
     * A finite double as nine significant digits ({@code %.9g}) without the trailing zeros of its fraction: what
     * {@code replaceFirst("\\.?0+(e|$)", "$1")} gave, done by hand (that call compiled its pattern on every number
     * of a summary that holds thousands), including that rule's reach into a whole number's own zeros.
     */
    static String number(double d) {
        double a = Math.abs(d);
        if (a >= 1e-3 && a < 1e7) {
            // Double.toString's plain range: a value it writes with at most nine significant digits is what %.9g
            // rounds to (any closer approximation of the double rounds to the same nine digits), zeros trimmed
            String t = Double.toString(d);
            if (significantDigits(t) <= 9) return t.endsWith(".0") ? t.substring(0, t.length() - 2) : t;
        }
        String g = String.format(Locale.ROOT, "%.9g", d);
        int n = g.length();
        for (int i = 0; i < n; i++) {
            int j = g.charAt(i) == '.' ? i + 1 : i;
            int k = j;
            while (k < n && g.charAt(k) == '0') k++;
            if (k > j && (k == n || g.charAt(k) == 'e')) return g.substring(0, i) + g.substring(k);
        }
        return g;
    }

    /** Digits of a plain decimal {@code t} ("-0.0120") from its first to its last non-zero digit (3). */
    private static int significantDigits(String t) {
        int first = -1, last = -1, digits = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') continue;
            if (c != '0') {
                if (first < 0) first = digits;
                last = digits;
            }
            digits++;
        }
        return first < 0 ? 0 : last - first + 1;
    }

    /** {@code sb}'s text handed to {@code out} once it holds a chunk. */
    private static void handOn(StringBuilder sb, Appendable out) throws IOException {
        if (out != null && sb.length() >= CHUNK) {
            out.append(sb);
            sb.setLength(0);
        }
    }

    private static void pad(StringBuilder sb, int indent) {
        for (int i = 0; i < indent; i++) sb.append("  ");
    }

    /** Whether {@code s[i]} is a surrogate without its partner (text cut mid-pair): escaped, not written as '?'. */
    private static boolean lone(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        if (Character.isLowSurrogate(c)) return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        return false;
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static void hex(StringBuilder sb, char c) {
        sb.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
    }

    /**
     * A JSON string (RFC 8259): quote, backslash and every control character escaped (C0, DEL and C1, so a summary
     * printed to a terminal cannot drive it), {@code < > &} and U+2028/U+2029 too (safe inside HTML and JavaScript),
     * and a lone surrogate as its {@code \\uXXXX} escape instead of the '?' an encoder would write.
     */
    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        int plain = 0; // the run of characters written as they are starts here
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String escape = switch (c) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> c < 0x20 || c >= 0x7f && c <= 0x9f || c == '<' || c == '>' || c == '&' || c == 0x2028
                        || c == 0x2029 || lone(s, i) ? "" : null;
            };
            if (escape == null) continue;
            sb.append(s, plain, i);
            if (escape.isEmpty()) hex(sb, c);
            else sb.append(escape);
            plain = i + 1;
        }
        sb.append(s, plain, s.length()).append('"');
    }
}
