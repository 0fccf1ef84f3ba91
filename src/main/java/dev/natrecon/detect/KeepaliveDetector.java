package dev.natrecon.detect;

import dev.natrecon.conntrack.ConntrackEntry;
import dev.natrecon.conntrack.ConntrackEvent;
import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.conntrack.EntryView;
import dev.natrecon.conntrack.Timeouts;
import dev.natrecon.correlate.Binding;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Crossing;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.Protocols;
import dev.natrecon.decode.sip.SipParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Consumer;

/**
 * {@code keepalive.gap_exceeds_timeout}: on every UDP binding that carries SIP, the gaps between the packets that
 * refresh its conntrack entry against the entry's timeout in force; the keepalive mechanisms the phone uses and the
 * registration expiry; the evidence that the binding really expired. Also the rows of {@code keepalive.csv}.
 *
 * <p>State per SIP flow (the phone's endpoint and the far end, as the LAN shows them): its last refresh, the class of
 * timeout after it, per mechanism counts and intervals; the rows themselves are the output and grow with the SIP
 * packets (not with RTP, which is not followed: only packets whose payload the replay kept, the SIP ports'), up to
 * {@link #MAX_ROWS}.
 */
final class KeepaliveDetector implements Detector {
    static final Rule RULE = new Rule("keepalive.gap_exceeds_timeout", Severity.WARNING,
            "A UDP binding carrying SIP went without traffic longer than its conntrack timeout",
            "For every UDP flow that carries SIP (payload on the SIP ports), each packet's gap since the flow's previous "
                    + "packet in either direction (any packet of the entry refreshes it) is compared with the timeout "
                    + "the entry had after that packet: nf_conntrack_udp_timeout while no reply was seen or within 2 s "
                    + "of the first packet, nf_conntrack_udp_timeout_stream once ASSURED, the SIP helper's sip_timeout "
                    + "when the helper is attached (it sets it on every SIP packet). A gap longer than that means the "
                    + "entry expired and the NAT binding with it. Fires once per flow with at least one such gap; error "
                    + "when the captures show the consequence (the external port changed, or packets from the far end "
                    + "reached the WAN with no LAN counterpart), warning otherwise. When the captures prove the binding "
                    + "gone but no gap exceeded the timeouts in force: with the router's own sysctl dump, information "
                    + "(the entry cannot have expired: it was deleted, conntrack -D/-F); without it (the kernel's "
                    + "defaults assumed), a warning that names both causes the captures cannot tell apart, a timeout "
                    + "shorter than the defaults or a deletion, with the timeout such an expiry would need bounded by "
                    + "what was seen: under the shortest gap after which the entry was gone, at least the longest one "
                    + "after which a far-end packet still got through. The finding lists the keepalive "
                    + "mechanisms seen (REGISTER refresh, OPTIONS, NOTIFY, CRLF \"\\r\\n\\r\\n\", 4-byte pings, STUN "
                    + "binding requests) with their intervals, and the registration expiry asked for and granted "
                    + "against the REGISTER interval.",
            List.of("nf_conntrack_udp_timeout (default 30 s), nf_conntrack_udp_timeout_stream (120 s since Linux 5.0, "
                            + "180 s before), the 2-second rule for ASSURED (nf_conntrack_proto_udp.c:nf_conntrack_udp_packet; "
                            + "reference §3.1)",
                    "sip_timeout module parameter of nf_conntrack_sip (default 3600 s; reference §7.1, §7.2)",
                    "values from the case's sysctl dump / profile / --set, as summary.json model.settings lists them"),
            "Make the phone refresh its binding more often than the shortest timeout in force: a CRLF keep-alive "
                    + "(RFC 5626) or OPTIONS every 15-25 s while unreplied traffic only gets nf_conntrack_udp_timeout "
                    + "(30 s), or a REGISTER interval well under nf_conntrack_udp_timeout_stream (120 s); or raise the "
                    + "router's timeouts (sysctl net.netfilter.nf_conntrack_udp_timeout_stream=300), or use SIP over "
                    + "TCP/TLS with keep-alives.",
            List.of("nf_conntrack_proto_udp.c", "nf_conntrack_sip.c (sip_timeout)", "RFC 5626 §4.4.1 (CRLF keep-alive)",
                    "RFC 4787 REQ-5 (UDP mapping timer ≥ 2 min)", "../shared/reference/linux-netfilter.md §3.1, §7"));

    /** Per SIP flow, keyed by the LAN view in the outbound direction (phone → far end). */
    private final Map<Flow, Track> tracks = new LinkedHashMap<>();
    /** The same tracks by their last WAN view (external → far end), for inbound packets that never reached the LAN. */
    private final Map<Flow, Track> byWan = new HashMap<>();
    /**
     * keepalive.csv rows held until the end (one per SIP packet of a UDP binding, each about 200 bytes with its
     * draft): 200,000 stay near 40 MiB, an hour of 1000 phones refreshing every 30 s fits. Past it, further gaps are
     * counted but neither kept for keepalive.csv nor judged ({@code detect.too_many_keepalive_rows}); each flow's own
     * state (its last refresh, mechanisms, registrations) is still followed.
     */
    static final int MAX_ROWS = 200_000;

