package dev.natrecon.detect;

import dev.natrecon.correlate.Crossing;
import dev.natrecon.correlate.Seen;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code nat.far_side_mapping} and {@code nat.mapping_changed}: the NAT mapping as the far side reported it, from what
 * one capture shows alone. A SIP response's top Via carries the sender's own address (sent-by, as the phone wrote it)
 * and, from an RFC 3581 server, the source the server saw ({@code received=}, {@code rport=}); a STUN Binding success
 * response carries the source the STUN server saw ((XOR-)MAPPED-ADDRESS, RFC 5389 §15.1-15.2) for the endpoint it is
 * sent to. Each observation pairs an internal endpoint with the external one the far side saw and the remote that saw
 * it; per internal endpoint the detector reports the external endpoints, whether the port was preserved, the mapping
 * behaviour towards several remotes (RFC 4787 §4.1), and every change of the external endpoint towards the same
 * remote between two observations (the binding ended in between).
 */
final class FarSideMappingDetector implements Detector {
    static final List<String> REFS = List.of("RFC 3581 (received, rport)", "RFC 5389 §15.1-15.2 ((XOR-)MAPPED-ADDRESS)",
            "RFC 4787 §4.1 (mapping behaviour), §4.3 (mapping refresh)");

    static final Rule MAPPING = new Rule("nat.far_side_mapping", Severity.INFO,
            "The NAT mapping the far side saw (Via received/rport, STUN mapped address)",
            "Per internal endpoint (the top Via sent-by of a SIP response, or the destination of a STUN Binding "
                    + "success response): the external address and port the far side reports (received= and rport= "
                    + "of the top Via; XOR-MAPPED-ADDRESS or MAPPED-ADDRESS), whether the port was preserved (external "
                    + "port equal to the internal one), and towards how many remotes the same external endpoint was "
                    + "reported: one external endpoint for two or more remotes is endpoint-independent mapping as far "
                    + "as the capture shows; a different external endpoint per remote at the same time is "
                    + "address- or port-dependent mapping. An rport without value or a missing rport leaves the "
                    + "external port unknown.",
            List.of("none: one response or STUN answer is enough"),
            "Context. A phone that learns its external endpoint this way (rport, STUN) can advertise it; with "
                    + "endpoint-dependent mapping, STUN answers do not hold for other remotes (use TURN or a media relay).",
            REFS);
    static final Rule CHANGED = new Rule("nat.mapping_changed", Severity.WARNING,
            "The external endpoint of a binding changed between two transactions",
            "The same internal endpoint was reported by the same remote at two external endpoints: the earlier one "
                    + "at the last observation before the change, the new one at the first after it. The router's "
                    + "binding ended in between: it expired (its timeout then was shorter than the gap), the router "
                    + "restarted or flushed its table, or its WAN address changed. Calls and registrations that relied "
                    + "on the old endpoint (the registrar's contact binding, media latching) break until refreshed.",
            List.of("none: one change is enough; the gap between the two observations bounds when it happened"),
            "Keep the binding alive: keepalives (CRLF, OPTIONS, STUN) or REGISTER refreshes more often than the "
                    + "router's UDP timeout (nf_conntrack_udp_timeout_stream 120 s, udp_timeout 30 s on Linux), or "
                    + "raise that timeout; check the router's uptime and WAN address history for the change's window.",
            REFS);

    /** STUN magic cookie (RFC 5389 §6). */
    static final int STUN_COOKIE = 0x2112A442;
    /** STUN Binding success response message type (RFC 5389 §6, §18.1). */
    static final int STUN_BINDING_SUCCESS = 0x0101;
    /** STUN attribute types: MAPPED-ADDRESS 0x0001, XOR-MAPPED-ADDRESS 0x0020 (RFC 5389 §18.2). */
    static final int ATTR_MAPPED = 0x0001, ATTR_XOR_MAPPED = 0x0020;
    /**
     * Internal endpoints followed at most: a ticket capture shows a handful of phones; past this many the rest are
     * not followed (the bound keeps a scan's or a flood's state small).
     */
    static final int MAX_INTERNALS = 4_096;
    /** Observations kept per internal endpoint (changes are judged as they come; only the list is capped). */
    static final int MAX_EXTERNALS = 64;

