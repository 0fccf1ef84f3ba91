package dev.natrecon.alg.sip;

import dev.natrecon.decode.Addresses;

/**
 * The Linux SIP helper's own reading of SIP and SDP text (nf_conntrack_sip.c: ct_sip_parse_request,
 * ct_sip_get_header, ct_sip_parse_header_uri, ct_sip_parse_*_param, ct_sip_get_sdp_header), rewritten in Java to
 * find the same fields at the same offsets, including its quirks: headers are found only at the start of a line
 * after the first; a header name that is followed by anything but optional whitespace and a colon ends the search;
 * compact forms must be followed by a non-letter; continuation lines are followed; addresses must be IP literals; an
 * explicit port outside 1024–65535 is an error. This is deliberately not a SIP parser ({@code decode.sip} is): it is
 * the kernel's, for predicting what the kernel does.
 *
 * <p>All offsets are into {@link #b} from 0; {@link #len} is the message's length. Results come back in
 * {@link #matchOff}, {@link #matchLen}, {@link #addrHi}/{@link #addrLo}, {@link #port} and {@link #end}.
 */
final class KernelSipText {
    /** Header kinds of ct_sip_hdrs[]. */
    enum Header {
        CSEQ("CSeq", null, null, Len.DIGITS),
        FROM("From", "f", "sip:", Len.SKP_EPADDR),
        TO("To", "t", "sip:", Len.SKP_EPADDR),
        CONTACT("Contact", "m", "sip:", Len.SKP_EPADDR),
        VIA_UDP("Via", "v", "UDP ", Len.EPADDR),
        VIA_TCP("Via", "v", "TCP ", Len.EPADDR),
        EXPIRES("Expires", null, null, Len.DIGITS),
        CONTENT_LENGTH("Content-Length", "l", null, Len.DIGITS),
        CALL_ID("Call-Id", "i", null, Len.CALLID);

        final String name, compact, search;
        final Len len;

        Header(String name, String compact, String search, Len len) {
            this.name = name;
            this.compact = compact;
            this.search = search;
            this.len = len;
        }
    }

    /** SDP header kinds of ct_sdp_hdrs_v4/v6. */
    enum Sdp {
        VERSION("v="), OWNER("o="), CONNECTION("c="), MEDIA("m="), UNSPEC(null);

        final String name;

        Sdp(String name) {
            this.name = name;
        }
    }

    private enum Len {
        DIGITS, SKP_EPADDR, EPADDR, CALLID, SDP_ADDR, MEDIA
    }

    byte[] b;
    int len;
    final boolean v6;
    int matchOff, matchLen, end, port;
    long addrHi, addrLo;
    private int shift;

    KernelSipText(byte[] b, int len, boolean v6) {
        this.b = b;
        this.len = len;
        this.v6 = v6;
    }

    private byte at(int i) {
        return i < len ? b[i] : 0;
    }