    private final List<Draft> drafts = new ArrayList<>();
    /** The mechanism column's few distinct values, one instance each for every row. */
    private final Names names = new Names();
    private long rowsNotKept;
    private List<KeepaliveRow> rows = List.of();

    KeepaliveDetector() {
    }

    enum TimeoutKind {
        NONE("none"), UNREPLIED("unreplied"), STREAM("stream"), HELPER("sip helper");

        final String label;

        TimeoutKind(String label) {
            this.label = label;
        }

        /**
         * The kind of the model's timeout in force by the setting it came from ({@link Crossing#timeoutSetting()});
         * NONE when the model named none (its seconds are still the model's).
         */
        static TimeoutKind of(Timeouts.Key setting) {
            if (setting == null) return NONE;
            return switch (setting) {
                case UDP -> UNREPLIED;
                case UDP_STREAM -> STREAM;
                case SIP_TIMEOUT -> HELPER;
                default -> NONE;
            };
        }

        /** The setting's value: for the settings listing, and for a binding the model holds no entry for. */
        long seconds(Timeouts t) {
            return switch (this) {
                case NONE -> -1;
                case UNREPLIED -> t.seconds(Timeouts.Key.UDP);
                case STREAM -> t.seconds(Timeouts.Key.UDP_STREAM);
                case HELPER -> t.seconds(Timeouts.Key.SIP_TIMEOUT);
            };
        }

        String sysctl() {
            return switch (this) {
                case NONE -> "";
                case UNREPLIED -> "nf_conntrack_udp_timeout";
                case STREAM -> "nf_conntrack_udp_timeout_stream";
                case HELPER -> "sip_timeout";
            };
        }
    }

    /** A row before the end of the run (binding ids and timeout seconds are resolved then). */
    private static final class Draft {
        Track track;
        String external;
        boolean out;
        String mechanism;
        long gapStart, nanos, lanFrame, wanFrame, prevLanFrame, prevWanFrame;
        TimeoutKind kind;
        /** the model's timeout in force (s), or -1: the kind's setting then (no model entry, or the first packet) */
        long timeout;
        String note;
        boolean exceeded;
        /**
         * The captures prove the entry was gone when this packet came (a far-end packet to the binding refused, or
         * the flow's next packet given another port of the same address): its gap is an upper bound of the timeout.
         */
        boolean gone;
        /** A far-end packet delivered to the LAN through the entry: its gap is a lower bound of the timeout. */
        boolean survived;
    }

    /** Mechanism statistics: count and intervals between consecutive sends. */
    private static final class Mechanism {
        final String name;
        long count, intervals;
        long last = Long.MIN_VALUE, minInterval = Long.MAX_VALUE, maxInterval;

        Mechanism(String name) {
            this.name = name;
        }
    }

    private static final class Track {
        final Flow lan;
        Flow wan;
        String external = "";
        long last = Long.MIN_VALUE, lastLanFrame, lastWanFrame;
        TimeoutKind kind = TimeoutKind.NONE;
        long timeout = -1;
        long entryId;
        /** The entry after the flow's last packet, kept in place (was an EntryView per SIP packet); null before one. */
        EntryView.Latest view;
        /** In the order first seen; a flow uses one to a few (a list, not a map: one per flow of 100,000). */
        final List<Mechanism> mechanisms = new ArrayList<>(2);

        /** The mechanisms by name once there are more than {@link #FEW} (many methods or codes: no linear walk). */
        private Map<String, Mechanism> byName;
        private static final int FEW = 8;

        Mechanism mechanism(String name) {
            Mechanism m = find(name);
            if (m != null) return m;
            m = new Mechanism(name);
            mechanisms.add(m);
            if (byName != null) {
                byName.put(name, m);
            } else if (mechanisms.size() > FEW) {
                byName = new HashMap<>();
                for (Mechanism x : mechanisms) byName.put(x.name, x);
            }
            return m;
        }

        private Mechanism find(String name) {
            if (byName != null) return byName.get(name);
            for (Mechanism m : mechanisms) if (m.name.equals(name)) return m;
            return null;
        }

        boolean uses(String name) {
            return find(name) != null;
        }
        long lastCseq = -1;
        String lastCseqMethod;
        long requestedExpires = -1, grantedExpires = -1;
        long registers, minRegisterInterval = Long.MAX_VALUE, maxRegisterInterval, lastRegister = Long.MIN_VALUE;
        String pendingNote;
        /** Made on the first change: most flows never change their external endpoint. */
        List<String> portChanges = List.of();
        long unanswered, modelExpiries;
        long firstModelExpiry;
        /** The finding's frames gathered as the flow goes; made on first use (most flows never get a finding). */
        private Finding.Builder evidence;

