package dev.natrecon.decode.sip;

import static dev.natrecon.decode.Ascii.alnum;
import static dev.natrecon.decode.Ascii.digit;

import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.Ascii;

/**
 * The plain subset of SIP text on which natrecon's grammar and jain-sip-ri are known to read the same: a start line or
 * header value inside it is accepted by jain-sip, and jain-sip's reading of it agrees with natrecon's in every field
 * {@link JainSip} cross-checks, so {@link SipParser} does not hand it to jain-sip (whose header-by-header parse was
 * the larger part of a message's parse). Anything outside it goes to jain-sip as before (for a header nothing
 * cross-checks, through a verdict remembered by value, {@link JainSip#verdict}): other headers, other
 * transports and schemes, IPv6 hosts, quoted strings with escapes, folded or odd whitespace, parameters jain-sip
 * validates (ttl, maddr, q, expires other than digits), several values where one is plain.
 *
 * <p>The subset is deliberately narrow and checked, not assumed: {@code PlainSipTest} runs both paths (every value
 * through jain-sip, and this shortcut) over every SIP message of the samples and of the test cases, the fuzz corpus
 * and generated edge cases, and requires the same issues, byte for byte. A value is plain when it is short (at most
 * {@link #MAX} chars) printable ASCII written as below, with single spaces only where shown:
 * <ul>
 * <li>Call-ID: {@code word} or {@code word@word}, word chars being letters, digits and {@code -._!~*+};</li>
 * <li>CSeq: 1-9 digits, one space, an upper-case method; Content-Length and Expires: 1-9 digits; Max-Forwards: a
 * number 0..255; digits without a leading zero;</li>
 * <li>Via: one {@code SIP/2.0/UDP|TCP|TLS host[:port]} with parameters among branch (a word), rport (empty or a port),
 * received (an IPv4 address), each at most once;</li>
 * <li>From, To, Contact: one {@code ["display" ]<uri>} (the display of word chars and spaces) with
 * {@code name=word} parameters after it, each name once (a Contact's expires as digits, no q); Route and Record-Route: {@code <uri>} elements separated by a comma and optional space, nothing after them;
 * the uri {@code sip:[user@]host[:port]} with word parameters other than ttl, maddr and method;</li>
 * <li>Content-Type: {@code application/sdp};</li>
 * <li>request line {@code METHOD uri SIP/2.0} with the uri as above; status line {@code SIP/2.0 ddd reason}.</li>
 * </ul>
 * Hosts are IPv4 dotted quads (each part 0..255, no leading zero) or names of letter/digit/hyphen labels whose last
 * label starts with a letter; ports 1..65535 without a leading zero.
 */
final class PlainSip {
    /** Longer values go to jain-sip (no real header needs more to be plain). */
    static final int MAX = 256;

    private PlainSip() {
    }

    /** Whether the value {@code v} of header {@code name} (canonical) is plain for that header. */
    static boolean header(String name, String v) {
        return switch (name) {
            case SipHeaderNames.CALL_ID -> ascii(v) && callId(v);
            case SipHeaderNames.CSEQ -> ascii(v) && cseq(v);
            case SipHeaderNames.CONTENT_LENGTH, SipHeaderNames.EXPIRES -> ascii(v) && number(v, 0, v.length(), 9) >= 0;
            case SipHeaderNames.MAX_FORWARDS -> {
                long n = ascii(v) ? number(v, 0, v.length(), 3) : -1;
                yield n >= 0 && n <= 255;
            }
            case SipHeaderNames.VIA -> ascii(v) && via(v);
            case SipHeaderNames.FROM, SipHeaderNames.TO -> ascii(v) && address(v, 0, false) == v.length();
            case SipHeaderNames.CONTACT -> ascii(v) && address(v, 0, true) == v.length();
            case SipHeaderNames.ROUTE, SipHeaderNames.RECORD_ROUTE -> ascii(v) && routes(v);
            case SipHeaderNames.CONTENT_TYPE -> v.equals("application/sdp");
            default -> false;
        };
    }