    private final SipFacts.Memo sipFacts;
    private final Map<String, Internal> internals = new LinkedHashMap<>();
    /** Internal endpoints past {@link #MAX_INTERNALS}: counted (each once, up to as many again), not followed. */
    private final OverflowCount unfollowed = new OverflowCount(MAX_INTERNALS);
    private long notFollowed;

    FarSideMappingDetector(SipFacts.Memo sipFacts) {
        this.sipFacts = sipFacts;
    }

    /** One external endpoint of an internal one, with the remotes that reported it. */
    private static final class External {
        final String text;
        final int port;
        final Set<String> remotes = new LinkedHashSet<>();
        long first, last;

        External(String text, int port, long nanos) {
            this.text = text;
            this.port = port;
            first = last = nanos;
        }
    }

    /** What a remote last reported for one internal endpoint. */
    private record Last(External external, long nanos, long frame) {
    }

    private static final class Internal {
        final String text;
        final int port;
        String side;
        /** An outside remote named this inside address itself (LAN side): see {@link AlgMappedBackDetector}. */
        boolean privateFromOutside;
        final Set<String> how = new LinkedHashSet<>();
        final Map<String, External> externals = new LinkedHashMap<>();
        final Map<String, Last> byRemote = new LinkedHashMap<>();
        final Finding.Builder evidence = Finding.of(MAPPING);
        final List<String> filters = new ArrayList<>();
        final List<Finding> changes = new ArrayList<>();
        /** Per change in {@link #changes}, the external endpoint it left. */
        final List<External> changedFrom = new ArrayList<>();

        Internal(String text, int port) {
            this.text = text;
            this.port = port;
        }
    }

    @Override
    public List<Rule> rules() {
        return List.of(MAPPING, CHANGED);
    }

    /** SIP messages only. */
    @Override
    public int interest() {
        return PacketKinds.PAYLOAD;
    }

    @Override
    public void packet(Crossing crossing) {
        Seen s = crossing.seen();
        if (s.payload == null || s.captureLabel != null || s.side == null) return;
        // an answer the inside party sends out reports the remote's mapping, not one of this router
        if (crossing.srcInside() && !crossing.dstInside()) return;
        if (stun(s)) return;
        SipFacts f = sipFacts.of(crossing);
        if (f == null || f.request() || f.viaMapped() == null || f.via() == null) return;
        SipFacts.Host mapped = f.viaMapped();
        String internal = f.via().text();
        String filter = "sip.Via.received == \"" + mapped.host() + "\""
                + (mapped.port() > 0 ? " && sip.Via.rport == \"" + mapped.port() + "\"" : "");
        observe(s, internal, f.via().port(), mapped.text(), mapped.port(), f.source().text(), "Via received/rport",
                filter);
        // behind the NAT, an outside server naming the inside address itself: mapped back by an ALG, or untranslated
        if (s.side == dev.natrecon.correlate.Side.LAN && f.via().isInside() && !f.source().isInside()
                && mapped.sameAddress(f.via().hi(), f.via().lo())) {
            Internal in = internals.get(internal);
            if (in != null) in.privateFromOutside = true;
        }
    }

