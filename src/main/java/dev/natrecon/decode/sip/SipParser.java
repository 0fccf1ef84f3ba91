package dev.natrecon.decode.sip;

import dev.natrecon.decode.sip.SipParse.Keepalive;
import dev.natrecon.decode.sip.SipParse.KeepaliveType;
import dev.natrecon.decode.sip.SipParse.NotSip;
import dev.natrecon.decode.sip.SipParse.NotSipType;
import dev.natrecon.decode.sip.SipParse.Rejected;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses SIP payloads into {@link SipParse} results. Stateless and thread-safe; never throws on any input. Offsets in
 * the results are relative to the {@code off} the caller passed (the start of the UDP payload, or of a message the
 * TCP framer delimited).
 *
 * <p>How it works: natrecon scans the bytes itself to find lines, folds, header names, values and their offsets
 * (CRLF or bare LF line endings, like the Linux helper); jain-sip-ri then parses the start line and every header value
 * on its own, so a header it rejects is named, except a value {@link PlainSip plain} (where jain-sip is known to
 * accept it and to read what natrecon's grammar reads; {@code PlainSipTest} holds both paths equal). A rejection of the start line or of Via, From, To, Call-ID, CSeq or
 * Content-Length makes the message {@link Rejected}; any other problem is an issue on a message that still parses.
 * Whole-message parsing through jain-sip is avoided on purpose: it silently drops a header it cannot parse (with no
 * exception listener), normalises the SIP version ({@code SIP/3.0} reads as {@code SIP/2.0}), and accepts status codes
 * such as 2000.
 */
public final class SipParser {
    /** Headers without which jain-sip's transaction layer rejects a message; a jain-sip error in one is fatal. */
    private static final Set<String> CORE = Set.of(SipHeaderNames.VIA, SipHeaderNames.FROM, SipHeaderNames.TO,
            SipHeaderNames.CALL_ID, SipHeaderNames.CSEQ, SipHeaderNames.CONTENT_LENGTH);
    private static final Set<String> SINGLE = Set.of(SipHeaderNames.FROM, SipHeaderNames.TO, SipHeaderNames.CALL_ID,
            SipHeaderNames.CSEQ, SipHeaderNames.CONTENT_LENGTH, SipHeaderNames.CONTENT_TYPE, SipHeaderNames.EXPIRES,
            SipHeaderNames.MAX_FORWARDS);
    /**
     * The headers whose jain-sip reading {@link #headerStructures} cross-checks with natrecon's (its switch): parsed
     * once, directly. Every other header only needs jain-sip's verdict, which {@link JainSip#verdict} remembers by
     * value; a cross-checked header missing here would still be cross-checked (a remembered verdict parses again when
     * its object is asked for), only at the cost of that second parse.
     */
    private static final Set<String> CROSS_CHECKED = Set.of(SipHeaderNames.VIA, SipHeaderNames.CONTACT,
            SipHeaderNames.RECORD_ROUTE, SipHeaderNames.ROUTE, SipHeaderNames.FROM, SipHeaderNames.TO, SipHeaderNames.CALL_ID,
            SipHeaderNames.CSEQ, SipHeaderNames.EXPIRES, SipHeaderNames.CONTENT_LENGTH);
    private static final List<String> REQUIRED = List.of(SipHeaderNames.VIA, SipHeaderNames.FROM, SipHeaderNames.TO,
            SipHeaderNames.CALL_ID, SipHeaderNames.CSEQ);
    /** Header names (lower case, compact forms included) that make a payload SIP even with a broken start line. */
    private static final Set<String> SIP_HEADERS = Set.of("via", "v", "call-id", "i", "cseq", "from", "f", "to", "t");

    /**
     * Headers parsed per message. Real messages carry 10-40 (one Via per proxy, one Record-Route per hop), so 256
     * leaves room for long proxy chains; past it the rest is left unparsed with {@link SipAnomaly#SIP_TOO_MANY_HEADERS},
     * so one hostile message (64 KiB of 3-byte header lines is some 20,000 of them) cannot cost thousands of jain-sip
     * header parses.
     */
    public static final int MAX_HEADERS = 256;

    private SipParser() {
    }

    /**
     * Parses {@code b[off, off+len)} as one SIP message (one UDP datagram, or one message delimited by the TCP framer):
     * the body is everything after the empty line, and a Content-Length that disagrees is reported as
     * {@link SipAnomaly#SIP_CONTENT_LENGTH_MISMATCH}. CRLF-only payloads are keep-alives; leading CRLFs before a start
     * line are skipped (RFC 3261 §7.5).
     */
    public static SipParse parse(byte[] b, int off, int len) {
        return parse(b, off, len, true);
    }

    /**
     * {@link #parse(byte[], int, int)}; {@code redact} false keeps credential header values as written (only for
     * {@code --no-redact} outputs: by default every text this package gives out is {@link Credentials redacted}).
     */
    public static SipParse parse(byte[] b, int off, int len, boolean redact) {
        Recent recent = RECENT;
        int kind = redact ? 1 : 0;
        Object seen = recent.find(kind, b, off, len);
        if (seen != null) return (SipParse) seen;
        byte[] p = Arrays.copyOfRange(b, off, off + len);
        SipParse special = classifyWhole(p);
        if (special != null) return special;
        SipParse r = parseAt(p, skipCrLf(p, 0, p.length), p.length, false, true).result;
        r = redact ? Credentials.redact(r) : r;
        recent.keep(kind, p, r);
        return r;
    }

    /**
     * Hands the parser a result of {@link #parse(byte[], int, int) parse(b, 0, b.length)} (the redacted form) made
     * elsewhere, so that the next consumers of the same bytes find it instead of parsing them again: the detectors parse
     * each copy of a message where its frame is filled, and the rewrite classification and the call ladder read the same
     * copies later, on another thread, further back than the few messages {@link #RECENT} holds. Nothing happens when
     * either is null or the bytes are already held.
     */
    public static void known(byte[] b, SipParse parsed) {
        if (b == null || parsed == null) return;
        Recent recent = RECENT;
        if (recent.find(1, b, 0, b.length) == null) recent.keep(1, b.clone(), parsed);
    }

    /**
     * The last few messages parsed, on any thread, by their bytes: one SIP message is read by the rewrite
     * classification and the call ladder (on the replay's SIP thread) and by the media and NAT-test detectors (on the
     * replay's thread) in turn, and the full parse (jain-sip's grammar for the address headers) costs far more than
     * comparing the bytes. A result depends on nothing but the bytes and the form asked for, so whichever thread
     * parsed it first serves the others (two threads that miss at once both parse: the same result, twice). Results
     * are immutable, the bytes are the parser's own copies; kept and found under the cache's lock.
     */
    private static final Recent RECENT = new Recent();

    private static final class Recent {
        /**
         * Enough for both copies of a message in each form, a retransmission or two between, and the replay's SIP
         * thread a few messages behind the detectors.
         */
        private static final int SIZE = 32;
        private final int[] kinds = new int[SIZE];
        private final byte[][] bytes = new byte[SIZE][];
        private final Object[] results = new Object[SIZE];
        private int next;

        synchronized Object find(int kind, byte[] b, int off, int len) {
            for (int i = 0; i < SIZE; i++) {
                byte[] k = bytes[i];
                if (k != null && kinds[i] == kind && k.length == len && Arrays.equals(k, 0, len, b, off, off + len)) {
                    return results[i];
                }
            }
            return null;
        }

        synchronized void keep(int kind, byte[] copy, Object result) {
            kinds[next] = kind;
            bytes[next] = copy;
            results[next] = result;
            next = (next + 1) % SIZE;
        }
    }

    /**
     * Parses a UDP payload that may carry several messages, each delimited by its Content-Length; CR/LF padding after
     * a message is ignored, anything else is {@link SipAnomaly#SIP_TRAILING_DATA}.
     */
    public static SipDatagram parseDatagram(byte[] b, int off, int len) {
        return parseDatagram(b, off, len, true);
    }

    /** {@link #parseDatagram(byte[], int, int)}; {@code redact} as for {@link #parse(byte[], int, int, boolean)}. */
    public static SipDatagram parseDatagram(byte[] b, int off, int len, boolean redact) {
        Recent recent = RECENT;
        int kind = redact ? 3 : 2;
        Object seen = recent.find(kind, b, off, len);
        if (seen != null) return (SipDatagram) seen;
        Object single = recent.find(redact ? 1 : 0, b, off, len);
        SipDatagram d = single != null && wholeDatagram((SipParse) single)
                ? new SipDatagram(List.of((SipParse) single), List.of()) : parseDatagramOnce(b, off, len, redact);
        recent.keep(kind, Arrays.copyOfRange(b, off, off + len), d);
        return d;
    }

    /**
     * Whether {@code r}, a {@link #parse} result of a whole payload, is also that payload's datagram reading: one item,
     * the same. Splitting changes nothing but where a message ends (its Content-Length, when shorter than the bytes
     * after the empty line), so it holds for what is no message, for a message cut short and for a message whose
     * Content-Length is absent or reaches the end; a message rejected after its headers is left to the datagram parse.
     */
    private static boolean wholeDatagram(SipParse r) {
        if (r instanceof SipParse.Message m) {
            int declared = m.message().contentLength();
            return declared < 0 || declared >= m.message().bodyLength();
        }
        return r instanceof NotSip || r instanceof Keepalive
                || r instanceof Rejected j && j.anomaly() == SipAnomaly.SIP_TRUNCATED;
    }

    private static SipDatagram parseDatagramOnce(byte[] b, int off, int len, boolean redact) {
        byte[] p = Arrays.copyOfRange(b, off, off + len);
        SipParse special = classifyWhole(p);
        if (special != null) return new SipDatagram(List.of(special), List.of());
        List<SipParse> items = new ArrayList<>();
        List<SipIssue> issues = new ArrayList<>();
        int i = 0;
        while (true) {
            int s = skipCrLf(p, i, p.length);
            if (s >= p.length) break;
            if (!items.isEmpty() && startKind(p, s, lineEnd(p, s, p.length)) == StartKind.OTHER) {
                issues.add(new SipIssue(SipAnomaly.SIP_TRAILING_DATA, (p.length - s) + " bytes after the last message",
                        span(p, s, p.length)));
                break;
            }
            Outcome o = parseAt(p, s, p.length, true, true);
            items.add(redact ? Credentials.redact(o.result) : o.result);
            if (o.result instanceof NotSip || o.next <= s) break;
            i = o.next;
        }
        if (items.size() > 1) {
            issues.add(new SipIssue(SipAnomaly.SIP_MULTIPLE_MESSAGES, items.size() + " messages in one datagram", null));
        }
        return new SipDatagram(items, issues);
    }

    /** True when {@code b[off, off+len)} holds nothing but CR and LF bytes (an RFC 5626 keep-alive). */
    public static boolean isCrlfKeepalive(byte[] b, int off, int len) {
        if (len == 0) return false;
        for (int i = off; i < off + len; i++) if (b[i] != '\r' && b[i] != '\n') return false;
        return true;
    }

    // ---- whole-payload classification

    private static SipParse classifyWhole(byte[] p) {
        int n = p.length;
        if (n == 0) return new NotSip(NotSipType.EMPTY, 0, 0);
        if (isCrlfKeepalive(p, 0, n)) {
            KeepaliveType t = n == 4 && p[0] == '\r' && p[1] == '\n' && p[2] == '\r' && p[3] == '\n' ? KeepaliveType.PING
                    : n == 2 && p[0] == '\r' && p[1] == '\n' ? KeepaliveType.PONG : KeepaliveType.OTHER_CRLF;
            return new Keepalive(t, 0, n);
        }
        boolean zeros = true, blank = true;
        for (int i = 0; i < n && (zeros || blank); i++) {
            byte x = p[i];
            zeros &= x == 0;
            blank &= x == ' ' || x == '\t' || x == '\r' || x == '\n';
        }
        if (zeros) return new NotSip(NotSipType.NUL_BYTES, 0, n);
        if (blank) return new NotSip(NotSipType.WHITESPACE, 0, n);
        if (isStun(p)) return new NotSip(NotSipType.STUN, 0, n);
        return null;
    }

    static boolean isStun(byte[] p) {
        if (p.length < 20 || (p[0] & 0xc0) != 0) return false;
        int type = (p[0] & 0xff) << 8 | (p[1] & 0xff);
        int length = (p[2] & 0xff) << 8 | (p[3] & 0xff);
        if (length + 20 != p.length || (length & 3) != 0) return false;
        boolean cookie = (p[4] & 0xff) == 0x21 && (p[5] & 0xff) == 0x12 && (p[6] & 0xff) == 0xa4 && (p[7] & 0xff) == 0x42;
        return cookie || type == 0x0001 || type == 0x0101 || type == 0x0111;
    }

    private static NotSipType textOrBinary(byte[] p, int s, int end) {
        for (int i = s; i < Math.min(end, s + 512); i++) {
            int c = p[i] & 0xff;
            if (c < 0x20 && c != '\r' && c != '\n' && c != '\t' || c == 0x7f) return NotSipType.BINARY;
        }
        return NotSipType.TEXT;
    }

    // ---- start line shape

    enum StartKind { REQUEST, RESPONSE, OTHER }

    static StartKind startKind(byte[] p, int s, int lineEnd) {
        if (lineEnd - s >= 4 && regionIgnoreCase(p, s, "SIP/")) return StartKind.RESPONSE;
        int sp = s;
        while (sp < lineEnd && Grammar.tokenChar((char) (p[sp] & 0xff))) sp++;
        if (sp == s || sp >= lineEnd || p[sp] != ' ') return StartKind.OTHER;
        int last = lineEnd - 1;
        while (last > sp && p[last] != ' ') last--;
        if (last <= sp + 1 || lineEnd - (last + 1) < 4 || !regionIgnoreCase(p, last + 1, "SIP/")) return StartKind.OTHER;
        return StartKind.REQUEST;
    }

    private static boolean regionIgnoreCase(byte[] p, int at, String s) {
        if (at + s.length() > p.length) return false;
        for (int i = 0; i < s.length(); i++) {
            int c = p[at + i] & 0xff;
            if (c >= 'a' && c <= 'z') c -= 32;
            if (c != s.charAt(i)) return false;
        }
        return true;
    }

    /** Whether the lines from {@code from} carry a header named like a SIP core header (before an empty line). */
    private static boolean hasSipHeaders(byte[] p, int from, int end) {
        int i = from;
        for (int n = 0; n < 64 && i < end; n++) {
            int le = lineEnd(p, i, end);
            if (le == i) return false;
            int colon = i;
            while (colon < le && p[colon] != ':') colon++;
            if (colon < le) {
                int ne = colon;
                while (ne > i && (p[ne - 1] == ' ' || p[ne - 1] == '\t')) ne--;
                String name = new String(p, i, ne - i, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                if (SIP_HEADERS.contains(name)) return true;
            }
            i = nextLine(p, le, end);
        }
        return false;
    }

    // ---- one message

    private record Outcome(SipParse result, int next) {
    }

    /**
     * {@link #parse(byte[], int, int)} without the cache and without the {@link PlainSip plain} shortcut: jain-sip reads
     * the start line and every header value, as it did before the shortcut; the differential test's reference.
     */
    static SipParse parseEveryValueThroughJainSip(byte[] b) {
        byte[] p = b.clone();
        SipParse special = classifyWhole(p);
        if (special != null) return special;
        return Credentials.redact(parseAt(p, skipCrLf(p, 0, p.length), p.length, false, false).result);
    }

    /**
     * Parses the message starting at {@code s}; with {@code split}, Content-Length ends it before {@code end}; with
     * {@code plain}, a start line or header value that is {@link PlainSip plain} is not handed to jain-sip.
     */
    private static Outcome parseAt(byte[] p, int s, int end, boolean split, boolean plain) {
        int firstLf = indexOf(p, s, end, (byte) '\n');
        int startEnd = lineEnd(p, s, end);
        StartKind kind = startKind(p, s, startEnd);
        if (kind == StartKind.OTHER && (firstLf < 0 || !hasSipHeaders(p, firstLf + 1, end))) {
            return new Outcome(new NotSip(textOrBinary(p, s, end), s, end), end);
        }
        SipMessage.Parts m = new SipMessage.Parts();
        m.payload = p;
        m.start = s;
        List<SipIssue> issues = m.issues;
        Span startLine = span(p, s, startEnd);
        m.startLine = startLine;
        boolean bareLf = firstLf >= 0 && startEnd == firstLf;

        // Header lines up to the empty line; continuation lines (leading SP/HT) fold into the header before them.
        int bodyStart = -1, headerBlockEnd = end;
        List<int[]> lines = new ArrayList<>();
        int i = firstLf < 0 ? end : firstLf + 1;
        while (i < end) {
            int lf = indexOf(p, i, end, (byte) '\n');
            int ce = lf < 0 ? end : lf > i && p[lf - 1] == '\r' ? lf - 1 : lf;
            if (lf < 0) {
                if (ce > i) lines.add(new int[] {i, ce});
                break;
            }
            if (ce == lf) bareLf = true;
            if (ce == i) {
                headerBlockEnd = i;
                bodyStart = lf + 1;
                break;
            }
            lines.add(new int[] {i, ce});
            i = lf + 1;
        }
        List<Value> values = new ArrayList<>();
        buildHeaders(p, lines, m.headers, values, issues);
        if (bareLf) issues.add(new SipIssue(SipAnomaly.SIP_BARE_LF, "lines end with LF alone", null));
        int hbEnd = headerBlockEnd;
        while (hbEnd > s && (p[hbEnd - 1] == '\r' || p[hbEnd - 1] == '\n')) hbEnd--;
        Span headerBlock = span(p, s, hbEnd);

        if (firstLf < 0 || bodyStart < 0) {
            String detail = firstLf < 0 ? "no line end after the start line" : "no empty line after the headers";
            return new Outcome(new Rejected(SipAnomaly.SIP_TRUNCATED, detail, startLine, m.headers, headerBlock, issues,
                    s, end), end);
        }

        String startProblem = kind == StartKind.OTHER ? "not a request or status line"
                : startLine(p, s, startEnd, kind, m, plain);
        SipIssue fatal = headerStructures(m, values, plain);
        int declared = m.contentLength == null ? -1 : (int) Grammar.digitsValue(m.contentLength.text(), 9);
        int available = end - bodyStart;
        int msgEnd = end;
        if (split && declared >= 0 && declared <= available) msgEnd = bodyStart + declared;
        if (startProblem != null) {
            return new Outcome(new Rejected(SipAnomaly.SIP_START_LINE_INVALID, startProblem, startLine, m.headers,
                    headerBlock, issues, s, msgEnd), msgEnd);
        }
        if (fatal != null) {
            return new Outcome(new Rejected(SipAnomaly.SIP_HEADER_INVALID, fatal.detail(), startLine, m.headers,
                    headerBlock, issues, s, msgEnd), msgEnd);
        }
        if (declared >= 0 && declared != msgEnd - bodyStart) {
            issues.add(new SipIssue(SipAnomaly.SIP_CONTENT_LENGTH_MISMATCH,
                    "Content-Length " + declared + ", body has " + available + " bytes", m.contentLength));
        }
        for (String required : REQUIRED) {
            if (m.headers.stream().noneMatch(h -> h.canonicalName().equals(required))) {
                issues.add(new SipIssue(SipAnomaly.SIP_HEADER_MISSING, required + " is missing", null));
            }
        }
        if (m.method != null && m.cseq != null && !m.cseq.methodName().equals(m.method.text())) {
            issues.add(new SipIssue(SipAnomaly.SIP_CSEQ_METHOD_MISMATCH,
                    "request " + m.method.text() + " with CSeq method " + m.cseq.methodName(), m.cseq.method()));
        }
        m.end = msgEnd;
        m.bodyStart = bodyStart;
        m.bodyEnd = msgEnd;
        return new Outcome(new SipParse.Message(new SipMessage(m)), msgEnd);
    }

    /** Groups lines into headers (unfolding continuation lines), recording malformed lines. */
    private static void buildHeaders(byte[] p, List<int[]> lines, List<SipHeader> out, List<Value> values,
            List<SipIssue> issues) {
        int k = 0;
        while (k < lines.size()) {
            int ls = lines.get(k)[0], le = lines.get(k)[1];
            if (out.size() >= MAX_HEADERS) {
                issues.add(new SipIssue(SipAnomaly.SIP_TOO_MANY_HEADERS, (lines.size() - k) + " header lines after the first "
                        + MAX_HEADERS + " headers were not parsed", span(p, ls, le)));
                return;
            }
            if (p[ls] == ' ' || p[ls] == '\t') {
                issues.add(new SipIssue(SipAnomaly.SIP_HEADER_LINE_MALFORMED, "continuation line with no header before it",
                        span(p, ls, le)));
                k++;
                continue;
            }
            int colon = ls;
            while (colon < le && p[colon] != ':') colon++;
            int ne = colon;
            while (ne > ls && (p[ne - 1] == ' ' || p[ne - 1] == '\t')) ne--;
            boolean token = ne > ls;
            for (int x = ls; x < ne && token; x++) token = Grammar.tokenChar((char) (p[x] & 0xff));
            if (colon == le || !token) {
                issues.add(new SipIssue(SipAnomaly.SIP_HEADER_LINE_MALFORMED,
                        colon == le ? "header line without a colon" : "invalid header name", span(p, ls, le)));
                k++;
                while (k < lines.size() && (p[lines.get(k)[0]] == ' ' || p[lines.get(k)[0]] == '\t')) k++;
                continue;
            }
            int vs = colon + 1;
            while (vs < le && (p[vs] == ' ' || p[vs] == '\t')) vs++;
            int ve = trimEnd(p, vs, le);
            int valueEnd = ve;
            int lineEnd = le;
            boolean folded = false;
            k++;
            // the usual value, on one line, is one run of payload bytes; a folded one is built piece by piece
            boolean folds = k < lines.size() && (p[lines.get(k)[0]] == ' ' || p[lines.get(k)[0]] == '\t');
            Value.Builder vb = folds ? new Value.Builder() : null;
            if (folds) vb.append(p, vs, ve);
            while (k < lines.size() && (p[lines.get(k)[0]] == ' ' || p[lines.get(k)[0]] == '\t')) {
                int cs = lines.get(k)[0], ce = lines.get(k)[1];
                int a = cs;
                while (a < ce && (p[a] == ' ' || p[a] == '\t')) a++;
                int b = trimEnd(p, a, ce);
                folded = true;
                if (b > a) {
                    vb.fold(cs);
                    vb.append(p, a, b);
                    valueEnd = b;
                }
                lineEnd = ce;
                k++;
            }
            Value v = folds ? vb.build(valueEnd) : Value.of(p, vs, ve);
            String rawName = new String(p, ls, ne - ls, StandardCharsets.ISO_8859_1);
            Span value = v.length() == 0 ? new Span(vs, vs, "") : v.span(0, v.length());
            out.add(new SipHeader(out.size(), new Span(ls, ne, rawName), SipHeaderNames.canonical(rawName), value, ls, lineEnd,
                    folded));
            values.add(v);
        }
    }

    /** Parses the start line into {@code m}; returns null when valid, else why not. */
    private static String startLine(byte[] p, int s, int e, StartKind kind, SipMessage.Parts m, boolean plain) {
        String line = new String(p, s, e - s, StandardCharsets.UTF_8);
        Value v = Value.of(p, s, e);
        int n = v.length();
        if (kind == StartKind.RESPONSE) {
            int sp1 = v.s.indexOf(' ');
            if (sp1 < 0) return "status line without a status code";
            int sp2 = v.s.indexOf(' ', sp1 + 1);
            if (sp2 < 0) sp2 = n;
            m.version = v.span(0, sp1);
            m.statusCode = v.span(sp1 + 1, sp2);
            m.reason = sp2 < n ? v.span(sp2 + 1, n) : v.span(n, n);
            if (!m.version.text().equalsIgnoreCase("SIP/2.0")) return "version '" + m.version.text() + "' is not SIP/2.0";
            long code = Grammar.digitsValue(m.statusCode.text(), 3);
            if (m.statusCode.text().length() != 3 || code < 100 || code > 699) {
                return "status code '" + m.statusCode.text() + "' is not 100..699";
            }
            JainSip.Result r = plain && PlainSip.statusLine(line) ? JainSip.PLAIN : JainSip.statusLine(line);
            if (!r.ok()) return "jain-sip rejected the status line: " + r.error();
            disagree(m.issues, JainSip.crossCheckStatusLine(r.parsed(), (int) code), m.startLine);
            return null;
        }
        int sp1 = v.s.indexOf(' ');
        int sp2 = v.s.lastIndexOf(' ');
        m.method = v.span(0, sp1);
        m.version = v.span(sp2 + 1, n);
        m.requestUri = null;
        String problem = null;
        List<String> problems = new ArrayList<>();
        if (!m.version.text().equalsIgnoreCase("SIP/2.0")) {
            problem = "version '" + m.version.text() + "' is not SIP/2.0";
        } else if (sp2 == sp1 + 1 || v.s.substring(sp1 + 1, sp2).indexOf(' ') >= 0) {
            problem = "the request line needs exactly one space around the Request-URI";
        } else {
            SipUri uri = Grammar.uri(v, sp1 + 1, sp2, problems);
            JainSip.Result r = plain && PlainSip.requestLine(line) ? JainSip.PLAIN : JainSip.requestLine(line);
            if (!r.ok()) problem = "jain-sip rejected the request line: " + r.error();
            else if (!problems.isEmpty()) problem = "Request-URI: " + String.join("; ", problems);
            else {
                m.requestUri = uri;
                disagree(m.issues, JainSip.crossCheckRequestLine(r.parsed(), m.method.text(), uri), m.startLine);
            }
        }
        if (problem != null) m.method = null;
        return problem;
    }

    /**
     * Fills the structured fields from the headers and runs jain-sip over every header value that is not
     * {@link PlainSip plain}, taking a remembered verdict ({@link JainSip#verdict}) for a value nothing cross-checks
     * (with {@code plain} false, jain-sip reads every value afresh); returns the first issue that makes the message
     * unusable (jain-sip rejected a core header), or null.
     */
    private static SipIssue headerStructures(SipMessage.Parts m, List<Value> values, boolean plain) {
        List<SipIssue> issues = m.issues;
        SipIssue fatal = null;
        Set<String> names = new java.util.HashSet<>();
        for (int idx = 0; idx < m.headers.size(); idx++) {
            SipHeader h = m.headers.get(idx);
            Value v = values.get(idx);
            String name = h.canonicalName();
            boolean first = names.add(name);
            if (!first && SINGLE.contains(name)) {
                issues.add(new SipIssue(SipAnomaly.SIP_HEADER_DUPLICATE, name + " appears more than once; the first is used",
                        h.value()));
            }
            String text = v.text();
            JainSip.Result jain = !plain ? JainSip.header(name, text) : PlainSip.header(name, text) ? JainSip.PLAIN
                    : CROSS_CHECKED.contains(name) ? JainSip.header(name, text) : JainSip.verdict(name, text);
            if (!jain.ok()) {
                SipIssue issue = new SipIssue(SipAnomaly.SIP_HEADER_INVALID, "jain-sip rejected " + name + ": " + jain.error(),
                        h.value());
                issues.add(issue);
                if (fatal == null && CORE.contains(name)) fatal = issue;
            }
            List<String> problems = new ArrayList<>();
            List<String> disagreements = List.of();
            int n = v.length();
            // a case that cross-checks jain.parsed() belongs in CROSS_CHECKED, which saves a remembered verdict's
            // second parse
            switch (name) {
                case SipHeaderNames.VIA -> {
                    List<SipVia> vias = new ArrayList<>();
                    for (int[] el : Grammar.splitList(v, 0, n)) vias.add(Grammar.via(idx, v, el[0], el[1], problems));
                    if (vias.isEmpty()) problems.add("empty Via");
                    m.vias.addAll(vias);
                    if (jain.ok() && problems.isEmpty()) disagreements = JainSip.crossCheckVias(jain.parsed(), vias);
                }
                case SipHeaderNames.CONTACT, SipHeaderNames.RECORD_ROUTE, SipHeaderNames.ROUTE -> {
                    List<SipAddress> list = new ArrayList<>();
                    boolean contact = name.equals(SipHeaderNames.CONTACT);
                    for (int[] el : Grammar.splitList(v, 0, n)) {
                        SipAddress a = Grammar.address(idx, v, el[0], el[1], contact, problems);
                        if (contact && a.expires() != null && a.expiresSeconds() < 0) {
                            problems.add("expires '" + a.expires().text() + "' is not delta-seconds");
                        }
                        list.add(a);
                    }
                    (contact ? m.contacts : name.equals(SipHeaderNames.ROUTE) ? m.routes : m.recordRoutes).addAll(list);
                    if (jain.ok() && problems.isEmpty()) {
                        disagreements = contact ? JainSip.crossCheckContacts(jain.parsed(), list)
                                : JainSip.crossCheckRoutes(jain.parsed(), list);
                    }
                }
                case SipHeaderNames.FROM, SipHeaderNames.TO -> {
                    SipAddress a = Grammar.address(idx, v, 0, n, false, problems);
                    if (first) {
                        if (name.equals(SipHeaderNames.FROM)) m.from = a;
                        else m.to = a;
                    }
                    if (jain.ok() && problems.isEmpty()) disagreements = JainSip.crossCheckAddress(jain.parsed(), a);
                }
                case SipHeaderNames.CALL_ID -> {
                    if (n == 0) problems.add("empty Call-ID");
                    if (first) m.callId = h.value();
                    if (jain.ok()) disagreements = JainSip.crossCheckCallId(jain.parsed(), h.value().text());
                }
                case SipHeaderNames.CSEQ -> {
                    SipCSeq c = cseq(v, problems);
                    if (first && c != null) m.cseq = c;
                    if (jain.ok() && c != null) disagreements = JainSip.crossCheckCSeq(jain.parsed(), c);
                }
                case SipHeaderNames.EXPIRES -> {
                    long e = Grammar.deltaSeconds(h.value());
                    if (e < 0) problems.add("Expires '" + h.value().text() + "' is not delta-seconds");
                    if (first) m.expires = h.value();
                    if (jain.ok() && e >= 0) disagreements = JainSip.crossCheckNumber(jain.parsed(), e);
                }
                case SipHeaderNames.CONTENT_LENGTH -> {
                    long cl = Grammar.digitsValue(h.value().text(), 9);
                    if (cl < 0) problems.add("Content-Length '" + h.value().text() + "' is not a number");
                    if (first) m.contentLength = h.value();
                    if (jain.ok() && cl >= 0) disagreements = JainSip.crossCheckNumber(jain.parsed(), cl);
                }
                case SipHeaderNames.CONTENT_TYPE -> {
                    if (first) {
                        m.contentType = h.value();
                        int semi = v.s.indexOf(';');
                        if (semi >= 0) m.contentTypeParams = Grammar.params(v, semi, n, problems, "Content-Type");
                    }
                }
                default -> {
                }
            }
            for (String problem : problems) {
                issues.add(new SipIssue(SipAnomaly.SIP_HEADER_INVALID, name + ": " + problem, h.value()));
            }
            disagree(issues, disagreements, h.value());
        }
        return fatal;
    }

    private static SipCSeq cseq(Value v, List<String> problems) {
        int n = v.length();
        int d = 0;
        while (d < n && v.at(d) >= '0' && v.at(d) <= '9') d++;
        int ms = Grammar.skipLws(v, d, n);
        int me = ms;
        while (me < n && Grammar.tokenChar(v.at(me))) me++;
        long seq = Grammar.digitsValue(v.text(0, d), 10);
        if (d == 0 || ms == d || me == ms || me != n || seq < 0 || seq > 0xffffffffL) {
            problems.add("CSeq '" + v.text() + "' is not '<number below 2^32> <method>'");
            if (d == 0 || me == ms) return null;
        }
        return new SipCSeq(v.span(0, n), v.span(0, d), seq, v.span(ms, me));
    }

    private static void disagree(List<SipIssue> issues, List<String> disagreements, Span where) {
        for (String d : disagreements) issues.add(new SipIssue(SipAnomaly.SIP_PARSER_DISAGREEMENT, d, where));
    }

    // ---- byte helpers

    static Span span(byte[] p, int a, int b) {
        return new Span(a, b, new String(p, a, b - a, StandardCharsets.UTF_8));
    }

    static int indexOf(byte[] p, int from, int end, byte c) {
        for (int i = from; i < end; i++) if (p[i] == c) return i;
        return -1;
    }

    /** End of the line starting at {@code s}, without its CR/LF (or {@code end}). */
    static int lineEnd(byte[] p, int s, int end) {
        int lf = indexOf(p, s, end, (byte) '\n');
        if (lf < 0) return end;
        return lf > s && p[lf - 1] == '\r' ? lf - 1 : lf;
    }

    private static int nextLine(byte[] p, int lineEnd, int end) {
        int lf = indexOf(p, lineEnd, end, (byte) '\n');
        return lf < 0 ? end : lf + 1;
    }

    static int skipCrLf(byte[] p, int i, int end) {
        while (i < end && (p[i] == '\r' || p[i] == '\n')) i++;
        return i;
    }

    private static int trimEnd(byte[] p, int s, int e) {
        while (e > s && (p[e - 1] == ' ' || p[e - 1] == '\t')) e--;
        return e;
    }
}
