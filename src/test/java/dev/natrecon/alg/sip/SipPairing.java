package dev.natrecon.alg.sip;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Test fixture (analyze pairs the copies with the matcher, {@code correlate}): pairs the LAN and WAN copies of SIP
 * messages read by {@link SipMessageCollector}, for tests that classify captures or corpus messages without a replay.
 * Two copies pair when their {@link SipPairKey}s are equal (Call-ID,
 * CSeq, method or status code, top Via branch), they use the same transport, and their times differ by at most the
 * window; among candidates the nearest in time pair first (so each retransmission pairs with its own copy, and a
 * retransmission the router dropped stays unpaired). Copies left over are then paired the same way on the key without
 * the Call-ID (for routers that rewrite it), when the key has a branch. Times must be on one clock: correct the WAN
 * times by the capture points' clock offset before pairing.
 *
 * <p>The direction of a pair comes from the packets: the destination unchanged and the source changed is outbound
 * (SNAT), the reverse is inbound; otherwise a private LAN source with a public destination is outbound, the reverse
 * inbound; otherwise the earlier copy is the router's input.
 */
final class SipPairing {
    /** One second: router transit is microseconds, SIP retransmissions are 500 ms apart at the least. */
    public static final long DEFAULT_WINDOW_NANOS = 1_000_000_000L;

    private SipPairing() {
    }

    /** The pairs in order of the router's input time, and what stayed unpaired on each side, in capture order. */
    public record Result(List<SipMessagePair> pairs, List<SipObservation> unpairedLan, List<SipObservation> unpairedWan) {
        public Result {
            pairs = List.copyOf(pairs);
            unpairedLan = List.copyOf(unpairedLan);
            unpairedWan = List.copyOf(unpairedWan);
        }
    }

    public static Result pair(List<SipObservation> lan, List<SipObservation> wan) {
        return pair(lan, wan, DEFAULT_WINDOW_NANOS);
    }

    public static Result pair(List<SipObservation> lan, List<SipObservation> wan, long windowNanos) {
        SipMessagePair[] byLan = new SipMessagePair[lan.size()];
        boolean[] wanUsed = new boolean[wan.size()];
        match(lan, wan, windowNanos, byLan, wanUsed, k -> k);
        match(lan, wan, windowNanos, byLan, wanUsed, k -> k.branch().isEmpty() ? null : k.withoutCallId());
        List<SipMessagePair> pairs = new ArrayList<>();
        List<SipObservation> unpairedLan = new ArrayList<>(), unpairedWan = new ArrayList<>();
        for (int i = 0; i < lan.size(); i++) {
            if (byLan[i] != null) pairs.add(byLan[i]);
            else unpairedLan.add(lan.get(i));
        }
        for (int j = 0; j < wan.size(); j++) if (!wanUsed[j]) unpairedWan.add(wan.get(j));
        pairs.sort(Comparator.comparingLong((SipMessagePair p) -> p.input().nanos()).thenComparingLong(p -> p.input().frame())
                .thenComparingLong(p -> p.lan().frame()));
        return new Result(pairs, unpairedLan, unpairedWan);
    }

    private record Edge(int lan, int wan, long delta) {
    }

    private static void match(List<SipObservation> lan, List<SipObservation> wan, long window, SipMessagePair[] byLan,
            boolean[] wanUsed, Function<SipPairKey, SipPairKey> keyOf) {
        Map<SipPairKey, List<Integer>> wanByKey = new HashMap<>();
        for (int j = 0; j < wan.size(); j++) {
            if (wanUsed[j]) continue;
            SipPairKey k = wan.get(j).key();
            SipPairKey kk = k == null ? null : keyOf.apply(k);
            if (kk != null) wanByKey.computeIfAbsent(kk, x -> new ArrayList<>()).add(j);
        }
        List<Edge> edges = new ArrayList<>();
        for (int i = 0; i < lan.size(); i++) {
            if (byLan[i] != null) continue;
            SipPairKey k = lan.get(i).key();
            SipPairKey kk = k == null ? null : keyOf.apply(k);
            if (kk == null) continue;
            for (int j : wanByKey.getOrDefault(kk, List.of())) {
                if (lan.get(i).transport() != wan.get(j).transport()) continue;
                long d = Math.abs(lan.get(i).nanos() - wan.get(j).nanos());
                if (d <= window) edges.add(new Edge(i, j, d));
            }
        }
        edges.sort(Comparator.comparingLong(Edge::delta).thenComparingInt(Edge::lan).thenComparingInt(Edge::wan));
        for (Edge e : edges) {
            if (byLan[e.lan] != null || wanUsed[e.wan]) continue;
            SipObservation l = lan.get(e.lan), w = wan.get(e.wan);
            byLan[e.lan] = new SipMessagePair(l, w, direction(l, w));
            wanUsed[e.wan] = true;
        }
    }

    /** The direction of a LAN copy and its WAN copy (see the class comment). */
    public static Direction direction(SipObservation lan, SipObservation wan) {
        boolean sameSource = lan.source().equals(wan.source());
        boolean sameDestination = lan.destination().equals(wan.destination());
        if (sameDestination && !sameSource) return Direction.OUTBOUND;
        if (sameSource && !sameDestination) return Direction.INBOUND;
        boolean srcPrivate = Endpoint.isPrivate(lan.source().host()), dstPrivate = Endpoint.isPrivate(lan.destination().host());
        if (srcPrivate && !dstPrivate) return Direction.OUTBOUND;
        if (dstPrivate && !srcPrivate) return Direction.INBOUND;
        return lan.nanos() <= wan.nanos() ? Direction.OUTBOUND : Direction.INBOUND;
    }
}
