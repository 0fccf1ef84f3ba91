package dev.natrecon.decode.sip;

import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.Contact;
import gov.nist.javax.sip.header.ContactList;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.Expires;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.RecordRoute;
import gov.nist.javax.sip.header.RecordRouteList;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.header.ViaList;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything natrecon asks jain-sip-ri about a SIP message, in one place: the request and status line, and each
 * header value on its own (so a rejected header is named, never silently dropped as jain-sip's whole-message parser
 * does). Also compares jain-sip's reading with natrecon's offset scan.
 *
 * <p>Quirks handled here: jain-sip logs through log4j, which natrecon does not ship, so logging is silenced first
 * ({@link JainSipLogging}); some parsers throw RuntimeExceptions instead of
 * ParseException, so every call is guarded; its ParseException messages contain char-array identities and newlines,
 * so they are cleaned before they become anomaly details.
 */
final class JainSip {
    static {
        JainSipLogging.silence();
    }

    private JainSip() {
    }

    /**
     * A jain-sip parse: the object on success, else the reason. A verdict {@link #verdict remembered} without its
     * parse holds a {@link Deferred} and parses again when {@link #parsed} is asked for, so a header that is
     * cross-checked gets its object however it was looked up ({@code SipParser}'s list of cross-checked headers only
     * saves that second parse).
     */
    record Result(Object parsed, String error) {
        boolean ok() {
            return error == null;
        }

        @Override
        public Object parsed() {
            return parsed instanceof Deferred d ? header(d.name, d.value).parsed : parsed;
        }
    }

    /** The name and value of an accepted header whose parse was not kept. */
    private record Deferred(String name, String value) {
    }

    /**
     * What stands for jain-sip's reading of a start line or header value that is {@link PlainSip plain}: accepted, and
     * nothing to cross-check (every cross-check below finds no object of its kind in it, so it reports no difference).
     */
    static final Result PLAIN = new Result(new Object(), null);

    static Result requestLine(String line) {
        try {
            return new Result(new StringMsgParser().parseSIPRequestLine(line + "\n"), null);
        } catch (Exception | StackOverflowError | LinkageError e) {
            return new Result(null, reason(e));
        }
    }

    static Result statusLine(String line) {
        try {
            return new Result(new StringMsgParser().parseSIPStatusLine(line + "\n"), null);
        } catch (Exception | StackOverflowError | LinkageError e) {
            return new Result(null, reason(e));
        }
    }

    /** Placeholder for an IPv6 maddr, which jain-sip's Via parser cannot read (it wants a token there). */
    static final String MADDR_PLACEHOLDER = "ipv6-maddr.invalid";
    private static final java.util.regex.Pattern V6_MADDR =
            java.util.regex.Pattern.compile("(?i)(;\\s*maddr\\s*=\\s*)(\\[[^\\]]*\\]|[0-9a-f.]*:[0-9a-f:.]*)");

    static Result header(String name, String value) {
        Result r = parseHeader(name, value);
        if (!r.ok() && name.equals("Via") && V6_MADDR.matcher(value).find()) {
            // RFC 3261 allows an IPv6 reference in maddr; jain-sip rejects it. Check the rest of the grammar.
            Result retry = parseHeader(name, V6_MADDR.matcher(value).replaceAll("$1" + MADDR_PLACEHOLDER));
            if (retry.ok()) return retry;
        }
        return r;
    }

    /** Slots of {@link #verdict}'s memo (a power of two). */
    private static final int VERDICTS = 1024;
    /** One remembered verdict; final fields, so a slot read by another thread is seen whole or not at all. */
    private static final class Verdict {
        final String name, value;
        final Result result;

        Verdict(String name, String value, Result result) {
            this.name = name;
            this.value = value;
            this.result = result;
        }
    }

    private static final Verdict[] verdicts = new Verdict[VERDICTS];

    /**
     * {@link #header}'s verdict for a header whose parsed object is not expected to be read (no cross-check): when
     * jain-sip accepts the value, a result that keeps only the name and value (its {@link Result#parsed} parses again),
     * else the reason. jain-sip's verdict depends on the name and value alone, and the
     * same values (User-Agent, Server, Allow, Supported…) come back in every message of a capture, so verdicts are
     * remembered in a direct-mapped table of {@value #VERDICTS} slots (one slot per name and value hash, the last one
     * seen kept): a value seen before is not parsed again. Values longer than {@link PlainSip#MAX} and credentials
     * ({@link Credentials#isCredential}, unique per message and not to be kept) are not kept.
     * Threads share the table: an entry is immutable, a slot is overwritten whole, and a miss only parses again.
     */
    static Result verdict(String name, String value) {
        if (value.length() > PlainSip.MAX || Credentials.isCredential(name)) return header(name, value);
        int h = name.hashCode() * 31 + value.hashCode();
        int slot = (h ^ h >>> 16) & (VERDICTS - 1);
        Verdict v = verdicts[slot];
        if (v != null && v.value.equals(value) && v.name.equals(name)) return v.result;
        Result r = header(name, value);
        if (r.ok()) r = new Result(new Deferred(name, value), null);
        verdicts[slot] = new Verdict(name, value, r);
        return r;
    }

