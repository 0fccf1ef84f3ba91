package dev.natrecon.decode.sip;

/**
 * Byte-level helpers for delimiting SIP messages in a stream without parsing them: where the header block ends,
 * what Content-Length says, and whether a line is a SIP start line. They read exactly as {@link SipParser} does
 * (CRLF or bare LF line endings, compact {@code l}, folded values, the first Content-Length wins), so a message
 * the framer delimits parses the same way.
 */
public final class SipFraming {
    /** {@link #contentLength} result when the header is absent. */
    public static final long ABSENT = -1;
    /** {@link #contentLength} result when the value is not a number of at most 9 digits. */
    public static final long INVALID = -2;

    private SipFraming() {
    }

    /**
     * Offset just after the empty line that ends the header block starting at {@code s}, or -1 when the block does
     * not end before {@code end}.
     */
    public static int headerEnd(byte[] b, int s, int end) {
        for (int i = s; i < end; i++) {
            if (b[i] != '\n') continue;
            if (i + 1 < end && b[i + 1] == '\n') return i + 2;
            if (i + 2 < end && b[i + 1] == '\r' && b[i + 2] == '\n') return i + 3;
        }
        return -1;
    }

    /** The first Content-Length (or {@code l}) of the header block {@code [s, headerEnd)}: a value, ABSENT or INVALID. */
    public static long contentLength(byte[] b, int s, int headerEnd) {
        int i = nextLine(b, s, headerEnd); // skip the start line
        while (i < headerEnd) {
            int le = SipParser.lineEnd(b, i, headerEnd);
            if (le == i) break;
            int colon = i;
            while (colon < le && b[colon] != ':') colon++;
            int ne = colon;
            while (ne > i && (b[ne - 1] == ' ' || b[ne - 1] == '\t')) ne--;
            if (colon < le && b[i] != ' ' && b[i] != '\t' && (nameIs(b, i, ne, "content-length") || nameIs(b, i, ne, "l"))) {
                StringBuilder v = new StringBuilder();
                v.append(new String(b, colon + 1, le - colon - 1, java.nio.charset.StandardCharsets.ISO_8859_1));
                int n = nextLine(b, le, headerEnd);
                while (n < headerEnd && (b[n] == ' ' || b[n] == '\t')) {
                    int ce = SipParser.lineEnd(b, n, headerEnd);
                    v.append(' ').append(new String(b, n, ce - n, java.nio.charset.StandardCharsets.ISO_8859_1));
                    n = nextLine(b, ce, headerEnd);
                }
                long value = Grammar.digitsValue(v.toString().trim(), 9);
                return value < 0 ? INVALID : value;
            }
            i = nextLine(b, le, headerEnd);
        }
        return ABSENT;
    }

    /** Whether {@code [s, lineEnd)} has the shape of a request line or a status line. */
    public static boolean isStartLine(byte[] b, int s, int lineEnd) {
        return SipParser.startKind(b, s, lineEnd) != SipParser.StartKind.OTHER;
    }

    /** End of the line starting at {@code s} without its CR/LF, or {@code end} when it has no LF. */
    public static int lineEnd(byte[] b, int s, int end) {
        return SipParser.lineEnd(b, s, end);
    }

    private static int nextLine(byte[] b, int from, int end) {
        for (int i = from; i < end; i++) if (b[i] == '\n') return i + 1;
        return end;
    }

    /**
     * Whether the header name {@code [s, e)} is {@code lower} (given in lower case), compared without regard to
     * ASCII case as RFC 3261 section 7.3.1 compares header names; reads bytes, builds no String.
     */
    public static boolean nameIs(byte[] b, int s, int e, String lower) {
        if (e - s != lower.length()) return false;
        for (int i = 0; i < lower.length(); i++) {
            int c = b[s + i];
            if (c >= 'A' && c <= 'Z') c += 32;
            if (c != lower.charAt(i)) return false;
        }
        return true;
    }
}