    /** Whether a request line is plain: {@code METHOD uri SIP/2.0}. */
    static boolean requestLine(String line) {
        if (!ascii(line) || !line.endsWith(" SIP/2.0")) return false;
        int sp = line.indexOf(' ');
        if (sp <= 0 || !upper(line, 0, sp)) return false;
        return uri(line, sp + 1) == line.length() - " SIP/2.0".length();
    }

    /** Whether a status line is plain: {@code SIP/2.0 ddd reason}, the reason printable ASCII (may be empty). */
    static boolean statusLine(String line) {
        if (!ascii(line) || line.length() < 12 || !line.startsWith("SIP/2.0 ") || line.charAt(11) != ' ') return false;
        for (int i = 8; i < 11; i++) if (!digit(line.charAt(i))) return false;
        if (line.charAt(8) == '0') return false;
        for (int i = 12; i < line.length(); i++) if (line.charAt(i) < 0x20) return false;
        return line.length() == 12 || line.charAt(12) != ' ' && line.charAt(line.length() - 1) != ' ';
    }

    // ---- pieces; each returns the index after what it read, or -1

    private static boolean ascii(String v) {
        int n = v.length();
        return n != 0 && n <= MAX && Ascii.printable(v);
    }

    private static boolean wordChar(char c) {
        return alnum(c) || c == '-' || c == '.' || c == '_' || c == '!' || c == '~' || c == '*' || c == '+';
    }

    private static boolean upper(String v, int s, int e) {
        if (e <= s) return false;
        for (int i = s; i < e; i++) if (v.charAt(i) < 'A' || v.charAt(i) > 'Z') return false;
        return true;
    }

    private static int word(String v, int i) {
        int s = i;
        while (i < v.length() && wordChar(v.charAt(i))) i++;
        return i > s ? i : -1;
    }