    private static boolean isAlpha(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** ASCII lower case (strncasecmp's tolower in the C locale). */
    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    private boolean startsWithIgnoreCase(int pos, int limit, String s) {
        if (limit - pos < s.length()) return false;
        for (int i = 0; i < s.length(); i++) {
            int c = b[pos + i], d = s.charAt(i);
            if (c != d && lower(c) != lower(d)) return false;
        }
        return true;
    }

    private boolean startsWith(int pos, int limit, String s) {
        if (limit - pos < s.length()) return false;
        for (int i = 0; i < s.length(); i++) if (b[pos + i] != s.charAt(i)) return false;
        return true;
    }

    /** string_len: the letters at p. */
    int stringLen(int p, int limit) {
        return runLength(p, limit, false);
    }

    /** digits_len: the digits at p. */
    int digitsLen(int p, int limit) {
        return runLength(p, limit, true);
    }

    private int runLength(int p, int limit, boolean digits) {
        int i = p;
        while (i < limit && (digits ? isDigit(b[i]) : isAlpha(b[i]))) i++;
        return i - p;
    }

    /** simple_strtoul(p, &end, 10): the value of the digits at p (0 when none), {@link #end} after them. */
    long strtoul(int p, int limit) {
        long v = 0;
        int i = p;
        while (i < limit && isDigit(b[i]) && v < 1L << 40) v = v * 10 + (b[i++] - '0');
        while (i < limit && isDigit(b[i])) i++;
        end = i;
        return v & 0xffffffffL;
    }

    private static boolean isWordChar(int c) {
        return isAlpha(c) || isDigit(c) || c == '!' || c == '"' || c == '%' || c >= '(' && c <= '+' || c == ':'
                || c == '<' || c == '>' || c == '?' || c >= '[' && c <= ']' || c == '_' || c == '`' || c == '{'
                || c == '}' || c == '~' || c >= '-' && c <= '/' || c == '\'';
    }

    private int wordLen(int p, int limit) {
        int n = 0;
        while (p < limit && isWordChar(b[p])) {
            p++;
            n++;
        }
        return n;
    }

    /**
     * sip_parse_addr: an IPv4 literal (in4_pton), or an IPv6 one (in6_pton) in brackets when {@code delim}; sets
     * {@link #addrHi}/{@link #addrLo} and {@link #end}.
     */
    boolean parseAddr(int p, int limit, boolean delim) {
        if (!v6) return in4(p, limit);
        if (p < limit && b[p] == '[') p++;
        else if (delim) return false;
        if (!in6(p, limit)) return false;
        if (end < limit && b[end] == ']') end++;
        else if (delim) return false;
        return true;
    }

    /** in4_pton with no delimiter: four decimal octets, each at most 255, stopping at the first other character. */
    private boolean in4(int p, int limit) {
        int octets = 0, value = 0, digits = 0;
        int i = p;
        long a = 0;
        while (i < limit) {
            int c = b[i];
            if (isDigit(c)) {
                value = value * 10 + (c - '0');
                if (value > 255 || ++digits > 3) return false;
                i++;
            } else if (c == '.' && digits > 0 && octets < 3) {
                a = a << 8 | value;
                octets++;
                value = digits = 0;
                i++;
            } else {
                break;
            }
        }
        if (octets != 3 || digits == 0) return false;
        a = a << 8 | value;
        addrHi = 0;
        addrLo = Addresses.v4((int) a);
        end = i;
        return true;
    }

    /** in6_pton: hex digits, colons and an optional dotted tail. */
    private boolean in6(int p, int limit) {
        int i = p;
        while (i < limit && (isDigit(b[i]) || b[i] >= 'a' && b[i] <= 'f' || b[i] >= 'A' && b[i] <= 'F' || b[i] == ':'
                || b[i] == '.')) {
            i++;
        }
        if (i == p) return false;
        long[] a = new long[2];
        if (!Addresses.parse(new String(b, p, i - p, java.nio.charset.StandardCharsets.ISO_8859_1), a)) return false;
        addrHi = a[0];
        addrLo = a[1];
        end = i;
        return true;
    }

    /** epaddr_len: an address with an optional ":port"; its length, 0 when no address. */
    int epaddrLen(int p, int limit) {
        int start = p;
        if (!parseAddr(p, limit, true)) return 0;
        p = end;
        if (at(p) == ':') {
            p++;
            p += digitsLen(p, limit);
        }
        return p - start;
    }

    /** skp_epaddr_len: skips user info up to an '@' on the same line ({@link #shift}), then epaddr_len. */
    int skpEpaddrLen(int p, int limit) {
        int start = p, s = shift;
        while (p < limit && b[p] != '@' && b[p] != '\r' && b[p] != '\n') {
            shift++;
            p++;
        }
        if (p < limit && b[p] == '@') {
            p++;
            shift++;
        } else {
            p = start;
            shift = s;
        }
        return epaddrLen(p, limit);
    }

    private int callidLen(int p, int limit) {
        int n = wordLen(p, limit);
        p += n;
        if (n == 0 || p == limit || b[p] != '@') return n;
        p++;
        n++;
        int d = wordLen(p, limit);
        return d == 0 ? 0 : n + d;
    }

    private int mediaLen(int p, int limit) {
        int n = stringLen(p, limit);
        p += n;
        if (p >= limit || b[p] != ' ') return 0;
        return n + 1 + digitsLen(p + 1, limit);
    }

    private int sdpAddrLen(int p, int limit) {
        int start = p;
        if (!(v6 ? in6(p, limit) : in4(p, limit))) return 0;
        return end - start;
    }

    private int matchLen(Len l, int p, int limit) {
        return switch (l) {
            case DIGITS -> digitsLen(p, limit);
            case SKP_EPADDR -> skpEpaddrLen(p, limit);
            case EPADDR -> epaddrLen(p, limit);
            case CALLID -> callidLen(p, limit);
            case SDP_ADDR -> sdpAddrLen(p, limit);
            case MEDIA -> mediaLen(p, limit);
        };
    }

    /**
     * ct_sip_parse_request: the Request-URI's host[:port]; 1 found ({@link #matchOff}, {@link #matchLen}, address and
     * {@link #port}), 0 none, -1 malformed (a port outside 1024–65535, a line end before "sip:").
     */
    int parseRequest() {
        int limit = len, p = 0;
        int m = stringLen(p, limit);
        if (m == 0) return 0;
        p += m;
        if (++p >= limit) return 0;
        for (; p < limit - 4; p++) {
            if (b[p] == '\r' || b[p] == '\n') return -1;
            if (startsWithIgnoreCase(p, limit, "sip:")) {
                p += 4;
                break;
            }
        }
        shift = 0;
        if (skpEpaddrLen(p, limit) == 0) return 0;
        p += shift;
        int e = addrAndPort(p, limit);
        if (e < 0) return -1;
        if (e == p) return 0;
        matchOff = p;
        matchLen = e - p;
        return 1;
    }

    /** sip_follow_continuation: after a line end, the start of a continuation line's text, or -1. */
    private int followContinuation(int p, int limit) {
        if (++p >= limit) return -1;
        if (b[p - 1] == '\r' && b[p] == '\n') {
            if (++p >= limit) return -1;
        }
        if (b[p] != ' ' && b[p] != '\t') return -1;
        for (; p < limit; p++) if (b[p] != ' ' && b[p] != '\t') break;
        return p;
    }

    private int skipWhitespace(int p, int limit) {
        for (; p < limit; p++) {
            if (b[p] == ' ' || b[p] == '\t') continue;
            if (b[p] != '\r' && b[p] != '\n') break;
            p = followContinuation(p, limit);
            break;
        }
        return p;
    }

    /** ct_sip_header_search: case-insensitive, within a header value and its continuation lines; -1 if absent. */
    int headerSearch(int p, int limit, String needle) {
        int first = lower(needle.charAt(0));
        for (limit -= needle.length(); p < limit; p++) {
            if (b[p] == '\r' || b[p] == '\n') {
                p = followContinuation(p, limit);
                if (p < 0) break;
                continue; // as the kernel: the loop's step skips the continuation's first character
            }
            if (lower(b[p]) == first && startsWithIgnoreCase(p, limit + needle.length(), needle)) return p;
        }
        return -1;
    }

    /** ct_sip_get_header from {@code dataOff}: 1 found, 0 none, -1 found but unparsable. */
    int getHeader(int dataOff, int limit, Header h) {
        shift = 0;
        for (int p = dataOff; p < limit; p++) {
            if (b[p] != '\r' && b[p] != '\n') continue;
            if (++p >= limit) break;
            if (b[p - 1] == '\r' && b[p] == '\n') {
                if (++p >= limit) break;
            }
            if (b[p] == ' ' || b[p] == '\t') continue; // a continuation line (the loop steps past its first character)
            if (limit - p >= h.name.length() && startsWithIgnoreCase(p, limit, h.name)) {
                p += h.name.length();
            } else if (h.compact != null && limit - p >= h.compact.length() + 1 && startsWithIgnoreCase(p, limit, h.compact)
                    && !isAlpha(b[p + h.compact.length()])) {
                p += h.compact.length();
            } else {
                continue; // as the kernel, the loop's step skips the line's first character
            }
            p = skipWhitespace(p, limit);
            if (p < 0) break;
            if (p >= limit || b[p] != ':' || ++p >= limit) break;
            p = skipWhitespace(p, limit);
            if (p < 0) break;
            matchOff = p;
            if (h.search != null) {
                p = headerSearch(p, limit, h.search);
                if (p < 0) return -1;
                p += h.search.length();
            }
            matchLen = matchLen(h.len, p, limit);
            if (matchLen == 0) return -1;
            matchOff = p + shift;
            return 1;
        }
        return 0;
    }

    /** ct_sip_next_header: the next value of a comma-separated list. */
    private int nextHeader(int dataOff, int limit, Header h) {
        shift = 0;
        int p = headerSearch(dataOff, limit, ",");
        if (p < 0) return 0;
        p = headerSearch(p, limit, h.search);
        if (p < 0) return 0;
        p += h.search.length();
        matchOff = p;
        matchLen = matchLen(h.len, p, limit);
        if (matchLen == 0) return -1;
        matchOff += shift;
        return 1;
    }

    /** Walk state of ct_sip_walk_headers: inside a header's comma list. */
    boolean inHeader;

    private int walkHeaders(int dataOff, int limit, Header h, boolean track) {
        int ret;
        if (track && inHeader) {
            while (true) {
                ret = nextHeader(dataOff, limit, h);
                if (ret > 0) return ret;
                if (ret == 0) break;
                dataOff = matchOff;
            }
            inHeader = false;
        }
        while (true) {
            ret = getHeader(dataOff, limit, h);
            if (ret > 0) break;
            if (ret == 0) return ret;
            dataOff = matchOff;
        }
        if (track) inHeader = true;
        return 1;
    }

    /** Where ct_sip_parse_header_uri left off ({@code *dataoff}), for walking a header list. */
    int dataOff;

    /**
     * ct_sip_parse_header_uri: a header's URI address and port (5060 when none); 1 found, 0 none, -1 malformed.
     *
     * @param walk continue from {@link #dataOff} through comma lists and repeated headers ({@link #inHeader})
     */
    int parseHeaderUri(Header h, boolean walk) {
        int limit = len;
        int ret = walkHeaders(walk ? dataOff : 0, limit, h, walk);
        if (ret == 0) return 0;
        int c = addrAndPort(matchOff, limit);
        if (c < 0) return -1;
        if (walk) dataOff = c;
        return 1;
    }

    /**
     * The address at p (IPv6 in brackets) into {@link #addrHi}/{@link #addrLo} and the port after a ':' into
     * {@link #port} (5060 when none, as nf_conntrack_sip assumes); the offset after them, or -1 when the address does
     * not parse or the port is outside 1024–65535.
     */
    private int addrAndPort(int p, int limit) {
        if (!parseAddr(p, limit, true)) return -1;
        int e = end;
        long hi = addrHi, lo = addrLo;
        if (e < limit && b[e] == ':') {
            long pt = strtoul(e + 1, limit);
            e = end;
            if (pt < 1024 || pt > 65535) return -1;
            port = (int) pt;
        } else {
            port = 5060;
        }
        addrHi = hi;
        addrLo = lo;
        return e;
    }

    /** The end of the parameters {@link #paramValue} searched: the next comma, or the end. */
    private int paramLimit;

    /**
     * Where {@code name}'s value starts among the parameters after {@code dataOff} up to the next comma
     * ({@link #paramLimit}), or -1 when it is not there: the search the ct_sip_parse_*_param functions share.
     */
    private int paramValue(int dataOff, String name) {
        int limit = headerSearch(dataOff, len, ",");
        paramLimit = limit < 0 ? len : limit;
        int start = headerSearch(dataOff, paramLimit, name);
        return start < 0 ? -1 : start + name.length();
    }

    /** ct_sip_parse_param: a "name=value" parameter after {@code dataOff}, up to the next comma; 1 found. */
    int parseParam(int dataOff, String name) {
        int start = paramValue(dataOff, name);
        if (start < 0) return 0;
        int limit = paramLimit;
        int e = headerSearch(start, limit, ";");
        if (e < 0) e = limit;
        matchOff = start;
        matchLen = e - start;
        return 1;
    }

    /** ct_sip_parse_address_param: an address parameter ("maddr=", "received="); 1 found. */
    int parseAddressParam(int dataOff, String name, boolean delim) {
        int start = paramValue(dataOff, name);
        if (start < 0) return 0;
        if (!parseAddr(start, paramLimit, delim)) return 0;
        matchOff = start;
        matchLen = end - start;
        return 1;
    }

    /** The value ct_sip_parse_numerical_param found. */
    long value;

    /** ct_sip_parse_numerical_param: 1 found ({@link #value}), 0 absent, -1 not a number. */
    int parseNumericalParam(int dataOff, String name) {
        int start = paramValue(dataOff, name);
        if (start < 0) return 0;
        value = strtoul(start, len);
        if (start == end) return -1;
        matchOff = start;
        matchLen = end - start;
        return 1;
    }

    /**
     * ct_sip_parse_transport: the URI's transport= (UDP or TCP, which must be the entry's), or the entry's own
     * protocol without one; -1 when it does not fit (the caller skips that Contact).
     */
    int parseTransport(int dataOff, int entryProtocol) {
        if (parseParam(dataOff, "transport=") == 1) {
            int proto;
            if (startsWithIgnoreCase(matchOff, len, "TCP")) proto = 6;
            else if (startsWithIgnoreCase(matchOff, len, "UDP")) proto = 17;
            else return -1;
            return proto != entryProtocol ? -1 : proto;
        }
        return entryProtocol;
    }

    /**
     * ct_sip_get_sdp_header: a line starting with {@code type}'s name (case-insensitive) after {@code dataOff},
     * stopping at a line starting with {@code term}; o= and c= must hold "IN IP4 " (or IP6, case-sensitive) on the
     * same line. 1 found, 0 none, -1 unparsable.
     */
    int getSdpHeader(int dataOff, Sdp type, Sdp term) {
        shift = 0;
        int limit = len;
        String search = type == Sdp.OWNER || type == Sdp.CONNECTION ? (v6 ? "IN IP6 " : "IN IP4 ") : null;
        Len l = switch (type) {
            case VERSION -> Len.DIGITS;
            case MEDIA -> Len.MEDIA;
            default -> Len.SDP_ADDR;
        };
        for (int p = dataOff; p < limit; p++) {
            if (b[p] != '\r' && b[p] != '\n') continue;
            if (++p >= limit) break;
            if (b[p - 1] == '\r' && b[p] == '\n') {
                if (++p >= limit) break;
            }
            if (term != Sdp.UNSPEC && limit - p >= term.name.length() && startsWithIgnoreCase(p, limit, term.name)) break;
            if (limit - p >= type.name.length() && startsWithIgnoreCase(p, limit, type.name)) {
                p += type.name.length();
            } else {
                continue;
            }
            matchOff = p;
            if (search != null) {
                int q = sdpSearch(p, limit, search);
                if (q < 0) return -1;
                p = q + search.length();
            }
            matchLen = matchLen(l, p, limit);
            if (matchLen == 0) return -1;
            matchOff = p + shift;
            return 1;
        }
        return 0;
    }

    /** ct_sdp_header_search: case-sensitive, on the rest of the line only. */
    private int sdpSearch(int p, int limit, String needle) {
        for (int lim = limit - needle.length(); p < lim; p++) {
            if (b[p] == '\r' || b[p] == '\n') break;
            if (startsWith(p, limit, needle)) return p;
        }
        return -1;
    }

    /** ct_sip_parse_sdp_addr: the address of an o=/c= line; 1 found, 0 none, -1 unparsable. */
    int parseSdpAddr(int dataOff, Sdp type, Sdp term) {
        int ret = getSdpHeader(dataOff, type, term);
        if (ret <= 0) return ret;
        int off = matchOff, l = matchLen;
        int saveLen = len;
        len = off + l; // the address must fill the match
        boolean ok = v6 ? in6(off, off + l) : in4(off, off + l);
        len = saveLen;
        if (!ok) return -1;
        matchOff = off;
        matchLen = l;
        return 1;
    }

    boolean startsWithAt(int p, String s) {
        return startsWithIgnoreCase(p, len, s);
    }

    boolean startsWithCaseSensitive(int p, String s) {
        return startsWith(p, len, s);
    }

    /**
     * mangle_packet: replaces {@code [off, off+n)} with {@code text} (ASCII), growing or shrinking the message.
     */
    void replace(int off, int n, String text) {
        byte[] r = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] nb = new byte[len - n + r.length];
        System.arraycopy(b, 0, nb, 0, off);
        System.arraycopy(r, 0, nb, off, r.length);
        System.arraycopy(b, off + n, nb, off + r.length, len - off - n);
        b = nb;
        len = nb.length;
    }
}
