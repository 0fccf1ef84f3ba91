package dev.natrecon.conntrack;

import dev.natrecon.conntrack.ConntrackEvent.Diverged;
import dev.natrecon.conntrack.ConntrackEvent.EntryCreated;
import dev.natrecon.conntrack.ConntrackEvent.EntryUpdated;
import dev.natrecon.conntrack.ConntrackEvent.NatPort;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Function;

/**
 * The packet path of nf_conntrack_core.c: nf_conntrack_in (timers first, then the ICMP error path or the lookup),
 * resolve_normal_ct (direction and ctinfo), the protocol tracker, the helper's timeout, init_conntrack for a miss
 * (allocate, expectation, NAT from the rules, the tracker's first packet) and the confirm that inserts the entry only
 * when the packet got through; with nf_nat_core.c:nf_nat_inet_fn's kill of a masqueraded entry whose packet leaves
 * through another interface. Status changes of a packet dropped after PREROUTING wait on the entry for the next
 * packet that passes confirm (nf_conntrack_core.h:nf_conntrack_confirm).
 */
final class ConntrackCore {
    private final ConntrackTable table;
    private final ExpectationTable expectations;
    private final ConntrackHelpers helpers;
    private final NatTranslator nat;
    private final ConntrackStats stats;
    /** the helper a new entry gets from the ruleset, by its tuple, or null */
    private final Function<ConntrackTuple, String> helperRules;
    private final UdpTracker udp;
    private final TcpTracker tcp;
    private final IcmpTracker icmp;
    private final GenericTracker generic;
    /** The status changes of the packet being tracked; reused, copied into the event that reports them. */
    private final EnumSet<Change> changes = EnumSet.noneOf(Change.class);
    /** Told of a LAN packet whose copy contradicts its entry's NAT (see {@link ConntrackModel#onContradiction}). */
    ConntrackModel.Contradiction contradiction;
    /** A new entry's first packet's changes, which no event reports (NEW says it all); reused. */
    private final EnumSet<Change> unreported = EnumSet.noneOf(Change.class);

    ConntrackCore(ConntrackTable table, ExpectationTable expectations, ConntrackHelpers helpers,
                  NatTranslator nat, Function<ConntrackTuple, String> helperRules, ConntrackStats stats) {
        this.table = table;
        this.expectations = expectations;
        this.helpers = helpers;
        this.nat = nat;
        this.stats = stats;
        this.helperRules = helperRules;
        this.udp = new UdpTracker(table.timeouts(), table);
        this.tcp = new TcpTracker(table.timeouts(), table);
        this.icmp = new IcmpTracker(table.timeouts(), table, stats, helpers);
        this.generic = new GenericTracker(table.timeouts(), table);
    }

    /** nf_conntrack_in for one packet as it arrived at the router. */
    Verdict in(Arrival a, EventSink sink) {
        if (a.tuple.isIcmp()) {
            Verdict v = icmp.error(a, sink);
            if (v != null) return v;
        }
        return track(a, sink);
    }

    private TrackStep tracker(ConntrackEntry e, int dir, long t, Arrival a, EnumSet<Change> changes) {
        return switch (e.original.protocol()) {
            case ConntrackTuple.UDP -> udp.packet(e, t, changes);
            case ConntrackTuple.TCP -> tcp.packet(e, dir, t, a, changes);
            case ConntrackTuple.ICMP, ConntrackTuple.ICMPV6 -> icmp.packet(e, t);
            default -> generic.packet(e, t);
        };
    }