        /** The LAN flow's two ends as text, made once for every row of the track. */
        private String source, destination;

        Track(Flow lan) {
            this.lan = lan;
        }

        Finding.Builder evidence() {
            if (evidence == null) evidence = Finding.of(RULE);
            return evidence;
        }

        void portChange(String change) {
            if (portChanges.isEmpty()) portChanges = new ArrayList<>(2);
            portChanges.add(change);
        }

        String source() {
            if (source == null) source = lan.source();
            return source;
        }

        String destination() {
            if (destination == null) destination = lan.destination();
            return destination;
        }
    }

    @Override
    public List<Rule> rules() {
        return List.of(RULE);
    }

    /** The keepalive.csv rows, after {@link #finish}. */
    List<KeepaliveRow> rows() {
        return rows;
    }

    /** Frames with a kept payload (their own or their counterpart's) only. */
    @Override
    public int interest() {
        return PacketKinds.PAYLOAD | PacketKinds.COUNTERPART_PAYLOAD;
    }

    @Override
    public void packet(Crossing c) {
        Seen s = c.seen();
        if (s.captureLabel != null || s.protocol != Protocols.UDP || (s.payload == null && s.cpPayload == null)) return;
        if (s.outcome == Outcome.LOCAL || s.outcome == Outcome.NOT_MATCHED) return;
        if (s.side == Side.LAN) {
            if (c.direction() == Crossing.Direction.ROUTED_BACK && c.role() == Crossing.Role.LEAVING) return;
            boolean out = c.outbound();
            Flow own = Flow.of(s);
            Flow lan = out ? own : own.reversed();
            Track t = tracks.computeIfAbsent(lan, Track::new);
            String external = "";
            if (s.counterpartFrame != 0 && s.outcome != Outcome.ROUTED_BACK) {
                external = out ? Addresses.endpoint(s.cpSrcHi, s.cpSrcLo, s.cpSrcPort)
                        : Addresses.endpoint(s.cpDstHi, s.cpDstLo, s.cpDstPort);
                Flow wan = out ? Flow.counterpartOf(s) : Flow.counterpartOf(s).reversed();
                if (!wan.equals(t.wan)) {
                    if (t.wan != null) byWan.remove(t.wan, t);
                    t.wan = wan;
                    byWan.put(wan, t);
                }
            }
            if (external.equals(t.external)) external = t.external; // one String per flow, not per row
            byte[] payload = s.payload != null ? s.payload : s.cpPayload;
            Draft d = add(t, s.nanos, out, payload, external, s.frame, s.counterpartFrame);
            if (out && !external.isEmpty() && !t.external.isEmpty() && !external.equals(t.external)) {
                String change = "external endpoint changed " + t.external + " -> " + external;
                d.note = Text.join(d.note, change);
            }
            // to the phone's own endpoint: a new entry without NAT (made after the old one was flushed, e.g. with the
            // WAN's address), not a sign of the old one's expiry
            if (out && !external.isEmpty() && !t.external.isEmpty() && !external.equals(t.external)
                    && !external.equals(Addresses.endpoint(s.srcHi, s.srcLo, s.srcPort))) {
                String change = "external endpoint changed " + t.external + " -> " + external;
                t.portChange(change + " at lan frame " + s.frame);
                t.evidence().frame("lan", s.frame).frame("wan", s.counterpartFrame).at(s.nanos);
                // another port of the same address: the kernel never re-NATs a confirmed entry, so the old one was
                // gone (a new address is an uplink change, not an expiry)
                d.gone = host(external).equals(host(t.external));
            }
            d.survived = !out && s.counterpartFrame != 0 && d.gapStart != d.nanos;
            if (!external.isEmpty()) t.external = external;
            // the model's timeout in force after this packet (its entry: the arriving copy's, or the one this leaving
            // copy's arriving copy was tracked under); no entry: a packet now would open one under udp_timeout
            ConntrackEntry e = c.entry();
            t.kind = e == null ? TimeoutKind.UNREPLIED : TimeoutKind.of(e.timeoutSetting());
            t.timeout = e == null ? -1 : e.timeoutInForce();
            if (e != null) {
                t.entryId = e.id();
                if (t.view == null) t.view = new EntryView.Latest();
                t.view.set(e, s.nanos);
            }
        } else if (s.counterpartFrame == 0 && s.outcome == Outcome.NO_COUNTERPART) {
            // from the far end, never delivered to the LAN: the binding it was meant for may be gone
            Track t = byWan.get(Flow.of(s).reversed());
            if (t == null) return;
            String external = Addresses.endpoint(s.dstHi, s.dstLo, s.dstPort);
            Draft d = add(t, s.nanos, false, s.payload, external.equals(t.external) ? t.external : external, 0, s.frame);
            d.note = Text.join(d.note, "no LAN counterpart");
            d.gone = true;
            t.unanswered++;
            t.evidence().frame("wan", s.frame).at(s.nanos);
        }
    }