    /** A STUN Binding success response: its mapped address for the endpoint it is sent to; false when not one. */
    private boolean stun(Seen s) {
        byte[] p = s.payload;
        if (p.length < 20 || u16(p, 0) != STUN_BINDING_SUCCESS || u32(p, 4) != STUN_COOKIE) return false;
        int end = Math.min(p.length, 20 + u16(p, 2));
        String mapped = null;
        int mappedPort = -1;
        for (int at = 20; at + 4 <= end; ) {
            int type = u16(p, at), len = u16(p, at + 2), v = at + 4;
            if (v + len > end) break;
            if ((type == ATTR_XOR_MAPPED || type == ATTR_MAPPED && mapped == null) && len >= 8 && p[v + 1] == 0x01) {
                boolean xor = type == ATTR_XOR_MAPPED;
                int port = u16(p, v + 2) ^ (xor ? STUN_COOKIE >>> 16 : 0);
                int addr = u32(p, v + 4) ^ (xor ? STUN_COOKIE : 0);
                mapped = ((addr >>> 24) & 0xff) + "." + ((addr >>> 16) & 0xff) + "." + ((addr >>> 8) & 0xff) + "."
                        + (addr & 0xff);
                mappedPort = port;
            }
            at = v + ((len + 3) & ~3); // attributes are padded to 4 bytes (RFC 5389 §15)
        }
        if (mapped == null) return true;
        String internal = dev.natrecon.decode.Addresses.format(s.dstHi, s.dstLo) + ":" + s.dstPort;
        String remote = dev.natrecon.decode.Addresses.format(s.srcHi, s.srcLo) + ":" + s.srcPort;
        observe(s, internal, s.dstPort, mapped + ":" + mappedPort, mappedPort, remote, "STUN mapped address",
                "stun.att.ipv4 == " + mapped + " && stun.att.port == " + mappedPort);
        return true;
    }

    private void observe(Seen s, String internalText, int internalPort, String externalText, int externalPort,
                         String remote, String how, String filter) {
        Internal in = internals.get(internalText);
        if (in == null) {
            if (internals.size() >= MAX_INTERNALS) {
                if (unfollowed.add(internalText)) notFollowed++;
                return;
            }
            in = new Internal(internalText, internalPort);
            internals.put(internalText, in);
        }
        in.how.add(how);
        if (in.side == null) in.side = s.side.label();
        if (!in.filters.contains(filter) && in.filters.size() < 4) in.filters.add(filter);
        External ex = in.externals.get(externalText);
        if (ex == null && in.externals.size() < MAX_EXTERNALS) {
            ex = new External(externalText, externalPort, s.nanos);
            in.externals.put(externalText, ex);
        }
        if (ex == null) return;
        ex.last = s.nanos;
        ex.remotes.add(remote);
        in.evidence.at(s.nanos).frame(s.side.label(), s.frame);
        Last before = in.byRemote.put(remote, new Last(ex, s.nanos, s.frame));
        // the far side seeing the internal address itself: no NAT on the way, a port change is the sender's own socket
        boolean translated = !sameAddress(internalText, externalText);
        if (before != null && before.external() != ex && translated) {
            double gap = (s.nanos - before.nanos()) / 1e9;
            in.changes.add(Finding.of(CHANGED).at(before.nanos()).at(s.nanos).frame(s.side.label(), before.frame())
                    .frame(s.side.label(), s.frame).subject(internalText)
                    .message(String.format(Locale.ROOT, "%s was seen by %s as %s, then %.1f s later as %s (%s): the "
                                    + "router's binding ended within those %.1f s (expired with a timeout under "
                                    + "%.1f s, or the router restarted, flushed or changed its address).",
                            internalText, remote, before.external().text, gap, externalText, how, gap, gap, gap))
                    .detail("internal", internalText).detail("remote", remote)
                    .detail("before", before.external().text).detail("after", externalText)
                    .detail("gap seconds", String.format(Locale.ROOT, "%.3f", gap))
                    .filter(s.side.label(), DisplayFilters.frames(List.of(before.frame(), s.frame)))
                    .build());
            in.changedFrom.add(before.external());
        }
    }

