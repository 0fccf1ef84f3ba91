package dev.natrecon.decode.sip;

import java.util.ArrayList;
import java.util.List;

/**
 * natrecon's own scan of header values for positions: where each URI, host, port and parameter sits in the payload.
 * It is tolerant (never throws, records problems as sentences) because jain-sip decides what is grammatical; this
 * class only has to find things, and {@link JainSip#crossCheck} compares what both read.
 */
final class Grammar {
    private Grammar() {
    }

    static boolean lws(char c) {
        return c == ' ' || c == '\t';
    }

    static boolean tokenChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-.!%*_+`'~".indexOf(c) >= 0;
    }

    static int skipLws(Value v, int i, int e) {
        while (i < e && lws(v.at(i))) i++;
        return i;
    }

    static int trimEnd(Value v, int s, int e) {
        while (e > s && lws(v.at(e - 1))) e--;
        return e;
    }

    /** End of a quoted string starting at {@code i} (the opening quote): index after the closing quote, or e. */
    static int endOfQuoted(Value v, int i, int e) {
        for (int k = i + 1; k < e; k++) {
            char c = v.at(k);
            if (c == '\\') k++;
            else if (c == '"') return k + 1;
        }
        return e;
    }

    /** Splits {@code [s, e)} at commas outside quotes and angle brackets; elements are trimmed, empty ones dropped. */
    static List<int[]> splitList(Value v, int s, int e) {
        List<int[]> out = new ArrayList<>();
        int start = s;
        boolean angle = false;
        for (int i = s; i <= e; i++) {
            if (i < e) {
                char c = v.at(i);
                if (c == '"' && !angle) {
                    i = endOfQuoted(v, i, e) - 1;
                    continue;
                }
                if (c == '<') angle = true;
                else if (c == '>') angle = false;
                if (c != ',' || angle) continue;
            }
            int a = skipLws(v, start, i), b = trimEnd(v, a, i);
            if (b > a) out.add(new int[] {a, b});
            start = i + 1;
        }
        return out;
    }

    /** Parameters from {@code i} (at a ';') up to {@code e}; text that is not a parameter is skipped and reported. */
    static List<SipParam> params(Value v, int i, int e, List<String> problems, String what) {
        List<SipParam> out = new ArrayList<>();
        while (i < e && v.at(i) == ';') {
            i = skipLws(v, i + 1, e);
            int ns = i;
            while (i < e && tokenChar(v.at(i))) i++;
            int ne = i;
            if (ne == ns) problems.add("empty parameter name in " + what);
            i = skipLws(v, i, e);
            Span value = null;
            if (i < e && v.at(i) == '=') {
                i = skipLws(v, i + 1, e);
                int vs = i;
                if (i < e && v.at(i) == '"') {
                    i = endOfQuoted(v, i, e);
                } else if (i < e && v.at(i) == '[') {
                    while (i < e && v.at(i) != ']') i++;
                    if (i < e) i++;
                } else {
                    while (i < e && v.at(i) != ';' && !lws(v.at(i))) i++;
                }
                value = v.span(vs, i);
                i = skipLws(v, i, e);
            }
            if (ne > ns || value != null) {
                SipParam param = new SipParam(v.span(ns, ne), value);
                if (ne > ns && SipParam.find(out, param.nameText()) != null) {
                    problems.add("parameter '" + param.nameText() + "' appears twice in " + what + "; the first is used");
                }
                out.add(param);
            }
            if (i < e && v.at(i) != ';') {
                problems.add("unexpected '" + v.at(i) + "' after a parameter in " + what);
                while (i < e && v.at(i) != ';') i++;
            }
        }
        return out;
    }

    /** Host at {@code i}: a bracketed IPv6 reference, or a run of host characters. Returns {start, end}. */
    private static int[] host(Value v, int i, int e, String stops, List<String> problems, String what) {
        if (i < e && v.at(i) == '[') {
            int k = i;
            while (k < e && v.at(k) != ']') k++;
            if (k == e) {
                problems.add("unclosed '[' in " + what);
                return new int[] {i, e};
            }
            return new int[] {i, k + 1};
        }
        int k = i, colons = 0;
        while (k < e && stops.indexOf(v.at(k)) < 0 && !lws(v.at(k))) k++;
        // Bare IPv6 (no brackets): take everything up to ';' as host so the port is not misread.
        int m = k;
        while (m < e && v.at(m) != ';' && v.at(m) != '?' && v.at(m) != '>' && !lws(v.at(m))) {
            if (v.at(m) == ':') colons++;
            m++;
        }
        if (colons >= 2) {
            problems.add("IPv6 address without brackets in " + what);
            return new int[] {i, m};
        }
        if (k == i) problems.add("empty host in " + what);
        return new int[] {i, k};
    }

    /** Port digits after a ':' at {@code i}; returns the end of the digits. */
    private static int digits(Value v, int i, int e) {
        while (i < e && v.at(i) >= '0' && v.at(i) <= '9') i++;
        return i;
    }

    private static void checkPort(Span port, List<String> problems, String what) {
        if (port != null && portValue(port) < 0) problems.add("port '" + port.text() + "' out of range in " + what);
    }

    /** A URI in {@code [s, e)}. */
    static SipUri uri(Value v, int s, int e, List<String> problems) {
        Span text = v.span(s, e);
        int colon = s;
        while (colon < e && v.at(colon) != ':') colon++;
        if (colon == e || colon == s) {
            problems.add("URI '" + text.text() + "' has no scheme");
            return new SipUri(text, "", null, null, null, List.of());
        }
        String scheme = v.text(s, colon).toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("sip") && !scheme.equals("sips")) return new SipUri(text, scheme, null, null, null, List.of());
        int q = colon + 1;
        while (q < e && v.at(q) != '?') q++;
        int at = -1;
        for (int k = colon + 1; k < q; k++) if (v.at(k) == '@') at = k;
        Span user = at < 0 ? null : v.span(colon + 1, at);
        int hs = at < 0 ? colon + 1 : at + 1;
        String what = "URI '" + text.text() + "'";
        int[] h = host(v, hs, q, ":;?", problems, what);
        int i = h[1];
        Span port = null;
        if (i < q && v.at(i) == ':') {
            int d = digits(v, i + 1, q);
            port = v.span(i + 1, d);
            i = d;
            checkPort(port, problems, what);
        }
        List<SipParam> params = List.of();
        if (i < q && v.at(i) == ';') {
            int stop = q;
            params = params(v, i, stop, problems, what);
            i = stop;
        }
        if (i < q) problems.add("unexpected text '" + v.text(i, q) + "' in " + what);
        return new SipUri(text, scheme, user, v.span(h[0], h[1]), port, params);
    }

    /** A name-addr or addr-spec with header parameters in {@code [s, e)} (already trimmed). */
    static SipAddress address(int header, Value v, int s, int e, boolean wildcardAllowed, List<String> problems) {
        Span text = v.span(s, e);
        if (wildcardAllowed && e - s == 1 && v.at(s) == '*') return new SipAddress(header, text, null, null, true, List.of());
        int lt = -1;
        for (int i = s; i < e; i++) {
            char c = v.at(i);
            if (c == '"') i = endOfQuoted(v, i, e) - 1;
            else if (c == '<') {
                lt = i;
                break;
            }
        }
        if (lt >= 0) {
            int dnEnd = trimEnd(v, s, lt);
            Span display = dnEnd > s ? v.span(s, dnEnd) : null;
            int gt = lt + 1;
            while (gt < e && v.at(gt) != '>') gt++;
            if (gt == e) problems.add("missing '>' in '" + text.text() + "'");
            SipUri uri = uri(v, lt + 1, gt, problems);
            int i = skipLws(v, Math.min(gt + 1, e), e);
            List<SipParam> params = List.of();
            if (i < e && v.at(i) == ';') params = params(v, i, e, problems, "'" + text.text() + "'");
            else if (i < e) problems.add("unexpected text after '>' in '" + text.text() + "'");
            return new SipAddress(header, text, display, uri, false, params);
        }
        int semi = s;
        while (semi < e && v.at(semi) != ';') semi++;
        SipUri uri = uri(v, s, trimEnd(v, s, semi), problems);
        List<SipParam> params = semi < e ? params(v, semi, e, problems, "'" + text.text() + "'") : List.of();
        return new SipAddress(header, text, null, uri, false, params);
    }

    /** One Via value in {@code [s, e)}. */
    static SipVia via(int header, Value v, int s, int e, List<String> problems) {
        Span text = v.span(s, e);
        String what = "Via '" + text.text() + "'";
        int i = s;
        int transportStart = -1, transportEnd = -1;
        boolean ok = true;
        for (int part = 0; part < 3 && ok; part++) {
            if (part > 0) {
                i = skipLws(v, i, e);
                if (i < e && v.at(i) == '/') i = skipLws(v, i + 1, e);
                else ok = false;
            }
            int ts = i;
            while (i < e && tokenChar(v.at(i))) i++;
            if (i == ts) ok = false;
            if (part == 2) {
                transportStart = ts;
                transportEnd = i;
            }
        }
        if (!ok) {
            problems.add("bad sent-protocol in " + what);
            return new SipVia(header, text, v.span(s, i), "", null, null, List.of());
        }
        Span protocol = v.span(s, transportEnd);
        String transport = v.text(transportStart, transportEnd);
        i = skipLws(v, i, e);
        int[] h = host(v, i, e, ":;", problems, what);
        i = skipLws(v, h[1], e);
        Span port = null;
        if (i < e && v.at(i) == ':') {
            int ps = skipLws(v, i + 1, e);
            int d = digits(v, ps, e);
            port = v.span(ps, d);
            checkPort(port, problems, what);
            i = skipLws(v, d, e);
        }
        List<SipParam> params = List.of();
        if (i < e && v.at(i) == ';') params = params(v, i, e, problems, what);
        else if (i < e) problems.add("unexpected text '" + v.text(i, e) + "' in " + what);
        SipParam rport = SipParam.find(params, "rport");
        if (rport != null && rport.value() != null && !rport.value().text().isEmpty()) checkPort(rport.value(), problems, what);
        return new SipVia(header, text, protocol, transport, v.span(h[0], h[1]), port, params);
    }

    /** Port number of a span of digits, or -1 (absent, empty, not digits, above 65535). */
    static int portValue(Span port) {
        if (port == null) return -1;
        String t = port.text();
        if (t.isEmpty() || t.length() > 5) return -1;
        int n = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') return -1;
            n = n * 10 + (c - '0');
        }
        return n <= 65535 ? n : -1;
    }

    /** delta-seconds of a span (at most 10 digits), or -1. */
    static long deltaSeconds(Span s) {
        if (s == null) return -1;
        return digitsValue(s.text(), 10);
    }

    /** Value of a string of 1 to {@code maxDigits} ASCII digits, or -1. */
    static long digitsValue(String t, int maxDigits) {
        if (t.isEmpty() || t.length() > maxDigits) return -1;
        long n = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') return -1;
            n = n * 10 + (c - '0');
        }
        return n;
    }

    static String unbracket(String host) {
        if (host.length() >= 2 && host.charAt(0) == '[' && host.charAt(host.length() - 1) == ']') {
            return host.substring(1, host.length() - 1);
        }
        return host;
    }
}
