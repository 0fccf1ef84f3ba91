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
            write(sb, value, 0);
            sb.append('\n');
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringBuilder does not throw
        }
        return sb.toString();
    }

    /**
     * {@link #render}, written to {@code out} as it goes: a summary of 20,000 calls is never one string in memory
     * (the caller buffers {@code out}).
     */
    public static void write(Appendable out, Object value) throws IOException {
        write(out, value, 0);
        out.append('\n');
    }

    private static void write(Appendable sb, Object v, int indent) throws IOException {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            string(sb, s);
        } else if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) sb.append("null");
            else sb.append(number(d));
        } else if (v instanceof Float f) {
            write(sb, (double) f, indent);
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
                write(sb, e.getValue(), indent + 1);
                if (++i < m.size()) sb.append(',');
                sb.append('\n');
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
                write(sb, o, indent + 1);
                if (++i < c.size()) sb.append(',');
                sb.append('\n');
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

    private static void pad(Appendable sb, int indent) throws IOException {
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

    private static void hex(Appendable sb, char c) throws IOException {
        sb.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
    }

    /**
     * A JSON string (RFC 8259): quote, backslash and every control character escaped (C0, DEL and C1, so a summary
     * printed to a terminal cannot drive it), {@code < > &} and U+2028/U+2029 too (safe inside HTML and JavaScript),
     * and a lone surrogate as its {@code \\uXXXX} escape instead of the '?' an encoder would write.
     */
    private static void string(Appendable sb, String s) throws IOException {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c >= 0x7f && c <= 0x9f || c == '<' || c == '>' || c == '&' || c == 0x2028
                            || c == 0x2029 || lone(s, i)) {
                        hex(sb, c);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
