package dev.natrecon.engine;

import dev.natrecon.alg.sip.LinuxSipHelper;
import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.conntrack.EntryView;
import dev.natrecon.conntrack.OneSideUdp;
import dev.natrecon.conntrack.Timeouts;
import dev.natrecon.correlate.Crossing;
import dev.natrecon.correlate.Inside;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.sip.SipMessage;
import dev.natrecon.decode.sip.SipParser;
import dev.natrecon.decode.sip.SipVia;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The conntrack entries one capture of one side shows ({@code events} / {@code snapshot} with one capture, issue 17):
 * one UDP entry per flow that crosses the router, its states and timeouts driven by the capture's own packets as
 * {@code nf_conntrack_proto_udp.c} drives them (NEW [UNREPLIED] with {@code nf_conntrack_udp_timeout}; the first reply
 * sets SEEN_REPLY; a packet more than 2 s after the first, once replied, sets ASSURED with
 * {@code nf_conntrack_udp_timeout_stream}, Linux 5.0 and later; an entry no packet refreshes before its timeout ends is
 * destroyed then). Every field a side cannot show is marked ({@link Row#note}): guessed, or shown by what the far
 * side reported:
 *
 * <ul>
 *   <li>WAN capture: the reply tuple is the packets' own (the external endpoint is theirs); the original source (the
 *       internal endpoint) is not in the capture: a request's private top Via sent-by names it (no SIP helper rewrote
 *       it), else it is printed as the external endpoint and marked;</li>
 *   <li>LAN capture: the original tuple is the packets' own; the reply's destination (the external endpoint) is what
 *       the far side reported in a response's top Via {@code received=}/{@code rport=} (RFC 3581), else the external
 *       address the far side named for another flow with the internal port (port preserved), marked.</li>
 * </ul>
 *
 * Not shown from one capture, said in the header ({@link #CANNOT_SHOW}): TCP and ICMP entries (not listed), the SIP
 * helper (the timeouts are plain UDP's; an attached helper gives the SIP flow {@code sip_timeout}, 3600 s), entries the
 * router created for packets this side does not show (dropped, or towards its other side only), and NAT port clashes.
 * The original direction is the direction of the flow's first packet in the capture (an entry created before the
 * capture began cannot be told).
 */
public final class OneSideTable implements AnalysisSink {
    /** The header's list of what one capture cannot show. */
    public static final String CANNOT_SHOW = "TCP and ICMP entries (not listed); " + OneSideTable.HELPER_UNKNOWN
            + "; entries of "
            + "packets this side does not show (dropped by the router, or seen on its other side only); NAT port "
            + "clashes; the original direction of an entry created before the capture began";
    /**
     * The helper's name as conntrack prints it ({@code helper=sip}, struct nf_conntrack_helper.name: the kernel logs it
     * for nftables' {@code ct helper} of type "sip" on any port, lab sample helper-other-port).
     */
    static final String HELPER_NAME = "sip";
    /** The part of {@link #CANNOT_SHOW} about the SIP helper when it is not given. */
    static final String HELPER_UNKNOWN = "whether the SIP helper is attached (timeouts are plain UDP's: an attached "
            + "helper sets the SIP flow's to sip_timeout, 3600 s; --sip-helper on says it is)";
    /**
     * Flows followed at most: a ticket capture shows a few hundred; past this many further flows are counted, not
     * listed (the bound keeps a scan's or a flood's state small).
     */
    public static final int MAX_FLOWS = 65_536;

    /**
     * One line: an event (NEW, UPDATE, DESTROY; LIST in a listing) with the entry after it, and where the fields this
     * side cannot see came from: {@code guessed: ...} for a guess, {@code shown by: ...} for a field the far side
     * reported ("" for none).
     */
    public record Row(long nanos, String tag, EntryView entry, long deadlineNanos, String note) {
    }

    private static final class Key {
        long aHi, aLo, bHi, bLo;
        int aPort, bPort;

        /** Canonical order: the lower endpoint first. */
        Key set(Seen s) {
            boolean srcFirst = s.srcHi != s.dstHi ? Long.compareUnsigned(s.srcHi, s.dstHi) < 0
                    : s.srcLo != s.dstLo ? Long.compareUnsigned(s.srcLo, s.dstLo) < 0 : s.srcPort <= s.dstPort;
            aHi = srcFirst ? s.srcHi : s.dstHi;
            aLo = srcFirst ? s.srcLo : s.dstLo;
            aPort = srcFirst ? s.srcPort : s.dstPort;
            bHi = srcFirst ? s.dstHi : s.srcHi;
            bLo = srcFirst ? s.dstLo : s.srcLo;
            bPort = srcFirst ? s.dstPort : s.srcPort;
            return this;
        }

        Key copy() {
            Key k = new Key();
            k.aHi = aHi;
            k.aLo = aLo;
            k.bHi = bHi;
            k.bLo = bLo;
            k.aPort = aPort;
            k.bPort = bPort;
            return k;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.aHi == aHi && k.aLo == aLo && k.bHi == bHi && k.bLo == bLo
                    && k.aPort == aPort && k.bPort == bPort;
        }

        @Override
        public int hashCode() {
            int a = Long.hashCode(aHi * 31 + aLo), b = Long.hashCode(bHi * 31 + bLo);
            return (a * 31 + b) * 31 + aPort * 65_537 + bPort;
        }
    }

    /** One flow's current entry. */
    private static final class Flow {
        long id;
        long srcHi, srcLo, dstHi, dstLo;
        int srcPort, dstPort;
        long firstNanos, deadlineNanos, timeoutNanos;
        int status;
        boolean alive;
        /** The SIP helper is attached (given on, original dport one of its ports). */
        boolean helper;
        /** The internal endpoint (WAN) or the external one (LAN) as the capture showed it; null while guessed. */
        String knownAddress;
        int knownPort = -1;
        String knownFrom = "";
    }

    private Side side;
    private final Timeouts timeouts;
    private final ModelSettings.SipHelper sipHelper;
    private final List<Integer> sipPorts;
    private final Inside inside;
    private final Key scratch = new Key();
    private final long[] timeout = new long[1];
    private final Map<Key, Flow> flows = new HashMap<>();
    private final List<Flow> order = new ArrayList<>();
    private final List<Row> rows = new ArrayList<>();
    /** Rows whose guessed fields are filled in at the end (the far side's report may come after the entry's NEW). */
    private final List<Flow> rowFlows = new ArrayList<>();
    private final List<String> externalAddresses = new ArrayList<>();
    private long nextId = 1, lastNanos = Long.MIN_VALUE, flowsNotFollowed;

    /**
     * {@code inside}: what is behind the router. The side the capture was taken on is the replay's
     * ({@link VantagePoint}, every frame of one capture carries it).
     */
    public OneSideTable(Timeouts timeouts, Inside inside) {
        this(timeouts, inside, ModelSettings.SipHelper.AUTO, List.of());
    }

    /**
     * {@code sipHelper}: whether the SIP helper is attached, as given ({@code --sip-helper}, the case settings); one
     * capture cannot tell, so only {@code ON} changes the timeouts: a UDP flow to one of {@code sipPorts} then takes
     * the helper's timeout on every packet with data, as the model's helper sets it
     * ({@link dev.natrecon.alg.sip.LinuxSipHelper#refreshSeconds}, nf_conntrack_sip.c sip_help_udp: sip_timeout).
     */
    public OneSideTable(Timeouts timeouts, Inside inside, ModelSettings.SipHelper sipHelper, List<Integer> sipPorts) {
        this.timeouts = timeouts;
        this.inside = inside;
        this.sipHelper = sipHelper;
        this.sipPorts = List.copyOf(sipPorts);
    }

    /** The header's list of what one capture cannot show, as the given SIP helper setting leaves it. */
    public String cannotShow() {
        return switch (sipHelper) {
            case ON -> CANNOT_SHOW.replace(HELPER_UNKNOWN, "the SIP helper attached as given (udp dport "
                    + sipPorts.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("none")
                    + ": sip_timeout on every packet with data, as nf_conntrack_sip.c sip_help_udp sets it), not "
                    + "shown by the capture");
            case OFF -> CANNOT_SHOW.replace(HELPER_UNKNOWN, "no SIP helper, as given, not shown by the capture");
            case AUTO -> CANNOT_SHOW;
        };
    }

    @Override
    public void packet(Crossing c) {
        Seen s = c.seen();
        if (s.captureLabel == null) lastNanos = Math.max(lastNanos, s.nanos);
        if (side == null) side = s.side;
        if (s.disposition != Disposition.DECODED || s.protocol != ConntrackTuple.UDP || !s.hasPorts
                || s.captureLabel != null) return;
        if (Addresses.isMulticastOrBroadcast(s.dstHi, s.dstLo)) return;
        // behind the router, traffic between two inside hosts does not cross it
        if (side == Side.LAN && inside.contains(s.srcHi, s.srcLo) && inside.contains(s.dstHi, s.dstLo)) return;
        long t = s.nanos;
        Flow f = flows.get(scratch.set(s));
        if (f == null) {
            if (flows.size() >= MAX_FLOWS) {
                flowsNotFollowed++;
                return;
            }
            f = new Flow();
            flows.put(scratch.copy(), f);
            order.add(f);
        }
        if (f.alive && t >= f.deadlineNanos) destroy(f);
        if (!f.alive) create(f, s);
        else track(f, s);
        if (s.payload != null) sip(f, s);
    }

    private void create(Flow f, Seen s) {
        f.id = nextId++;
        f.srcHi = s.srcHi;
        f.srcLo = s.srcLo;
        f.dstHi = s.dstHi;
        f.dstLo = s.dstLo;
        f.srcPort = s.srcPort;
        f.dstPort = s.dstPort;
        f.firstNanos = s.nanos;
        f.status = OneSideUdp.created(s.nanos, timeouts, timeout);
        f.helper = sipHelper == ModelSettings.SipHelper.ON && sipPorts.contains(s.dstPort);
        helperTimeout(f, s);
        f.alive = true;
        f.timeoutNanos = timeout[0];
        f.deadlineNanos = s.nanos + f.timeoutNanos;
        row(f, s.nanos, "NEW");
    }

    /** nf_conntrack_proto_udp.c: udp_packet() ({@link OneSideUdp}). */
    private void track(Flow f, Seen s) {
        boolean original = s.srcHi == f.srcHi && s.srcLo == f.srcLo && s.srcPort == f.srcPort;
        int before = f.status;
        f.status = OneSideUdp.packet(f.status, f.firstNanos, s.nanos, original, timeouts, timeout);
        helperTimeout(f, s);
        f.timeoutNanos = timeout[0];
        f.deadlineNanos = s.nanos + f.timeoutNanos;
        if (f.status != before) row(f, s.nanos, "UPDATE");
    }

    /** The SIP helper's timeout over the tracker's, for a flow it is attached to (the same policy as the model's). */
    private void helperTimeout(Flow f, Seen s) {
        if (!f.helper) return;
        long seconds = LinuxSipHelper.refreshSeconds(ConntrackTuple.UDP, false, s.payloadLength > 0, timeouts);
        if (seconds >= 0) timeout[0] = seconds * 1_000_000_000L;
    }

    private void destroy(Flow f) {
        f.alive = false;
        rows.add(new Row(f.deadlineNanos, "DESTROY", view(f, f.deadlineNanos, true), f.deadlineNanos, ""));
        rowFlows.add(f);
    }

    private void row(Flow f, long t, String tag) {
        rows.add(new Row(t, tag, view(f, t, false), f.deadlineNanos, ""));
        rowFlows.add(f);
    }

    /** The picture of {@code f} at {@code t}; tuples are completed at the end ({@link #rows()}). */
    private EntryView view(Flow f, long t, boolean destroyed) {
        ConntrackTuple orig = ConntrackTuple.ports(ConntrackTuple.UDP, f.srcHi, f.srcLo, f.dstHi, f.dstLo, f.srcPort,
                f.dstPort);
        long left = destroyed ? -1 : Math.max(0, (f.deadlineNanos - t) / 1_000_000_000L);
        return new EntryView(f.id, orig, orig.invert(), f.status, null, left, f.helper ? HELPER_NAME : null, -1, -1, -1,
                -1, -1);
    }

    /** What a SIP message tells of the endpoint this side cannot see. */
    private void sip(Flow f, Seen s) {
        SipMessage m;
        try {
            m = SipParser.parse(s.payload, 0, s.payload.length).messageOrNull();
        } catch (RuntimeException e) {
            return;
        }
        if (m == null) return;
        SipVia via = m.topVia().orElse(null);
        if (via == null) return;
        long[] a = new long[2];
        if (side == Side.WAN && m.isRequest() && f.knownAddress == null && s.srcHi == f.srcHi && s.srcLo == f.srcLo
                && s.srcPort == f.srcPort && Addresses.parse(via.hostAddress(), a) && inside.contains(a[0], a[1])) {
            f.knownAddress = Addresses.format(a[0], a[1]); // the phone's own address, left alone by the router
            f.knownPort = via.portNumber() < 0 ? 5060 : via.portNumber();
            f.knownFrom = "top Via sent-by, frame " + s.frame;
        }
        if (side == Side.LAN && m.isResponse() && via.received() != null
                && Addresses.parse(via.received().text(), a) && !inside.contains(a[0], a[1])) {
            String text = Addresses.format(a[0], a[1]);
            if (!externalAddresses.contains(text) && externalAddresses.size() < 8) externalAddresses.add(text);
            // the response to the flow's original source: received/rport is that source as the far side saw it
            if (f.knownAddress == null && via.rportNumber() > 0 && s.dstHi == f.srcHi && s.dstLo == f.srcLo
                    && s.dstPort == f.srcPort) {
                f.knownAddress = text;
                f.knownPort = via.rportNumber();
                f.knownFrom = "Via received/rport, frame " + s.frame;
            }
        }
    }

    @Override
    public void finish(RunResult result) {
    }

    /**
     * The entries alive at {@code t}, in order of creation, each as its last row before {@code t} with the timeout
     * left at {@code t}.
     */
    public List<Row> at(long t) {
        Map<Long, Row> alive = new java.util.TreeMap<>();
        for (Row r : rows()) {
            if (r.nanos() > t) break;
            if (r.tag().equals("DESTROY")) alive.remove(r.entry().id());
            else alive.put(r.entry().id(), r);
        }
        List<Row> out = new ArrayList<>();
        for (Row r : alive.values()) {
            if (r.deadlineNanos() <= t) continue;
            out.add(new Row(t, "LIST", r.entry().withTimeout((r.deadlineNanos() - t) / 1_000_000_000L),
                    r.deadlineNanos(), r.note()));
        }
        return out;
    }

    /** The entries' events in time order, with the endpoints this side cannot see filled in and marked. */
    public List<Row> rows() {
        List<Row> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) out.add(complete(rows.get(i), rowFlows.get(i)));
        for (Flow f : order) {
            if (f.alive && f.deadlineNanos <= lastNanos) out.add(complete(new Row(f.deadlineNanos, "DESTROY",
                    view(f, f.deadlineNanos, true), f.deadlineNanos, ""), f));
        }
        out.sort(Comparator.comparingLong(Row::nanos));
        return out;
    }

    /** Flows past {@link #MAX_FLOWS}, not listed. */
    public long flowsNotFollowed() {
        return flowsNotFollowed;
    }

    private Row complete(Row r, Flow f) {
        EntryView v = r.entry();
        ConntrackTuple orig = v.original(), reply = v.reply();
        List<String> guessed = new ArrayList<>(), shown = new ArrayList<>();
        long[] a = new long[2];
        if (side == Side.WAN) {
            if (f.knownAddress != null && Addresses.parse(f.knownAddress, a)) {
                orig = orig.withSource(a[0], a[1], f.knownPort);
                shown.add("original src/sport, the " + f.knownFrom);
            } else {
                guessed.add("original src/sport (the internal endpoint: not in a WAN capture; printed as the external "
                        + "one)");
            }
        } else if (!inside.contains(f.srcHi, f.srcLo)) {
            guessed.add("original dst/dport (where the far side sent the first packet, the router's external "
                    + "endpoint: not in a LAN capture; printed as the internal one)");
        } else {
            if (f.knownAddress != null && Addresses.parse(f.knownAddress, a)) {
                reply = ConntrackTuple.ports(ConntrackTuple.UDP, reply.srcHi(), reply.srcLo(), a[0], a[1],
                        reply.srcPort(), f.knownPort);
                shown.add("reply dst/dport, the " + f.knownFrom);
            } else if (!externalAddresses.isEmpty() && Addresses.parse(externalAddresses.get(0), a)) {
                reply = ConntrackTuple.ports(ConntrackTuple.UDP, reply.srcHi(), reply.srcLo(), a[0], a[1],
                        reply.srcPort(), reply.dstPort());
                guessed.add("reply dport (the NAT port: the internal one, as if preserved); reply dst is the external "
                        + "address the far side named for another flow");
            } else {
                guessed.add("reply dst/dport (the external endpoint: no far side reported it; printed as the "
                        + "internal one)");
            }
        }
        String text = !guessed.isEmpty() ? "guessed: " + String.join("; ", guessed)
                : shown.isEmpty() ? "" : "shown by: " + String.join("; ", shown);
        return new Row(r.nanos(), r.tag(), v.withTuples(orig, reply), r.deadlineNanos(), text);
    }
}
