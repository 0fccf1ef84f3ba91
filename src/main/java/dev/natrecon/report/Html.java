package dev.natrecon.report;

/** Escaping for HTML text and attribute values: everything taken from a capture or a file name goes through here. */
public final class Html {
    private Html() {
    }

    /** Text safe in element content and in quoted attribute values; control characters other than tab/newline become U+FFFD. */
    public static String escape(String s) {
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
                default -> sb.append(c < 0x20 && c != '\t' && c != '\n' || c == 0x7f ? '\ufffd' : c);
            }
        }
        return sb.toString();
    }
}
