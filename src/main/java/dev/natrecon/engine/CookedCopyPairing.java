package dev.natrecon.engine;

import dev.natrecon.correlate.Inside;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.Packet;
import java.util.Arrays;

/**
 * Finds, in a router's Linux cooked v1 capture ({@code tcpdump -i any -y LINUX_SLL}), the two copies of each
 * forwarded packet: the one the router received and the one it sent on the other interface. Both copies have the
 * same NAT-invariant match key ({@link dev.natrecon.correlate.MatchKeys}: payload, IP id, SIP transaction), and the
 * sent one has a TTL (hop limit) one lower ({@code ip_forward} / {@code ip6_forward} decrement it). NAT then tells the
 * sides apart: when the source address changed, the packet went LAN → WAN (source NAT on the way out, or the reply
 * of a port forward), so the received copy is the LAN one; when the destination changed, it went WAN → LAN (the
 * reply to a masqueraded flow, or a port forward), so the received copy is the WAN one. Each pair votes for the
 * {@link CookedLinkGroups link-layer groups} of its two copies; {@link CookedSides#decide} turns the votes into sides.
 *
 * <p>The search looks back over a bounded window: at most {@link #WINDOW} recent frames and
 * {@link #WINDOW_NANOS} of capture time, through a direct-mapped table (a newer frame with the same slot replaces the
 * older, which can only lose a vote, never make a wrong one). Per frame the work is allocation-free.
 */
final class CookedCopyPairing {
    /** Recent frames kept for pairing: far more than a router holds in flight between receiving and sending one. */
    static final int WINDOW = 1 << 12;
    /**
     * Capture-time distance within which two copies may pair: a router forwards within its queueing delay (tens of
     * microseconds in the lab's namespaces; a loaded home router's queues stay well under half a second, the
     * bufferbloat worst cases measured in RFC 8290 §1 being a few hundred milliseconds).
     */
    static final long WINDOW_NANOS = 500_000_000L;
    private static final int TABLE = WINDOW * 2;

    final CookedLinkGroups groups = new CookedLinkGroups();
    private final Inside inside;
    private final long[] keys = new long[WINDOW];
    private final long[] nanos = new long[WINDOW];
    private final long[] srcHi = new long[WINDOW], srcLo = new long[WINDOW], dstHi = new long[WINDOW],
            dstLo = new long[WINDOW];
    private final int[] ttl = new int[WINDOW];
    private final int[] groupOf = new int[WINDOW];
    /** Table slot → window sequence number + 1 (0: empty). */
    private final long[] slotSeq = new long[TABLE];
    private long seq;

    /** Per group: LAN votes, WAN votes, frames, frames between an inside and an outside address, between outside ones. */
    final long[] lanVotes = new long[CookedLinkGroups.MAX_GROUPS], wanVotes = new long[CookedLinkGroups.MAX_GROUPS],
            frames = new long[CookedLinkGroups.MAX_GROUPS], insideOutside = new long[CookedLinkGroups.MAX_GROUPS],
            outsideOutside = new long[CookedLinkGroups.MAX_GROUPS];
    /** Addresses per group kept for {@link CookedAddressSides} (a group's first distinct ones, source and destination). */
    static final int ADDRESS_SAMPLES = 8;
    final long[] sampleHi = new long[CookedLinkGroups.MAX_GROUPS * ADDRESS_SAMPLES],
            sampleLo = new long[CookedLinkGroups.MAX_GROUPS * ADDRESS_SAMPLES];
    final int[] samples = new int[CookedLinkGroups.MAX_GROUPS];
    /** The side of the copies each address appeared in. */
    final CookedAddressSides addressSides = new CookedAddressSides();
    /** Pairs that changed neither or both addresses (routed without NAT, or hairpin NAT): no side from them. */
    long unsidedPairs;
    /** Decoded cooked v1 frames beyond {@link CookedLinkGroups#MAX_GROUPS} groups. */
    long ungrouped;

    CookedCopyPairing(Inside inside) {
        this.inside = inside;
    }

    /** One decoded IP frame of the capture with its match key (0: none). */
    void frame(Packet p, long key, long timeNanos) {
        int g = groups.group(p);
        if (g == CookedLinkGroups.NONE) {
            ungrouped++;
            return;
        }
        frames[g]++;
        if (samples[g] < ADDRESS_SAMPLES) {
            sample(g, p.srcHi, p.srcLo);
            sample(g, p.dstHi, p.dstLo);
        }
        boolean sIn = inside.contains(p.srcHi, p.srcLo), dIn = inside.contains(p.dstHi, p.dstLo);
        if (!Addresses.isMulticastOrBroadcast(p.dstHi, p.dstLo)) {
            if (sIn != dIn) insideOutside[g]++;
            else if (!sIn) outsideOutside[g]++;
        }
        if (key == 0 || p.sllHatype == InputChecks.ARPHRD_LOOPBACK) return;
        int slot = (int) (key * 0x9E3779B97F4A7C15L >>> 40) & (TABLE - 1);
        long s = slotSeq[slot] - 1;
        if (s >= 0 && s >= seq - WINDOW) {
            int i = (int) (s & (WINDOW - 1));
            if (keys[i] == key && groupOf[i] != g && Math.abs(nanos[i] - timeNanos) <= WINDOW_NANOS
                    && Math.abs(ttl[i] - p.ttl) == 1) {
                vote(i, p, g);
                slotSeq[slot] = 0;
                return;
            }
        }
        int i = (int) (seq & (WINDOW - 1));
        keys[i] = key;
        nanos[i] = timeNanos;
        srcHi[i] = p.srcHi;
        srcLo[i] = p.srcLo;
        dstHi[i] = p.dstHi;
        dstLo[i] = p.dstLo;
        ttl[i] = p.ttl;
        groupOf[i] = g;
        slotSeq[slot] = ++seq;
    }

    /** Entry {@code i} and the current packet are the two copies of one forwarded packet. */
    private void vote(int i, Packet p, int g) {
        boolean earlierReceived = ttl[i] > p.ttl;
        boolean srcChanged = srcHi[i] != p.srcHi || srcLo[i] != p.srcLo;
        boolean dstChanged = dstHi[i] != p.dstHi || dstLo[i] != p.dstLo;
        if (srcChanged == dstChanged) {
            unsidedPairs++;
            return;
        }
        int received = earlierReceived ? groupOf[i] : g, sent = earlierReceived ? g : groupOf[i];
        // Source NAT: received on the LAN, sent on the WAN; destination NAT: the reverse.
        int lan = srcChanged ? received : sent, wan = srcChanged ? sent : received;
        lanVotes[lan]++;
        wanVotes[wan]++;
        Side currentSide = g == lan ? Side.LAN : Side.WAN;
        addressSides.add(p.srcHi, p.srcLo, currentSide);
        addressSides.add(p.dstHi, p.dstLo, currentSide);
        addressSides.add(srcHi[i], srcLo[i], currentSide.other());
        addressSides.add(dstHi[i], dstLo[i], currentSide.other());
    }

    private void sample(int g, long hi, long lo) {
        int base = g * ADDRESS_SAMPLES, n = samples[g];
        for (int k = base; k < base + n; k++) if (sampleHi[k] == hi && sampleLo[k] == lo) return;
        if (n == ADDRESS_SAMPLES) return;
        sampleHi[base + n] = hi;
        sampleLo[base + n] = lo;
        samples[g] = n + 1;
    }

    /** Pairs that gave a side. */
    long sidedPairs() {
        return Arrays.stream(lanVotes).sum();
    }
}
