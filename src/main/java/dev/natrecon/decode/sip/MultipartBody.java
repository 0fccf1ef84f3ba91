package dev.natrecon.decode.sip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A MIME multipart body (RFC 2046 §5.1) split into its parts, with offsets in the message's payload. Used to find the
 * {@code application/sdp} part of a {@code multipart/mixed} or {@code multipart/alternative} SIP body (ISUP, PIDF-LO
 * or a second SDP often ride along). The CRLF before each delimiter belongs to the delimiter.
 */
public record MultipartBody(String boundary, List<Part> parts, List<SipIssue> issues) {
    public MultipartBody {
        parts = List.copyOf(parts);
        issues = List.copyOf(issues);
    }

    /**
     * One body part: {@code [start, end)} is the whole part, its headers end where its body {@code [bodyStart,
     * bodyEnd)} begins. {@code contentType} is the part's Content-Type value (null when absent: text/plain).
     */
    public record Part(int start, int end, Span contentType, int bodyStart, int bodyEnd) {
        /** Media type and subtype in lower case, "text/plain" by default (RFC 2046 §5.1). */
        public String mediaType() {
            if (contentType == null) return "text/plain";
            String t = contentType.text();
            int semi = t.indexOf(';');
            return (semi >= 0 ? t.substring(0, semi) : t).replace(" ", "").replace("\t", "").toLowerCase(Locale.ROOT);
        }

        /** The part's boundary parameter when it is itself multipart, or null. */
        public String boundaryParam() {
            return contentType == null ? null : boundaryOf(contentType.text());
        }
    }

    /** The multipart body of {@code m}, or empty when its Content-Type is not multipart/*. */
    public static Optional<MultipartBody> of(SipMessage m) {
        Optional<String> type = m.contentType();
        if (type.isEmpty() || !type.get().startsWith("multipart/")) return Optional.empty();
        return Optional.of(parse(m.payload(), m.bodyStart(), m.bodyEnd(), m.contentTypeParam("boundary")));
    }

    /** Splits {@code payload[start, end)} at delimiter lines {@code --boundary}. */
    public static MultipartBody parse(byte[] payload, int start, int end, String boundary) {
        List<Part> parts = new ArrayList<>();
        List<SipIssue> issues = new ArrayList<>();
        if (boundary == null || boundary.isEmpty()) {
            issues.add(new SipIssue(SipAnomaly.SIP_MULTIPART_MALFORMED, "multipart Content-Type without a boundary", null));
            return new MultipartBody(boundary, parts, issues);
        }
        byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int partStart = -1;
        boolean closed = false;
        int i = start;
        while (i < end) {
            int le = SipParser.lineEnd(payload, i, end);
            int next = le;
            while (next < end && payload[next] != '\n') next++;
            next = Math.min(end, next + 1);
            int after = i + delim.length;
            boolean closing = startsWith(payload, i, le, delim) && after + 2 <= le && payload[after] == '-'
                    && payload[after + 1] == '-' && blank(payload, after + 2, le);
            if (closing || startsWith(payload, i, le, delim) && blank(payload, after, le)) {
                if (partStart >= 0) {
                    int partEnd = i;
                    // The line break before the delimiter belongs to the delimiter.
                    if (partEnd > partStart && payload[partEnd - 1] == '\n') partEnd--;
                    if (partEnd > partStart && payload[partEnd - 1] == '\r') partEnd--;
                    parts.add(part(payload, partStart, Math.max(partStart, partEnd)));
                }
                if (closing) {
                    closed = true;
                    break;
                }
                partStart = next;
            }
            i = next;
        }
        if (partStart < 0) {
            issues.add(new SipIssue(SipAnomaly.SIP_MULTIPART_MALFORMED, "no delimiter line --" + boundary, null));
        } else if (!closed) {
            issues.add(new SipIssue(SipAnomaly.SIP_MULTIPART_MALFORMED, "no closing delimiter --" + boundary + "--", null));
            if (partStart < end) parts.add(part(payload, partStart, end));
        }
        return new MultipartBody(boundary, parts, issues);
    }

    private static Part part(byte[] p, int start, int end) {
        Span contentType = null;
        int i = start;
        while (i < end) {
            int le = SipParser.lineEnd(p, i, end);
            int next = le;
            while (next < end && p[next] != '\n') next++;
            next = Math.min(end, next + 1);
            if (le == i) return new Part(start, end, contentType, next, end);
            int colon = i;
            while (colon < le && p[colon] != ':') colon++;
            if (colon < le && contentType == null) {
                String name = new String(p, i, colon - i, StandardCharsets.ISO_8859_1).trim();
                if (SipHeaderNames.same(name, SipHeaderNames.CONTENT_TYPE)) {
                    int vs = colon + 1;
                    while (vs < le && (p[vs] == ' ' || p[vs] == '\t')) vs++;
                    int ve = le;
                    while (ve > vs && (p[ve - 1] == ' ' || p[ve - 1] == '\t')) ve--;
                    contentType = SipParser.span(p, vs, ve);
                }
            }
            i = next;
        }
        // No empty line: a part without headers must start with one, so this part is all headers and no body.
        return new Part(start, end, contentType, end, end);
    }

    /** Only transport padding (spaces, tabs) in {@code [i, le)}. */
    private static boolean blank(byte[] p, int i, int le) {
        for (int k = i; k < le; k++) if (p[k] != ' ' && p[k] != '\t') return false;
        return true;
    }

    private static boolean startsWith(byte[] p, int i, int le, byte[] prefix) {
        if (le - i < prefix.length) return false;
        for (int k = 0; k < prefix.length; k++) if (p[i + k] != prefix[k]) return false;
        return true;
    }

    static String boundaryOf(String contentType) {
        for (String param : contentType.split(";")) {
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
                String v = param.substring(eq + 1).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
                return v;
            }
        }
        return null;
    }
}
