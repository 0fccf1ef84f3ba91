package dev.natrecon.alg.sip;

import dev.natrecon.decode.sdp.SdpBody;
import dev.natrecon.decode.sdp.SdpIssue;
import dev.natrecon.decode.sip.SipAnomaly;
import dev.natrecon.decode.sip.SipHeader;
import dev.natrecon.decode.sip.SipIssue;
import dev.natrecon.decode.sip.SipMessage;
import dev.natrecon.decode.sip.SipParse;
import dev.natrecon.decode.sip.SipParser;
import dev.natrecon.decode.sip.Span;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One copy of a SIP message (the LAN copy, the WAN copy, or a predicted one) parsed once: the {@link SipParse}, the
 * message and its SDP when it parsed, and every field under a stable name — {@link SipMessage#fields()} plus
 * {@code sdp.}{@link SdpBody#fields()}. A copy that does not parse as a message still has its generic fields
 * ({@code start-line}, {@code header[i]}, {@code body}) when the parser kept its header lines.
 */
public final class SipCopy {
    private final byte[] bytes;
    private final SipParse parse;
    private final SipMessage message;
    private final SdpBody sdp;
    private final Map<String, Span> fields;
    private final List<SipHeader> headers;

    private SipCopy(byte[] bytes, boolean redact) {
        this.bytes = bytes.clone();
        this.parse = SipParser.parse(this.bytes, 0, this.bytes.length, redact);
        this.message = parse.messageOrNull();
        this.sdp = message == null ? null : SdpBody.fromSip(message).orElse(null);
        Map<String, Span> f = new LinkedHashMap<>();
        if (message != null) {
            f.putAll(message.fields());
            if (sdp != null) sdp.fields().forEach((k, v) -> f.put("sdp." + k, v));
            headers = message.headers();
        } else if (parse instanceof SipParse.Rejected r) {
            f.put("start-line", r.startLine());
            for (SipHeader h : r.headers()) f.put("header[" + h.index() + "]", h.value());
            int bodyStart = bodyStart(this.bytes, r.headerBlock().end());
            if (bodyStart >= 0) f.put("body", span(bodyStart, this.bytes.length));
            headers = r.headers();
        } else {
            headers = List.of();
        }
        this.fields = Collections.unmodifiableMap(f);
    }

    /** Parses {@code bytes} (one SIP message: a UDP payload or a message the TCP framer delimited). */
    public static SipCopy of(byte[] bytes) {
        return new SipCopy(bytes, true);
    }

    /** {@link #of(byte[])}; {@code redact} false keeps credential values in the fields' text ({@code --no-redact}). */
    public static SipCopy of(byte[] bytes, boolean redact) {
        return new SipCopy(bytes, redact);
    }

    private static int bodyStart(byte[] b, int headerBlockEnd) {
        int i = headerBlockEnd, newlines = 0;
        while (i < b.length && (b[i] == '\r' || b[i] == '\n')) {
            if (b[i] == '\n' && ++newlines == 2) return i + 1;
            i++;
        }
        return -1;
    }

    private Span span(int a, int b) {
        return new Span(a, b, new String(bytes, a, b - a, StandardCharsets.UTF_8));
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    byte[] raw() {
        return bytes;
    }

    /**
     * The field's text as written in this copy's bytes, folds unfolded (each line break with the blanks around it
     * one space, as the parser unfolds): what judgements compare, whatever the shown text ({@link Span#text}, which
     * has credentials redacted).
     */
    String written(Span s) {
        return new String(bytes, s.start(), s.length(), StandardCharsets.UTF_8).replaceAll("[ \\t]*\\r?\\n[ \\t]+", " ");
    }

    public int length() {
        return bytes.length;
    }

    public SipParse parse() {
        return parse;
    }

    /** True when the bytes parse as a SIP message (possibly with non-fatal issues). */
    public boolean parses() {
        return message != null;
    }

    /** The message, or null when the copy does not parse. */
    public SipMessage message() {
        return message;
    }

    /** The SDP body, or null (no SDP, or the copy does not parse). */
    public SdpBody sdp() {
        return sdp;
    }

    /** Every field by name, in message order (SIP, then SDP). */
    public Map<String, Span> fields() {
        return fields;
    }

    /** The header lines (of the message, or those a rejection kept). */
    public List<SipHeader> headers() {
        return headers;
    }

    /** Declared Content-Length, -1 when absent, invalid, or the copy does not parse. */
    public int declaredContentLength() {
        return message == null ? -1 : message.contentLength();
    }

    /** Bytes after the empty line that ends the headers, -1 when the copy does not parse. */
    public int bodyLength() {
        return message == null ? -1 : message.bodyLength();
    }

    /** True unless a declared Content-Length differs from the body present (an absent one is fine over UDP). */
    public boolean contentLengthCorrect() {
        int declared = declaredContentLength();
        return message == null || declared < 0 || declared == bodyLength();
    }

    /** A parse problem of a copy: its anomaly id, the parser's sentence, and the field it is in ("" when unknown). */
    public record Problem(String id, String detail, String field) {
        @Override
        public String toString() {
            return id + ": " + detail;
        }
    }

    /**
     * The problems of this copy other than a Content-Length mismatch (that has its own check): the rejection's anomaly
     * (and the issues it kept) when the copy does not parse, else each SIP and SDP issue, in order, each placed in the
     * narrowest named field that contains it ({@code via[0]}, {@code sdp.connection}, {@code start-line}…).
     */
    public List<Problem> problemList() {
        List<Problem> out = new ArrayList<>();
        if (parse instanceof SipParse.Rejected r) {
            String where = "";
            for (SipIssue i : r.issues()) {
                if (i.anomaly().id().equals(r.anomaly().id()) && i.where() != null) {
                    where = locate(i.where());
                    break;
                }
            }
            if (where.isEmpty() && r.anomaly() == SipAnomaly.SIP_START_LINE_INVALID) where = "start-line";
            out.add(new Problem(r.anomaly().id(), r.detail(), where));
        } else if (message == null) {
            out.add(new Problem("sip.not_a_message", parse.kind().name().toLowerCase(Locale.ROOT)
                    + (parse instanceof SipParse.NotSip n ? " " + n.type().name().toLowerCase(Locale.ROOT) : ""), ""));
        } else {
            for (SipIssue i : message.issues()) {
                if (i.anomaly() == SipAnomaly.SIP_CONTENT_LENGTH_MISMATCH) continue;
                out.add(new Problem(i.anomaly().id(), i.detail(), i.where() == null ? "" : locate(i.where())));
            }
            if (sdp != null) {
                for (SdpIssue i : sdp.issues()) {
                    out.add(new Problem(i.anomaly().id(), i.detail(), i.where() == null ? "body" : locate(i.where())));
                }
            }
        }
        return out;
    }

    /** The narrowest non-generic field containing {@code where}, else the header's label, else start-line or body. */
    private String locate(Span where) {
        String best = null;
        int bestLength = Integer.MAX_VALUE;
        for (Map.Entry<String, Span> e : fields.entrySet()) {
            String n = e.getKey();
            Span s = e.getValue();
            if (n.equals("start-line") || n.startsWith("header[") || n.equals("body")) continue;
            if (s.start() <= where.start() && where.end() <= s.end() && s.length() < bestLength) {
                best = n;
                bestLength = s.length();
            }
        }
        if (best != null) return best;
        if (sdp != null && where.start() >= sdp.start() && where.start() < Math.max(sdp.end(), sdp.start() + 1)) {
            return sdpLine(where);
        }
        int h = headerAt(where.start());
        if (h >= 0) return headerLabel(h);
        Span start = fields.get("start-line");
        if (start != null && where.start() <= start.end()) return "start-line";
        return "body";
    }

    /**
     * The name an SDP line at {@code where} has (or would have had, had it parsed): {@code sdp.origin},
     * {@code sdp.connection}, {@code sdp.media[i]}, {@code sdp.media[i].connection}, else {@code sdp.<type>=}.
     */
    private String sdpLine(Span where) {
        int media = -1;
        for (Span line : sdp.lines()) {
            char type = line.text().isEmpty() ? '?' : line.text().charAt(0);
            if (type == 'm') media++;
            if (line.start() <= where.start() && where.start() <= line.end()) {
                String m = media < 0 ? "sdp." : "sdp.media[" + media + "].";
                return switch (type) {
                    case 'o' -> "sdp.origin";
                    case 'c' -> m + "connection";
                    case 'm' -> "sdp.media[" + media + "]";
                    default -> m + type + "=";
                };
            }
        }
        return "body";
    }

    /** The problems as {@code id: detail} strings. */
    public List<String> problems() {
        return problemList().stream().map(Problem::toString).toList();
    }

    /** The problem ids without details. */
    public Set<String> problemIds() {
        Set<String> ids = new java.util.TreeSet<>();
        for (Problem p : problemList()) ids.add(p.id());
        return ids;
    }

    /**
     * A readable name for the header with index {@code i}: the canonical name in lower case, with the occurrence index
     * for list headers ({@code via[0]}, {@code contact[1]}), so a rejected copy's fields can be named like a parsed one's.
     */
    public String headerLabel(int i) {
        SipHeader h = headers.get(i);
        String name = h.canonicalName().toLowerCase(Locale.ROOT);
        if (!LIST_HEADERS.contains(name)) return name;
        int k = 0;
        for (int j = 0; j < i; j++) if (headers.get(j).canonicalName().equalsIgnoreCase(h.canonicalName())) k++;
        return name + "[" + k + "]";
    }

    /** The index of the header whose line contains payload offset {@code at}, or -1. */
    public int headerAt(int at) {
        for (SipHeader h : headers) if (at >= h.lineStart() && at <= h.lineEnd()) return h.index();
        return -1;
    }

    private static final Set<String> LIST_HEADERS = Set.of("via", "contact", "route", "record-route");

    /** The whole copy as text (UTF-8). */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
