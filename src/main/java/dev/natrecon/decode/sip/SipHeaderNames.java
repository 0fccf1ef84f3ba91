package dev.natrecon.decode.sip;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Header names: compact forms (RFC 3261 §7.3.3 and the extensions that registered one) mapped to their full names,
 * and the usual spelling of well-known names, so {@code v}, {@code VIA} and {@code Via} all become {@code Via}.
 * Names not listed keep the spelling they were written with.
 */
public final class SipHeaderNames {
    public static final String VIA = "Via", FROM = "From", TO = "To", CALL_ID = "Call-ID", CSEQ = "CSeq",
            CONTACT = "Contact", EXPIRES = "Expires", RECORD_ROUTE = "Record-Route", ROUTE = "Route",
            CONTENT_LENGTH = "Content-Length", CONTENT_TYPE = "Content-Type", MAX_FORWARDS = "Max-Forwards";

    private static final Map<String, String> COMPACT = new HashMap<>();
    private static final Map<String, String> KNOWN = new HashMap<>();
    /** Each known name in its usual spelling, to itself: the spelling nearly every message uses, found without lower-casing. */
    private static final Map<String, String> SPELLED = new HashMap<>();

    static {
        String[][] compact = {
            {"a", "Accept-Contact"}, {"b", "Referred-By"}, {"c", CONTENT_TYPE}, {"d", "Request-Disposition"},
            {"e", "Content-Encoding"}, {"f", FROM}, {"i", CALL_ID}, {"j", "Reject-Contact"}, {"k", "Supported"},
            {"l", CONTENT_LENGTH}, {"m", CONTACT}, {"n", "Identity-Info"}, {"o", "Event"}, {"r", "Refer-To"},
            {"s", "Subject"}, {"t", TO}, {"u", "Allow-Events"}, {"v", VIA}, {"x", "Session-Expires"}, {"y", "Identity"},
        };
        for (String[] c : compact) COMPACT.put(c[0], c[1]);
        for (String[] c : compact) KNOWN.put(c[1].toLowerCase(Locale.ROOT), c[1]);
        for (String n : new String[] {VIA, FROM, TO, CALL_ID, CSEQ, CONTACT, EXPIRES, RECORD_ROUTE, ROUTE, CONTENT_LENGTH,
            CONTENT_TYPE, MAX_FORWARDS, "Accept", "Accept-Encoding", "Accept-Language", "Alert-Info", "Allow",
            "Authentication-Info", "Authorization", "Call-Info", "Content-Disposition", "Content-Language", "Date",
            "Error-Info", "In-Reply-To", "Min-Expires", "Min-SE", "MIME-Version", "Organization", "Priority",
            "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Require", "RAck", "Reason", "Replaces", "Reply-To",
            "Require", "Retry-After", "RSeq", "Server", "SIP-ETag", "SIP-If-Match", "Subscription-State", "Timestamp",
            "Unsupported", "User-Agent", "Warning", "WWW-Authenticate", "P-Asserted-Identity", "P-Preferred-Identity",
            "Privacy", "Path", "Service-Route", "Diversion", "Remote-Party-ID"}) {
            KNOWN.put(n.toLowerCase(Locale.ROOT), n);
        }
        for (String n : KNOWN.values()) SPELLED.put(n, n);
    }

    private SipHeaderNames() {
    }

    /** The full, conventionally spelled name for {@code raw} (a compact form or any capitalisation). */
    public static String canonical(String raw) {
        String spelled = SPELLED.get(raw);
        if (spelled != null) return spelled;
        String lower = raw.toLowerCase(Locale.ROOT);
        String full = COMPACT.get(lower);
        if (full != null) return full;
        String known = KNOWN.get(lower);
        return known != null ? known : raw;
    }

    /** True for a one-letter compact form listed here. */
    public static boolean isCompact(String raw) {
        return COMPACT.containsKey(raw.toLowerCase(Locale.ROOT));
    }

    /** The compact form of a full name, or null. */
    public static String compactOf(String name) {
        String c = canonical(name);
        for (Map.Entry<String, String> e : COMPACT.entrySet()) if (e.getValue().equals(c)) return e.getKey();
        return null;
    }

    /** True when {@code a} and {@code b} name the same header (compact forms included). */
    public static boolean same(String a, String b) {
        return canonical(a).equalsIgnoreCase(canonical(b));
    }
}