    private Verdict track(Arrival a, EventSink sink) {
        table.advanceTo(a.nanos, sink);
        long t = Math.max(a.nanos, table.now());
        FrameRef frame = a.frame;
        ConntrackEntry e = table.find(a.tuple);
        if (e == null) return counted(create(t, a, sink));
        int dir = table.lastDirection();
        if (dir == 0 && contradiction != null && translatedOtherwise(e, a) && contradiction.entryGone(e, a, sink)) {
            return counted(create(t, a, sink)); // the kernel never re-NATs an entry: this packet made a new one
        }
        // ctinfo is decided at lookup, before the tracker runs (resolve_normal_ct)
        boolean established = dir == 1 || e.has(Status.SEEN_REPLY);
        changes.clear();
        TrackStep step = tracker(e, dir, t, a, changes);
        switch (step) {
            case KILL -> {
                table.count(e, dir, a.ipLength); // nf_ct_kill_acct: counted, then deleted
                table.kill(e, t, frame, "only a RST answered", sink);
                return Verdict.ESTABLISHED;
            }
            case REOPEN -> {
                table.kill(e, t, frame, "SYN reopened a closed connection", sink);
                return counted(create(t, a, sink));
            }
            case INVALID -> {
                stats.invalid++;
                return Verdict.INVALID;
            }
            default -> {
            }
        }
        if (step != TrackStep.IGNORED) table.count(e, dir, a.ipLength); // ignored TCP packets return before nf_ct_refresh_acct
        e.lastFrame = frame;
        // the helper (and its nf_ct_refresh) runs at confirmation, which a packet dropped after PREROUTING (routing,
        // filter) never reaches, nor one killed by masquerade's oif check in POSTROUTING's NAT (below)
        boolean oifChanged = dir == 0 && e.masqInterface != null && a.egress != Arrival.Egress.DROPPED && oifWouldChange(e, a);
        if (a.egress != Arrival.Egress.DROPPED && !oifChanged) helpers.applyTimeout(e, established, a.payloadLength > 0, t);
        if (dir == 1 && !e.has(Status.SEEN_REPLY)) { // set after the tracker ran (nf_conntrack_in)
            table.setStatus(e, Status.SEEN_REPLY);
            changes.add(Change.SEEN_REPLY);
        }
        // dropped after PREROUTING (routing, filter): the events wait on the entry, and the helper, which runs at
        // confirmation (nf_conntrack_proto.c:nf_confirm, POSTROUTING/INPUT), never saw it: the tracker's timeout stays
        // (lab: outage-no-route-snat, the entry [ASSURED] with the UDP stream timeout, 120 s, not the helper's 3600 s)
        if (a.egress == Arrival.Egress.DROPPED) {
            e.addPending(changes); // until the router's ICMP error about it delivers them (IcmpTracker)
            return Verdict.DROPPED;
        }
        if (oifChanged) {
            killOifChanged(e, t, a, sink);
            return Verdict.DROPPED;
        }
        String helperDrop = helpers.run(e, dir, established, t, a, sink);
        if (helperDrop != null) { // dropped at confirm: its status changes wait for the next accepted packet
            e.addPending(changes);
            ConntrackHelpers.dropped(e, t, frame, helperDrop, sink, false);
            helperDropForwarded(e, t, a, helperDrop, sink);
            return Verdict.DROPPED;
        }
        java.util.EnumSet<Change> cached = e.takePending();
        if (cached != null) changes.addAll(cached);
        if (!changes.isEmpty()) {
            long earliest = changes.contains(Change.ASSURED) && e.streamPossibleNanos != Long.MIN_VALUE
                    ? Math.min(t, e.streamPossibleNanos) : t;
            sink.accept(new EntryUpdated(t, frame, e.view(t, true, false, false),
                    Collections.unmodifiableSet(EnumSet.copyOf(changes)), earliest));
        }
        if (a.observed) e.observed(t, frame); // the captures saw it leave: the entry's NAT at work
        return step == TrackStep.IGNORED ? Verdict.IGNORED : Verdict.ESTABLISHED;
    }

    /**
     * nf_nat_core.c:nf_nat_inet_fn → nf_nat_oif_changed: a masqueraded entry's packet that leaves through another
     * interface than the entry's kills the entry (nf_ct_kill_acct, which counts the packet a second time) and is
     * dropped; a divergence when the captures show it forwarded.
     */
    private void killOifChanged(ConntrackEntry e, long t, Arrival a, EventSink sink) {
        NatTranslator.Route route = nat.route(a, e.reply.invert());
        table.count(e, 0, a.ipLength);
        String reason = "masquerade: left through " + route.oif() + " instead of " + e.masqInterface
                + " (nf_nat.h:nf_nat_oif_changed)";
        EntryView v = table.kill(e, t, a.frame, reason, sink);
        if (a.observed) {
            sink.accept(new Diverged(t, a.frame, v, Divergence.FORWARDED_BUT_DROPPED, "Linux drops it and kills "
                    + "the entry: " + reason + "; the captures show it forwarded"));
        }
    }

