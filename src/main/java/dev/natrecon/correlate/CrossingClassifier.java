package dev.natrecon.correlate;

import dev.natrecon.conntrack.Arrival;
import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.Disposition;
import java.util.Collection;
import java.util.List;

/**
 * Decides, once per frame after matching, how it crossed the router ({@link Crossing}): the one place that tells the
 * arriving copy from the leaving one, outbound from inbound, and what is inside ({@link Inside}, from the case's
 * {@code --inside}). It knows the router's own addresses (given) and its WAN addresses (learnt from translations).
 *
 * <p>The rules, in order:
 * <ul>
 *   <li>A routed-back pair ({@link Outcome#ROUTED_BACK}): the first copy arrives, the second leaves on the same side;
 *       outbound when it came from the LAN.</li>
 *   <li>A matched pair: outbound or inbound by {@link #outbound(Seen)}; the copy on the side it came from arrives.</li>
 *   <li>An unmatched LAN frame: from the router, local; to the router, local; from an inside source to an outside
 *       destination, outbound and arriving (dropped when the WAN capture ran and shows no copy); from the outside to
 *       the inside, an inbound copy leaving (its WAN copy missing); else between inside hosts, no crossing. It counts
 *       as outbound when its source is inside or its destination outside.</li>
 *   <li>An unmatched WAN frame: to the router, arriving; from the router, local; else, when its source is inside, an
 *       outbound copy leaving (a leak), or no crossing. It counts as outbound when its source is inside.</li>
 * </ul>
 */
public final class CrossingClassifier {
    private final Inside inside;
    /** The flows' records the crossings carry ({@link Crossing#flowRecord}). */
    private final FlowRecords flows = new FlowRecords();
    private final long[] routerHi, routerLo;
    private long[] externalHi = new long[4], externalLo = new long[4];
    private int externals;
    private long lastExternalHi = -1, lastExternalLo = -1;

    /**
     * @param inside            what is inside
     * @param routerAddresses   the router's own addresses as given (either face)
     * @param externalAddresses the router's WAN addresses learnt from the captures' translations
     */
    public CrossingClassifier(Inside inside, List<String> routerAddresses, Collection<String> externalAddresses) {
        this.inside = inside;
        long[] tmp = new long[2];
        routerHi = new long[routerAddresses.size()];
        routerLo = new long[routerHi.length];
        for (int i = 0; i < routerHi.length; i++) {
            if (Addresses.parse(routerAddresses.get(i), tmp)) {
                routerHi[i] = tmp[0];
                routerLo[i] = tmp[1];
            }
        }
        for (String a : externalAddresses) {
            if (Addresses.parse(a, tmp)) learnExternal(tmp[0], tmp[1]);
        }
    }

    /** What is inside. */
    public Inside inside() {
        return inside;
    }

    /** Whether the address is inside (the case's {@code --inside}, or the private ranges). */
    public boolean isInside(long hi, long lo) {
        return inside.contains(hi, lo);
    }

    /** Whether the address is one of the router's WAN addresses known so far. */
    public boolean isExternal(long hi, long lo) {
        if (hi == lastExternalHi && lo == lastExternalLo) return true;
        for (int i = 0; i < externals; i++) {
            if (externalHi[i] == hi && externalLo[i] == lo) {
                lastExternalHi = hi;
                lastExternalLo = lo;
                return true;
            }
        }
        return false;
    }

    /** Adds a WAN address of the router; false when it was known. */
    public boolean learnExternal(long hi, long lo) {
        if (isExternal(hi, lo)) return false;
        if (externals == externalHi.length) {
            externalHi = java.util.Arrays.copyOf(externalHi, externals * 2);
            externalLo = java.util.Arrays.copyOf(externalLo, externals * 2);
        }
        externalHi[externals] = hi;
        externalLo[externals++] = lo;
        return true;
    }

    /** The first WAN address learnt, or null. */
    public String firstExternal() {
        return externals == 0 ? null : Addresses.format(externalHi[0], externalLo[0]);
    }

    /** Whether the address is the router's own (given, or a WAN address learnt). */
    public boolean isRouter(long hi, long lo) {
        for (int i = 0; i < routerHi.length; i++) if (routerHi[i] == hi && routerLo[i] == lo) return true;
        return isExternal(hi, lo);
    }