    private Draft add(Track t, long nanos, boolean out, byte[] payload, String external, long lanFrame, long wanFrame) {
        Draft d = new Draft();
        d.track = t;
        d.out = out;
        d.external = external;
        d.nanos = nanos;
        d.gapStart = t.last == Long.MIN_VALUE ? nanos : t.last;
        d.kind = t.last == Long.MIN_VALUE ? TimeoutKind.NONE : t.kind;
        d.timeout = t.last == Long.MIN_VALUE ? -1 : t.timeout;
        d.lanFrame = lanFrame;
        d.wanFrame = wanFrame;
        d.mechanism = names.intern(classify(t, payload, out, nanos, names));
        d.note = t.pendingNote == null ? "" : t.pendingNote;
        t.pendingNote = null;
        if (out) {
            Mechanism m = t.mechanism(d.mechanism);
            m.count++;
            if (m.last != Long.MIN_VALUE) {
                long i = nanos - m.last;
                m.intervals++;
                m.minInterval = Math.min(m.minInterval, i);
                m.maxInterval = Math.max(m.maxInterval, i);
            }
            m.last = nanos;
        }
        // a packet from the far end that never reached the LAN did not refresh the phone's entry
        d.prevLanFrame = t.lastLanFrame;
        d.prevWanFrame = t.lastWanFrame;
        if (lanFrame != 0) {
            t.last = nanos;
            t.lastLanFrame = lanFrame;
            t.lastWanFrame = wanFrame;
        }
        if (drafts.size() < MAX_ROWS) {
            drafts.add(d);
        } else {
            rowsNotKept++;
        }
        return d;
    }

    /** The host part of "203.0.113.2:5060". */
    private static String host(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        return colon < 0 ? endpoint : endpoint.substring(0, colon);
    }

    /** When the uplink changed (as the model applied it): a gap across one proves no timeout (at most a few). */
    private final List<Long> uplinkChanges = new ArrayList<>();

    @Override
    public void uplink(dev.natrecon.detect.UplinkChange c) {
        if (uplinkChanges.size() < 1000) uplinkChanges.add(c.nanos());
    }

    private boolean acrossUplinkChange(Draft d) {
        for (long u : uplinkChanges) if (u > d.gapStart && u <= d.nanos) return true;
        return false;
    }

    @Override
    public Map<dev.natrecon.capture.Bound, Long> boundsHit() {
        return rowsNotKept == 0 ? Map.of() : Map.of(dev.natrecon.capture.Bound.KEEPALIVE_ROWS, rowsNotKept);
    }

    /** What the packet is, for the mechanism column; REGISTER expiry facts are noted on the track. */
    private static String classify(Track t, byte[] p, boolean out, long nanos, Names names) {
        if (p == null) return "other";
        if (p.length == 4 && p[0] == '\r' && p[1] == '\n' && p[2] == '\r' && p[3] == '\n') return "crlf";
        if (p.length > 0 && SipParser.isCrlfKeepalive(p, 0, p.length)) return "crlf-" + p.length;
        if (p.length >= 20 && p[0] == 0x00 && p[1] == 0x01 && (p[4] & 0xff) == 0x21 && (p[5] & 0xff) == 0x12
                && (p[6] & 0xff) == 0xa4 && (p[7] & 0xff) == 0x42) {
            return "stun";
        }
        if (p.length <= 4) return "ping-" + p.length;
        if (!looksLikeSip(p)) return "other";
        // read the start line and CSeq by hand: the full parse (for the expiry) only for REGISTER and its responses
        String cseq = header(p, "cseq");
        String c = cseq == null ? "" : cseq.trim();
        int space = c.indexOf(' ');
        long seq = space > 0 ? parseLong(c.substring(0, space)) : -1;
        String cseqMethod = space > 0 ? c.substring(space + 1).trim() : "?";
        boolean response = p.length > 12 && p[0] == 'S' && p[1] == 'I' && p[2] == 'P' && p[3] == '/';
        if (!response) {
            int sp = 0;
            while (sp < p.length && p[sp] != ' ') sp++;
            String method = new String(p, 0, sp, StandardCharsets.US_ASCII);
            boolean retransmission = out && seq >= 0 && seq == t.lastCseq && cseqMethod.equals(t.lastCseqMethod);
            if (out && seq >= 0) {
                t.lastCseq = seq;
                t.lastCseqMethod = names.intern(cseqMethod); // one shared instance, not one per flow
            }
            if ("REGISTER".equals(method) && out && !retransmission) {
                long expires = expires(p);
                if (expires >= 0) t.requestedExpires = expires;
                if (t.lastRegister != Long.MIN_VALUE) {
                    long i = nanos - t.lastRegister;
                    t.minRegisterInterval = Math.min(t.minRegisterInterval, i);
                    t.maxRegisterInterval = Math.max(t.maxRegisterInterval, i);
                }
                t.lastRegister = nanos;
                t.registers++;
            }
            return retransmission ? method + " retransmission" : method;
        }
        String code = new String(p, 8, 3, StandardCharsets.US_ASCII);
        if (!out && "REGISTER".equals(cseqMethod) && code.startsWith("2")) {
            long granted = expires(p);
            if (granted >= 0) t.grantedExpires = granted;
        }
        return "response " + code + " " + cseqMethod;
    }

