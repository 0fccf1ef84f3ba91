package dev.natrecon.decode.sip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One parsed SIP request or response, immutable, over a private copy of the payload it came from. Every field is a
 * {@link Span}: its text and its {@code [start, end)} offsets in that payload, so a field can be shown and compared
 * before and after a router rewrote it ({@link #fields()} lists them all under stable names).
 *
 * <p>Grammar comes from jain-sip-ri (start line and each header); positions come from natrecon's own scan. Structured
 * accessors cover what the Linux SIP helper reads and rewrites: Request-URI, Via (sent-by, received, rport, maddr,
 * branch), Contact (with expires and the {@code *} wildcard), From, To, Call-ID, CSeq, Expires, Record-Route, Route,
 * Content-Length and Content-Type, and the body's position.
 */
public final class SipMessage {
    private final byte[] payload;
    private final int start;
    private final int end;
    private final Span startLine;
    private final Span method;
    private final SipUri requestUri;
    private final Span version;
    private final Span statusCode;
    private final Span reason;
    private final List<SipHeader> headers;
    private final List<SipVia> vias;
    private final List<SipAddress> contacts;
    private final List<SipAddress> recordRoutes;
    private final List<SipAddress> routes;
    private final SipAddress from;
    private final SipAddress to;
    private final Span callId;
    private final SipCSeq cseq;
    private final Span expires;
    private final Span contentLength;
    private final Span contentType;
    private final List<SipParam> contentTypeParams;
    private final int bodyStart;
    private final int bodyEnd;
    private final List<SipIssue> issues;
    /** {@link #read}'s kept reading: {reader, its result}, or null. */
    private volatile Object[] reading;

    /** Mutable parts the parser fills; copied into the immutable message. */
    static final class Parts {
        byte[] payload;
        int start, end;
        Span startLine, method, version, statusCode, reason;
        SipUri requestUri;
        List<SipHeader> headers = new ArrayList<>();
        List<SipVia> vias = new ArrayList<>();
        List<SipAddress> contacts = new ArrayList<>(), recordRoutes = new ArrayList<>(), routes = new ArrayList<>();
        SipAddress from, to;
        Span callId, expires, contentLength, contentType;
        List<SipParam> contentTypeParams = List.of();
        SipCSeq cseq;
        int bodyStart, bodyEnd;
        List<SipIssue> issues = new ArrayList<>();
    }

    SipMessage(Parts p) {
        payload = p.payload;
        start = p.start;
        end = p.end;
        startLine = p.startLine;
        method = p.method;
        requestUri = p.requestUri;
        version = p.version;
        statusCode = p.statusCode;
        reason = p.reason;
        headers = List.copyOf(p.headers);
        vias = List.copyOf(p.vias);
        contacts = List.copyOf(p.contacts);
        recordRoutes = List.copyOf(p.recordRoutes);
        routes = List.copyOf(p.routes);
        from = p.from;
        to = p.to;
        callId = p.callId;
        cseq = p.cseq;
        expires = p.expires;
        contentLength = p.contentLength;
        contentType = p.contentType;
        contentTypeParams = List.copyOf(p.contentTypeParams);
        bodyStart = p.bodyStart;
        bodyEnd = p.bodyEnd;
        issues = List.copyOf(p.issues);
    }

    private SipMessage(SipMessage m, List<SipHeader> headers, List<SipIssue> issues) {
        payload = m.payload;
        start = m.start;
        end = m.end;
        startLine = m.startLine;
        method = m.method;
        requestUri = m.requestUri;
        version = m.version;
        statusCode = m.statusCode;
        reason = m.reason;
        this.headers = headers;
        vias = m.vias;
        contacts = m.contacts;
        recordRoutes = m.recordRoutes;
        routes = m.routes;
        from = m.from;
        to = m.to;
        callId = m.callId;
        cseq = m.cseq;
        expires = m.expires;
        contentLength = m.contentLength;
        contentType = m.contentType;
        contentTypeParams = m.contentTypeParams;
        bodyStart = m.bodyStart;
        bodyEnd = m.bodyEnd;
        this.issues = issues;
    }

    /** The same message with other header and issue texts (same offsets): {@link Credentials#redact}. */
    SipMessage withText(List<SipHeader> headers, List<SipIssue> issues) {
        return new SipMessage(this, List.copyOf(headers), List.copyOf(issues));
    }

    // ---- position and raw bytes

    /** Offset of the message's first byte (its start line) in the payload. */
    public int start() {
        return start;
    }

    /** Offset just after the message (after its body) in the payload. */
    public int end() {
        return end;
    }

    /** A copy of the message's bytes, {@code [start, end)} of the payload. */
    public byte[] bytes() {
        return Arrays.copyOfRange(payload, start, end);
    }

    /** A copy of the whole payload the message was parsed from; every {@link Span} offset indexes it. */
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload bytes {@code [from, to)}, for a later component that renders a field's surroundings. */
    public byte[] bytes(int from, int to) {
        return Arrays.copyOfRange(payload, from, to);
    }

    // ---- start line

    public boolean isRequest() {
        return method != null;
    }

    public boolean isResponse() {
        return method == null;
    }

    public Span startLine() {
        return startLine;
    }

    /** The request method's span (null for a response). */
    public Span methodSpan() {
        return method;
    }

    /** The request method as written (upper case in practice), or null for a response. */
    public String method() {
        return method == null ? null : method.text();
    }

    /** The Request-URI (null for a response). */
    public SipUri requestUri() {
        return requestUri;
    }

    public Span version() {
        return version;
    }

    /** The status code, or -1 for a request. */
    public int statusCode() {
        return statusCode == null ? -1 : Integer.parseInt(statusCode.text());
    }

    public Span statusCodeSpan() {
        return statusCode;
    }

    public Span reason() {
        return reason;
    }

    /** The method a response answers (from CSeq), or the request's method. */
    public String transactionMethod() {
        if (method != null) return method.text();
        return cseq == null ? null : cseq.methodName();
    }

    // ---- headers

    /** Every header line in order (compact and full names as written, values unfolded). */
    public List<SipHeader> headers() {
        return headers;
    }

    /** The headers named {@code name} (full or compact form, any case), in order. */
    public List<SipHeader> headers(String name) {
        String c = SipHeaderNames.canonical(name);
        return headers.stream().filter(h -> h.canonicalName().equalsIgnoreCase(c)).toList();
    }

    /** The first header named {@code name}. */
    public Optional<SipHeader> header(String name) {
        String c = SipHeaderNames.canonical(name);
        return headers.stream().filter(h -> h.canonicalName().equalsIgnoreCase(c)).findFirst();
    }

    /** Every Via value, top first, whether several share one header line or each has its own. */
    public List<SipVia> vias() {
        return vias;
    }

    public Optional<SipVia> topVia() {
        return vias.isEmpty() ? Optional.empty() : Optional.of(vias.get(0));
    }

    /** Every Contact value in order (a wildcard {@code *} is one value with {@link SipAddress#wildcard()}). */
    public List<SipAddress> contacts() {
        return contacts;
    }

    public List<SipAddress> recordRoutes() {
        return recordRoutes;
    }

    public List<SipAddress> routes() {
        return routes;
    }

    public Optional<SipAddress> from() {
        return Optional.ofNullable(from);
    }

    public Optional<SipAddress> to() {
        return Optional.ofNullable(to);
    }

    public Optional<Span> callId() {
        return Optional.ofNullable(callId);
    }

    public Optional<SipCSeq> cseq() {
        return Optional.ofNullable(cseq);
    }

    /** The Expires header's value span. */
    public Optional<Span> expiresSpan() {
        return Optional.ofNullable(expires);
    }

    /** The Expires header in seconds, empty when absent or invalid. */
    public OptionalLong expires() {
        long e = Grammar.deltaSeconds(expires);
        return e < 0 ? OptionalLong.empty() : OptionalLong.of(e);
    }

    // ---- body

    /** The Content-Length header's value span. */
    public Optional<Span> contentLengthSpan() {
        return Optional.ofNullable(contentLength);
    }

    /** Declared Content-Length, or -1 when absent or invalid. */
    public int contentLength() {
        long v = contentLength == null ? -1 : Grammar.digitsValue(contentLength.text(), 9);
        return (int) v;
    }

    /**
     * The actual body length: bytes from the empty line that ends the headers to the end of the message. For a
     * message parsed alone ({@link SipParser#parse}) that is the rest of the payload, whatever Content-Length says;
     * within a datagram of several messages ({@link SipParser#parseDatagram}) Content-Length delimits it.
     */
    public int bodyLength() {
        return bodyEnd - bodyStart;
    }

    /** Offset of the body's first byte (just after the empty line). */
    public int bodyStart() {
        return bodyStart;
    }

    public int bodyEnd() {
        return bodyEnd;
    }

    /** A copy of the body bytes. */
    public byte[] body() {
        return Arrays.copyOfRange(payload, bodyStart, bodyEnd);
    }

    /** The body as text (UTF-8). */
    public String bodyText() {
        return new String(payload, bodyStart, bodyEnd - bodyStart, StandardCharsets.UTF_8);
    }

    /** The Content-Type header's value span (with parameters). */
    public Optional<Span> contentTypeSpan() {
        return Optional.ofNullable(contentType);
    }

    /** Media type and subtype in lower case ("application/sdp", "multipart/mixed"), without parameters. */
    public Optional<String> contentType() {
        if (contentType == null) return Optional.empty();
        String t = contentType.text();
        int semi = t.indexOf(';');
        if (semi >= 0) t = t.substring(0, semi);
        return Optional.of(t.replace(" ", "").replace("\t", "").toLowerCase(Locale.ROOT));
    }

    /** A Content-Type parameter (such as {@code boundary}) with quotes removed, or null. */
    public String contentTypeParam(String name) {
        SipParam p = SipParam.find(contentTypeParams, name);
        return p == null ? null : p.valueText();
    }

    // ---- problems

    /** Non-fatal anomalies found in this message (empty for a clean one). */
    public List<SipIssue> issues() {
        return issues;
    }

    public boolean has(SipAnomaly anomaly) {
        return issues.stream().anyMatch(i -> i.anomaly() == anomaly);
    }

    // ---- every field by a stable name

    /**
     * Every structured field under a stable name, in message order: {@code start-line}, {@code method},
     * {@code request-uri}, {@code request-uri.host}, {@code request-uri.port}, {@code status-code}, {@code via[0]},
     * {@code via[0].host}, {@code via[0].port}, {@code via[0].protocol}, {@code via[0].branch},
     * {@code via[0].received}, {@code via[0].rport}, {@code via[0].maddr}, {@code from}, {@code from.uri},
     * {@code from.host}, {@code from.port}, {@code from.tag}, the same for {@code to}, {@code contact[i]} (and
     * {@code .uri .host .port .expires}), {@code record-route[i]}, {@code route[i]}, {@code call-id}, {@code cseq},
     * {@code expires}, {@code content-length}, {@code content-type}, {@code body}; and {@code header[i]} for the value
     * of every header line. Absent fields are left out. Two messages (say LAN and WAN copies) are compared by
     * looking up the same names.
     */
    public Map<String, Span> fields() {
        Map<String, Span> f = new LinkedHashMap<>();
        f.put("start-line", startLine);
        if (method != null) {
            f.put("method", method);
            uri(f, "request-uri", requestUri);
        } else {
            f.put("status-code", statusCode);
            if (reason != null) f.put("reason", reason);
        }
        for (int i = 0; i < vias.size(); i++) {
            SipVia v = vias.get(i);
            String k = "via[" + i + "]";
            f.put(k, v.text());
            put(f, k + ".protocol", v.protocol());
            put(f, k + ".host", v.host());
            put(f, k + ".port", v.port());
            put(f, k + ".branch", v.branch());
            put(f, k + ".received", v.received());
            put(f, k + ".rport", v.rport());
            put(f, k + ".maddr", v.maddr());
        }
        address(f, "from", from);
        address(f, "to", to);
        for (int i = 0; i < contacts.size(); i++) address(f, "contact[" + i + "]", contacts.get(i));
        for (int i = 0; i < recordRoutes.size(); i++) address(f, "record-route[" + i + "]", recordRoutes.get(i));
        for (int i = 0; i < routes.size(); i++) address(f, "route[" + i + "]", routes.get(i));
        put(f, "call-id", callId);
        if (cseq != null) f.put("cseq", cseq.text());
        put(f, "expires", expires);
        put(f, "content-length", contentLength);
        put(f, "content-type", contentType);
        f.put("body", new Span(bodyStart, bodyEnd, bodyText()));
        for (SipHeader h : headers) f.put("header[" + h.index() + "]", h.value());
        return f;
    }

    private static void put(Map<String, Span> f, String k, Span s) {
        if (s != null) f.put(k, s);
    }

    private static void uri(Map<String, Span> f, String k, SipUri u) {
        if (u == null) return;
        f.put(k, u.text());
        put(f, k + ".host", u.host());
        put(f, k + ".port", u.port());
    }

    private static void address(Map<String, Span> f, String k, SipAddress a) {
        if (a == null) return;
        f.put(k, a.text());
        if (a.uri() != null) {
            f.put(k + ".uri", a.uri().text());
            put(f, k + ".host", a.uri().host());
            put(f, k + ".port", a.uri().port());
        }
        put(f, k + ".tag", a.tag());
        put(f, k + ".expires", a.expires());
    }

    /**
     * {@code reader} applied to this message, made once and kept: for a reading that depends on nothing but the message
     * and gives an immutable result, asked for by several consumers of one parse (the SDP body: the detectors, the
     * rewrite classification and its bounds read the same copy's). One reader is kept, the first to ask; any other is
     * applied each time. Safe on any thread (two threads asking at once may both apply it: the same result).
     */
    @SuppressWarnings("unchecked")
    public <T> T read(java.util.function.Function<SipMessage, T> reader) {
        Object[] r = reading;
        if (r != null && r[0] == reader) return (T) r[1];
        T v = reader.apply(this);
        if (r == null) reading = new Object[] {reader, v};
        return v;
    }

    @Override
    public String toString() {
        return startLine.text();
    }
}
