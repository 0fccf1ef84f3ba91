package dev.natrecon.engine;

import dev.natrecon.conntrack.Arrival;
import dev.natrecon.conntrack.ConntrackEntry;
import dev.natrecon.conntrack.ConntrackModel;
import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.conntrack.Interfaces;
import dev.natrecon.correlate.Crossing;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import java.util.ArrayList;
import java.util.List;

/**
 * Uplinks no capture shows (a backup the default route goes out of, given by the settings: {@code router.backup.*}),
 * and the packets that took them, routed as the kernel routes them:
 * <ul>
 *   <li>A LAN packet with no WAN copy, which the router did not answer with ICMP no route, is routed by the model's
 *       table: once the WAN's connected route is gone (its address removed) the default route sends it out of the
 *       other uplink, where it is confirmed and translated by that interface's NAT rule (an {@code snat} to the
 *       backup's address, or masquerade on it: the entry then records that interface, {@code masq_index}).</li>
 *   <li>When the WAN returns, a packet of an entry masqueraded on the other uplink is routed out of the WAN again:
 *       the kernel kills the entry and drops the packet (nf_nat_core.c:nf_nat_inet_fn → nf_nat_oif_changed), which
 *       is why the captures show no copy of it; the next packet makes a new entry. An {@code snat} entry records no
 *       interface and keeps its NAT: its copies leave the WAN with the backup's address.</li>
 *   <li>A LAN frame from outside with no WAN copy while the WAN capture ran, the reply of an entry whose NAT is the
 *       other uplink's, arrived through that uplink: it is fed to the model as that entry's reply (its destination
 *       the entry's NAT, as it arrived before the de-NAT the LAN capture shows).</li>
 * </ul>
 * Per packet: one route lookup for LAN packets with no copy only; nothing allocated.
 */
final class OtherPath {
    private final List<String> names = new ArrayList<>();
    private final String wanIf;
    private final List<String> decisions;
    private int routed, replies, notes;

    private OtherPath(String wanIf, List<String> decisions) {
        this.wanIf = wanIf;
        this.decisions = decisions;
    }

    /**
     * The settings' other uplinks added to {@code ifs} (the default route going out of the first), or null when
     * there are none.
     */
    static OtherPath of(ModelSettings settings, Interfaces ifs, List<String> decisions) {
        if (settings.otherUplinks().isEmpty()) return null;
        OtherPath p = new OtherPath(settings.wanInterface(), decisions);
        for (String u : settings.otherUplinks()) {
            int eq = u.indexOf('=');
            String name = eq < 0 ? u : u.substring(0, eq);
            ifs.add(name, Interfaces.Role.WAN);
            if (eq >= 0) ifs.address(name, u.substring(eq + 1));
            p.names.add(name);
            decisions.add("model uplink not captured: " + u + (p.names.size() == 1 ? " (the default route's: packets "
                    + "leave through it once the WAN's connected route is gone)" : ""));
        }
        ifs.defaultRoute(p.names.get(0));
        return p;
    }

    /**
     * The uplink no capture shows, inferred from the captures alone ({@link RouterHistory}): its name in the model, and
     * the address standing for its own, which no capture shows (0.0.0.0, RFC 1122 §3.2.1.3: never a source on the wire;
     * a kernel entry is never translated to it, masquerade drops instead: nf_nat_masquerade.c), so that an entry
     * translated to it is an entry whose NAT the captures do not show ({@link dev.natrecon.conntrack.UnknownNat}).
     */
    static final String INFERRED = "uncaptured", UNKNOWN_ADDRESS = dev.natrecon.conntrack.UnknownNat.ADDRESS;

    /** An other path with no uplink yet, for the captures alone: {@link #activate} adds the inferred one. */
    static OtherPath inferred(String wanIf, List<String> decisions) {
        return new OtherPath(wanIf, decisions);
    }

    /** Whether the inferred uplink is in the model ({@link #activate}). */
    boolean active() {
        return !names.isEmpty();
    }

    /** Adds the inferred uplink to the model's interfaces, its address unknown, the default route out of it. */
    void activate(ConntrackModel model) {
        if (active()) return;
        model.addUplink(INFERRED, UNKNOWN_ADDRESS + "/32");
        names.add(INFERRED);
    }

