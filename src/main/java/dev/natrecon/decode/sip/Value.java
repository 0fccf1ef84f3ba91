package dev.natrecon.decode.sip;

import java.nio.charset.StandardCharsets;

/**
 * A header value (or line) as the grammar sees it: one char per payload byte (ISO-8859-1), each fold (CRLF plus the
 * whitespace around it) replaced by a single space, with the payload offset of every char so that any range of the
 * value maps back to a {@link Span} of the original bytes.
 */
final class Value {
    final String s;
    /** Payload offset of each char, {@code pos[s.length()]} the offset just after the value; null when contiguous. */
    private final int[] pos;
    /** The payload offset of the first char of a contiguous value. */
    private final int base;
    /** Whether every char is ASCII (then any range of it is its own UTF-8 text). */
    private final boolean ascii;

    private Value(String s, int[] pos, int base, boolean ascii) {
        this.s = s;
        this.pos = pos;
        this.base = base;
        this.ascii = ascii;
    }

    /** A value that is one contiguous run of payload bytes (no folds). */
    static Value of(byte[] p, int start, int end) {
        boolean ascii = true;
        for (int k = start; k < end && ascii; k++) ascii = p[k] >= 0;
        return new Value(new String(p, start, end - start, StandardCharsets.ISO_8859_1), null, start, ascii);
    }

    int length() {
        return s.length();
    }

    char at(int i) {
        return s.charAt(i);
    }

    /** The payload offset of char {@code i} ({@code length()} gives the offset just after the value). */
    private int offset(int i) {
        return pos == null ? base + i : pos[i];
    }

    /** The span of chars {@code [i, j)}. */
    Span span(int i, int j) {
        if (i >= j) return new Span(offset(i), offset(i), "");
        return new Span(offset(i), offset(j - 1) + 1, text(i, j));
    }

    /** The chars {@code [i, j)} decoded as UTF-8 (they are bytes, one per char). */
    String text(int i, int j) {
        if (ascii || asciiRange(i, j)) return s.substring(i, j);
        return new String(s.substring(i, j).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private boolean asciiRange(int i, int j) {
        for (int k = i; k < j; k++) if (s.charAt(k) >= 0x80) return false;
        return true;
    }

    /** The whole value as UTF-8 text. */
    String text() {
        return text(0, s.length());
    }

    /** Builds a value from pieces of payload lines, inserting one space per fold. */
    static final class Builder {
        private final StringBuilder sb = new StringBuilder();
        private int[] pos = new int[64];

        void append(byte[] p, int start, int end) {
            for (int i = start; i < end; i++) add((char) (p[i] & 0xff), i);
        }

        void fold(int at) {
            if (sb.length() > 0) add(' ', at);
        }

        private void add(char c, int at) {
            if (sb.length() + 1 >= pos.length) pos = java.util.Arrays.copyOf(pos, pos.length * 2);
            pos[sb.length()] = at;
            sb.append(c);
        }

        Value build(int endOffset) {
            pos[sb.length()] = endOffset;
            String s = sb.toString();
            boolean ascii = true;
            for (int k = 0; k < s.length() && ascii; k++) ascii = s.charAt(k) < 0x80;
            return new Value(s, java.util.Arrays.copyOf(pos, sb.length() + 1), 0, ascii);
        }
    }
}