    private static Result parseHeader(String name, String value) {
        String line = name + ": " + value + "\n";
        String complaint = serviceUrnComplaint(name, line);
        if (complaint != null) return new Result(null, complaint);
        try {
            return new Result(StringMsgParser.parseSIPHeader(line), null);
        } catch (Exception | StackOverflowError | LinkageError e) {
            return new Result(null, reason(e));
        }
    }

    /**
     * What jain-sip's P-Preferred-Service and P-Asserted-Service parsers object to in {@code line}, or null. Those two
     * parsers check the 3GPP service URN themselves, and on a value they find wrong they print the exception's stack
     * trace to stderr, then accept the header anyway. The same test is made here, on the same text, so that such a
     * value is never handed to them: it becomes a rejection (an anomaly), and nothing reaches the console.
     */
    static String serviceUrnComplaint(String name, String line) {
        boolean preferred = name.equalsIgnoreCase("P-Preferred-Service");
        if (!preferred && !name.equalsIgnoreCase("P-Asserted-Service")) return null;
        if (!line.contains("urn:urn-7:")) return null; // not examined by jain-sip
        if (line.contains("3gpp-service")) {
            return nothingAfter(line, "3gpp-service.") ? "URN should atleast have one sub-service" : null;
        }
        if (line.contains("3gpp-application")) {
            // The preferred-service parser splits on the bare name, the asserted-service parser on "name." (a regex).
            return nothingAfter(line, preferred ? "3gpp-application" : "3gpp-application.")
                    ? "URN should atleast have one sub-application" : null;
        }
        return "URN is not well formed";
    }

    /** jain-sip's {@code line.split(regex)[1].trim().equals("")}; false when there is no second part (it throws then). */
    private static boolean nothingAfter(String line, String regex) {
        String[] parts = line.split(regex);
        return parts.length > 1 && parts[1].trim().isEmpty();
    }

    static String reason(Throwable e) {
        String m = String.valueOf(e.getMessage()).replaceAll("\\[C@[0-9a-f]+", "").replaceAll("\\s+", " ").trim();
        if (m.isEmpty() || m.equals("null")) m = e.getClass().getSimpleName();
        return m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }

    // ---- cross-checks: jain-sip's values against the offset scan; each returns sentences (empty when they agree)

    static List<String> crossCheckRequestLine(Object parsed, String method, SipUri uri) {
        List<String> d = new ArrayList<>();
        if (!(parsed instanceof RequestLine rl)) return d;
        same(d, "method", rl.getMethod(), method);
        uri(d, "Request-URI ", rl.getUri(), uri);
        return d;
    }

    static List<String> crossCheckStatusLine(Object parsed, int code) {
        List<String> d = new ArrayList<>();
        if (parsed instanceof StatusLine sl) same(d, "status code", sl.getStatusCode(), code);
        return d;
    }

    static List<String> crossCheckVias(Object parsed, List<SipVia> mine) {
        List<String> d = new ArrayList<>();
        if (!(parsed instanceof ViaList list)) return d;
        if (list.size() != mine.size()) {
            d.add("Via count: jain-sip " + list.size() + ", scan " + mine.size());
            return d;
        }
        for (int i = 0; i < mine.size(); i++) {
            Via j = list.get(i);
            SipVia m = mine.get(i);
            if (m.host() == null) continue;
            String p = "Via[" + i + "] ";
            sameIgnoreCase(d, p + "transport", j.getTransport(), m.transport());
            sameHost(d, p + "host", j.getHost(), m.host().text());
            same(d, p + "port", j.getPort(), m.portNumber());
            same(d, p + "branch", j.getBranch(), unquote(m.branch()));
            same(d, p + "received", j.getReceived(), unquote(m.received()));
            if (!MADDR_PLACEHOLDER.equals(j.getMAddr())) same(d, p + "maddr", j.getMAddr(), unquote(m.maddr()));
            same(d, p + "rport present", j.hasParameter("rport"), m.hasRport());
            if (m.rport() != null && !m.rport().text().isEmpty()) same(d, p + "rport", j.getRPort(), m.rportNumber());
        }
        return d;
    }

