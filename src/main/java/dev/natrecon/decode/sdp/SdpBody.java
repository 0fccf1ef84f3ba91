package dev.natrecon.decode.sdp;

import dev.natrecon.decode.sip.MultipartBody;
import dev.natrecon.decode.sip.SipMessage;
import dev.natrecon.decode.sip.Span;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An SDP body (RFC 4566), immutable: the origin, the session-level connection and direction, and each media
 * description with its port, formats, own connection, {@code a=rtcp} and direction. Every address and port is a
 * {@link Span} in the SIP payload, so the SDP can be compared before and after a router's SIP helper rewrote it
 * ({@link #fields()}). Lines are found by natrecon's own scan (CRLF or LF endings); jain-sip-ri's field parsers check
 * the grammar of the v=, o=, c=, t=, m= and a= lines that are not {@link PlainSdp plain}. Never throws; problems are
 * {@link #issues()}.
 */
public final class SdpBody {
    private static final String KNOWN_TYPES = "vosiuepcbtrzkam";
    /**
     * Media descriptions kept per body. An offer carries one to four (audio, video, a BFCP or T.38 stream); WebRTC
     * bundles rarely pass a dozen; the Linux helper itself looks at every m= line but allocates nothing per line.
     * Past 64 the rest are ignored ({@link SdpAnomaly#SDP_TOO_MANY_MEDIA}) so a body of thousands of m= lines cannot
     * make thousands of expectations or media records.
     */
    public static final int MAX_MEDIA = 64;

    private final int start;
    private final int end;
    private final List<Span> lines;
    private final Span version;
    private final SdpOrigin origin;
    private final SdpConnection connection;
    private final SdpDirection direction;
    private final List<SdpAttribute> attributes;
    private final List<SdpMedia> media;
    private final List<SdpIssue> issues;

    private SdpBody(int start, int end, List<Span> lines, Span version, SdpOrigin origin, SdpConnection connection,
            SdpDirection direction, List<SdpAttribute> attributes, List<SdpMedia> media, List<SdpIssue> issues) {
        this.start = start;
        this.end = end;
        this.lines = List.copyOf(lines);
        this.version = version;
        this.origin = origin;
        this.connection = connection;
        this.direction = direction;
        this.attributes = List.copyOf(attributes);
        this.media = List.copyOf(media);
        this.issues = List.copyOf(issues);
    }

    /**
     * The SDP of a SIP message: its body when the Content-Type is {@code application/sdp} (or absent and the body
     * starts with {@code v=}), or the first {@code application/sdp} part of a multipart body (nested multiparts
     * searched too). Empty when the message carries no SDP.
     */
    public static Optional<SdpBody> fromSip(SipMessage m) {
        return m.read(FROM_SIP);
    }

    /** {@link #fromSip}'s reading, kept by the message ({@link SipMessage#read}): one SDP parse per message. */
    private static final java.util.function.Function<SipMessage, Optional<SdpBody>> FROM_SIP = SdpBody::readSip;

    private static Optional<SdpBody> readSip(SipMessage m) {
        if (m.bodyLength() == 0) return Optional.empty();
        byte[] p = m.payload();
        Optional<String> type = m.contentType();
        if (type.isEmpty()) {
            boolean v = m.bodyLength() >= 2 && p[m.bodyStart()] == 'v' && p[m.bodyStart() + 1] == '=';
            return v ? Optional.of(parse(p, m.bodyStart(), m.bodyEnd())) : Optional.empty();
        }
        if (type.get().equals("application/sdp")) return Optional.of(parse(p, m.bodyStart(), m.bodyEnd()));
        if (type.get().startsWith("multipart/")) {
            return sdpPart(p, MultipartBody.parse(p, m.bodyStart(), m.bodyEnd(), m.contentTypeParam("boundary")), 0);
        }
        return Optional.empty();
    }

    private static Optional<SdpBody> sdpPart(byte[] p, MultipartBody body, int depth) {
        for (MultipartBody.Part part : body.parts()) {
            String t = part.mediaType();
            if (t.equals("application/sdp")) return Optional.of(parse(p, part.bodyStart(), part.bodyEnd()));
            if (t.startsWith("multipart/") && depth < 4) {
                Optional<SdpBody> inner = sdpPart(p, MultipartBody.parse(p, part.bodyStart(), part.bodyEnd(),
                        part.boundaryParam()), depth + 1);
                if (inner.isPresent()) return inner;
            }
        }
        return Optional.empty();
    }

    /** Parses {@code p[start, end)} as SDP; offsets in the result index {@code p}. */
    public static SdpBody parse(byte[] p, int start, int end) {
        return new Builder(p, start, end, true).build();
    }

    /**
     * {@link #parse} with every line jain-sip checks handed to it, {@link PlainSdp plain} or not: the reference the
     * shortcut is tested against ({@code PlainSdpTest}).
     */
    static SdpBody parseEveryLineThroughJainSip(byte[] p, int start, int end) {
        return new Builder(p, start, end, false).build();
    }

    // ---- accessors

    /** Offset of the first byte of the SDP (the {@code v=} line) in the payload. */
    public int start() {
        return start;
    }

    public int end() {
        return end;
    }

    /** Every line, without its line ending, in order. */
    public List<Span> lines() {
        return lines;
    }

    /** The v= value, or null. */
    public Span version() {
        return version;
    }

    public Optional<SdpOrigin> origin() {
        return Optional.ofNullable(origin);
    }

    /** The session-level c= (before the first m=). */
    public Optional<SdpConnection> connection() {
        return Optional.ofNullable(connection);
    }

    /** The session-level direction attribute, or null when none is given. */
    public SdpDirection direction() {
        return direction;
    }

    /** Session-level attributes. */
    public List<SdpAttribute> attributes() {
        return attributes;
    }

    public List<SdpMedia> media() {
        return media;
    }

    public List<SdpIssue> issues() {
        return issues;
    }

    public boolean has(SdpAnomaly anomaly) {
        return issues.stream().anyMatch(i -> i.anomaly() == anomaly);
    }

    /** The connection a media description uses: its own c=, else the session's; null if neither. */
    public SdpConnection connectionOf(SdpMedia m) {
        return m.connection() != null ? m.connection() : connection;
    }

    /** The direction in effect for a media description: its own, else the session's, else sendrecv. */
    public SdpDirection directionOf(SdpMedia m) {
        return m.direction() != null ? m.direction() : direction != null ? direction : SdpDirection.SENDRECV;
    }

    /**
     * Every address and port under a stable name: {@code origin}, {@code origin.username}, {@code origin.session-id},
     * {@code origin.version}, {@code origin.address}, {@code connection}, {@code connection.address},
     * {@code direction}, and per media {@code media[i]}, {@code media[i].port}, {@code media[i].proto},
     * {@code media[i].formats}, {@code media[i].connection}, {@code media[i].connection.address},
     * {@code media[i].rtcp}, {@code media[i].rtcp.port}, {@code media[i].rtcp.address}, {@code media[i].direction}.
     */
    public Map<String, Span> fields() {
        Map<String, Span> f = new LinkedHashMap<>();
        if (version != null) f.put("version", version);
        if (origin != null) {
            f.put("origin", origin.line());
            f.put("origin.username", origin.username());
            f.put("origin.session-id", origin.sessionId());
            f.put("origin.version", origin.sessionVersion());
            f.put("origin.address", origin.address());
        }
        connection(f, "connection", connection);
        direction(f, "direction", attributes);
        for (SdpMedia m : media) {
            String k = "media[" + m.index() + "]";
            f.put(k, m.line());
            f.put(k + ".port", m.port());
            if (m.proto() != null) f.put(k + ".proto", m.proto());
            if (!m.formats().isEmpty()) {
                Span a = m.formats().get(0), b = m.formats().get(m.formats().size() - 1);
                f.put(k + ".formats", new Span(a.start(), b.end(), String.join(" ", m.formatTexts())));
            }
            connection(f, k + ".connection", m.connection());
            if (m.rtcp() != null) {
                f.put(k + ".rtcp", m.rtcp().line());
                f.put(k + ".rtcp.port", m.rtcp().port());
                if (m.rtcp().address() != null) f.put(k + ".rtcp.address", m.rtcp().address());
            }
            direction(f, k + ".direction", m.attributes());
        }
        return f;
    }

    private static void connection(Map<String, Span> f, String k, SdpConnection c) {
        if (c == null) return;
        f.put(k, c.line());
        if (c.address() != null) f.put(k + ".address", c.address());
    }

    private static void direction(Map<String, Span> f, String k, List<SdpAttribute> attributes) {
        for (SdpAttribute a : attributes) {
            if (a.value() == null && SdpDirection.of(a.name().text()) != null) {
                f.put(k, a.name());
                return;
            }
        }
    }

    static int portValue(Span s) {
        if (s == null) return -1;
        String t = s.text();
        if (t.isEmpty() || t.length() > 5) return -1;
        int n = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') return -1;
            n = n * 10 + c - '0';
        }
        return n <= 65535 ? n : -1;
    }

    @Override
    public String toString() {
        return "SDP " + (origin == null ? "" : origin.line().text()) + " with " + media.size() + " media";
    }

    /** The line scan. */
    private static final class Builder {
        private final byte[] p;
        private final int start, end;
        /** Whether a {@link PlainSdp plain} line is spared jain-sip's parse. */
        private final boolean plain;
        private final List<Span> lines = new ArrayList<>();
        private final List<SdpIssue> issues = new ArrayList<>();
        private final List<SdpMedia> media = new ArrayList<>();
        private final List<SdpAttribute> sessionAttributes = new ArrayList<>();
        private Span version;
        private SdpOrigin origin;
        private SdpConnection sessionConnection;
        private SdpDirection sessionDirection;
        // the media description being built
        private Span mLine, mType, mPort, mCount, mProto;
        private List<Span> mFormats;
        private SdpConnection mConnection;
        private SdpRtcp mRtcp;
        private SdpDirection mDirection;
        private List<SdpAttribute> mAttributes;

        Builder(byte[] p, int start, int end, boolean plain) {
            this.p = p;
            this.start = start;
            this.end = end;
            this.plain = plain;
        }

        SdpBody build() {
            int i = start;
            boolean first = true;
            while (i < end) {
                int lf = i;
                while (lf < end && p[lf] != '\n') lf++;
                int le = lf > i && p[lf - 1] == '\r' ? lf - 1 : lf;
                int next = Math.min(end, lf + 1);
                if (le > i) {
                    line(i, le, first);
                    first = false;
                }
                i = next;
            }
            finishMedia();
            if (version == null && !issues.stream().anyMatch(x -> x.anomaly() == SdpAnomaly.SDP_VERSION_MISSING)) {
                issues.add(new SdpIssue(SdpAnomaly.SDP_VERSION_MISSING, "no v= line", null));
            }
            if (origin == null) issues.add(new SdpIssue(SdpAnomaly.SDP_ORIGIN_MISSING, "no o= line", null));
            for (SdpMedia m : media) {
                if (m.connection() == null && sessionConnection == null && m.portNumber() != 0) {
                    issues.add(new SdpIssue(SdpAnomaly.SDP_CONNECTION_MISSING,
                            "m=" + m.typeText() + " has no c= line at media or session level", m.line()));
                }
            }
            return new SdpBody(start, end, lines, version, origin, sessionConnection, sessionDirection, sessionAttributes,
                    media, issues);
        }

        private Span span(int a, int b) {
            return new Span(a, b, new String(p, a, b - a, StandardCharsets.UTF_8));
        }

        private void issue(SdpAnomaly a, String detail, Span where) {
            issues.add(new SdpIssue(a, detail, where));
        }

        private void line(int ls, int le, boolean first) {
            Span line = span(ls, le);
            lines.add(line);
            if (le - ls < 2 || p[ls + 1] != '=') {
                issue(SdpAnomaly.SDP_LINE_INVALID, "line is not <type>=<value>", line);
                if (first) issue(SdpAnomaly.SDP_VERSION_MISSING, "the first line is not v=", line);
                return;
            }
            char type = (char) (p[ls] & 0xff);
            if (first && type != 'v') issue(SdpAnomaly.SDP_VERSION_MISSING, "the first line is not v=", line);
            if (KNOWN_TYPES.indexOf(type) < 0) {
                issue(SdpAnomaly.SDP_LINE_UNKNOWN, "unknown line type '" + type + "'", line);
                return;
            }
            int vs = ls + 2;
            switch (type) {
                case 'v' -> {
                    if (version != null) issue(SdpAnomaly.SDP_LINE_DUPLICATE, "second v= line", line);
                    else version = span(vs, le);
                    jain(line, null);
                }
                case 'o' -> origin(line, tokens(vs, le));
                case 'c' -> connection(line, tokens(vs, le));
                case 'm' -> media(line, tokens(vs, le));
                case 'a' -> attribute(line, vs, le);
                case 't' -> jain(line, null);
                default -> {
                    // s= i= u= e= p= b= r= z= k=: nothing reads them, and jain-sip prints stack traces for some.
                }
            }
        }

        /** Space-separated tokens of {@code [s, e)}. */
        private List<Span> tokens(int s, int e) {
            List<Span> out = new ArrayList<>();
            int i = s;
            while (i < e) {
                while (i < e && p[i] == ' ') i++;
                int a = i;
                while (i < e && p[i] != ' ') i++;
                if (i > a) out.add(span(a, i));
            }
            return out;
        }

        /**
         * Runs jain-sip's parser over a line whose shape natrecon already checked; records what it says. A
         * {@link PlainSdp plain} line is not handed over: jain-sip accepts it and reads what the scan read.
         */
        private void jain(Span line, java.util.function.Function<gov.nist.javax.sdp.fields.SDPField, List<String>> check) {
            if (plain && PlainSdp.line(line.text())) return;
            JainSdp.Result r = JainSdp.parse(line.text());
            if (!r.ok()) {
                issue(SdpAnomaly.SDP_LINE_INVALID, "jain-sip rejected " + line.text().charAt(0) + "=: " + r.error(), line);
            } else if (check != null) {
                for (String d : check.apply(r.parsed())) issue(SdpAnomaly.SDP_PARSER_DISAGREEMENT, d, line);
            }
        }

        /** RFC 4566 token (what jain-sip's lexer calls an ID): letters, digits and {@code -.!%*_+`'~}. */
        private static boolean token(String t) {
            if (t.isEmpty()) return false;
            for (char c : t.toCharArray()) {
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-.!%*_+`'~".indexOf(c) >= 0)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean token(Span s) {
            return token(s.text());
        }

        /** {@code token *("/" token)}, the shape of an m= proto. */
        private static boolean slashedTokens(Span s) {
            for (String part : s.text().split("/", -1)) if (!token(part)) return false;
            return true;
        }

        /** An IPv4 or IPv6 address (bracketed or not) or a host name, as jain-sip's host parser reads them. */
        private static boolean addressLike(Span s) {
            String t = s.text();
            if (t.startsWith("[")) {
                if (!t.endsWith("]") || t.length() < 4) return false;
                t = t.substring(1, t.length() - 1);
            }
            if (t.isEmpty()) return false;
            boolean colon = t.indexOf(':') >= 0;
            for (char c : t.toCharArray()) {
                boolean ok = colon ? Character.digit(c, 16) >= 0 || c == ':' || c == '.'
                        : c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_';
                if (!ok) return false;
            }
            if (colon) return t.chars().filter(c -> c == ':').count() >= 2;
            return Character.isLetterOrDigit(t.charAt(0));
        }

        private void origin(Span line, List<Span> t) {
            if (t.size() != 6) {
                issue(SdpAnomaly.SDP_LINE_INVALID, "o= needs 6 fields, has " + t.size(), line);
                return;
            }
            SdpOrigin o = new SdpOrigin(line, t.get(0), t.get(1), t.get(2), t.get(3), t.get(4), t.get(5));
            if (origin != null) {
                issue(SdpAnomaly.SDP_LINE_DUPLICATE, "second o= line", line);
                return;
            }
            origin = o;
            boolean shape = true;
            for (int k = 1; k <= 4; k++) shape &= token(t.get(k));
            if (!shape || !addressLike(t.get(5))) {
                issue(SdpAnomaly.SDP_LINE_INVALID, "o= fields are not <username> <sess-id> <sess-version> <nettype> "
                        + "<addrtype> <address>", line);
                return;
            }
            // jain-sip matches the username as a "safe" token; a non-ASCII one would make it print a stack trace.
            if (token(t.get(0))) jain(line, f -> JainSdp.crossCheck(f, o));
        }

        private void connection(Span line, List<Span> t) {
            if (t.size() != 3) {
                issue(SdpAnomaly.SDP_LINE_INVALID, "c= needs 3 fields, has " + t.size(), line);
                return;
            }
            Span full = t.get(2);
            int slash = full.text().indexOf('/');
            Span address = slash < 0 ? full : span(full.start(), full.start() + slash);
            Span suffix = slash < 0 ? null : span(full.start() + slash, full.end());
            SdpConnection c = new SdpConnection(line, t.get(0), t.get(1), address, suffix);
            if (mLine != null) {
                if (mConnection != null) issue(SdpAnomaly.SDP_LINE_DUPLICATE, "second c= line in a media description", line);
                else mConnection = c;
            } else if (sessionConnection != null) {
                issue(SdpAnomaly.SDP_LINE_DUPLICATE, "second session-level c= line", line);
            } else {
                sessionConnection = c;
            }
            jain(line, f -> JainSdp.crossCheck(f, c));
        }

        private void media(Span line, List<Span> t) {
            finishMedia();
            mLine = line;
            mType = t.isEmpty() ? span(line.start() + 2, line.start() + 2) : t.get(0);
            mFormats = new ArrayList<>();
            mAttributes = new ArrayList<>();
            mConnection = null;
            mRtcp = null;
            mDirection = null;
            mCount = null;
            mProto = null;
            mPort = span(line.end(), line.end());
            if (t.size() >= 2) {
                Span pc = t.get(1);
                int slash = pc.text().indexOf('/');
                mPort = slash < 0 ? pc : span(pc.start(), pc.start() + slash);
                if (slash >= 0) mCount = span(pc.start() + slash + 1, pc.end());
            }
            if (t.size() >= 3) mProto = t.get(2);
            for (int k = 3; k < t.size(); k++) mFormats.add(t.get(k));
            if (t.size() < 4) {
                issue(SdpAnomaly.SDP_LINE_INVALID, "m= needs <media> <port> <proto> <fmt>…, has " + t.size() + " fields", line);
                return;
            }
            boolean digits = !mPort.text().isEmpty() && mPort.text().chars().allMatch(c -> c >= '0' && c <= '9')
                    && (mCount == null || !mCount.text().isEmpty() && mCount.text().chars().allMatch(c -> c >= '0' && c <= '9'));
            if (!digits || mPort.text().length() > 9) {
                issue(SdpAnomaly.SDP_PORT_INVALID, "m= port '" + t.get(1).text() + "' is not a number", mPort);
                return;
            }
            if (portValue(mPort) < 0) {
                issue(SdpAnomaly.SDP_PORT_INVALID, "m= port " + mPort.text() + " is above 65535", mPort);
                return;
            }
            if (!token(mType) || !slashedTokens(mProto) || !mFormats.stream().allMatch(Builder::token)) {
                issue(SdpAnomaly.SDP_LINE_INVALID, "m= media, proto or a format is not a token", line);
                return;
            }
            int index = media.size();
            Span l = line, ty = mType, po = mPort, co = mCount, pr = mProto;
            List<Span> fo = List.copyOf(mFormats);
            jain(line, f -> JainSdp.crossCheck(f, new SdpMedia(index, l, ty, po, co, pr, fo, null, null, null, List.of())));
        }

        private void attribute(Span line, int vs, int le) {
            int colon = vs;
            while (colon < le && p[colon] != ':') colon++;
            Span name = span(vs, colon);
            Span value = colon < le ? span(colon + 1, le) : null;
            SdpAttribute a = new SdpAttribute(line, name, value);
            if (!token(name)) {
                issue(SdpAnomaly.SDP_LINE_INVALID, "a= attribute name is not a token", line);
            } else {
                jain(line, f -> JainSdp.crossCheck(f, a));
            }
            SdpDirection d = value == null ? SdpDirection.of(name.text()) : null;
            if (mLine == null) {
                sessionAttributes.add(a);
                if (d != null && sessionDirection == null) sessionDirection = d;
                return;
            }
            mAttributes.add(a);
            if (d != null && mDirection == null) mDirection = d;
            if (name.text().equals("rtcp") && value != null && mRtcp == null) mRtcp = rtcp(line, value);
        }

        private SdpRtcp rtcp(Span line, Span value) {
            List<Span> t = tokens(value.start(), value.end());
            if (t.isEmpty()) {
                issue(SdpAnomaly.SDP_LINE_INVALID, "a=rtcp without a port", line);
                return null;
            }
            if (t.size() != 1 && t.size() != 4) {
                issue(SdpAnomaly.SDP_LINE_INVALID, "a=rtcp needs <port> [<nettype> <addrtype> <address>]", line);
            }
            SdpRtcp r = t.size() >= 4 ? new SdpRtcp(line, t.get(0), t.get(1), t.get(2), t.get(3))
                    : new SdpRtcp(line, t.get(0), null, null, null);
            if (r.portNumber() < 0) issue(SdpAnomaly.SDP_PORT_INVALID, "a=rtcp port '" + t.get(0).text() + "'", t.get(0));
            return r;
        }

        private void finishMedia() {
            if (mLine == null) return;
            if (media.size() >= MAX_MEDIA) {
                if (media.size() == MAX_MEDIA && issues.stream().noneMatch(i -> i.anomaly() == SdpAnomaly.SDP_TOO_MANY_MEDIA)) {
                    issue(SdpAnomaly.SDP_TOO_MANY_MEDIA, "more than " + MAX_MEDIA + " m= lines; the rest were ignored", mLine);
                }
                mLine = null;
                return;
            }
            media.add(new SdpMedia(media.size(), mLine, mType, mPort, mCount, mProto, mFormats, mConnection, mRtcp,
                    mDirection, mAttributes));
            mLine = null;
        }
    }
}
