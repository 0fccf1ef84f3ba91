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
 * inside addresses count for the LAN side (nothing in them crossed a NAT to the outside).
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
        long sipInOut = 0, sipOutOut = 0, sipInIn = 0, allInOut = 0, allOutOut = 0, allInIn = 0;
        long translatedBack = 0, receivedHere = 0, firstNanos = 0;
        int parsed = 0;
        List<String> external = new ArrayList<>();
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
                boolean si = inside.contains(p.srcHi, p.srcLo), di = inside.contains(p.dstHi, p.dstLo);
                boolean sip = keys.key(p) != 0 && keys.lastKind() == MatchKeys.Kind.SIP;
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
                if (sip && parsed < MAX_SIP_PARSED && p.payloadLength > 0) {
                    parsed++;
                    int r = receivedVsDestination(p, inside, external);
                    if (r > 0 || r < 0 && di) translatedBack++; // received= is an inside destination: behind too
                    else if (r < 0) receivedHere++;
                }
            }
            dec.finish();
        }
        if (given != null) {
            Side s = given.equals("wan") ? Side.WAN : Side.LAN;
            return new VantagePoint(s, true, "vantage point: " + label(s) + " (given by --side)", firstNanos,
                    List.copyOf(external));
        }
        boolean sip = sipInOut + sipOutOut + sipInIn > 0;
        long in = sip ? sipInOut + sipInIn : allInOut + allInIn;
        long out = sip ? sipOutOut : allOutOut;
        // what the far side wrote (received=) outweighs the addresses: a WAN capture may carry leaked private sources
        Side side = translatedBack + receivedHere > 0 ? (translatedBack >= receivedHere ? Side.LAN : Side.WAN)
                : in >= out ? Side.LAN : Side.WAN;
        String what = sip ? "SIP packets" : "IP packets (no SIP)";
        String reason = String.format(Locale.ROOT, "vantage point: %s (automatic, from %s: %d between an inside and "
                        + "an outside address, %d between inside addresses, %d between outside addresses; %d SIP "
                        + "response(s) whose Via received= differs from their destination (translated back by a NAT "
                        + "before this capture) or is an inside one, %d whose received= is their outside destination; "
                        + "these decide when there are any; --side overrides)",
                label(side), what, sip ? sipInOut : allInOut, sip ? sipInIn : allInIn, sip ? sipOutOut : allOutOut,
                translatedBack, receivedHere);
        return new VantagePoint(side, false, reason, firstNanos, List.copyOf(external));
    }

    /** "LAN side (phone or PBX behind the router)" or "WAN side (provider or SBC in front of it)". */
    public static String label(Side side) {
        return side == Side.LAN ? "LAN side (a phone or PBX behind the router)"
                : "WAN side (the provider or SBC in front of the router)";
    }

    /**
     * For a SIP response: +1 when its top Via {@code received=} names another address than the packet's destination
     * (a NAT translated the response back), -1 when it names the destination itself, 0 otherwise.
     */
    private static int receivedVsDestination(Packet p, Inside inside, List<String> external) {
        SipMessage m;
        try {
            m = SipParser.parse(p.data, p.payloadOffset, p.payloadLength).messageOrNull();
        } catch (RuntimeException e) {
            return 0;
        }
        if (m == null || !m.isResponse()) return 0;
        SipVia via = m.topVia().orElse(null);
        if (via == null || via.received() == null) return 0;
        long[] a = new long[2];
        if (!Addresses.parse(via.received().text(), a)) return 0;
        if (a[0] == p.dstHi && a[1] == p.dstLo) return -1;
        String text = Addresses.format(a[0], a[1]);
        if (!inside.contains(a[0], a[1]) && !external.contains(text) && external.size() < 8) external.add(text);
        return 1;
    }
}
