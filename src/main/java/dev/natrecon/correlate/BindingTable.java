package dev.natrecon.correlate;

import java.util.ArrayList;
import java.util.List;

/**
 * The NAT bindings learnt from matched packet pairs, oriented by the pair's {@link Crossing#outbound() direction}: an
 * outbound pair gives internal = LAN source, external = WAN source, remote = WAN destination; an inbound one the
 * reverse; an unchanged pair is a binding with no translation. Unmatched packets count towards the binding their tuple already belongs to, on the side
 * they were seen. Memory grows with the number of distinct flows, not with packets.
 */
public final class BindingTable {
    /**
     * Bindings kept. Each costs about half a KiB with its four index entries and the detectors' per-binding state, so
     * 100,000 stay near 50 MiB, within a 256 MiB heap; that is more flows than the default conntrack table of a small
     * router holds at once (nf_conntrack_max 65536 at 4 GiB of RAM), so a real capture of one site does not reach it.
     * Packets of flows past it are counted in the outcomes but belong to no binding ({@link #notKept}).
     */
    public static final int MAX_BINDINGS = 100_000;

    /**
     * Every binding under four tuples: LAN and WAN view, outbound and inbound, so one lookup answers a packet; the tag
     * is the direction (0 outbound, 1 inbound).
     */
    private final LongMap<Binding> byTuple = new LongMap<>();
    private final List<Binding> bindings = new ArrayList<>();
    /** Per side: the last tuple hash looked up and its answer (consecutive packets of one flow are the common case). */
    private final long[] lastHash = new long[2];
    private final Binding[] lastBinding = new Binding[2];
    private final int[] lastDirection = new int[2];
    private final int maxBindings;
    private long notKept;

    public BindingTable() {
        this(MAX_BINDINGS);
    }

    /** A table keeping at most {@code maxBindings} bindings (tests). */
    public BindingTable(int maxBindings) {
        this.maxBindings = maxBindings;
    }

    /** Matched packets whose flow would have been a binding past the bound: counted, belonging to none. */
    public long notKept() {
        return notKept;
    }

    /** Accounts one resolved packet, learning its binding from a matched pair as the crossing tells its direction. */
    public void add(Crossing c) {
        Seen s = c.seen();
        if (s.key == 0 || s.protocol < 0) return;
        int side = s.side.ordinal();
        long fwd = tupleHash(s.side, s.protocol, s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort);
        if (fwd != lastHash[side] || lastBinding[side] == null) {
            if (!lookup(s, side, fwd) && s.counterpartFrame != 0 && s.outcome != Outcome.ROUTED_BACK) {
                if (bindings.size() >= maxBindings) {
                    notKept++;
                    return;
                }
                learn(s, c.outbound());
                lookup(s, side, fwd);
            }
        }
        Binding b = lastBinding[side];
        if (b != null && lastHash[side] == fwd) b.count(s.side, lastDirection[side], s.length, s.nanos, s.frame);
    }

    /** Finds the binding of this side's view of the tuple, in either direction, into the per-side cache. */
    private boolean lookup(Seen s, int side, long fwd) {
        Binding b = byTuple.get(fwd);
        lastHash[side] = fwd;
        lastBinding[side] = b;
        lastDirection[side] = b == null ? 0 : byTuple.lastTag();
        return b != null;
    }

    /**
     * Learns the binding of a matched pair, from whichever side resolved first; {@code outbound} (the crossing's) says
     * which end is internal: the LAN source of an outbound pair, the LAN destination of an inbound one.
     */
    private void learn(Seen s, boolean outbound) {
        TupleView l = s.lanView(), w = s.wanView();
        Binding b = outbound
                ? new Binding(bindings.size() + 1, s.protocol, l.srcHi(), l.srcLo(), l.srcPort(), w.srcHi(), w.srcLo(),
                        w.srcPort(), w.dstHi(), w.dstLo(), w.dstPort())
                : new Binding(bindings.size() + 1, s.protocol, l.dstHi(), l.dstLo(), l.dstPort(), w.dstHi(), w.dstLo(),
                        w.dstPort(), w.srcHi(), w.srcLo(), w.srcPort());
        // The remote end as the LAN sees it (a DNAT would make it differ from the WAN's view).
        long lrh = outbound ? l.dstHi() : l.srcHi(), lrl = outbound ? l.dstLo() : l.srcLo();
        int lrp = outbound ? l.dstPort() : l.srcPort();
        long lanOut = tupleHash(Side.LAN, b.protocol, b.internalHi, b.internalLo, b.internalPort, lrh, lrl, lrp);
        long wanOut = tupleHash(Side.WAN, b.protocol, b.externalHi, b.externalLo, b.externalPort, b.remoteHi,
                b.remoteLo, b.remotePort);
        if (byTuple.get(lanOut) != null || byTuple.get(wanOut) != null) return;
        bindings.add(b);
        byTuple.put(lanOut, b, 0);
        byTuple.put(wanOut, b, 0);
        byTuple.put(tupleHash(Side.LAN, b.protocol, lrh, lrl, lrp, b.internalHi, b.internalLo, b.internalPort), b, 1);
        byTuple.put(tupleHash(Side.WAN, b.protocol, b.remoteHi, b.remoteLo, b.remotePort, b.externalHi, b.externalLo,
                b.externalPort), b, 1);
    }

    public List<Binding> bindings() {
        return bindings;
    }

    private static long tupleHash(Side side, int proto, long ah, long al, int ap, long bh, long bl, int bp) {
        long h = MatchKeys.mix(ah * 31 + al ^ (long) side.ordinal() << 60 ^ proto);
        h = MatchKeys.mix(h ^ bh * 17 + bl);
        h = MatchKeys.mix(h ^ ((long) ap << 16 | bp));
        return h == 0 ? 1 : h;
    }
}