    /** Whether the packet leaves through another interface than the one {@code e} was masqueraded on. */
    private boolean oifWouldChange(ConntrackEntry e, Arrival a) {
        if (a.egress == Arrival.Egress.UNKNOWN && a.egressInterface == null) return false;
        String oif = nat.outInterface(a, e);
        return oif != null && !oif.equals(e.masqInterface);
    }

    /** The helper's drop, contradicted by the captures (the packet was seen leaving): a divergence. */
    private static void helperDropForwarded(ConntrackEntry e, long t, Arrival a, String reason, EventSink sink) {
        if (!a.observed) return;
        sink.accept(new Diverged(t, a.frame, e.view(t, true, false, false), Divergence.HELPER_DROP_FORWARDED,
                "the " + e.helper + " helper drops it (" + reason.replace("\n", "; ") + "); the captures show it "
                        + "forwarded"));
    }

    private Verdict counted(Verdict v) {
        if (v == Verdict.INVALID) stats.invalid++;
        return v;
    }

    /**
     * init_conntrack and confirm for a packet that found no entry. Allocated in PREROUTING, before routing: a full
     * table evicts (or drops) even for a packet routing drops later. Only a packet that reaches POSTROUTING/LOCAL_IN
     * confirms its entry (reference §1, §6); a dropped packet whose entry would get a helper is tried through the
     * helper, which may be what dropped it.
     */
    private Verdict create(long t, Arrival a, EventSink sink) {
        FrameRef frame = a.frame;
        ConntrackTuple tuple = a.tuple;
        if (tuple.isIcmp() && !IcmpTracker.invertible(tuple)) return Verdict.INVALID;
        if (!table.allocate(t, frame, tuple, sink)) return Verdict.DROPPED;
        if (tuple.protocol() == ConntrackTuple.TCP) {
            if (!tcp.creates(a.tcpFlags)) return Verdict.INVALID;
        } else if (tuple.isIcmp() && !IcmpTracker.creates(tuple)) {
            return Verdict.INVALID; // an echo reply (or other reply) cannot create an entry
        }
        // init_conntrack looks for an expectation first, and uses it up even if the packet dies later
        Expectation exp = expectations.expected(tuple, t, frame, sink);
        String helper = exp != null && exp.helper != null ? exp.helper : helperRules.apply(tuple);
        boolean trial = a.egress == Arrival.Egress.DROPPED;
        if (trial && (a.payload == null || helper == null || !helpers.has(helper))) return Verdict.DROPPED;
        NatTranslator.Result r = nat.translate(a, exp == null ? null : helpers.expectedNat(exp, tuple));
        if (r.dropReason != null) {
            if (!trial) neverConfirmed(t, a, helper, r, sink);
            return Verdict.DROPPED;
        }
        ConntrackEntry e = entry(t, a, r, exp, helper);
        unreported.clear();
        if (tuple.protocol() == ConntrackTuple.TCP) TcpTracker.startWindowTracking(e, a);
        if (tracker(e, 0, t, a, unreported) != TrackStep.ACCEPTED) {
            table.unallocate(); // never confirmed: the unconfirmed entry dies with the packet
            return Verdict.INVALID;
        }
        table.count(e, 0, a.ipLength);
        helpers.applyTimeout(e, false, a.payloadLength > 0, t);
        String helperDrop = trial ? trial(e, t, a, sink) : helpers.run(e, 0, false, t, a, sink);
        if (trial && helperDrop == null) {
            table.unallocate();
            return Verdict.DROPPED;
        }
        if (helperDrop != null) { // never confirmed: what its helper announced goes with it
            expectations.unlinkAllOf(e, t, frame, ExpectationEvent.Reason.MASTER_GONE, sink);
            table.unallocate();
            ConntrackHelpers.dropped(e, t, frame, helperDrop, sink, true);
            helperDropForwarded(e, t, a, helperDrop, sink);
            return Verdict.DROPPED;
        }
        table.insert(e);
        if (a.observed) e.observed(t, frame);
        EntryView v = e.view(t, true, false, false);
        sink.accept(new EntryCreated(t, frame, v, e.natPort));
        for (NatTranslator.Finding f : r.findings) sink.accept(new Diverged(t, frame, v, f.kind(), f.detail()));
        return Verdict.NEW;
    }

