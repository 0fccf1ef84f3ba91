package dev.natrecon.correlate;

import dev.natrecon.decode.sip.SipFraming;

/**
 * Byte-level scan of a SIP message's start line and the few headers that survive an ALG unchanged, without building
 * Strings: Call-ID (or compact {@code i}), CSeq, and the branch parameter of the first Via (compact {@code v}).
 * This is deliberately not a SIP parser (that is {@code decode.sip}); it only has to say "same message" cheaply.
 */
final class SipKey {
    private SipKey() {
    }

    /** Key of the SIP message at {@code b[off, off+len)}, or 0 if it does not start like SIP. */
    static long of(byte[] b, int off, int len) {
        // Every SIP start line begins with an upper-case method or "SIP/2.0"; RTP and most else fail here at once.
        if (len < 11 || b[off] < 'A' || b[off] > 'Z') return 0;
        int end = off + len;
        int lineEnd = indexOfCrlf(b, off, end);
        if (lineEnd < 0) return 0;
        long start;
        if (startsWith(b, off, end, "SIP/2.0 ")) {
            if (lineEnd - off < 11) return 0;
            start = 0x1000 + (b[off + 8] - '0') * 100 + (b[off + 9] - '0') * 10 + (b[off + 10] - '0');
        } else {
            int sp = off;
            while (sp < lineEnd && b[sp] >= 'A' && b[sp] <= 'Z') sp++;
            if (sp == off || sp >= lineEnd || b[sp] != ' ' || !endsWith(b, off, lineEnd, " SIP/2.0")) return 0;
            start = MatchKeys.digest(b, off, sp - off);
        }
        long callId = 0, cseq = 0, branch = 0;
        boolean viaSeen = false;
        int p = lineEnd + 2;
        while (p < end) {
            int e = indexOfCrlf(b, p, end);
            if (e < 0) e = end;
            if (e == p) break; // blank line: end of headers
            int colon = p;
            while (colon < e && b[colon] != ':') colon++;
            if (colon < e) {
                int nameEnd = colon;
                while (nameEnd > p && (b[nameEnd - 1] == ' ' || b[nameEnd - 1] == '\t')) nameEnd--;
                int v = colon + 1;
                while (v < e && (b[v] == ' ' || b[v] == '\t')) v++;
                if (SipFraming.nameIs(b, p, nameEnd, "call-id") || SipFraming.nameIs(b, p, nameEnd, "i")) {
                    callId = MatchKeys.digest(b, v, trimEnd(b, v, e) - v);
                } else if (SipFraming.nameIs(b, p, nameEnd, "cseq")) {
                    cseq = MatchKeys.digest(b, v, trimEnd(b, v, e) - v);
                } else if (!viaSeen && (SipFraming.nameIs(b, p, nameEnd, "via") || SipFraming.nameIs(b, p, nameEnd, "v"))) {
                    viaSeen = true;
                    int br = indexOfIgnoreCase(b, v, e, ";branch=");
                    if (br >= 0) {
                        int s = br + 8, t = s;
                        while (t < e && b[t] != ';' && b[t] != ',' && b[t] != ' ' && b[t] != '\t') t++;
                        branch = MatchKeys.digest(b, s, t - s);
                    }
                }
            }
            p = e + 2;
        }
        if (callId == 0 && cseq == 0) return 0;
        return MatchKeys.mix(MatchKeys.mix(start ^ callId) ^ Long.rotateLeft(cseq, 17) ^ Long.rotateLeft(branch, 31)) | 1;
    }

    private static int trimEnd(byte[] b, int s, int e) {
        while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) e--;
        return e;
    }

    private static int indexOfCrlf(byte[] b, int from, int end) {
        for (int i = from; i + 1 < end; i++) if (b[i] == '\r' && b[i + 1] == '\n') return i;
        return -1;
    }

    private static boolean startsWith(byte[] b, int off, int end, String s) {
        if (end - off < s.length()) return false;
        for (int i = 0; i < s.length(); i++) if (b[off + i] != s.charAt(i)) return false;
        return true;
    }

    private static boolean endsWith(byte[] b, int off, int end, String s) {
        if (end - off < s.length()) return false;
        int o = end - s.length();
        for (int i = 0; i < s.length(); i++) if (b[o + i] != s.charAt(i)) return false;
        return true;
    }

    private static int indexOfIgnoreCase(byte[] b, int s, int e, String lower) {
        outer:
        for (int i = s; i + lower.length() <= e; i++) {
            for (int j = 0; j < lower.length(); j++) {
                int c = b[i + j];
                if (c >= 'A' && c <= 'Z') c += 32;
                if (c != lower.charAt(j)) continue outer;
            }
            return i;
        }
        return -1;
    }
}
