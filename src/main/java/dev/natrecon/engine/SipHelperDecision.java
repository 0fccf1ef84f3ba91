package dev.natrecon.engine;

import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.decode.Addresses;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code --sip-helper auto}, decided once from the captures before the replay creates its first entry (so an entry a
 * TCP SYN creates before the first SIP message gets the helper as the kernel's would): for every SIP message seen on
 * both sides of the router, what the router changed in its text.
 *
 * <ul>
 *   <li><b>On</b> for a transport and port: a translated message (its address changed between the two copies) whose
 *       text has the inside address replaced by the outside one (nf_nat_sip.c: Via, Contact, From/To, request URI;
 *       nf_nat_sdp for SDP) — compared as text, so a rewrite that keeps the message length counts.</li>
 *   <li><b>Off</b>: translated messages whose text is unchanged although it carries the translated address with the
 *       packet's own port (what nf_nat_sip.c map_addr rewrites) or in an SDP {@code c=} line.</li>
 *   <li><b>Undecided</b>: no SIP message seen on both sides, or none that was translated: modelled off, and said so.</li>
 * </ul>
 * The helper's key is the transport and the port of the flow's server (the destination of the flow's first request,
 * the source of a first response), which is the entry's original destination port: the port a ruleset's
 * {@code ct helper set} or the module's auto-assignment attaches on. SIP is recognised by its content, so a helper on
 * a port other than 5060 is found. A helper rewrite anywhere decides "on" for that key, whatever else was seen.
 */
final class SipHelperDecision {
    /** What the captures said for one transport and server port. */
    static final class Tally {
        final int protocol, port;
        long rewritten, unchanged, untranslated, oneSide;
        String firstRewritten, firstUnchanged;

        Tally(int protocol, int port) {
            this.protocol = protocol;
            this.port = port;
        }

        String name() {
            return (protocol == ConntrackTuple.TCP ? "tcp" : "udp") + "/" + port;
        }
    }

    private final Map<Long, Tally> tallies;
    private final String scope;
    /** {@link #unknowable}: {@code scope} holds why the inputs cannot tell. */
    private boolean unknowable;

    private SipHelperDecision(Map<Long, Tally> tallies, String scope) {
        this.tallies = tallies;
        this.scope = scope;
    }

    /** No SIP seen at all (tests, and captures without signalling). */
    static SipHelperDecision none(String scope) {
        return new SipHelperDecision(new TreeMap<>(), scope);
    }

    /** Undecided because the inputs cannot tell at all ({@code why}, e.g. one side's capture), not for lack of SIP. */
    static SipHelperDecision unknowable(String why) {
        SipHelperDecision d = new SipHelperDecision(new TreeMap<>(), why);
        d.unknowable = true;
        return d;
    }

    private static long key(int protocol, int port) {
        return (long) protocol << 16 | port;
    }

    /** Whether the helper is attached to an entry of {@code protocol} whose original destination port is {@code port}. */
    boolean attached(int protocol, int port) {
        Tally t = tallies.get(key(protocol, port));
        return t != null && t.rewritten > 0;
    }

    /** Whether the router ran the helper on any transport and port. */
    boolean on() {
        for (Tally t : tallies.values()) if (t.rewritten > 0) return true;
        return false;
    }

    /** Whether a SIP message was seen on both sides (translated or not): the captures held something to decide from. */
    boolean sawPair() {
        for (Tally t : tallies.values()) if (t.rewritten + t.unchanged + t.untranslated > 0) return true;
        return false;
    }

    /** The ports the helper is attached on, any transport (the replay keeps their payloads). */
    List<Integer> ports() {
        List<Integer> out = new ArrayList<>();
        for (Tally t : tallies.values()) if (t.rewritten > 0 && !out.contains(t.port)) out.add(t.port);
        return out;
    }

    /** One decision line per transport and port, for the report's decisions. */
    List<String> describe() {
        List<String> out = new ArrayList<>();
        String how = "decided before the replay from " + scope;
        for (Tally t : tallies.values()) {
            if (t.rewritten > 0) {
                out.add(String.format(Locale.ROOT, "model SIP helper: on for %s (%s: %d translated SIP message(s) "
                        + "seen on both sides with the address rewritten in their text, the first %s%s)", t.name(), how,
                        t.rewritten, t.firstRewritten, t.unchanged == 0 ? "" : "; " + t.unchanged + " left unchanged"));
            } else if (t.unchanged > 0) {
                out.add(String.format(Locale.ROOT, "model SIP helper: off for %s (%s: %d translated SIP message(s) "
                        + "seen on both sides with the translated address left in their text, the first %s)", t.name(),
                        how, t.unchanged, t.firstUnchanged));
            } else {
                String why = t.untranslated + t.unchanged + t.rewritten > 0
                        ? "its SIP messages crossed without address translation, which nf_nat_sip does not rewrite"
                        : "its SIP messages were seen on one side only";
                out.add("model SIP helper: undecided for " + t.name() + " (" + why + "); modelled off");
            }
        }
        if (out.isEmpty()) {
            out.add("model SIP helper: undecided: " + (unknowable ? scope : "no SIP message seen in " + scope)
                    + "; modelled off");
        } else if (on()) {
            out.add("model SIP helper: not attached on other transports and ports (no SIP seen there in " + scope
                    + "; undecided, modelled off)");
        }
        return out;
    }

    /**
     * Compares every LAN message with its WAN copy (same match key). {@code scope} says which frames were read, for
     * the decision lines.
     */
    static SipHelperDecision decide(SipHelperEvidence lan, SipHelperEvidence wan, String scope) {
        Map<Long, List<SipHelperEvidence.Message>> wanByKey = new HashMap<>();
        for (SipHelperEvidence.Message m : wan.messages()) wanByKey.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m);
        Map<Long, Tally> tallies = new TreeMap<>();
        Map<String, Integer> serverPorts = new HashMap<>();
        for (SipHelperEvidence.Message l : lan.messages()) {
            int server = serverPorts.computeIfAbsent(flow(l), k -> l.request() ? l.dstPort() : l.srcPort());
            Tally t = tallies.computeIfAbsent(key(l.protocol(), server), k -> new Tally(l.protocol(), server));
            List<SipHelperEvidence.Message> copies = wanByKey.get(l.key());
            if (copies == null) {
                t.oneSide++;
                continue;
            }
            compare(t, l, copies.get(0));
        }
        return new SipHelperDecision(tallies, scope);
    }

    /** The flow of a message on the LAN side, either direction. */
    private static String flow(SipHelperEvidence.Message m) {
        String a = Addresses.format(m.srcHi(), m.srcLo()) + ":" + m.srcPort();
        String b = Addresses.format(m.dstHi(), m.dstLo()) + ":" + m.dstPort();
        return m.protocol() + " " + (a.compareTo(b) < 0 ? a + " " + b : b + " " + a);
    }

    private static void compare(Tally t, SipHelperEvidence.Message l, SipHelperEvidence.Message w) {
        String inside, outside;
        int insidePort;
        if (l.srcHi() != w.srcHi() || l.srcLo() != w.srcLo()) { // outbound, source translated (SNAT/masquerade)
            inside = Addresses.format(l.srcHi(), l.srcLo());
            outside = Addresses.format(w.srcHi(), w.srcLo());
            insidePort = l.srcPort();
        } else if (l.dstHi() != w.dstHi() || l.dstLo() != w.dstLo()) { // inbound reply (or DNAT), destination translated
            inside = Addresses.format(l.dstHi(), l.dstLo());
            outside = Addresses.format(w.dstHi(), w.dstLo());
            insidePort = l.dstPort();
        } else {
            t.untranslated++;
            return;
        }
        String pair = "LAN frame " + l.frame() + " / WAN frame " + w.frame() + " (" + inside + " -> " + outside + ")";
        String lt = l.text(), wt = w.text();
        if (count(lt, inside) > count(wt, inside) && count(wt, outside) > count(lt, outside)) {
            if (t.rewritten++ == 0) t.firstRewritten = pair;
        } else if (lt.equals(wt) && rewritable(lt, inside, insidePort)) {
            if (t.unchanged++ == 0) t.firstUnchanged = pair;
        }
    }

    /**
     * Whether the helper, had it run, would have rewritten {@code address} in {@code text}: it appears with the
     * packet's own port (or with no port when that port is 5060, SIP's default; nf_nat_sip.c map_addr requires both to
     * match the connection's), or in an SDP {@code c=} line (nf_nat_sdp_addr).
     */
    static boolean rewritable(String text, String address, int port) {
        for (int i = text.indexOf(address); i >= 0; i = text.indexOf(address, i + 1)) {
            if (!delimited(text, i, address.length())) continue;
            int end = i + address.length();
            int lineStart = text.lastIndexOf('\n', i) + 1;
            if (text.startsWith("c=", lineStart)) return true;
            if (lineStart == 0 || !isCallId(text, lineStart)) {
                boolean withPort = text.startsWith(":" + port, end) && (end + 1 + String.valueOf(port).length() >= text.length()
                        || !Character.isDigit(text.charAt(end + 1 + String.valueOf(port).length())));
                boolean noPort = port == 5060 && (end >= text.length() || text.charAt(end) != ':');
                if (withPort || noPort) return true;
            }
        }
        return false;
    }

    private static boolean isCallId(String text, int lineStart) {
        return text.regionMatches(true, lineStart, "call-id", 0, 7) || text.regionMatches(true, lineStart, "i:", 0, 2)
                || text.regionMatches(true, lineStart, "i ", 0, 2);
    }

    /** Occurrences of {@code address} as a whole address (not inside a longer one: 192.168.1.1 in 192.168.1.10). */
    static int count(String text, String address) {
        int n = 0;
        for (int i = text.indexOf(address); i >= 0; i = text.indexOf(address, i + 1)) {
            if (delimited(text, i, address.length())) n++;
        }
        return n;
    }

    /** Not part of a longer address: no digit or dot (IPv4), no hex digit or colon (IPv6) right before or after. */
    private static boolean delimited(String text, int at, int length) {
        boolean v6 = text.startsWith(":", at) || text.substring(at, at + length).indexOf(':') >= 0;
        int end = at + length;
        return (at == 0 || !addressChar(text.charAt(at - 1), v6)) && (end >= text.length() || !addressChar(text.charAt(end), v6));
    }

    private static boolean addressChar(char c, boolean v6) {
        if (Character.isDigit(c)) return true;
        return v6 ? c == ':' || Character.digit(c, 16) >= 0 : c == '.';
    }
}
