package dev.natrecon.engine;

import dev.natrecon.conntrack.Arrival;
import dev.natrecon.conntrack.ConntrackEntry;
import dev.natrecon.conntrack.ConntrackEvent;
import dev.natrecon.conntrack.ConntrackModel;
import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.conntrack.EntryView;
import dev.natrecon.conntrack.EventSink;
import dev.natrecon.conntrack.ExpectationEvent;
import dev.natrecon.conntrack.FrameRef;
import dev.natrecon.conntrack.Interfaces;
import dev.natrecon.conntrack.KernelEntry;
import dev.natrecon.conntrack.KernelTableComparison;
import dev.natrecon.conntrack.NatRuleset;
import dev.natrecon.conntrack.NatRule;
import dev.natrecon.conntrack.Timeouts;
import dev.natrecon.conntrack.Verdict;
import dev.natrecon.correlate.Crossing;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.LinkEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Feeds the matched stream to the router model: decides which frames are packets arriving at the router (a LAN frame
 * whose copy appears later on the WAN, or that the WAN never shows; a WAN frame to the router whose copy appears later
 * on the LAN, or none), where each went (the other capture's copy, none although that capture was running, the router
 * itself), and what the router made of it (the copy's tuple), then hands the model's events on.
 *
 * <p>Frames that leave the router (the second copy of a matched pair) are not fed: the model saw the packet when it
 * arrived. Model time is the packet's corrected time; frames come in merged order, so it never goes backwards.
 */
final class ConntrackReplay {
    private final ConntrackModel model;
    private final Timeouts timeouts;
    private final ModelSettings settings;
    /** The model's entries by tuple, for the crossings (one reference, not one per packet). */
    private final Crossing.EntryLookup entryLookup;
    /** Decides how each frame crossed the router; owns inside-ness and the router's addresses. */
    private final dev.natrecon.correlate.CrossingClassifier crossings;
    private final Arrival arrival = new Arrival();
    /** Where the model's events go: the sinks, or after the captures' end {@link #afterEnd}. */
    private EventSink out;
    private final List<String> decisions;
    private final List<Long> snapshots;
    private final List<TableSnapshot> taken = new ArrayList<>();
    private int nextSnapshot;
    /** Whether the model runs the SIP helper: as configured, or as the captures decided under AUTO. */
    private final boolean helperOn;
    /** AUTO: the transports and ports the captures show the helper on, decided before the replay; else null. */
    private final SipHelperDecision autoHelper;

    /** Whether the model ran the SIP helper (as configured, or as the captures decided under AUTO). */
    boolean helperOn() {
        return helperOn;
    }
    private long lastNanos = Long.MIN_VALUE;
    private final String wanIf;
    private boolean inferredNat;
    /** Uplinks no capture shows and the packets that took them (settings), or null. */
    private final OtherPath otherPath;
    /** Infers the router's link, address and entry history from the captures (owns the WAN address in the model). */
    private final RouterHistory history;
    private final List<ModelSettings.LinkChange> linkChanges = new ArrayList<>();
    private int nextLinkChange;
    /** Origin of relative link-change times: the first packet of the reference capture. */
    private final long originNanos;
    private final Map<String, Long> divergences = new TreeMap<>();
    /** Told every uplink change the model applies (detectors read them). */
    private java.util.function.Consumer<dev.natrecon.detect.UplinkChange> uplinkListener = c -> {
    };

    void onUplinkChange(java.util.function.Consumer<dev.natrecon.detect.UplinkChange> listener) {
        uplinkListener = listener;
    }

    private void uplink(long t, dev.natrecon.detect.UplinkChange.Kind kind, String address, String source) {
        uplinkListener.accept(new dev.natrecon.detect.UplinkChange(t, kind, address, source));
    }

    private final long[] arrivals = new long[Arrival.Ingress.values().length];
    private final long[] verdicts = new long[Verdict.values().length];
    private final Map<String, Long> events = new TreeMap<>();
    private final Map<String, Long> natPorts = new TreeMap<>();
    private final TableGauge gauge;

    /**
     * @param externalAddresses the router's WAN addresses learnt from translations
     * @param sink              receives every model event, in order
     * @param samples           receives the table's size per second in which it changed
     */
    ConntrackReplay(ModelSettings settings, dev.natrecon.correlate.CrossingClassifier crossings, long originNanos,
                    List<String> decisions, EventSink sink, java.util.function.Consumer<TableSample> samples) {
        this(settings, SipHelperDecision.none("no captures surveyed"), crossings, originNanos, decisions, sink, samples);
    }

    /** @param helper the SIP helper as the captures decided it before the replay (used under AUTO) */
    ConntrackReplay(ModelSettings settings, SipHelperDecision helper, dev.natrecon.correlate.CrossingClassifier crossings,
                    long originNanos, List<String> decisions, EventSink sink,
                    java.util.function.Consumer<TableSample> samples) {
        this.settings = settings;
        this.originNanos = originNanos;
        this.timeouts = settings.timeouts();
        this.decisions = decisions;
        this.crossings = crossings;
        String lanIf = settings.lanInterface(), wanIf = settings.wanInterface();
        this.wanIf = wanIf;
        String wanAddress = null;
        Interfaces ifs = Interfaces.of(lanIf, wanIf);
        for (String r : settings.routerAddresses()) {
            long[] t = new long[2];
            if (!Addresses.parse(r, t)) continue;
            NatRule.Prefix net = crossings.inside().networkOf(t[0], t[1]);
            if (net != null) {
                ifs.address(lanIf, r + "/" + net.toString().substring(net.toString().indexOf('/') + 1));
            } else if (crossings.isInside(t[0], t[1])) {
                ifs.address(lanIf, r); // no LAN network given: the address alone
            } else if (wanAddress == null) {
                wanAddress = r; // the first outside address is the WAN's (later ones arrive by link changes)
            }
        }
        if (wanAddress == null && crossings.firstExternal() != null) {
            wanAddress = crossings.firstExternal();
            decisions.add("model WAN address: " + wanAddress + " (learnt from the translations)");
        }
        if (wanAddress != null) ifs.address(wanIf, wanAddress + (settings.wanNetwork() == null ? "" : settings.wanNetwork()));
        OtherPath given = OtherPath.of(settings, ifs, decisions);
        // from the captures alone, an uplink no capture shows is inferred when the captures prove one (RouterHistory)
        boolean infer = given == null && settings.ruleset() == null && !settings.givesLinkChanges();
        this.otherPath = infer ? OtherPath.inferred(wanIf, decisions) : given;
        NatRuleset ruleset;
        if (settings.ruleset() != null) {
            ruleset = NatRuleset.parse(settings.ruleset(), settings.natSource() == null ? "ruleset" : settings.natSource());
            decisions.add("model NAT: " + ruleset.rules().size() + " rule(s) and " + ruleset.helpers().size()
                    + " helper rule(s) from " + (settings.natSource() == null ? "the given ruleset" : settings.natSource())
                    + (ruleset.warnings().isEmpty() ? "" : "; " + String.join("; ", ruleset.warnings())));
        } else {
            inferredNat = true;
            ruleset = NatRuleset.parse("table ip nat {\n chain postrouting {\n  type nat hook postrouting priority srcnat;\n"
                    + "  oifname \"" + wanIf + "\" masquerade\n"
                    + (infer ? "  oifname \"" + OtherPath.INFERRED + "\" masquerade\n" : "")
                    + " }\n}\ntable ip6 nat {\n chain postrouting {\n"
                    + "  type nat hook postrouting priority srcnat;\n  oifname \"" + wanIf + "\" masquerade\n }\n}\n");
            decisions.add("model NAT: inferred: masquerade on the WAN interface (no ruleset given; where the router "
                    + "translated otherwise the model takes what the captures show and records a divergence)");
        }
        java.util.function.Function<ConntrackTuple, String> helpers = ruleset.helpers().isEmpty() ? this::helperFor
                : ruleset.helperFunction();
        boolean auto = ruleset.helpers().isEmpty() && settings.sipHelper() == ModelSettings.SipHelper.AUTO;
        this.autoHelper = auto ? helper : null;
        this.helperOn = !ruleset.helpers().isEmpty() || (auto ? helper.on() : settings.sipHelper() == ModelSettings.SipHelper.ON);
        if (auto) decisions.addAll(helper.describe());
        this.model = new ConntrackModel(timeouts, ruleset.rules(), helpers, ifs);
        this.entryLookup = model::find;
        this.history = new RouterHistory(model, wanIf, wanAddress, inferredNat && !settings.givesLinkChanges(),
                crossings, decisions, c -> uplinkListener.accept(c));
        history.sysctl(settings.sysctlText());
        if (infer) history.otherPath(otherPath);
        this.carrier = new WanCarrier(wanIf, settings.sysctlText(), decisions);
        // the SIP helper under every name the router gives it ("sip", "sip-5062"…)
        java.util.Set<String> sipNames = new java.util.TreeSet<>(List.of("sip"));
        for (NatRuleset.HelperRule h : ruleset.helpers()) if (h.helper().startsWith("sip")) sipNames.add(h.helper());
        for (String n : sipNames) model.addHelper(new dev.natrecon.alg.sip.LinuxSipHelper(n));
        linkChanges.addAll(settings.linkChanges());
        // in time order (stable: a remove and an add at one instant stay in the order given)
        linkChanges.sort(java.util.Comparator.comparingLong(c -> c.relative() ? originNanos + c.nanos() : c.nanos()));
        this.gauge = new TableGauge(model.counts(), samples);
        this.out = new EventSink() {
            @Override
            public void accept(ConntrackEvent e) {
                events.merge(kind(e), 1L, Long::sum);
                if (e instanceof ConntrackEvent.EntryCreated c && c.natPort() != ConntrackEvent.NatPort.NONE) {
                    natPorts.merge(c.natPort().name().toLowerCase(Locale.ROOT), 1L, Long::sum);
                }
                if (e instanceof ConntrackEvent.Diverged d) divergences.merge(d.kind().id(), 1L, Long::sum);
                gauge.accept(e);
                sink.accept(e);
            }

            @Override
            public void expectation(ExpectationEvent e) {
                ExpectationEvent.Reason why = e instanceof ExpectationEvent.ExpectationRemoved r ? r.reason() : null;
                expectationEvents.merge(why == null ? "created" : REMOVED_KEYS.get(why), 1L, Long::sum);
                sink.expectation(e);
            }
        };
        this.snapshots = settings.snapshotNanos().stream().sorted().toList();
        decisions.add("model timeouts: profile " + timeouts.profileName() + (settings.sysctlSource() == null ? ""
                : " with " + settings.sysctlSource()) + (settings.overrides().isEmpty() ? "" : " and " + settings.overrides()));
    }

    private String helperFor(ConntrackTuple t) {
        if (!helperOn) return null;
        if (autoHelper != null) return autoHelper.attached(t.protocol(), t.dstPort()) ? "sip" : null;
        if (!settings.sipProtocols().contains(t.protocol())) return null;
        return settings.sipPorts().contains(t.dstPort()) ? "sip" : null;
    }

    static String kind(ConntrackEvent e) {
        if (e instanceof ConntrackEvent.EntryCreated) return "created";
        if (e instanceof ConntrackEvent.EntryUpdated) return "updated";
        if (e instanceof ConntrackEvent.EntryExpired) return "expired";
        if (e instanceof ConntrackEvent.EntryKilled) return "killed";
        return e.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    /**
     * One resolved frame of the merged stream, in order, as the classifier decided it crossed: the arriving copy of a
     * packet the router handled goes to the model, and the crossing gets the model's verdict.
     */
    void offer(Crossing c) {
        Seen s = c.seen();
        if (s.linkEvent != LinkEvent.NONE && s.side == Side.WAN && s.captureLabel == null) uplinkMessage(s);
        c.readTable(entryLookup);
        boolean viaOther = c.role() != Crossing.Role.ARRIVING && otherPath != null && OtherPath.inboundCandidate(c);
        if (c.role() != Crossing.Role.ARRIVING && !viaOther) return;
        if (s.nanos < lastNanos) return; // never reached: the matcher emits in merged order
        Arrival a = arrival.clear();
        boolean matched = s.counterpartFrame != 0;
        a.ingress = c.ingress();
        a.egress = c.egress();
        takeSnapshots(s.nanos);
        if (!tableProbes.isEmpty()) probeTables(s.nanos, true);
        applyLinkChanges(s.nanos);
        lastNanos = s.nanos;
        fill(a, s, c.flowRecord());
        if (matched) {
            a.observed = true;
            a.observedSrcHi = s.cpSrcHi;
            a.observedSrcLo = s.cpSrcLo;
            a.observedDstHi = s.cpDstHi;
            a.observedDstLo = s.cpDstLo;
            a.observedSrcPort = s.cpSrcPort;
            a.observedDstPort = s.cpDstPort;
            if (s.side == Side.LAN && (s.cpSrcHi != s.srcHi || s.cpSrcLo != s.srcLo)
                    && !crossings.isInside(s.cpSrcHi, s.cpSrcLo)) {
                crossings.learnExternal(s.cpSrcHi, s.cpSrcLo);
            }
        }
        if (viaOther && !otherPath.inbound(s, a, model)) return;
        arrivals[a.ingress.ordinal()]++;
        carrier.beforeArrival(s, a);
        history.beforeArrival(s, a, out);
        if (otherPath != null) otherPath.outbound(s, a, model);
        Verdict v = model.onPacket(a, out);
        verdicts[v.ordinal()]++;
        if (viaOther) return; // the crossing stays as the captures show it (a frame leaving to the LAN)
        c.modelled(v, a.tuple, entryLookup, a.payload, a.helperPayload, a.observedPayload);
        if (a.payload != null) sipPacket(c);
    }

    /** A frame as it enters the matcher, before the frames before it are resolved (see {@link RouterHistory#frameSeen}). */
    void frameSeen(Seen s) {
        history.frameSeen(s);
    }

    /** The WAN's carrier as the settings record it. */
    private final WanCarrier carrier;

    /** The WAN link went down (PADT or LCP terminate) and has not come up again (IPCP or DHCP) since. */
    private boolean uplinkDown;

    /**
     * A link-control message on the WAN: the uplink going down or coming up, and the address it came up with, as the
     * kernel's masquerade sees them (nf_nat_masquerade.c: a device going down or an address going away flushes the
     * masqueraded entries on it).
     * <ul>
     *   <li>PPPoE PADT, LCP Terminate-Request/-Ack: the link goes down (the ppp device with it).</li>
     *   <li>IPCP Configure-Ack: the link is up again; its address is learnt from the translations that follow, since
     *       both ends acknowledge an address.</li>
     *   <li>DHCP ACK: the link is up with the offered address (yiaddr); a different address than before replaces
     *       it. DHCP RELEASE: the address goes.</li>
     * </ul>
     * Skipped when the case settings give the link changes (they are the router's own record).
     */
    private void uplinkMessage(Seen s) {
        if (settings.givesLinkChanges() || s.nanos < lastNanos) return;
        long t = s.nanos;
        String what = null;
        switch (s.linkEvent) {
            case PPPOE_DISCOVERY, PPP_LCP -> {
                boolean down = s.linkEvent == LinkEvent.PPPOE_DISCOVERY ? s.linkEventCode == 0xa7
                        : s.linkEventCode == 5 || s.linkEventCode == 6;
                if (!down || uplinkDown) return;
                advance(t);
                model.onLinkDown(t, wanIf, out);
                uplinkDown = true;
                what = "WAN down (" + (s.linkEvent == LinkEvent.PPPOE_DISCOVERY ? "PPPoE PADT" : "PPP LCP terminate") + ")";
                uplink(t, dev.natrecon.detect.UplinkChange.Kind.DOWN, null, (s.linkEvent == LinkEvent.PPPOE_DISCOVERY ? "PPPoE PADT" : "PPP LCP terminate")
                        + " at " + s.side.label() + " frame " + s.frame);
            }
            case PPP_IPCP -> {
                if (s.linkEventCode != 2 || !uplinkDown) return;
                advance(t);
                model.onLinkUp(t, wanIf, out);
                uplinkDown = false;
                what = "WAN up (PPP IPCP Configure-Ack)";
                uplink(t, dev.natrecon.detect.UplinkChange.Kind.UP, null, "PPP IPCP Configure-Ack at " + s.side.label() + " frame " + s.frame);
            }
            case DHCP -> {
                String wanAddress = history.wanAddress();
                String address = Addresses.format(0, Addresses.v4(s.linkEventAddress));
                if (s.linkEventCode == 5 && s.linkEventAddress != 0) {
                    if (address.equals(wanAddress) && !uplinkDown) return; // a renewal
                    advance(t);
                    String src = "DHCP ACK at " + s.side.label() + " frame " + s.frame;
                    if (uplinkDown) {
                        model.onLinkUp(t, wanIf, out);
                        uplink(t, dev.natrecon.detect.UplinkChange.Kind.UP, null, src);
                    }
                    uplinkDown = false;
                    if (wanAddress != null && !address.equals(wanAddress)) {
                        model.onAddressRemoved(t, wanIf, wanAddress, out);
                        uplink(t, dev.natrecon.detect.UplinkChange.Kind.ADDRESS_REMOVED, wanAddress, src);
                    }
                    if (!address.equals(wanAddress)) {
                        model.onAddressAdded(t, wanIf, address, out);
                        uplink(t, dev.natrecon.detect.UplinkChange.Kind.ADDRESS_ADDED, address, src);
                    }
                    what = "WAN address " + (wanAddress == null || wanAddress.equals(address) ? "" : wanAddress + " -> ")
                            + address + " (DHCP ACK)";
                    history.wanAddress(address);
                } else if (s.linkEventCode == 7 && wanAddress != null) {
                    advance(t);
                    model.onAddressRemoved(t, wanIf, wanAddress, out);
                    uplink(t, dev.natrecon.detect.UplinkChange.Kind.ADDRESS_REMOVED, wanAddress, "DHCP RELEASE at " + s.side.label() + " frame " + s.frame);
                    what = "WAN address " + wanAddress + " released (DHCP RELEASE)";
                    history.wanAddress(null);
                } else {
                    return;
                }
            }
            default -> {
                return;
            }
        }
        lastNanos = Math.max(lastNanos, t);
        decisions.add("model link change: " + what + " at " + s.side.label() + " frame " + s.frame + ", "
                + dev.natrecon.capture.Times.iso(t));
    }

    /** Moves the model to {@code t}: the link changes at or before it first, each at its own time, then the expiries. */
    private void advance(long t) {
        applyLinkChanges(t);
        model.advanceTo(t, out);
    }

    private void applyLinkChanges(long beforeNanos) {
        while (nextLinkChange < linkChanges.size()) {
            ModelSettings.LinkChange c = linkChanges.get(nextLinkChange);
            long at = c.relative() ? originNanos + c.nanos() : c.nanos();
            if (at > beforeNanos) return;
            nextLinkChange++;
            model.advanceTo(at, out);
            if (carrier.apply(c.kind(), at)) continue; // no address, no flush: not an uplink change
            switch (c.kind()) {
                case "remove" -> {
                    if (c.precisionNanos() > 0) { // known to the precision given: the flush within that window
                        long from = Math.max(at - c.precisionNanos(), lastNanos == Long.MIN_VALUE ? at - c.precisionNanos() : lastNanos);
                        model.onAddressRemovedAround(at, wanIf, c.address(), new dev.natrecon.conntrack.Inferred(Math.min(from, at),
                                at + c.precisionNanos(), List.of(), "case settings: the WAN address " + c.address()
                                + " removed at " + dev.natrecon.capture.Times.iso(at) + " (±" + c.precisionNanos() / 1e9
                                + " s, the precision given); masquerade flushes its entries then"), out);
                    } else {
                        model.onAddressRemoved(at, wanIf, c.address(), out);
                    }
                }
                case "add" -> model.onAddressAdded(at, wanIf, c.address(), out);
                case OperatorFlush.KIND -> {
                    OperatorFlush.apply(model, c.address(), at, c.precisionNanos(), lastNanos, out);
                    decisions.add("model operator: `" + c.address() + "` at " + dev.natrecon.capture.Times.iso(at));
                    continue;
                }
                case "down" -> model.onLinkDown(at, wanIf, out);
                case "up" -> model.onLinkUp(at, wanIf, out);
                default -> throw new IllegalArgumentException("unknown link change '" + c.kind() + "'");
            }
            uplink(at, switch (c.kind()) {
                case "remove" -> dev.natrecon.detect.UplinkChange.Kind.ADDRESS_REMOVED;
                case "add" -> dev.natrecon.detect.UplinkChange.Kind.ADDRESS_ADDED;
                case "down" -> dev.natrecon.detect.UplinkChange.Kind.DOWN;
                default -> dev.natrecon.detect.UplinkChange.Kind.UP;
            }, c.address(), "case settings / --link-change");
            decisions.add("model link change: WAN " + c.kind() + (c.address() == null ? "" : " " + c.address())
                    + " at " + dev.natrecon.capture.Times.iso(at));
        }
    }

    /** The arriving frame's fields into {@code a}; its tuple is the live entry's own when one holds it (no allocation). */
    private void fill(Arrival a, Seen s, dev.natrecon.conntrack.FlowAnswer flow) {
        a.nanos = s.nanos;
        a.frame = new FrameRef(s.side.label(), s.frame);
        boolean icmp = s.protocol == ConntrackTuple.ICMP || s.protocol == ConntrackTuple.ICMPV6;
        boolean query = icmp && ConntrackTuple.invertIcmpType(s.protocol, s.icmpType) >= 0; // an ICMP type with an id
        ConntrackTuple kept = flow == null ? null : model.keptTuple(flow); // a packet of a flow seen before
        a.tuple = kept != null ? kept : model.packetTuple(flow, s.protocol, s.srcHi, s.srcLo, s.dstHi, s.dstLo,
                s.srcPort, s.dstPort, s.icmpType, s.icmpCode, s.icmpError || !query ? -1 : s.srcPort);
        a.tcpFlags = s.tcpFlags;
        if (s.tcpHeaderLength >= 20) {
            a.tcp(s.tcpSeq, s.tcpAck, s.tcpWindow, s.tcpDataLength, s.tcpHeaderLength - 20, s.tcpWindowScale,
                    s.tcpSackPermitted, s.tcpSack);
        }
        a.ipLength = s.length;
        a.payloadLength = s.payloadLength;
        a.payload = s.payload;
        a.observedPayload = s.counterpartFrame != 0 ? s.cpPayload : null;
        a.quoted = s.icmpError ? Arrival.quoted(s.innerProtocol, s.innerSrcHi, s.innerSrcLo, s.innerDstHi,
                s.innerDstLo, s.innerSrcPort, s.innerDstPort) : null;
    }


    /**
     * The model's entry holding {@code tuple} (a key of either direction), viewed at {@code nanos} with the timeout
     * left then, in the form of the model's events (no counters or timestamps); null when none does. The detectors
     * read the table through this.
     */
    EntryView view(ConntrackTuple tuple, long nanos) {
        ConntrackEntry e = model.find(tuple);
        return e == null ? null : e.view(nanos, true, false, false);
    }

    /** One kernel listing being compared: at its given instant, or on a grid from the first packet. */
    private static final class TableProbe {
        final List<KernelEntry> listing;
        final Long atNanos;
        final KernelTableComparison.Probe probe;
        long next;
        KernelTableComparison.Result result;

        TableProbe(List<KernelEntry> listing, Long atNanos, long origin) {
            this.listing = listing;
            this.atNanos = atNanos;
            this.probe = atNanos == null ? new KernelTableComparison.Probe(listing, KernelTableCheck.TIMEOUT_TOLERANCE_SECONDS) : null;
            this.next = atNanos == null ? origin : atNanos;
        }
    }

    private final List<TableProbe> tableProbes = new ArrayList<>();

    /** Compares the table with {@code listing} at {@code atNanos}, or, when null, at the instant it fits best. */
    int addKernelTable(List<KernelEntry> listing, Long atNanos) {
        tableProbes.add(new TableProbe(listing, atNanos, originNanos));
        return tableProbes.size() - 1;
    }

    /** The comparison of the listing {@link #addKernelTable} numbered {@code index}, after {@link #finish}. */
    KernelTableComparison.Result kernelTable(int index) {
        TableProbe p = tableProbes.get(index);
        return p.probe != null ? p.probe.result() : p.result;
    }

    /**
     * Compares the listings at every instant before {@code beforeNanos} that one of them waits for: given instants,
     * and grid instants when {@code grids}. Instants are visited in time order for all listings together, since the
     * model only moves forward.
     */
    private void probeTables(long beforeNanos, boolean grids) {
        while (true) {
            long at = Long.MAX_VALUE;
            for (TableProbe p : tableProbes) {
                if (p.probe == null ? p.result == null : grids) at = Math.min(at, p.next);
            }
            if (at == Long.MAX_VALUE || at >= beforeNanos) return;
            advance(at);
            for (TableProbe p : tableProbes) {
                if (p.next != at) continue;
                if (p.probe == null) {
                    if (p.result == null) {
                        p.result = KernelTableComparison.compare(p.listing, snapshot(at).entries(), at, false,
                                KernelTableCheck.TIMEOUT_TOLERANCE_SECONDS);
                    }
                } else if (grids) {
                    offer(p, at);
                    p.next += KernelTableCheck.GRID_NANOS;
                }
            }
        }
    }

    private void offer(TableProbe p, long at) {
        advance(at);
        p.probe.offer(at, model.entries().size(), tuple -> {
            ConntrackEntry e = model.find(tuple);
            return e == null ? null : e.view(at, true, timeouts.accounting(), timeouts.timestamps());
        }, () -> snapshot(at).entries());
    }

    private void takeSnapshots(long beforeNanos) {
        while (nextSnapshot < snapshots.size() && snapshots.get(nextSnapshot) < beforeNanos) {
            long at = snapshots.get(nextSnapshot++);
            advance(at);
            taken.add(snapshot(at));
        }
    }

    private TableSnapshot snapshot(long at) {
        List<EntryView> views = new ArrayList<>();
        for (ConntrackEntry e : model.entries()) {
            views.add(e.view(at, true, timeouts.accounting(), timeouts.timestamps()));
        }
        List<dev.natrecon.conntrack.ExpectView> exps = new ArrayList<>();
        for (dev.natrecon.conntrack.Expectation x : model.expectations()) exps.add(x.view(at, true));
        return new TableSnapshot(at, List.copyOf(views), List.copyOf(exps));
    }

    /**
     * Ends the replay: expiries up to the last packet fire (not later: the captures say nothing beyond), snapshots
     * asked for after it are taken at their time.
     */
    void finish() {
        if (lastNanos != Long.MIN_VALUE) {
            applyLinkChanges(lastNanos);
            model.advanceTo(lastNanos, out);
        }
        takeSnapshots(Long.MAX_VALUE);
        // a listing's grid ends with the captures, the table after the last packet included; a listing at a given
        // instant after them is compared then
        if (lastNanos != Long.MIN_VALUE) {
            probeTables(lastNanos + 1, true);
            for (TableProbe p : tableProbes) if (p.probe != null) offer(p, lastNanos);
        }
        gauge.flush();
        // Beyond the captures the model still ages (listings are often taken after tcpdump stopped), but what it
        // does there goes to predictExpiries, never to the sinks.
        EventSink sinks = out;
        out = EventSink.collecting(afterEnd, afterEndExpect);
        try {
            if (lastNanos != Long.MIN_VALUE) {
                for (TableProbe p : tableProbes) {
                    if (p.probe == null) continue;
                    p.next = Math.max(p.next, lastNanos + KernelTableCheck.GRID_NANOS);
                }
                probeTables(lastNanos + KernelTableCheck.AFTER_END_NANOS, true);
            }
            probeTables(Long.MAX_VALUE, false);
        } finally {
            out = sinks;
        }
    }

    /** Events of the model after the captures' end, found while comparing with kernel listings. */
    private final List<ConntrackEvent> afterEnd = new ArrayList<>();
    private final List<ExpectationEvent> afterEndExpect = new ArrayList<>();
    private final Map<String, Long> expectationEvents = new TreeMap<>();
    private static final Map<ExpectationEvent.Reason, String> REMOVED_KEYS = new java.util.EnumMap<>(ExpectationEvent.Reason.class);

    static {
        for (ExpectationEvent.Reason r : ExpectationEvent.Reason.values()) {
            REMOVED_KEYS.put(r, "removed_" + r.name().toLowerCase(Locale.ROOT));
        }
    }

    /** Helper rewrites compared with the router's: predicted, equal byte for byte, and the first that differ. */
    private long rewritesPredicted, rewritesEqual;
    private final List<String> rewriteMismatches = new ArrayList<>();
    private java.util.function.Consumer<SipPacket> rewriteListener = r -> { };

    void onSipPacket(java.util.function.Consumer<SipPacket> listener) {
        this.rewriteListener = listener;
    }

    /** A packet whose payload was kept (SIP) reached the router: counted, compared, and handed on. */
    private void sipPacket(Crossing c) {
        Seen s = c.seen();
        boolean cp = s.counterpartFrame != 0;
        SipPacket r = new SipPacket(s.nanos, c.outbound(), s.side.label(), s.frame, c.counterpartCapture(),
                s.counterpartFrame, s.nanos + s.counterpartDeltaNanos, s.protocol == ConntrackTuple.TCP,
                new long[] {s.srcHi, s.srcLo, s.srcPort}, new long[] {s.dstHi, s.dstLo, s.dstPort},
                cp ? new long[] {s.cpSrcHi, s.cpSrcLo, s.cpSrcPort} : null,
                cp ? new long[] {s.cpDstHi, s.cpDstLo, s.cpDstPort} : null, c.before(), c.predicted(), c.observed(),
                c.before() != null && c.before() == s.payload ? s.sip : null,
                c.observed() != null && c.observed() == s.cpPayload ? s.cpSip : null);
        if (r.predicted() != null && r.observed() != null) {
            rewritesPredicted++;
            if (r.predictionHolds()) rewritesEqual++;
            else if (rewriteMismatches.size() < 20) rewriteMismatches.add(s.side.label() + "#" + s.frame + " -> "
                    + s.side.other().label() + "#" + s.counterpartFrame);
        }
        rewriteListener.accept(r);
    }

    /** Expectation events after the captures' end, filled by {@link #predictExpiries}. */
    final List<ExpectationEvent> laterExpect = new ArrayList<>();

    /** Expectation events by kind ("created", "removed_used"…), for the summary. */
    Map<String, Long> expectationEvents() {
        return new TreeMap<>(expectationEvents);
    }

    /** After {@link #finish}: the expiries of the entries still alive, as the model would report them later. */
    List<ConntrackEvent> predictExpiries() {
        List<ConntrackEvent> later = new ArrayList<>(afterEnd);
        laterExpect.addAll(afterEndExpect);
        model.advanceTo(Long.MAX_VALUE / 2, EventSink.collecting(later, laterExpect));
        return later;
    }

    List<TableSnapshot> snapshots() {
        return taken;
    }

    ModelSummary summary() {
        Map<String, Long> in = new LinkedHashMap<>();
        for (Arrival.Ingress i : Arrival.Ingress.values()) in.put(i.name().toLowerCase(Locale.ROOT), arrivals[i.ordinal()]);
        Map<String, Long> v = new LinkedHashMap<>();
        for (Verdict x : Verdict.values()) if (verdicts[x.ordinal()] > 0) v.put(x.name().toLowerCase(Locale.ROOT), verdicts[x.ordinal()]);
        List<String> lines = new ArrayList<>(timeouts.describe());
        return new ModelSummary(lines, in, v, new TreeMap<>(events), new TreeMap<>(natPorts), gauge.peak, gauge.peakNanos,
                model.entries().size(), lastNanos == Long.MIN_VALUE ? 0 : lastNanos, new TreeMap<>(divergences),
                model.stats().conntrackS(0), expectationEvents(), model.expectations().size(), rewritesPredicted,
                rewritesEqual, List.copyOf(rewriteMismatches));
    }
}