    /**
     * The first Contact's expires parameter, else the Expires header, else -1: read by hand, since the full SIP
     * grammar costs more than the rest of the replay's work on a SIP packet.
     */
    private static long expires(byte[] p) {
        String contact = header(p, "contact");
        if (contact == null) contact = header(p, "m");
        if (contact != null) {
            String lower = contact.toLowerCase(java.util.Locale.ROOT);
            int at = lower.indexOf(";expires=");
            if (at >= 0) {
                int from = at + ";expires=".length(), to = from;
                while (to < lower.length() && Character.isDigit(lower.charAt(to))) to++;
                if (to > from) return parseLong(lower.substring(from, to));
            }
        }
        String e = header(p, "expires");
        return e == null ? -1 : parseLong(e.trim());
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The value of the first header {@code name} (lower case, no compact form) in the head, or null. */
    private static String header(byte[] p, String name) {
        int i = 0, n = p.length;
        while (i < n) {
            int end = i;
            while (end < n && p[end] != '\n') end++;
            int lineEnd = end > i && p[end - 1] == '\r' ? end - 1 : end;
            if (lineEnd == i) return null; // the empty line: end of the headers
            if (lineEnd - i > name.length() && matches(p, i, name)) {
                int j = i + name.length();
                while (j < lineEnd && (p[j] == ' ' || p[j] == '\t')) j++;
                if (j < lineEnd && p[j] == ':') return new String(p, j + 1, lineEnd - j - 1, StandardCharsets.US_ASCII);
            }
            i = end + 1;
        }
        return null;
    }

    private static boolean matches(byte[] p, int at, String name) {
        for (int k = 0; k < name.length(); k++) if (Character.toLowerCase((char) p[at + k]) != name.charAt(k)) return false;
        return true;
    }

    private static boolean looksLikeSip(byte[] p) {
        int n = Math.min(p.length, 8);
        String head = new String(p, 0, n, StandardCharsets.US_ASCII);
        return head.startsWith("SIP/2.0") || Character.isUpperCase(head.charAt(0));
    }

    @Override
    public void conntrack(ConntrackEvent e) {
        if (!(e instanceof ConntrackEvent.EntryExpired x)) return;
        ConntrackTuple o = x.entry().original();
        if (o.protocol() != Protocols.UDP) return;
        Track t = tracks.get(new Flow(o.protocol(), o.srcHi(), o.srcLo(), o.srcPort(), o.dstHi(), o.dstLo(), o.dstPort()));
        if (t == null) return;
        if (t.modelExpiries++ == 0) t.firstModelExpiry = x.nanos();
        t.pendingNote = Text.join(t.pendingNote, "entry " + x.entry().id() + " expired in the model at "
                + Text.time(x.nanos()));
    }

    @Override
    public void finish(DetectionContext context, Consumer<Finding> findings) {
        Timeouts timeouts = context.timeouts();
        // the lifetimes of the gaps' endpoints, in order, with and without the external one
        Map<String, List<Binding>> lifetimes = GapLifetimes.of(context.bindings(), () -> {
            java.util.Set<String> wanted = new java.util.HashSet<>();
            for (Draft d : drafts) {
                wanted.add(GapLifetimes.key(Protocols.UDP, d.track.source(), d.external, d.track.destination()));
                wanted.add(GapLifetimes.key(Protocols.UDP, d.track.source(), "*", d.track.destination()));
            }
            return wanted;
        });
        List<KeepaliveRow> out = new ArrayList<>(drafts.size());
        Map<Track, List<Draft>> exceededByTrack = new LinkedHashMap<>();
        Map<Track, Long> longest = new HashMap<>();
        Map<Track, TimeoutBound> bounds = new LinkedHashMap<>();
        for (int i = 0; i < drafts.size(); i++) {
            Draft d = drafts.get(i);
            drafts.set(i, null); // let each draft go once its row is made (the findings keep the few they need)
            Track t = d.track;
            if ((d.gone && !acrossUplinkChange(d)) || d.survived) {
                bounds.computeIfAbsent(t, k -> new TimeoutBound()).add(d);
            }
            long timeout = d.timeout >= 0 ? d.timeout : d.kind.seconds(timeouts);
            d.timeout = timeout;
            long gap = d.nanos - d.gapStart;
            d.exceeded = timeout >= 0 && gap > timeout * 1_000_000_000L;
            if (d.exceeded) exceededByTrack.computeIfAbsent(t, k -> new ArrayList<>()).add(d);
            longest.merge(t, gap, Math::max);
            // the lifetime with this external endpoint the gap's closing packet belongs to, else the flow's
            Integer id = GapLifetimes.at(lifetimes.get(GapLifetimes.key(Protocols.UDP, t.source(), d.external,
                    t.destination())), d.nanos);
            if (id == null) id = GapLifetimes.at(lifetimes.get(GapLifetimes.key(Protocols.UDP, t.source(), "*",
                    t.destination())), d.nanos);
            out.add(new KeepaliveRow(id == null ? 0 : id, t.source(), d.external, t.destination(),
                    d.out ? "out" : "in", d.mechanism, d.gapStart, d.nanos, gap / 1e9, timeout, d.kind.label,
                    d.exceeded, d.lanFrame, d.wanFrame, d.note));
        }
        rows = java.util.Collections.unmodifiableList(out); // not copied: 200,000 rows once, not twice
        drafts.clear();
        for (Map.Entry<Track, TimeoutBound> e : bounds.entrySet()) {
            if (e.getValue().shortestGone != null && !exceededByTrack.containsKey(e.getKey())) {
                findings.accept(fromTheRoutersDump(timeouts)
                        ? deletedBeforeItsTimeout(e.getKey(), e.getValue(), timeouts)
                        : expiredWithinTheTimeouts(e.getKey(), e.getValue(), timeouts));
            }
        }
        for (Map.Entry<Track, List<Draft>> e : exceededByTrack.entrySet()) {
            Track t = e.getKey();
            List<Draft> gaps = e.getValue();
            Draft worst = gaps.get(0);
            for (Draft d : gaps) if (d.nanos - d.gapStart > worst.nanos - worst.gapStart) worst = d;
            long distinct = gaps.stream().mapToLong(d -> d.gapStart).distinct().count();
            boolean consequence = !t.portChanges.isEmpty() || t.unanswered > 0;
            Finding.Builder b = t.evidence().severity(consequence ? Severity.ERROR : Severity.WARNING)
                    .subject("udp " + t.lan.source() + " <-> " + t.lan.destination());
            for (Draft d : gaps) {
                b.at(d.gapStart).at(d.nanos).frame("lan", d.lanFrame).frame("wan", d.wanFrame);
            }
            // the packets that opened the long gaps too
            for (Draft d : gaps) b.frame("lan", d.prevLanFrame).frame("wan", d.prevWanFrame);
            StringJoiner evidence = new StringJoiner("; ");
            if (!t.portChanges.isEmpty()) evidence.add(String.join(", ", t.portChanges));
            if (t.unanswered > 0) {
                evidence.add(t.unanswered + " packet" + (t.unanswered == 1 ? "" : "s")
                        + " from the far end reached the WAN with no LAN counterpart");
            }
            if (t.modelExpiries > 0) {
                evidence.add("the model's entry expired " + t.modelExpiries + " time" + (t.modelExpiries == 1 ? "" : "s")
                        + " (first DESTROY at " + Text.time(t.firstModelExpiry) + ")");
            }
            String mechanisms = mechanisms(t);
            b.message(String.format(Locale.ROOT, "%d gap%s on udp %s <-> %s exceeded the conntrack timeout in force "
                                    + "(longest %.1f s against %d s %s, %s); %s. Keepalives: %s.%s",
                            distinct, distinct == 1 ? "" : "s", t.lan.source(), t.lan.destination(),
                            (worst.nanos - worst.gapStart) / 1e9, worst.timeout, worst.kind.label,
                            worst.kind.sysctl(),
                            evidence.length() == 0 ? "the captures show no consequence yet"
                                    : "the binding expired: " + evidence,
                            mechanisms, registration(t, timeouts)))
                    .filterWithEvidence("lan", t.lan.displayFilterBothWays())
                    .conntrack(t.view == null ? "" : dev.natrecon.conntrack.EventFormat.entry(t.view.view()))
                    .detail("gaps over the timeout", distinct)
                    .detail("longest gap s", String.format(Locale.ROOT, "%.3f", longest.get(t) / 1e9))
                    .detail("timeouts", "unreplied " + TimeoutKind.UNREPLIED.seconds(timeouts) + " s, stream "
                            + TimeoutKind.STREAM.seconds(timeouts) + " s, sip helper "
                            + TimeoutKind.HELPER.seconds(timeouts) + " s")
                    .detail("mechanisms", mechanisms);
            // the WAN evidence may be on the binding's new external port, outside the first WAN flow
            if (t.wan != null) b.filterWithEvidence("wan", t.wan.displayFilterBothWays());
            TimeoutBound bound = bounds.get(t);
            if (bound != null && bound.shortestGone != null) b.detail("timeout bound", bound.text());
            registrationDetails(b, t);
            findings.accept(b.build());
        }
    }

    private static void registrationDetails(Finding.Builder b, Track t) {
        if (t.requestedExpires >= 0) b.detail("REGISTER expires requested s", t.requestedExpires);
        if (t.grantedExpires >= 0) b.detail("REGISTER expires granted s", t.grantedExpires);
        if (t.registers > 1) {
            b.detail("REGISTER interval s", range(t.minRegisterInterval, t.maxRegisterInterval));
        }
    }

    /**
     * What the captures alone say of a binding's timeout: the shortest gap after which the entry was provably gone
     * (an upper bound: it expired within it) and the longest it provably survived (a far-end packet delivered through
     * it after that long: a lower bound).
     */
    private static final class TimeoutBound {
        Draft shortestGone, longestSurvived;

        void add(Draft d) {
            long gap = d.nanos - d.gapStart;
            if (d.gone && (shortestGone == null || gap < shortestGone.nanos - shortestGone.gapStart)) shortestGone = d;
            if (d.survived && (longestSurvived == null || gap > longestSurvived.nanos - longestSurvived.gapStart)) {
                longestSurvived = d;
            }
        }

        /** "under 6.0 s (gone 6.0 s after lan frame 9: wan frame 10)", with the lower bound when one is known. */
        String text() {
            double upper = (shortestGone.nanos - shortestGone.gapStart) / 1e9;
            String proof = shortestGone.lanFrame == 0 ? "wan frame " + shortestGone.wanFrame + " refused"
                    : "lan frame " + shortestGone.lanFrame + " given another port";
            String s = String.format(Locale.ROOT, "under %.1f s (the entry was gone %.1f s after lan frame %d: %s)",
                    upper, upper, shortestGone.prevLanFrame, proof);
            if (longestSurvived == null) return s;
            double lower = (longestSurvived.nanos - longestSurvived.gapStart) / 1e9;
            // a reply right after a request proves nothing worth saying: only a second or more is a bound
            if (lower >= upper || lower < 1.0) return s;
            return String.format(Locale.ROOT, "%s; at least %.1f s (lan frame %d delivered %.1f s after lan frame %d)",
                    s, lower, longestSurvived.lanFrame, lower, longestSurvived.prevLanFrame);
        }
    }

    /** Whether both UDP timeouts are the router's own, read from its sysctl dump ("FILE:LINE"), not a profile's. */
    static boolean fromTheRoutersDump(Timeouts timeouts) {
        String u = timeouts.source(Timeouts.Key.UDP), s = timeouts.source(Timeouts.Key.UDP_STREAM);
        return !u.startsWith("profile") && !u.startsWith("set ") && !s.startsWith("profile") && !s.startsWith("set ");
    }

    /** A finding about the gap after which the binding was gone: subject, times, the frames around it, filters. */
    private static Finding.Builder goneAt(Track t, TimeoutBound bound, Severity severity) {
        Draft d = bound.shortestGone;
        Finding.Builder b = t.evidence().severity(severity).subject("udp " + t.lan.source() + " <-> " + t.lan.destination())
                .at(d.gapStart).at(d.nanos).frame("lan", d.prevLanFrame).frame("wan", d.prevWanFrame)
                .frame("lan", d.lanFrame).frame("wan", d.wanFrame).filterWithEvidence("lan", t.lan.displayFilterBothWays());
        return t.wan == null ? b : b.filterWithEvidence("wan", t.wan.displayFilterBothWays());
    }

    /** What proves the binding gone: its external port changed, far-end packets found no LAN counterpart. */
    private static String goneEvidence(Track t) {
        StringJoiner evidence = new StringJoiner("; ");
        if (!t.portChanges.isEmpty()) evidence.add(String.join(", ", t.portChanges));
        if (t.unanswered > 0) {
            evidence.add(t.unanswered + " packet" + (t.unanswered == 1 ? "" : "s")
                    + " from the far end reached the WAN with no LAN counterpart");
        }
        return evidence.toString();
    }

    /** "30 s unreplied (source), 120 s assured (source)": the UDP timeouts the model used and where they came from. */
    private static String udpTimeouts(Timeouts timeouts) {
        return String.format(Locale.ROOT, "%d s unreplied (%s), %d s assured (%s)",
                TimeoutKind.UNREPLIED.seconds(timeouts), timeouts.source(Timeouts.Key.UDP),
                TimeoutKind.STREAM.seconds(timeouts), timeouts.source(Timeouts.Key.UDP_STREAM));
    }

    /**
     * The binding was gone before the timeouts of the router's own sysctl dump ran out: not an expiry (its timer had
     * not run out), so the entry was deleted — an operator's conntrack -D / -F, or a flush the captures do not show.
     * Information, not an error: nothing in the keepalives to fix.
     */
    private Finding deletedBeforeItsTimeout(Track t, TimeoutBound bound, Timeouts timeouts) {
        Finding.Builder b = goneAt(t, bound, Severity.INFO);
        String evidence = goneEvidence(t), dumped = udpTimeouts(timeouts);
        b.message(String.format(Locale.ROOT, "The binding udp %s <-> %s was gone (%s) after a gap %s, before the router's own "
                                + "timeouts ran out (%s): it did not expire, it was deleted (an operator's conntrack -D "
                                + "or -F, or a flush the captures do not show); the keepalives are not the cause.",
                        t.lan.source(), t.lan.destination(), evidence, bound.text(), dumped))
                .detail("gone", bound.text())
                .detail("router's timeouts", dumped);
        return b.build();
    }

    /**
     * The captures prove the binding gone although no gap exceeded the timeouts the model used, and those are not the
     * router's own (no sysctl dump: the kernel's defaults, or values set by hand). Two causes fit the captures alike
     * and none of them shows which: the router's timeout in force was shorter than assumed (then the keepalives leave
     * gaps longer than it), or the entry was deleted (conntrack -D/-F, a flush or reboot; lab: operator-flush-renumbered
     * from its captures alone, a conntrack -F 2.5 s after the flow's last packet). A warning naming both, with the
     * timeout an expiry would need bounded by the gaps seen; the router's dump tells which
     * ({@link #deletedBeforeItsTimeout}, or a gap that exceeds its timeouts).
     */
    private Finding expiredWithinTheTimeouts(Track t, TimeoutBound bound, Timeouts timeouts) {
        Finding.Builder b = goneAt(t, bound, Severity.WARNING);
        String evidence = goneEvidence(t), assumed = udpTimeouts(timeouts);
        String mechanisms = mechanisms(t);
        boolean defaults = timeouts.source(Timeouts.Key.UDP).startsWith("profile");
        b.message(String.format(Locale.ROOT, "The captures prove the binding udp %s <-> %s was gone (%s), although no gap "
                                + "exceeded the timeouts natrecon assumed (%s%s). Either the router's timeout in force "
                                + "was %s, shorter than assumed, and the keepalives leave longer gaps, or the entry was "
                                + "deleted (an operator's conntrack -D or -F, a flush or reboot the captures do not "
                                + "show); the captures cannot tell which, the router's sysctl dump can. Keepalives: %s.%s",
                        t.lan.source(), t.lan.destination(), evidence, assumed,
                        defaults ? "; no sysctl dump, so the kernel's defaults" : "; not the router's own",
                        bound.text(), mechanisms, registration(t, timeouts)))
                .conntrack(t.view == null ? "" : dev.natrecon.conntrack.EventFormat.entry(t.view.view()))
                .detail("timeout bound", bound.text())
                .detail("timeouts assumed", assumed)
                .detail("mechanisms", mechanisms);
        registrationDetails(b, t);
        b.fix("Read the router's timeouts (sysctl net.netfilter.nf_conntrack_udp_timeout and "
                + "nf_conntrack_udp_timeout_stream; pass the dump with --sysctl) to tell an expiry from a deletion. If "
                + "they are shorter than the gaps between the phone's packets, make the phone refresh its binding more "
                + "often than the bound above (CRLF keep-alive or OPTIONS), or raise the router's timeouts; if not, look "
                + "for what deleted the entry (conntrack -D/-F, a firewall reload, a reboot).");
        return b.build();
    }

    private static String range(long min, long max) {
        return min == max ? String.format(Locale.ROOT, "%.1f", min / 1e9)
                : String.format(Locale.ROOT, "%.1f-%.1f", min / 1e9, max / 1e9);
    }

    private static String mechanisms(Track t) {
        StringJoiner j = new StringJoiner(", ");
        for (Mechanism m : t.mechanisms) {
            j.add(m.name + " x" + m.count + (m.intervals == 0 ? "" : " every " + range(m.minInterval, m.maxInterval) + " s"));
        }
        return j.length() == 0 ? "none outbound" : j.toString();
    }

    private static String registration(Track t, Timeouts timeouts) {
        if (t.registers == 0) return "";
        StringBuilder sb = new StringBuilder(" Registration: ");
        sb.append(t.registers).append(" REGISTER").append(t.registers == 1 ? "" : "s");
        if (t.registers > 1) sb.append(" every ").append(range(t.minRegisterInterval, t.maxRegisterInterval)).append(" s");
        if (t.requestedExpires >= 0) sb.append(", expires ").append(t.requestedExpires).append(" s asked");
        if (t.grantedExpires >= 0) sb.append(", ").append(t.grantedExpires).append(" s granted");
        long expiry = t.grantedExpires >= 0 ? t.grantedExpires : t.requestedExpires;
        if (t.registers > 1 && expiry >= 0 && t.maxRegisterInterval > expiry * 1_000_000_000L) {
            sb.append(" (the REGISTER interval exceeds the granted expiry: the registration lapses between refreshes)");
        }
        long stream = TimeoutKind.STREAM.seconds(timeouts);
        if (t.registers > 1 && t.maxRegisterInterval > stream * 1_000_000_000L && !t.uses("crlf")
                && !t.uses("OPTIONS") && !t.uses("stun")) {
            sb.append(" (REGISTER alone refreshes less often than nf_conntrack_udp_timeout_stream)");
        }
        return sb.append('.').toString();
    }
}