    /** Fills {@code c} for the frame {@code s}, which the matcher has resolved. */
    public void classify(Seen s, Crossing c) {
        c.reset(s, s.captureLabel != null ? s.captureLabel : s.side.label());
        if (s.disposition != Disposition.DECODED || s.protocol < 0 || s.captureLabel != null) return;
        boolean lan = s.side == Side.LAN;
        c.flowRecord(flows.of(s.flow, s.side.ordinal()));
        c.srcInside = inside.contains(s.srcHi, s.srcLo);
        c.dstInside = inside.contains(s.dstHi, s.dstLo);
        if (s.outcome == Outcome.ROUTED_BACK) {
            c.direction = Crossing.Direction.ROUTED_BACK;
            c.outbound = lan;
            if (s.routedBackCopy) {
                c.role = Crossing.Role.LEAVING;
            } else {
                arriving(c, lan ? Arrival.Ingress.LAN : Arrival.Ingress.WAN, lan ? Arrival.Egress.LAN : Arrival.Egress.WAN);
            }
        } else if (s.counterpartFrame != 0) {
            boolean out = outbound(s, c);
            c.outbound = out;
            c.direction = out ? Crossing.Direction.OUT : Crossing.Direction.IN;
            if (lan == out) {
                arriving(c, lan ? Arrival.Ingress.LAN : Arrival.Ingress.WAN, lan ? Arrival.Egress.WAN : Arrival.Egress.LAN);
            } else {
                c.role = Crossing.Role.LEAVING;
            }
        } else if (lan) {
            unmatchedLan(s, c);
        } else {
            unmatchedWan(s, c);
        }
    }

    private void unmatchedLan(Seen s, Crossing c) {
        c.outbound = c.srcInside || !c.dstInside;
        if (isRouter(s.srcHi, s.srcLo)) {
            arriving(c, Arrival.Ingress.LOCAL, Arrival.Egress.LAN);
        } else if (isRouter(s.dstHi, s.dstLo)) {
            arriving(c, Arrival.Ingress.LAN, Arrival.Egress.ROUTER);
        } else if (c.srcInside && !c.dstInside && s.outcome != Outcome.LOCAL) {
            arriving(c, Arrival.Ingress.LAN, s.outcome == Outcome.NO_COUNTERPART ? Arrival.Egress.DROPPED
                    : Arrival.Egress.UNKNOWN);
        } else if (!c.srcInside && c.dstInside) {
            c.direction = Crossing.Direction.IN; // an inbound packet whose WAN copy is missing
            c.role = Crossing.Role.LEAVING;
        }
    }

    private void unmatchedWan(Seen s, Crossing c) {
        c.outbound = c.srcInside;
        if (isRouter(s.dstHi, s.dstLo)) {
            arriving(c, Arrival.Ingress.WAN, s.outcome == Outcome.OUTSIDE_SPAN ? Arrival.Egress.UNKNOWN
                    : Arrival.Egress.ROUTER);
        } else if (isRouter(s.srcHi, s.srcLo) && (s.outcome == Outcome.LOCAL || s.outcome == Outcome.NO_COUNTERPART)) {
            arriving(c, Arrival.Ingress.LOCAL, Arrival.Egress.WAN);
        } else if (c.srcInside) {
            c.direction = Crossing.Direction.OUT; // a leak whose LAN copy is missing
            c.role = Crossing.Role.LEAVING;
        }
    }

    private static void arriving(Crossing c, Arrival.Ingress in, Arrival.Egress out) {
        c.role = Crossing.Role.ARRIVING;
        c.ingress = in;
        c.egress = out;
        c.direction = in == Arrival.Ingress.LOCAL || out == Arrival.Egress.ROUTER ? Crossing.Direction.LOCAL
                : out == Arrival.Egress.DROPPED ? Crossing.Direction.DROPPED
                : in == Arrival.Ingress.LAN && out == Arrival.Egress.LAN
                        || in == Arrival.Ingress.WAN && out == Arrival.Egress.WAN ? Crossing.Direction.ROUTED_BACK
                : in == Arrival.Ingress.LAN ? Crossing.Direction.OUT : Crossing.Direction.IN;
    }

    /**
     * Whether a matched pair went from the LAN to the WAN. Told by addresses first, since the corrected clocks can put
     * the two copies a microsecond the wrong way round: the remote end stays the same across a NAT, so an outbound
     * packet keeps its destination and an inbound one its source. When both or neither changed (no NAT, or NAT on
     * both ends), an inside source says outbound, and failing that the earlier copy is where it arrived.
     */
    private boolean outbound(Seen s, Crossing c) {
        boolean lanSide = s.side == Side.LAN; // own fields are the LAN view, the counterpart's the WAN view, or back
        boolean sameSrc = s.srcHi == s.cpSrcHi && s.srcLo == s.cpSrcLo;
        boolean sameDst = s.dstHi == s.cpDstHi && s.dstLo == s.cpDstLo;
        if (sameDst && !sameSrc) return true;
        if (sameSrc && !sameDst) return false;
        // the LAN view's ends: the frame's own (already classified into c) or its counterpart's
        boolean lanInside = lanSide ? c.srcInside : inside.contains(s.cpSrcHi, s.cpSrcLo);
        boolean lanDstInside = lanSide ? c.dstInside : inside.contains(s.cpDstHi, s.cpDstLo);
        if (lanInside != lanDstInside) return lanInside;
        long wanMinusLan = lanSide ? s.counterpartDeltaNanos : -s.counterpartDeltaNanos;
        return wanMinusLan >= 0;
    }
}
