package dev.natrecon.engine;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.RawFrame;
import dev.natrecon.correlate.Inside;
import dev.natrecon.correlate.MatchKeys;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.Packet;
import dev.natrecon.decode.sip.SipMessage;
import dev.natrecon.decode.sip.SipParser;
import dev.natrecon.decode.sip.SipVia;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which side of the NAT one capture was taken on, decided from its traffic (or given with {@code --side}), with the
 * reason in plain words for the report's decisions.
 *
 * <p>The evidence, from the SIP packets (from every IP packet when the capture holds no SIP): a packet between an
 * inside address (the case's {@code --inside}, else the private ranges) and an outside one was seen behind the router
 * (the LAN side: a phone or PBX); a packet between two outside addresses was seen in front of it (the WAN side: the
 * provider or SBC). A SIP response whose top Via {@code received=} differs from the address it is sent to was
 * translated back by a NAT before this capture saw it, so the capture is behind that NAT (RFC 3581: {@code received}
 * is the source the server saw); one whose {@code received=} is its outside destination was seen where the server
 * sent it, in front of any NAT. These responses, when there are any, decide (the majority; a WAN capture can carry
 * leaked private sources, which would tip the address counts); else the address counts do. Packets between two
 * inside addresses count for the LAN side (nothing in them crossed a NAT to the outside). Without given networks, a
 * capture whose only non-public addresses are RFC 6598 shared ones (100.64.0.0/10) and no private one (RFC 1918, RFC
 * 4193) is read with shared space outside: the WAN side of a router behind a carrier NAT (its own 100.64 address and
 * the carrier's), since a capture behind the router would show the phones' private addresses; {@code --inside
 * 100.64.0.0/10} (a LAN numbered in shared space) or {@code --side} says otherwise. Packets that never left the
 * capturing host (loopback, or the same source and destination: {@link #hostOnly}) are no evidence either way; a
 * capture of nothing else (a softphone's loopback capture) is neither side of a router and is read as the LAN side,
 * the endpoint's, so no claim about what a router sent out to its WAN rests on it.
 *
 * @param side        the side decided
 * @param given       true when {@code --side} said it
 * @param reason      the decision line (decisions, report)
 * @param firstNanos  time of the capture's first frame (0 when empty)
 * @param external    the outside addresses SIP responses' {@code received=} named where they differ from the
 *                    response's destination: the NAT's external address as the far side saw it, in order of appearance
 */
public record VantagePoint(Side side, boolean given, String reason, long firstNanos, List<String> external) {
    /**
     * SIP messages parsed for {@code received=} at most: enough for every registration and call of a ticket capture,
     * a bound on the work for a long one (the address counts go on over the whole file).
     */
    static final int MAX_SIP_PARSED = 4_096;

    /** The vantage point of {@code file}; {@code given} is "lan", "wan" or null (decide from the traffic). */
    public static VantagePoint of(Path file, String given, Inside inside) throws IOException {
        // two readings of the same packets: with RFC 6598 shared space inside (a LAN numbered in it) and without it
        // (a router behind a carrier NAT, whose WAN side is 100.64.0.0/10); the addresses seen choose one (below)
        Inside withoutShared = inside.withoutSharedSpace();
        Tally ranges = new Tally(inside), carrier = new Tally(withoutShared);
        long firstNanos = 0, decoded = 0, ownHost = 0;
        int parsed = 0;
        boolean sipPrivate = false, sipShared = false, allPrivate = false, allShared = false;
        long[] received = new long[2];
        try (CaptureReader reader = CaptureReader.open(file)) {
            FrameDecoder dec = new FrameDecoder(new AnomalyCounts());
            MatchKeys keys = new MatchKeys();
            RawFrame f = new RawFrame();
            Packet p = dec.packet;
            boolean first = true;
            while (reader.next(f)) {
                if (first) {
                    firstNanos = f.timestampNanos;
                    first = false;
                }
                if (dec.decode(f, f.timestampNanos) != Disposition.DECODED) continue;
                if (Addresses.isMulticastOrBroadcast(p.dstHi, p.dstLo)) continue;
                decoded++;
                if (hostOnly(p)) {
                    ownHost++;
                    continue;
                }
                boolean sip = keys.key(p) != 0 && keys.lastKind() == MatchKeys.Kind.SIP;
                // without given networks, inside without shared space is the private ranges (Inside decides them)
                boolean priv = withoutShared.contains(p.srcHi, p.srcLo) || withoutShared.contains(p.dstHi, p.dstLo);
                boolean shared = Addresses.isSharedAddressSpace(p.srcHi, p.srcLo)
                        || Addresses.isSharedAddressSpace(p.dstHi, p.dstLo);
                allPrivate |= priv;
                allShared |= shared;
                if (sip) {
                    sipPrivate |= priv;
                    sipShared |= shared;
                }
                ranges.count(p, sip);
                carrier.count(p, sip);
                if (sip && parsed < MAX_SIP_PARSED && p.payloadLength > 0) {
                    parsed++;
                    if (responseReceived(p, received)) {
                        ranges.received(p, received[0], received[1]);
                        carrier.received(p, received[0], received[1]);
                    }
                }
            }
            dec.finish();
        }
        boolean anySip = ranges.sipInOut + ranges.sipOutOut + ranges.sipInIn > 0;
        // only shared-space addresses and no private one (in the SIP packets, else in all): the router's WAN side
        // behind a carrier NAT, as a LAN behind it would show the phones' private addresses (--inside says otherwise)
        boolean carrierSide = !inside.networksGiven() && (anySip ? sipShared && !sipPrivate : allShared && !allPrivate);
        Tally t = carrierSide ? carrier : ranges;
        if (given != null) {
            Side s = given.equals("wan") ? Side.WAN : Side.LAN;
            return new VantagePoint(s, true, "vantage point: " + label(s) + " (given by --side)", firstNanos,
                    List.copyOf(t.external));
        }
        if (decoded > 0 && ownHost == decoded) {
            return new VantagePoint(Side.LAN, false, String.format(Locale.ROOT, "vantage point: neither side of a "
                    + "router (automatic: all %d IP packets are the capturing host talking to itself, to or from a "
                    + "loopback address or with the same source and destination: a capture on a host's own loopback "
                    + "interface, which no router forwards); read as the %s, where that endpoint is, so nothing is "
                    + "judged as seen in front of a router; --side overrides)", decoded, label(Side.LAN)),
                    firstNanos, List.of());
        }
        long in = anySip ? t.sipInOut + t.sipInIn : t.allInOut + t.allInIn;
        long out = anySip ? t.sipOutOut : t.allOutOut;
        // what the far side wrote (received=) outweighs the addresses: a WAN capture may carry leaked private sources
        Side side = t.translatedBack + t.receivedHere > 0 ? (t.translatedBack >= t.receivedHere ? Side.LAN : Side.WAN)
                : in >= out ? Side.LAN : Side.WAN;
        String what = (anySip ? "SIP packets" : "IP packets (no SIP)") + (ownHost == 0 ? "" : String.format(Locale.ROOT,
                " apart from %d the capturing host sent itself (loopback), which no router forwards", ownHost));
        String reason = String.format(Locale.ROOT, "vantage point: %s (automatic, from %s: %d between an inside and "
                        + "an outside address, %d between inside addresses, %d between outside addresses; %d SIP "
                        + "response(s) whose Via received= differs from their destination (translated back by a NAT "
                        + "before this capture) or is an inside one, %d whose received= is their outside destination; "
                        + "these decide when there are any; --side overrides)%s",
                label(side), what, anySip ? t.sipInOut : t.allInOut, anySip ? t.sipInIn : t.allInIn,
                anySip ? t.sipOutOut : t.allOutOut, t.translatedBack, t.receivedHere,
                carrierSide ? "; no private address (RFC 1918, RFC 4193), only RFC 6598 shared ones (100.64.0.0/10): "
                        + "taken as a carrier NAT's, outside the router (--inside 100.64.0.0/10 when the LAN uses them)"
                        : "");
        return new VantagePoint(side, false, reason, firstNanos, List.copyOf(t.external));
    }

    /**
     * A packet that never left its host: to or from a loopback address (RFC 1122 3.2.1.3, RFC 4291 2.5.3), or with
     * the same source and destination (a host sending to its own address goes over loopback too). No router sees it,
     * so it says nothing about which side of one the capture was taken on.
     */
    static boolean hostOnly(Packet p) {
        return Addresses.isLoopback(p.srcHi, p.srcLo) || Addresses.isLoopback(p.dstHi, p.dstLo)
                || (p.srcHi == p.dstHi && p.srcLo == p.dstLo);
    }

    /** The packet counts of one reading of inside-ness. */
    private static final class Tally {
        private final Inside inside;
        long sipInOut, sipOutOut, sipInIn, allInOut, allOutOut, allInIn, translatedBack, receivedHere;
        final List<String> external = new ArrayList<>();

        Tally(Inside inside) {
            this.inside = inside;
        }

        void count(Packet p, boolean sip) {
            boolean si = inside.contains(p.srcHi, p.srcLo), di = inside.contains(p.dstHi, p.dstLo);
            if (si != di) {
                allInOut++;
                if (sip) sipInOut++;
            } else if (si) {
                allInIn++;
                if (sip) sipInIn++;
            } else {
                allOutOut++;
                if (sip) sipOutOut++;
            }
        }

        /**
         * A SIP response whose top Via {@code received=} is {@code hi/lo}: another address than its destination means
         * a NAT translated it back (behind); its destination itself, an inside one means behind too, an outside one
         * in front of any NAT.
         */
        void received(Packet p, long hi, long lo) {
            if (hi == p.dstHi && lo == p.dstLo) {
                if (inside.contains(p.dstHi, p.dstLo)) translatedBack++;
                else receivedHere++;
                return;
            }
            translatedBack++;
            String text = Addresses.format(hi, lo);
            if (!inside.contains(hi, lo) && !external.contains(text) && external.size() < 8) external.add(text);
        }
    }

    /** "LAN side (phone or PBX behind the router)" or "WAN side (provider or SBC in front of it)". */
    public static String label(Side side) {
        return side == Side.LAN ? "LAN side (a phone or PBX behind the router)"
                : "WAN side (the provider or SBC in front of the router)";
    }

    /** For a SIP response with a top Via {@code received=} address: true, and the address in {@code out}. */
    private static boolean responseReceived(Packet p, long[] out) {
        SipMessage m;
        try {
            m = SipParser.parse(p.data, p.payloadOffset, p.payloadLength).messageOrNull();
        } catch (RuntimeException e) {
            return false;
        }
        if (m == null || !m.isResponse()) return false;
        SipVia via = m.topVia().orElse(null);
        return via != null && via.received() != null && Addresses.parse(via.received().text(), out);
    }
}