    /**
     * A LAN packet of a UDP/TCP entry whose NAT the captures saw at work, leaving with another source than the entry
     * translates to (another address or port, no NAT where it had one, NAT where it had none).
     */
    private static boolean translatedOtherwise(ConntrackEntry e, Arrival a) {
        if (!a.observed || a.ingress != Arrival.Ingress.LAN || e.observedNanos == Long.MIN_VALUE) return false;
        int p = e.original.protocol();
        if (p != ConntrackTuple.UDP && p != ConntrackTuple.TCP) return false;
        return e.reply.dstHi() != a.observedSrcHi || e.reply.dstLo() != a.observedSrcLo
                || e.reply.dstPort() != a.observedSrcPort;
    }

    /** The new entry with its NAT, status bits, master and helper (not yet in the table). */
    private ConntrackEntry entry(long t, Arrival a, NatTranslator.Result r, Expectation exp, String helper) {
        ConntrackTuple tuple = a.tuple, translated = r.translated;
        ConntrackEntry e = new ConntrackEntry(table.allocateId(), tuple, translated.invert(), t, a.frame);
        e.status = Status.CONFIRMED | Status.SRC_NAT_DONE | Status.DST_NAT_DONE;
        boolean srcChanged = translated.srcHi() != tuple.srcHi() || translated.srcLo() != tuple.srcLo()
                || translated.sourceKey() != tuple.sourceKey();
        boolean dstChanged = translated.dstHi() != tuple.dstHi() || translated.dstLo() != tuple.dstLo()
                || translated.dstPort() != tuple.dstPort();
        if (srcChanged) e.status |= Status.SRC_NAT;
        if (dstChanged) e.status |= Status.DST_NAT;
        e.natPort = srcChanged ? r.natPort : NatPort.NONE;
        e.masqInterface = r.masqInterface;
        if (exp != null) {
            e.status |= Status.EXPECTED;
            e.master = exp.master;
        }
        e.helper = helper;
        if (e.helper != null) e.status |= Status.HELPER;
        return e;
    }

    /**
     * A packet the captures show dropped, tried through its entry's helper: if the helper drops it, what the helper
     * announced is reported and its drop reason returned; if not, the packet was dropped elsewhere before the helper
     * ran, so what the trial announced is undone (evictions it caused stay) and null returned.
     */
    private String trial(ConntrackEntry e, long t, Arrival a, EventSink sink) {
        List<ExpectationEvent> announced = new ArrayList<>();
        String drop = helpers.run(e, 0, false, t, a, new EventSink() {
            @Override
            public void accept(ConntrackEvent ev) {
            }

            @Override
            public void expectation(ExpectationEvent ev) {
                announced.add(ev);
            }
        });
        if (drop != null) {
            for (ExpectationEvent ev : announced) sink.expectation(ev);
        } else {
            expectations.unlinkAllOf(e, t, a.frame, null, EventSink.IGNORE);
        }
        return drop;
    }

    /**
     * NAT refused the new entry (no free port, a clash): never confirmed. When the captures contradict that, the
     * divergences picture the entry as the captures show the router had it.
     */
    private static void neverConfirmed(long t, Arrival a, String helper, NatTranslator.Result r, EventSink sink) {
        if (r.findings.isEmpty()) return;
        ConntrackTuple tuple = a.tuple;
        ConntrackTuple seen = tuple.withSource(a.observedSourceAddressKnown() ? a.observedSrcHi : tuple.srcHi(),
                a.observedSourceAddressKnown() ? a.observedSrcLo : tuple.srcLo(),
                a.observedSrcPort >= 0 && (tuple.hasPorts() || tuple.isIcmp()) ? a.observedSrcPort : tuple.sourceKey());
        if (a.observedDestinationAddressKnown() || a.observedDstPort >= 0 && tuple.hasPorts()) {
            seen = NatTranslator.withDestination(seen, a.observedDestinationAddressKnown() ? a.observedDstHi : seen.dstHi(),
                    a.observedDestinationAddressKnown() ? a.observedDstLo : seen.dstLo(),
                    a.observedDstPort >= 0 && tuple.hasPorts() ? a.observedDstPort : seen.dstPort());
        }
        EntryView v = new EntryView(0, tuple, seen.invert(), 0, null, -1, helper, -1, -1, -1, -1, -1);
        for (NatTranslator.Finding f : r.findings) sink.accept(new Diverged(t, a.frame, v, f.kind(), f.detail()));
    }
}