    @Override
    public void finish(DetectionContext context, Consumer<Finding> findings) {
        for (Internal in : internals.values()) {
            List<String> parts = new ArrayList<>();
            boolean anyPreserved = false, anyChanged = false, portKnown = false;
            for (External ex : in.externals.values()) {
                if (ex.port > 0 && in.port > 0) {
                    portKnown = true;
                    if (ex.port == in.port) anyPreserved = true;
                    else anyChanged = true;
                }
                parts.add(ex.text + " (seen by " + String.join(", ", ex.remotes) + ")");
            }
            boolean identity = in.externals.size() == 1 && in.externals.containsKey(in.text);
            String port = identity && in.privateFromOutside
                    ? "external endpoint unknown: the far side's answers name this private address itself (an ALG "
                            + "mapped them back, or nothing translated: see alg.reply_mapped_back)"
                    : identity ? "not translated (the far side saw this very address and port)"
                    : !portKnown ? "external port unknown (no rport value)"
                    : anyPreserved && !anyChanged ? "port preserved"
                    : anyChanged && !anyPreserved ? "port not preserved" : "port preserved at times, not at others";
            String behaviour = behaviour(in);
            Finding.Builder b = in.evidence.subject(in.text)
                    .message(String.format(Locale.ROOT, "%s was %s as %s: %s%s (from %s).", in.text,
                            identity && in.privateFromOutside ? "named by the far side" : "seen from outside",
                            String.join("; ", parts), port, behaviour.isEmpty() ? "" : "; " + behaviour,
                            String.join(" and ", in.how)))
                    .detail("internal", in.text).detail("external", String.join("; ", parts)).detail("port", port)
                    .detail("mapping behaviour", behaviour.isEmpty() ? "one remote: cannot tell" : behaviour);
            b.filter(in.side, in.filters.size() == 1 ? in.filters.get(0)
                    : "(" + String.join(") || (", in.filters) + ")");
            findings.accept(b.build());
            for (int i = 0; i < in.changes.size(); i++) {
                // the left endpoint seen again after the change: two bindings in turn (two sockets), not a change
                Finding c = in.changes.get(i);
                if (in.changedFrom.get(i).last <= c.endNanos()) findings.accept(c);
            }
        }
    }

    @Override
    public Map<dev.natrecon.capture.Bound, Long> boundsHit() {
        return notFollowed == 0 ? Map.of() : Map.of(dev.natrecon.capture.Bound.ONE_SIDE_ENDPOINTS, notFollowed);
    }

    /** RFC 4787 §4.1 mapping behaviour as far as the remotes show it, or empty with one remote. */
    private static String behaviour(Internal in) {
        Set<String> remotes = new LinkedHashSet<>();
        for (External ex : in.externals.values()) remotes.addAll(ex.remotes);
        if (remotes.size() < 2) return "";
        for (External ex : in.externals.values()) {
            if (ex.remotes.size() >= 2) {
                return "one external endpoint towards " + ex.remotes.size()
                        + " remotes: endpoint-independent mapping (RFC 4787 §4.1) as far as these show";
            }
        }
        // each remote its own external endpoint: dependent mapping when they overlap in time
        for (External a : in.externals.values()) {
            for (External c : in.externals.values()) {
                if (a != c && a.first <= c.last && c.first <= a.last) {
                    return "a different external endpoint per remote at the same time: address- or port-dependent "
                            + "mapping (RFC 4787 §4.1)";
                }
            }
        }
        return "";
    }

    /** Whether two "host:port" texts name the same host (IPv6 in brackets). */
    private static boolean sameAddress(String a, String b) {
        return host(a).equalsIgnoreCase(host(b));
    }

    private static String host(String endpoint) {
        if (endpoint.startsWith("[")) return endpoint.substring(1, Math.max(1, endpoint.indexOf(']')));
        int colon = endpoint.lastIndexOf(':');
        return colon > 0 && endpoint.indexOf(':') == colon ? endpoint.substring(0, colon) : endpoint;
    }

    private static int u16(byte[] p, int at) {
        return (p[at] & 0xff) << 8 | p[at + 1] & 0xff;
    }

    private static int u32(byte[] p, int at) {
        return (p[at] & 0xff) << 24 | (p[at + 1] & 0xff) << 16 | (p[at + 2] & 0xff) << 8 | p[at + 3] & 0xff;
    }
}