    /** Digits from {@code s} to {@code e} (1..max of them, no leading zero), or -1. */
    private static long number(String v, int s, int e, int max) {
        if (e <= s || e - s > max || v.charAt(s) == '0' && e - s > 1) return -1;
        long n = 0;
        for (int i = s; i < e; i++) {
            char c = v.charAt(i);
            if (!digit(c)) return -1;
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static int digitsEnd(String v, int i) {
        while (i < v.length() && digit(v.charAt(i))) i++;
        return i;
    }

    private static boolean callId(String v) {
        int i = word(v, 0);
        if (i == v.length()) return true;
        if (i < 0 || v.charAt(i) != '@') return false;
        return word(v, i + 1) == v.length();
    }

    private static boolean cseq(String v) {
        int sp = v.indexOf(' ');
        return sp > 0 && number(v, 0, sp, 9) >= 0 && upper(v, sp + 1, v.length());
    }

    /** An IPv4 dotted quad (parts 0..255, no leading zero, {@link Addresses#plainV4}) not run on into a name, or -1. */
    private static int ipv4(String v, int i) {
        int e = i;
        while (e < v.length() && (digit(v.charAt(e)) || v.charAt(e) == '.')) e++;
        if (Addresses.plainV4(v, i, e) < 0) return -1;
        return e < v.length() && (alnum(v.charAt(e)) || v.charAt(e) == '-') ? -1 : e;
    }

    /** An IPv4 address or a host name whose last label starts with a letter, or -1. */
    private static int host(String v, int i) {
        int e = ipv4(v, i);
        if (e >= 0) return e;
        boolean letterFirst = false;
        while (true) {
            int s = i;
            while (i < v.length() && (alnum(v.charAt(i)) || v.charAt(i) == '-')) i++;
            if (i == s || v.charAt(s) == '-' || v.charAt(i - 1) == '-') return -1;
            letterFirst = !digit(v.charAt(s));
            if (i < v.length() && v.charAt(i) == '.') {
                i++;
                continue;
            }
            return letterFirst ? i : -1;
        }
    }

    /** {@code host[:port]}, or -1. */
    private static int hostPort(String v, int i) {
        i = host(v, i);
        if (i < 0 || i >= v.length() || v.charAt(i) != ':') return i;
        int e = digitsEnd(v, i + 1);
        long port = number(v, i + 1, e, 5);
        return port >= 1 && port <= 65535 ? e : -1;
    }

    /** {@code sip:[user@]host[:port]} with word parameters (not ttl, maddr, method), or -1. */
    private static int uri(String v, int i) {
        if (!v.startsWith("sip:", i)) return -1;
        i += 4;
        int u = word(v, i);
        if (u > 0 && u < v.length() && v.charAt(u) == '@') i = u + 1;
        i = hostPort(v, i);
        while (i > 0 && i < v.length() && v.charAt(i) == ';') {
            int n = word(v, i + 1);
            if (n < 0) return -1;
            String name = v.substring(i + 1, n);
            if (name.equalsIgnoreCase("ttl") || name.equalsIgnoreCase("maddr") || name.equalsIgnoreCase("method")) return -1;
            i = n;
            if (i < v.length() && v.charAt(i) == '=') i = word(v, i + 1);
        }
        return i;
    }

    /** {@code ["display" ]<uri>} and header parameters; for a Contact, expires only as digits; or -1. */
    private static int address(String v, int i, boolean contact) {
        if (i < v.length() && v.charAt(i) == '"') {
            int q = i + 1;
            while (q < v.length() && (wordChar(v.charAt(q)) || v.charAt(q) == ' ')) q++;
            if (q == i + 1 || q >= v.length() || v.charAt(q) != '"') return -1;
            if (q + 2 >= v.length() || v.charAt(q + 1) != ' ' || v.charAt(q + 2) != '<') return -1;
            i = q + 2;
        }
        if (i >= v.length() || v.charAt(i) != '<') return -1;
        i = uri(v, i + 1);
        if (i < 0 || i >= v.length() || v.charAt(i) != '>') return -1;
        i++;
        java.util.Set<String> seen = new java.util.HashSet<>(4);
        while (i < v.length() && v.charAt(i) == ';') {
            int n = word(v, i + 1);
            if (n < 0) return -1;
            String name = v.substring(i + 1, n).toLowerCase(java.util.Locale.ROOT);
            if (!seen.add(name) || contact && name.equals("q")) return -1;
            i = n;
            if (i < v.length() && v.charAt(i) == '=') {
                int e = word(v, i + 1);
                if (e < 0 || contact && name.equals("expires") && number(v, i + 1, e, 9) < 0) return -1;
                i = e;
            } else {
                return -1; // jain-sip reads a parameter without a value as "" (a tag: a disagreement), natrecon as null
            }
        }
        return i;
    }

    private static boolean routes(String v) {
        int i = 0;
        while (true) {
            if (i >= v.length() || v.charAt(i) != '<') return false;
            i = uri(v, i + 1);
            if (i < 0 || i >= v.length() || v.charAt(i) != '>') return false;
            i++;
            if (i == v.length()) return true;
            if (v.charAt(i) != ',') return false;
            i++;
            if (i < v.length() && v.charAt(i) == ' ') i++;
        }
    }

    private static boolean via(String v) {
        int i;
        if (v.startsWith("SIP/2.0/UDP ") || v.startsWith("SIP/2.0/TCP ") || v.startsWith("SIP/2.0/TLS ")) i = 12;
        else return false;
        i = hostPort(v, i);
        boolean branch = false, rport = false, received = false;
        while (i > 0 && i < v.length() && v.charAt(i) == ';') {
            int n = word(v, i + 1);
            if (n < 0) return false;
            String name = v.substring(i + 1, n);
            boolean value = n < v.length() && v.charAt(n) == '=';
            switch (name) {
                case "branch" -> {
                    if (branch || !value) return false;
                    branch = true;
                    i = word(v, n + 1);
                }
                case "rport" -> {
                    if (rport) return false;
                    rport = true;
                    if (value) {
                        int e = digitsEnd(v, n + 1);
                        long port = number(v, n + 1, e, 5);
                        i = port >= 1 && port <= 65535 ? e : -1;
                    } else {
                        i = n;
                    }
                }
                case "received" -> {
                    if (received || !value) return false;
                    received = true;
                    i = ipv4(v, n + 1);
                }
                default -> {
                    return false;
                }
            }
        }
        return i == v.length();
    }
}