    static List<String> crossCheckAddress(Object parsed, SipAddress mine) {
        List<String> d = new ArrayList<>();
        javax.sip.address.Address a = null;
        String tag = null;
        if (parsed instanceof From f) {
            a = f.getAddress();
            tag = f.getTag();
        } else if (parsed instanceof To t) {
            a = t.getAddress();
            tag = t.getTag();
        }
        if (a == null) return d;
        uri(d, "", a.getURI(), mine.uri());
        same(d, "tag", tag, unquote(mine.tag()));
        return d;
    }

    static List<String> crossCheckContacts(Object parsed, List<SipAddress> mine) {
        List<String> d = new ArrayList<>();
        if (!(parsed instanceof ContactList list)) return d;
        if (list.size() != mine.size()) {
            d.add("Contact count: jain-sip " + list.size() + ", scan " + mine.size());
            return d;
        }
        for (int i = 0; i < mine.size(); i++) {
            Contact c = list.get(i);
            SipAddress m = mine.get(i);
            same(d, "Contact[" + i + "] wildcard", c.isWildCard(), m.wildcard());
            if (c.isWildCard() || m.wildcard()) continue;
            uri(d, "Contact[" + i + "] ", c.getAddress().getURI(), m.uri());
            if (m.expiresSeconds() >= 0 && m.expiresSeconds() <= Integer.MAX_VALUE) {
                same(d, "Contact[" + i + "] expires", c.getExpires(), (int) m.expiresSeconds());
            }
        }
        return d;
    }

    static List<String> crossCheckRoutes(Object parsed, List<SipAddress> mine) {
        List<String> d = new ArrayList<>();
        List<?> list = parsed instanceof RecordRouteList rr ? rr : parsed instanceof gov.nist.javax.sip.header.RouteList r ? r : null;
        if (list == null) return d;
        if (list.size() != mine.size()) {
            d.add("route count: jain-sip " + list.size() + ", scan " + mine.size());
            return d;
        }
        for (int i = 0; i < mine.size(); i++) {
            Object o = list.get(i);
            javax.sip.address.Address a = o instanceof RecordRoute r ? r.getAddress()
                    : o instanceof gov.nist.javax.sip.header.Route r ? r.getAddress() : null;
            if (a != null) uri(d, "route[" + i + "] ", a.getURI(), mine.get(i).uri());
        }
        return d;
    }

    static List<String> crossCheckCSeq(Object parsed, SipCSeq mine) {
        List<String> d = new ArrayList<>();
        if (parsed instanceof CSeq c) {
            same(d, "CSeq number", c.getSeqNumber(), mine.sequence());
            same(d, "CSeq method", c.getMethod(), mine.methodName());
        }
        return d;
    }

    static List<String> crossCheckCallId(Object parsed, String mine) {
        List<String> d = new ArrayList<>();
        if (parsed instanceof CallID c) same(d, "Call-ID", c.getCallId() == null ? "" : c.getCallId().trim(), mine);
        return d;
    }

    static List<String> crossCheckNumber(Object parsed, long mine) {
        List<String> d = new ArrayList<>();
        if (parsed instanceof ContentLength c) same(d, "Content-Length", (long) c.getContentLength(), mine);
        if (parsed instanceof Expires e) same(d, "Expires", (long) e.getExpires(), mine);
        return d;
    }

    private static void uri(List<String> d, String prefix, javax.sip.address.URI j, SipUri m) {
        if (m == null) return;
        if (j instanceof gov.nist.javax.sip.address.SipUri su) {
            if (!m.isSip() || m.host() == null) {
                d.add(prefix + "URI: jain-sip read a SIP URI, scan read scheme '" + m.scheme() + "'");
                return;
            }
            sameHost(d, prefix + "host", su.getHost(), m.host().text());
            same(d, prefix + "port", su.getPort(), m.portNumber());
        } else if (m.isSip() && j != null) {
            d.add(prefix + "URI: scan read a SIP URI, jain-sip read '" + j.getScheme() + "'");
        }
    }

    private static String unquote(Span s) {
        if (s == null) return null;
        String t = s.text();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    private static void same(List<String> d, String what, Object jain, Object scan) {
        if (!Objects.equals(jain, scan)) d.add(what + ": jain-sip '" + jain + "', scan '" + scan + "'");
    }

    private static void sameIgnoreCase(List<String> d, String what, String jain, String scan) {
        if (jain == null ? scan != null : !jain.equalsIgnoreCase(scan)) d.add(what + ": jain-sip '" + jain + "', scan '" + scan + "'");
    }

    private static void sameHost(List<String> d, String what, String jain, String scan) {
        String a = jain == null ? null : Grammar.unbracket(jain).toLowerCase(Locale.ROOT);
        String b = scan == null ? null : Grammar.unbracket(scan).toLowerCase(Locale.ROOT);
        if (!Objects.equals(a, b)) d.add(what + ": jain-sip '" + jain + "', scan '" + scan + "'");
    }
}
