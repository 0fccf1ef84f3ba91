package dev.natrecon.engine;

import dev.natrecon.conntrack.Arrival;
import dev.natrecon.conntrack.ConntrackEntry;
import dev.natrecon.conntrack.ConntrackModel;
import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.conntrack.EventSink;
import dev.natrecon.conntrack.FrameRef;
import dev.natrecon.conntrack.Inferred;
import dev.natrecon.correlate.CrossingClassifier;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Addresses;
import dev.natrecon.detect.UplinkChange;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the router went through, inferred from the captures alone, applied to the model before the packet that proves
 * it (through the same model calls as the case settings' link changes, which win when given). The rules are the
 * kernel's:
 * <ul>
 *   <li><b>No re-NAT</b>: a confirmed entry's NAT is set once (nf_nat_core.c:nf_nat_setup_info at the first packet;
 *       reference §5). A WAN copy of a LAN packet translated otherwise than the live entry of its original tuple (another
 *       external address or port, no NAT where it had one, NAT where it had none) proves that entry gone and a new one
 *       made by this packet: the model deletes the old one ({@link ConntrackModel#killInferred}) right after the last
 *       packet the captures show it handle, the window ending at this packet.</li>
 *   <li><b>Renumbering</b>: a WAN copy translated to an external address that is not the WAN's proves that address
 *       gone; masquerade flushed the entries translated to it (nf_nat_masquerade.c:masq_inet_event; reference §6). The
 *       model removes the old address within the window since its last use and adds the new one.</li>
 *   <li><b>No route</b>: a LAN packet with no WAN copy that the router answered with ICMP net/host unreachable died in
 *       routing, before confirmation, leaving no entry; with the route out of the WAN gone, the WAN lost its address or
 *       went down, and masquerade flushed the entries on it (masq_inet_event / masq_device_event) at or before that
 *       packet. Inferred only where a masqueraded entry to that destination was alive (a route the WAN had), and not
 *       where the sysctl dump sets ignore_routes_with_linkdown=1 (a carrier loss then makes the same ICMP, no flush).</li>
 *   <li><b>Routed back</b>: a LAN packet the LAN capture shows leaving the LAN again while its tuple's masqueraded
 *       entry lived: alive, the entry would have been killed and the packet dropped (nf_nat_oif_changed).</li>
 *   <li><b>Port unreachable</b>: a WAN packet to the router's address, a reply of a live entry, that the router
 *       answered with ICMP port unreachable instead of forwarding it: the entry was gone.</li>
 *   <li><b>Carrier loss</b>: a LAN packet with no WAN copy while the WAN capture is silent and the router answered no
 *       packet with ICMP no route went through conntrack and NAT and was lost at the WAN device: it is modelled as
 *       leaving through the WAN (its entry confirmed), nothing flushed.</li>
 * </ul>
 * Each inference is announced as an {@link UplinkChange} or a decision line with its window and evidence frames; the
 * model's DESTROY events carry the {@link Inferred} window.
 *
 * <p>Per packet: a few address comparisons, no table lookup (the model asks {@link #entryGone} when it finds the
 * packet's entry contradicted); nothing allocated unless an inference is made.
 */
final class RouterHistory implements ConntrackModel.Contradiction {
    private final ConntrackModel model;
    private final String wanIf;
    private final CrossingClassifier crossings;
    private final List<String> decisions;
    private final Consumer<UplinkChange> uplinks;
    /** Infer address and link events (the settings give none). */
    private final boolean addresses;
    /**
     * Whether a no-route answer proves masquerade's flush: not when the sysctl dump says an interface ignores routes
     * with link down (net.ipv4.conf.*.ignore_routes_with_linkdown=1, fib_semantics.c): there a carrier loss makes the
     * same ICMP without NETDEV_DOWN or an address removal, and nothing is flushed (lab: carrier-loss-linkdown).
     */
    private boolean noRouteFlushes = true;
    private String wanAddress;
    private long wanHi, wanLo;
    /** The last packet the captures show translated from or to the WAN address: arrival time, side, frame. */
    private long lastWanNanos = Long.MIN_VALUE;
    private Side lastWanSide;
    private long lastWanFrame;
    /** The router's own ICMP answers and the WAN capture's silences, seen as frames enter the matcher. */
    private final RouterAnswers answers;
    private int inferences;
    /** The silence (its start) for which a carrier loss was last announced. */
    private long carrierLossSince = Long.MIN_VALUE;
    /** The LAN packet being fed, whose WAN copy the model may find contradicting its entry. */
    private Seen current;
    /** The uplink no capture shows (from the captures alone), or null; and what the model did when it took over. */
    private OtherPath otherPath;
    private final UncapturedUplink uncaptured = new UncapturedUplink();

    /**
     * @param wanAddress the WAN's address at the start (given, or learnt from the first translation), or null
     * @param addresses  whether to infer address and link events (false when the settings give them)
     */
    RouterHistory(ConntrackModel model, String wanIf, String wanAddress, boolean addresses,
                  CrossingClassifier crossings, List<String> decisions, Consumer<UplinkChange> uplinks) {
        this.model = model;
        this.wanIf = wanIf;
        this.addresses = addresses;
        this.crossings = crossings;
        this.decisions = decisions;
        this.uplinks = uplinks;
        this.answers = new RouterAnswers(crossings);
        wanAddress(wanAddress);
        model.onContradiction(this);
    }

    /** Reads the router's {@code sysctl -a} dump (null: none): what it says about routes with link down. */
    void sysctl(String dump) {
        noRouteFlushes = dump == null || !IGNORE_LINKDOWN.matcher(dump).find();
        if (!noRouteFlushes) {
            decisions.add("model history: no-route answers do not prove a flush (the sysctl dump sets "
                    + "ignore_routes_with_linkdown=1: a carrier loss makes them too)");
        }
    }

    private static final java.util.regex.Pattern IGNORE_LINKDOWN = java.util.regex.Pattern.compile(
            "(?m)^net\\.ipv4\\.conf\\.[^.\\s]+\\.ignore_routes_with_linkdown\\s*=\\s*1\\s*$");

    /** The other path to activate when the captures prove an uplink no capture shows (captures alone only). */
    void otherPath(OtherPath p) {
        otherPath = p;
    }

    String wanAddress() {
        return wanAddress;
    }

    /** The WAN's address as the model now has it (a DHCP message changed it), or null. */
    void wanAddress(String address) {
        wanAddress = address;
        long[] t = new long[2];
        if (address != null && Addresses.parse(address.contains("/") ? address.substring(0, address.indexOf('/')) : address, t)) {
            wanHi = t[0];
            wanLo = t[1];
        } else {
            wanAddress = null;
        }
    }

    /** How many events were inferred so far. */
    int inferences() {
        return inferences;
    }

    /** A frame as it enters the matcher, before the frames before it are resolved ({@link RouterAnswers#frameSeen}). */
    void frameSeen(Seen s) {
        answers.frameSeen(s);
    }

    /**
     * An arriving packet, filled into {@code a}, before the model sees it: whatever it proves happened before it is
     * applied to the model first.
     */
    void beforeArrival(Seen s, Arrival a, EventSink out) {
        current = null;
        if (s.side == Side.LAN && a.ingress == Arrival.Ingress.LAN) {
            if (a.egress == Arrival.Egress.WAN && s.counterpartFrame != 0 && s.outcome != Outcome.ROUTED_BACK) {
                current = s; // the model asks entryGone() when the copy contradicts the packet's entry
                boolean translated = s.cpSrcHi != s.srcHi || s.cpSrcLo != s.srcLo;
                if (otherPath != null && otherPath.active() && translated && revealed(s, a, out)) return;
                if (addresses && translated && (s.cpSrcHi != wanHi || s.cpSrcLo != wanLo || wanAddress == null)
                        && !crossings.isInside(s.cpSrcHi, s.cpSrcLo)
                        && (wanAddress == null || Addresses.isV4(s.cpSrcHi, s.cpSrcLo) == Addresses.isV4(wanHi, wanLo))) {
                    ConntrackEntry e = model.find(a.tuple);
                    if (e == null || isOriginal(e.original(), a.tuple)) renumbered(s, out); // not a reply (DNAT)
                }
                if (wanAddress != null && s.cpSrcHi == wanHi && s.cpSrcLo == wanLo) wanUse(s);
            } else if (a.egress == Arrival.Egress.DROPPED && !addresses) {
                a.diedInRouting = answers.any() && answers.answer(s) != null;
            } else if (a.egress == Arrival.Egress.DROPPED) {
                a.diedInRouting = answers.any() && answers.answer(s) != null;
                if (!a.diedInRouting && otherPath != null && (leftElsewhere(s, out) || backOnWan(s, a, out))) return;
                if (noRouteFlushes && answers.any()) noRoute(s, a, out);
                carrierLost(s, a);
            } else if (a.egress == Arrival.Egress.LAN && s.outcome == Outcome.ROUTED_BACK) {
                routedBack(s, a, out);
            }
        } else if (s.side == Side.WAN && s.counterpartFrame != 0) {
            if (wanAddress != null && s.dstHi == wanHi && s.dstLo == wanLo) wanUse(s);
        } else if (s.side == Side.WAN && a.ingress == Arrival.Ingress.WAN && answers.any() && s.hasPorts) {
            portUnreachable(s, a, out);
        }
    }

    /**
     * {@code s} came from the WAN to the router's address and the router answered it with ICMP port unreachable: had
     * the entry whose reply it is been alive, the kernel would have de-NATed it and forwarded it to the LAN
     * (nf_nat_core.c:nf_nat_inet_fn on the entry's reply direction), so that entry was gone before it.
     */
    private void portUnreachable(Seen s, Arrival a, EventSink out) {
        RouterAnswers.Answer n = answers.answer(s);
        if (n == null) return;
        ConntrackEntry e = model.find(a.tuple);
        if (e == null || e.observedNanos() == Long.MIN_VALUE || isOriginal(e.original(), a.tuple)) return;
        FrameRef packet = new FrameRef(s.side.label(), s.frame), icmp = new FrameRef(s.side.label(), n.frame());
        Inferred why = new Inferred(e.observedNanos(), s.nanos, List.of(e.observedFrame(), packet, icmp), packet
                + " reached the router's address and the router answered it with ICMP port unreachable (" + icmp
                + ") instead of forwarding it through entry #" + e.id() + " (whose reply it is): that entry was gone "
                + "after " + e.observedFrame() + " (its last packet seen at work)");
        model.killInferred(s.nanos, e, why, out);
        record("entry #" + e.id() + " deleted", why);
    }

    private void wanUse(Seen s) {
        lastWanNanos = s.nanos;
        lastWanSide = s.side;
        lastWanFrame = s.frame;
    }

    private FrameRef lastWanUse() {
        return lastWanNanos == Long.MIN_VALUE ? FrameRef.NONE : new FrameRef(lastWanSide.label(), lastWanFrame);
    }

    /** The WAN copy of {@code s} leaves from an external address that is not the WAN's: the old address went. */
    private void renumbered(Seen s, EventSink out) {
        String now = Addresses.format(s.cpSrcHi, s.cpSrcLo);
        FrameRef proof = new FrameRef(s.side.label(), s.frame), copy = new FrameRef(s.side.other().label(), s.counterpartFrame);
        if (wanAddress != null && lastWanNanos != Long.MIN_VALUE) {
            long from = lastWanNanos;
            Inferred why = new Inferred(from, s.nanos, List.of(lastWanUse(), proof, copy), proof + "'s copy " + copy
                    + " leaves from " + now + ", not from " + wanAddress + ": the router lost " + wanAddress
                    + " after " + lastWanUse() + " (masquerade flushes the entries translated to it, "
                    + "nf_nat_masquerade.c:masq_inet_event)");
            model.onAddressRemoved(s.nanos, wanIf, wanAddress, why, out);
            uplinks.accept(new UplinkChange(from, UplinkChange.Kind.ADDRESS_REMOVED, wanAddress,
                    "inferred from " + proof + " and " + copy, why));
            record("WAN address " + wanAddress + " removed", why);
        } else if (wanAddress != null) { // the captures never showed it in use: a first guess corrected, not a change
            model.onAddressRemoved(s.nanos, wanIf, wanAddress, out);
        }
        Inferred added = new Inferred(s.nanos, s.nanos, List.of(proof, copy), "the first translation to " + now);
        model.onAddressAdded(s.nanos, wanIf, now, out);
        uplinks.accept(new UplinkChange(s.nanos, UplinkChange.Kind.ADDRESS_ADDED, now,
                "inferred: the first translation to it at " + proof, added));
        decisions.add("model WAN address: " + (wanAddress == null ? "" : wanAddress + " -> ") + now + " at " + proof
                + " (inferred: the first translation to it; the router's real change came at or before this)");
        wanAddress(now);
    }

    /**
     * The model's question ({@link ConntrackModel.Contradiction}): the WAN copy of the current packet is translated
     * otherwise than the live entry of its original tuple, whose NAT the captures saw at work: that entry died (the
     * kernel never re-NATs one) right after its last packet seen at work, and this packet makes a new one.
     */
    @Override
    public boolean entryGone(ConntrackEntry e, Arrival a, EventSink out) {
        Seen s = current;
        if (s == null || !s.hasPorts) return false;
        ConntrackTuple o = e.original(), r = e.reply();
        FrameRef proof = new FrameRef(s.side.label(), s.frame), copy = new FrameRef(s.side.other().label(), s.counterpartFrame);
        String had = r.dstHi() == o.srcHi() && r.dstLo() == o.srcLo() && r.dstPort() == o.srcPort() ? "no NAT"
                : Addresses.format(r.dstHi(), r.dstLo()) + ":" + r.dstPort();
        String now = s.cpSrcHi == s.srcHi && s.cpSrcLo == s.srcLo && s.cpSrcPort == s.srcPort ? "no NAT"
                : Addresses.format(s.cpSrcHi, s.cpSrcLo) + ":" + s.cpSrcPort;
        Inferred why = new Inferred(e.observedNanos(), s.nanos, List.of(e.observedFrame(), proof, copy),
                proof + "'s copy " + copy + " leaves with " + now + ", entry #" + e.id() + " had " + had
                        + " (last seen at work at " + e.observedFrame() + "): the kernel never re-NATs a confirmed "
                        + "entry, so it was deleted and " + proof + " created a new one");
        model.killInferred(s.nanos, e, why, out);
        record("entry #" + e.id() + " deleted", why);
        return true;
    }

    private static boolean isOriginal(ConntrackTuple o, ConntrackTuple t) {
        return o.protocol() == t.protocol() && o.srcHi() == t.srcHi() && o.srcLo() == t.srcLo()
                && o.srcPort() == t.srcPort() && o.dstHi() == t.dstHi() && o.dstLo() == t.dstLo()
                && o.dstPort() == t.dstPort();
    }

    /**
     * {@code s} arrived from the LAN and the LAN capture shows it leaving there again (a fallback route): had the
     * masqueraded entry of its tuple been alive, the kernel would have killed it and dropped the packet
     * (nf_nat_core.c:nf_nat_inet_fn → nf_nat_oif_changed); forwarded, it proves that entry gone before.
     */
    private void routedBack(Seen s, Arrival a, EventSink out) {
        ConntrackEntry e = model.find(a.tuple);
        if (e == null || e.masqInterface() == null || e.observedNanos() == Long.MIN_VALUE
                || !isOriginal(e.original(), a.tuple)) {
            return;
        }
        FrameRef packet = new FrameRef(s.side.label(), s.frame);
        List<FrameRef> evidence = s.counterpartFrame != 0
                ? List.of(e.observedFrame(), packet, new FrameRef(s.side.label(), s.counterpartFrame))
                : List.of(e.observedFrame(), packet);
        Inferred why = new Inferred(e.observedNanos(), s.nanos, evidence, packet + " was routed back out of the LAN"
                + (s.counterpartFrame != 0 ? " (" + evidence.get(2) + ")" : "") + " although entry #" + e.id()
                + " of its tuple was masqueraded on " + e.masqInterface() + ": alive, the kernel would have killed it "
                + "and dropped the packet (nf_nat_core.c:nf_nat_oif_changed), so it was gone after "
                + e.observedFrame() + " (its last packet seen at work)");
        model.killInferred(s.nanos, e, why, out);
        record("entry #" + e.id() + " deleted", why);
    }

    /**
     * {@code s} got no WAN copy while the WAN capture was silent and the router answered nothing on the LAN since the
     * silence began: the route stayed (a no-route drop answers with ICMP), so the packet went through conntrack and NAT
     * and was lost at the WAN device, its carrier gone (the qdisc drops after POSTROUTING, where the entry was
     * confirmed). Nothing was flushed: masquerade reacts to NETDEV_DOWN and address removal only (nf_nat_masquerade.c),
     * not to a carrier loss. The model takes the packet as leaving through the WAN.
     */
    private void carrierLost(Seen s, Arrival a) {
        long since = answers.silenceSince(s);
        if (since == Long.MIN_VALUE || answers.lastNoRouteNanos() >= since || answers.answer(s) != null) return;
        long frame = answers.silenceFrame();
        a.egress = Arrival.Egress.WAN;
        if (carrierLossSince == since) return;
        carrierLossSince = since;
        inferences++;
        decisions.add("model inferred: the WAN lost its carrier (no flush) between " + dev.natrecon.capture.Times.iso(since)
                + " and " + dev.natrecon.capture.Times.iso(s.nanos) + " (frames " + new FrameRef(Side.WAN.label(), frame)
                + ", " + new FrameRef(s.side.label(), s.frame) + "): " + s.side.label() + "#" + s.frame + " got no WAN "
                + "copy while the WAN capture was silent and the router answered no packet with ICMP no route: it went "
                + "through conntrack and NAT (its entry confirmed) and was lost at the WAN device; masquerade flushes on "
                + "NETDEV_DOWN and address removal only (nf_nat_masquerade.c), so the entries stay");
    }

    /** {@code s} got no WAN copy: when the router answered it with ICMP no route, the WAN's route was gone. */
    private void noRoute(Seen s, Arrival a, EventSink out) {
        RouterAnswers.Answer n = answers.answer(s);
        if (n == null || wanAddress == null) return;
        ConntrackEntry e = model.find(a.tuple);
        if (e == null || !wanIf.equals(e.masqInterface())) return; // not a route the WAN had
        FrameRef packet = new FrameRef(s.side.label(), s.frame), icmp = new FrameRef(s.side.label(), n.frame());
        long from = Math.max(lastWanNanos, e.observedNanos());
        if (from == Long.MIN_VALUE) from = s.nanos;
        FrameRef last = lastWanNanos >= e.observedNanos() ? lastWanUse() : e.observedFrame();
        Inferred why = new Inferred(from, s.nanos, List.of(last, packet, icmp), packet + " got no WAN copy and the "
                + "router answered it with ICMP unreachable (" + icmp + "): the WAN had lost its route, so its address "
                + wanAddress + " went or it went down after " + last + ", and masquerade flushed its entries "
                + "(nf_nat_masquerade.c); the packet died in routing and left no entry");
        // only reached with no ruleset given (addresses): the flush rests on the masquerade the model assumed
        if (addresses) why = why.assuming("masquerade on " + wanIf + " (no ruleset given): under SNAT the kernel keeps "
                + "the entry through the outage and these captures look the same");
        model.onAddressRemoved(s.nanos, wanIf, wanAddress, why, out);
        uplinks.accept(new UplinkChange(from, UplinkChange.Kind.ADDRESS_REMOVED, wanAddress,
                "inferred from " + packet + " and the router's ICMP " + icmp, why));
        record("WAN address " + wanAddress + " removed or WAN down", why);
        wanAddress(null);
    }

    /**
     * {@code s} got no WAN copy and no ICMP answer, and its answer reached the LAN with no WAN copy either, while the WAN
     * capture, which showed the router's translations at work before, was silent: it left and came back through an
     * uplink no capture shows. The first time, the WAN's route was gone: its address removed
     * or the WAN down after its last use, masquerade flushing its entries (nf_nat_masquerade.c; under SNAT on the WAN
     * the kernel keeps them, an assumption the inference carries); the model adds the uplink (address unknown,
     * masquerade assumed, the default route) and routes {@code s} out of it ({@link OtherPath#outbound}).
     */
    private boolean leftElsewhere(Seen s, EventSink out) {
        // only where the WAN capture showed the router's translations at work before and is silent around s: a WAN
        // capture that never showed the path (another interface, another run) proves nothing about where s went
        if (!otherPath.active() && (lastWanNanos == Long.MIN_VALUE || answers.silenceSince(s) == Long.MIN_VALUE)) return false;
        RouterAnswers.Inbound r = answers.answeredElsewhere(s);
        if (r == null) return false;
        FrameRef packet = new FrameRef(s.side.label(), s.frame), answer = new FrameRef(s.side.label(), r.frame);
        if (!otherPath.active()) {
            if (wanAddress != null) {
                long from = lastWanNanos == Long.MIN_VALUE ? s.nanos : lastWanNanos;
                FrameRef last = lastWanUse();
                Inferred why = new Inferred(from, s.nanos, List.of(last, packet, answer), packet + " got no WAN copy "
                        + "and no ICMP answer, and its answer " + answer + " reached the LAN with no WAN copy either: both "
                        + "went through an uplink no capture shows, so the WAN's route was gone (its address " + wanAddress
                        + " removed, or the WAN down) after " + last + ", and masquerade flushed the entries on it "
                        + "(nf_nat_masquerade.c)").assuming("masquerade on " + wanIf + " (no ruleset given): under SNAT "
                        + "the kernel keeps the WAN's entries through the outage");
                model.onAddressRemoved(s.nanos, wanIf, wanAddress, why, out);
                uplinks.accept(new UplinkChange(from, UplinkChange.Kind.ADDRESS_REMOVED, wanAddress,
                        "inferred from " + packet + " and " + answer, why));
                record("WAN address " + wanAddress + " removed or WAN down", why);
                uncaptured.lostWanAddress = wanAddress;
                wanAddress(null);
            }
            otherPath.activate(model);
            inferences++;
            decisions.add("model inferred: an uplink no capture shows (" + OtherPath.INFERRED + ") carried " + packet
                    + " and its answer " + answer + "; its address is not in the captures (the model writes "
                    + OtherPath.UNKNOWN_ADDRESS + " for it: not observable until a WAN copy shows it), masquerade "
                    + "assumed on it, the default route out of it from then on");
        }
        uncaptured.lastNanos = s.nanos;
        uncaptured.lastFrame = packet;
        return true;
    }

    /**
     * {@code s} got no copy anywhere and no answer, its entry was made on the uncaptured uplink (masquerade, which
     * records the interface), and the WAN capture is at work again right after it: the WAN's route is back, so the
     * kernel routed {@code s} out of the WAN, where the entry's oif no longer matches: killed and the packet dropped
     * (nf_nat_core.c:nf_nat_inet_fn → nf_nat_oif_changed), which is why no capture shows it. The model puts the WAN's
     * route back (window: since the last packet that went elsewhere) and lets its oif rule do the rest.
     */
    private boolean backOnWan(Seen s, Arrival a, EventSink out) {
        if (!otherPath.active() || !answers.wanFrameSoonAfter(s)) return false;
        ConntrackEntry e = model.find(a.tuple);
        if (e == null || !OtherPath.INFERRED.equals(e.masqInterface()) || !isOriginal(e.original(), a.tuple)) return false;
        wanBack(s, out, "got no copy anywhere and no answer while the WAN capture is at work again right after it: "
                + "routed out of the WAN, its entry #" + e.id() + " masqueraded on " + OtherPath.INFERRED
                + " was killed and the packet dropped (nf_nat_core.c:nf_nat_oif_changed)");
        return true;
    }

    /** The WAN's route back (its address re-added, the default route out of it again) just before {@code s}. */
    private void wanBack(Seen s, EventSink out, String how) {
        if (uncaptured.back) return;
        uncaptured.back = true;
        FrameRef packet = new FrameRef(s.side.label(), s.frame);
        long from = uncaptured.lastNanos == Long.MIN_VALUE ? s.nanos : uncaptured.lastNanos;
        Inferred why = new Inferred(from, s.nanos, List.of(uncaptured.lastFrame, packet), packet + " " + how
                + ": the WAN's route came back after " + uncaptured.lastFrame + " (the last packet that went elsewhere)");
        if (uncaptured.lostWanAddress != null) {
            model.onAddressAdded(s.nanos, wanIf, uncaptured.lostWanAddress, out);
            uplinks.accept(new UplinkChange(from, UplinkChange.Kind.ADDRESS_ADDED, uncaptured.lostWanAddress,
                    "inferred from " + packet, why));
            wanAddress(uncaptured.lostWanAddress);
        }
        model.defaultRoute(wanIf);
        record("WAN route back" + (uncaptured.lostWanAddress == null ? "" : " (" + uncaptured.lostWanAddress + ")"), why);
    }

    /**
     * {@code s}'s WAN copy leaves with a NAT the model did not know: the entry was made on the uncaptured uplink, whose
     * address no capture showed until now. The kernel never re-NATs a confirmed entry (nf_nat_core.c), so this is the
     * NAT it had from its first packet; and as it leaves the WAN with it, the uplink's rule records no interface
     * (SNAT: no nf_nat_oif_changed kill, unlike masquerade). The model gives the entry its NAT, the WAN's route back.
     */
    private boolean revealed(Seen s, Arrival a, EventSink out) {
        ConntrackEntry e = model.find(a.tuple);
        if (e == null || !isOriginal(e.original(), a.tuple) || !dev.natrecon.conntrack.UnknownNat.is(e.reply())) return false;
        FrameRef packet = new FrameRef(s.side.label(), s.frame), copy = new FrameRef(s.side.other().label(), s.counterpartFrame);
        wanBack(s, out, "left through the WAN (" + copy + ")");
        String nat = Addresses.format(s.cpSrcHi, s.cpSrcLo) + ":" + s.cpSrcPort;
        model.revealNat(e, s.cpSrcHi, s.cpSrcLo, s.cpSrcPort);
        // the uplink's address, known now: the answers that keep arriving through it are this entry's replies
        model.revealUplinkAddress(s.nanos, OtherPath.INFERRED, Addresses.format(s.cpSrcHi, s.cpSrcLo), out);
        inferences++;
        decisions.add("model inferred: entry #" + e.id() + "'s NAT, made on " + OtherPath.INFERRED + ", is " + nat
                + " (shown first by " + copy + ", the copy of " + packet + "): the kernel never re-NATs a confirmed entry "
                + "(nf_nat_core.c), and one that leaves the WAN with it was not masqueraded (no nf_nat_oif_changed kill): "
                + "SNAT on the uncaptured uplink");
        return true;
    }

    /** What the model did when the uncaptured uplink took over, and the last packet that went through it. */
    private static final class UncapturedUplink {
        String lostWanAddress;
        long lastNanos = Long.MIN_VALUE;
        FrameRef lastFrame = FrameRef.NONE;
        boolean back;
    }

    private void record(String what, Inferred why) {
        inferences++;
        decisions.add("model inferred: " + what + " between " + dev.natrecon.capture.Times.iso(why.earliestNanos())
                + " and " + dev.natrecon.capture.Times.iso(why.latestNanos()) + " (frames " + why.frames() + "): "
                + why.why());
    }
}