    /**
     * A LAN packet the captures show leaving nowhere ({@link Arrival.Egress#DROPPED}, no ICMP answer): where the
     * model's routing sends it, when that explains the missing copy (an uplink no capture shows, or the WAN for an
     * entry masqueraded elsewhere, which the kernel kills there).
     */
    void outbound(Seen s, Arrival a, ConntrackModel model) {
        if (a.ingress != Arrival.Ingress.LAN || a.egress != Arrival.Egress.DROPPED || a.diedInRouting) return;
        String oif = model.route(a.tuple.dstHi(), a.tuple.dstLo());
        if (oif == null) return;
        if (names.contains(oif)) {
            a.egress = Arrival.Egress.UNKNOWN;
            a.egressInterface = oif;
            if (routed++ == 0 || notes < NOTES) note("model routed " + s.side.label() + "#" + s.frame + " out of " + oif
                    + " (no WAN copy, no ICMP answer: the default route, the WAN's connected route being gone)");
            return;
        }
        ConntrackEntry e = model.find(a.tuple);
        if (oif.equals(wanIf) && e != null && e.masqInterface() != null && !oif.equals(e.masqInterface())
                && sameOriginal(e.original(), a.tuple)) {
            a.egress = Arrival.Egress.UNKNOWN; // routed out of the WAN: the model's oif-changed rule kills and drops
            a.egressInterface = oif;
            note("model routed " + s.side.label() + "#" + s.frame + " out of " + oif + " again; entry #" + e.id()
                    + " was masqueraded on " + e.masqInterface() + " (no WAN copy: nf_nat_oif_changed dropped it)");
        }
    }

    /** Whether {@code c}, which the classifier left as leaving, is a LAN frame from outside with no WAN copy. */
    static boolean inboundCandidate(Crossing c) {
        Seen s = c.seen();
        return s.side == Side.LAN && s.counterpartFrame == 0 && s.hasPorts && s.outcome == Outcome.NO_COUNTERPART
                && c.direction() == Crossing.Direction.IN;
    }

    /**
     * {@code a}, filled from the LAN frame {@code s} ({@link #inboundCandidate}), made the reply it was when it arrived
     * through another uplink; false when no entry translated to another uplink's address explains it.
     */
    boolean inbound(Seen s, Arrival a, ConntrackModel model) {
        ConntrackTuple back = Arrival.tuple(s.protocol, s.dstHi, s.dstLo, s.srcHi, s.srcLo, s.dstPort, s.srcPort, -1, -1, -1);
        ConntrackEntry e = model.find(back);
        if (e == null || !sameOriginal(e.original(), back)) return false;
        String via = uplinkOf(e, model.interfaces());
        if (via == null) return false;
        a.tuple = e.reply();
        a.ingress = Arrival.Ingress.WAN;
        a.ingressInterface = via;
        a.egress = Arrival.Egress.LAN;
        a.observed = false;
        if (a.payload != null) asArrived(a, e);
        if (replies++ == 0) note("model fed " + s.side.label() + "#" + s.frame + " (from outside, no WAN copy) as the reply"
                + " of entry #" + e.id() + ", which arrived through " + via + " (the entry's NAT is that uplink's)");
        return true;
    }

    /**
     * The payload as it arrived on the other uplink, before the entry's helper de-NATed it for the LAN (the LAN capture
     * shows it after): the entry's internal address (and port) put back to its NAT wherever the text names them
     * (nf_nat_sip.c rewrites exactly those), the lengths adjusted. Only for a reply no capture shows arriving.
     */
    private static void asArrived(Arrival a, ConntrackEntry e) {
        ConntrackTuple o = e.original(), r = e.reply();
        String inside = dev.natrecon.decode.Addresses.format(o.srcHi(), o.srcLo());
        String nat = dev.natrecon.decode.Addresses.format(r.dstHi(), r.dstLo());
        String text = new String(a.payload, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (o.srcPort() != r.dstPort()) text = text.replace(inside + ":" + o.srcPort(), nat + ":" + r.dstPort());
        text = text.replace(inside, nat);
        byte[] arrived = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        int delta = arrived.length - a.payload.length;
        a.payload = arrived;
        a.payloadLength += delta;
        a.ipLength += delta;
    }

    /** The other uplink whose address the entry translates to (or which it is masqueraded on), or null. */
    private String uplinkOf(ConntrackEntry e, Interfaces ifs) {
        if (e.masqInterface() != null) return names.contains(e.masqInterface()) ? e.masqInterface() : null;
        ConntrackTuple r = e.reply();
        for (String n : names) {
            for (Interfaces.Address x : ifs.addresses(n)) if (x.hi() == r.dstHi() && x.lo() == r.dstLo()) return n;
        }
        return null;
    }

    private static boolean sameOriginal(ConntrackTuple o, ConntrackTuple t) {
        return o.protocol() == t.protocol() && o.srcHi() == t.srcHi() && o.srcLo() == t.srcLo()
                && o.srcPort() == t.srcPort() && o.dstHi() == t.dstHi() && o.dstLo() == t.dstLo()
                && o.dstPort() == t.dstPort();
    }

    private static final int NOTES = 20;

    private void note(String line) {
        if (notes++ < NOTES) decisions.add(line);
    }
}
