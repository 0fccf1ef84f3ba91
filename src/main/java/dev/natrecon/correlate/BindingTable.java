package dev.natrecon.correlate;

import dev.natrecon.conntrack.ConntrackEntry;
import dev.natrecon.conntrack.ConntrackEvent;
import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.decode.Addresses;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The NAT bindings learnt from matched packet pairs, oriented by the pair's {@link Crossing#outbound() direction}: an
 * outbound pair gives internal = LAN source, external = WAN source, remote = WAN destination; an inbound one the
 * reverse; an unchanged pair is a binding with no translation. Unmatched packets count towards the binding their tuple
 * already belongs to, on the side they were seen. One row per lifetime: the router model's entry ending (expired,
 * flushed, killed: {@link #conntrack}) and a new entry for the same internal endpoint, or a WAN copy with another
 * external endpoint, start the next lifetime of the same endpoints ({@link Binding#lifetime}).
 *
 * <p><b>Memory follows the live flows.</b> Once more than {@link #RETIRE_ABOVE} lifetimes are held, each new one
 * retires the lifetime that ended first ({@link RetiredBindings}: packed, about 70 bytes instead of half a KiB, and
 * no longer looked up): a packet of its endpoints after that belongs to no ended lifetime, so a matched pair starts
 * lifetime 1 again and an unmatched one counts towards none. {@link #bindings()} still lists every lifetime in the
 * order they began, the retired ones read back with the values they retired with. Below the bound (every real capture
 * of one site so far) nothing retires and nothing changes.
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
     * Lifetimes held before ended ones retire, oldest end first: 50,000 at half a KiB each is about 25 MiB; twice the
     * concurrent flows of 1,000 one-datagram flows a second under the 30 s UDP timeout
     * (nf_conntrack_udp_timeout), the busiest shape issue 18 asks for.
     */
    public static final int RETIRE_ABOVE = 50_000;

    /**
     * Every binding under four tuples: LAN and WAN view, outbound and inbound, so one lookup answers a packet; the tag
     * is the direction (0 outbound, 1 inbound).
     */
    private final LongMap<Binding> byTuple = new LongMap<>();
    /** Every lifetime by id − 1; null once retired. */
    private final List<Binding> bindings = new ArrayList<>();
    private final RetiredBindings retired = new RetiredBindings();
    /** Ended lifetimes still held, in the order they ended: the next to retire first. */
    private final ArrayDeque<Binding> ended = new ArrayDeque<>();
    private final List<Binding> view = new BindingList(bindings, retired);
    private final int retireAbove;
    /** The lifetime each live model entry is, by entry id (removed when the entry ends). */
    private final LongMap<Binding> byEntry = new LongMap<>();
    /** Per side: the last tuple hash looked up and its answer (consecutive packets of one flow are the common case). */
    private final long[] lastHash = new long[2];
    /** Recent tuples' answers per side, exact while {@link #byTuple} is unchanged (each change invalidates it). */
    private final BindingCache cache = new BindingCache();
    private final Binding[] lastBinding = new Binding[2];
    private final int[] lastDirection = new int[2];
    private final int maxBindings;
    private long notKept;

    public BindingTable() {
        this(MAX_BINDINGS);
    }

    /** A table keeping at most {@code maxBindings} bindings (tests). */
    public BindingTable(int maxBindings) {
        this(maxBindings, RETIRE_ABOVE);
    }

    /** A table keeping at most {@code maxBindings} bindings that retires ended ones past {@code retireAbove} (tests). */
    public BindingTable(int maxBindings, int retireAbove) {
        this.maxBindings = maxBindings;
        this.retireAbove = retireAbove;
    }

    /** Lifetimes held (live, or ended and not yet retired). */
    int held() {
        return bindings.size() - retired.size();
    }

    /** How many ended lifetimes were retired ({@link #RETIRE_ABOVE}). */
    public int retired() {
        return retired.size();
    }

    /** Matched packets whose flow would have been a binding past the bound: counted, belonging to none. */
    public long notKept() {
        return notKept;
    }

    /**
     * Accounts one resolved packet, learning its binding from a matched pair as the crossing tells its direction. Read
     * after the router model took the crossing: a packet the model tracks under a new entry for endpoints whose last
     * lifetime {@link #conntrack ended} starts the next lifetime, and so does a matched pair whose WAN copy shows
     * another external endpoint than the current lifetime's.
     */
    public void add(Crossing c) {
        Seen s = c.seen();
        if (s.key == 0 || s.protocol < 0) return;
        int side = s.side.ordinal();
        long fwd = find(s, side, c.flowRecord());
        boolean learnable = s.counterpartFrame != 0 && s.outcome != Outcome.ROUTED_BACK;
        if (lastBinding[side] == null) {
            if (learnable) {
                if (held() >= retireAbove) retireEnded();
                if (held() >= maxBindings) {
                    notKept++;
                    return;
                }
                learn(s, c.outbound(), null);
                lookup(s, side, fwd);
            }
        }
        Binding b = lastBinding[side];
        if (b == null || lastHash[side] != fwd) return;
        if (c.modelled() && (b.entry == 0 || b.ended())) b = adoptEntry(b, c, side, fwd);
        if (learnable && s.side == Side.LAN && !sameExternal(b, s, lastDirection[side])
                && held() < maxBindings) {
            learn(s, c.outbound(), null);
            lookup(s, side, fwd);
            b = lastBinding[side];
            if (b == null) return;
        }
        if (learnable && !b.externalSeen) b.externalSeen = true;
        b.count(s.side, lastDirection[side], s.length, s.nanos, s.frame);
    }

    /**
     * The model's entry for an arriving copy of a binding that has none yet or whose lifetime ended: the first entry is
     * the lifetime's; a later one that holds the same internal endpoint starts the next lifetime. An entry that does
     * not hold the internal endpoint (the remote's packet to the router's own address after the mapping died) leaves
     * the packet on the ended lifetime it was addressed to.
     */
    private Binding adoptEntry(Binding b, Crossing c, int side, long fwd) {
        ConntrackEntry e = c.entry();
        if (e == null || e.id() == b.entry) return b;
        if (!holdsInternal(b, e)) return b;
        if (b.entry == 0) {
            b.entry = e.id();
            byEntry.put(e.id(), b);
            return b;
        }
        if (held() >= maxBindings) return b;
        Seen s = c.seen();
        boolean matched = s.counterpartFrame != 0 && s.outcome != Outcome.ROUTED_BACK;
        // without a WAN copy only a LAN packet can start the lifetime: the next one takes over the LAN view
        if (!matched && s.side != Side.LAN) return b;
        if (matched) {
            learn(s, c.outbound(), b);
        } else {
            ConntrackTuple o = e.original(), r = e.reply();
            boolean fromInside = sameEndpoint(o.srcHi(), o.srcLo(), o.srcPort(), b.internalHi, b.internalLo,
                    b.internalPort);
            // the address and port the remote end sends to: the reply's destination for an entry the inside opened,
            // the original destination for one the outside opened
            long eh = fromInside ? r.dstHi() : o.dstHi(), el = fromInside ? r.dstLo() : o.dstLo();
            int ep = fromInside ? r.dstPort() : o.dstPort();
            next(b, eh, el, ep, s.nanos, s.frame);
        }
        lookup(s, side, fwd);
        Binding n = lastBinding[side];
        if (n == null || n == b) return b;
        n.entry = e.id();
        byEntry.put(e.id(), n);
        return n;
    }

    private static boolean holdsInternal(Binding b, ConntrackEntry e) {
        ConntrackTuple o = e.original(), r = e.reply();
        return e.original().protocol() == b.protocol
                && (sameEndpoint(o.srcHi(), o.srcLo(), o.srcPort(), b.internalHi, b.internalLo, b.internalPort)
                || sameEndpoint(r.srcHi(), r.srcLo(), r.srcPort(), b.internalHi, b.internalLo, b.internalPort));
    }

    private static boolean sameEndpoint(long ah, long al, int ap, long bh, long bl, int bp) {
        return ah == bh && al == bl && ap == bp;
    }

    /** Whether the WAN copy of this LAN packet shows the binding's external endpoint (its source going out). */
    private static boolean sameExternal(Binding b, Seen s, int direction) {
        return direction == 0
                ? sameEndpoint(s.cpSrcHi, s.cpSrcLo, s.cpSrcPort, b.externalHi, b.externalLo, b.externalPort)
                : sameEndpoint(s.cpDstHi, s.cpDstLo, s.cpDstPort, b.externalHi, b.externalLo, b.externalPort);
    }

    /**
     * The model ended an entry: the lifetime it was ends with it ({@link Ending#of}). Other events are ignored. Called
     * in the model's order, before the packet that made the model age its table reaches {@link #add}.
     */
    public void conntrack(ConntrackEvent e) {
        Ending how = Ending.of(e);
        if (how == null) return;
        long id = e.entry().id();
        if (id == 0) return;
        Binding b = byEntry.get(id);
        if (b == null || b.entry != id) return;
        // an expiry names the last packet that refreshed the entry, which did not end it
        end(b, e.nanos(), how, e instanceof ConntrackEvent.EntryKilled k ? k.reason() : "",
                how == Ending.EXPIRED ? 0 : e.frame().frame());
        byEntry.remove(id);
    }

    /**
     * The hash of the frame's tuple on its side, its binding (or none) and direction looked up into the per-side
     * answer ({@link #lastBinding}, {@link #lastDirection}): from the {@link BindingCache} while the index has not
     * changed, else from the index (and cached).
     */
    private long find(Seen s, int side, FlowRecord r) {
        if (r != null) {
            if (cache.hit(r)) {
                lastHash[side] = r.bindingHash;
                lastBinding[side] = r.binding;
                lastDirection[side] = r.bindingDirection;
                return r.bindingHash;
            }
            long fwd = tupleHash(s.side, s.protocol, s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort);
            lookup(s, side, fwd);
            cache.put(r, fwd, lastBinding[side], lastDirection[side]);
            return fwd;
        }
        long pp = BindingCache.packed(s.protocol, s.srcPort, s.dstPort);
        if (pp < 0) {
            long fwd = tupleHash(s.side, s.protocol, s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort);
            lookup(s, side, fwd);
            return fwd;
        }
        int slot = BindingCache.slot(side, s.srcLo, s.dstLo, pp);
        if (cache.hit(slot, s.srcHi, s.srcLo, s.dstHi, s.dstLo, pp)) return cached(slot, side);
        long fwd = tupleHash(s.side, s.protocol, s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort);
        lookup(s, side, fwd);
        cache.put(slot, s.srcHi, s.srcLo, s.dstHi, s.dstLo, pp, fwd,
                lastBinding[side], lastDirection[side]);
        return fwd;
    }

    /** The answer the cache keeps in {@code slot}, made this side's last: returns its tuple hash. */
    private long cached(int slot, int side) {
        long fwd = cache.hash(slot);
        lastHash[side] = fwd;
        lastBinding[side] = cache.binding(slot);
        lastDirection[side] = cache.direction(slot);
        return fwd;
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
     * which end is internal: the LAN source of an outbound pair, the LAN destination of an inbound one. When the LAN
     * view already belongs to a lifetime with another external endpoint, or to {@code after} (the lifetime the model
     * ended), the pair starts the next lifetime of those endpoints; a lifetime that had not ended is then
     * {@link Ending#REPLACED replaced}.
     */
    private void learn(Seen s, boolean outbound, Binding after) {
        TupleView l = s.lanView(), w = s.wanView();
        long ih = outbound ? l.srcHi() : l.dstHi(), il = outbound ? l.srcLo() : l.dstLo();
        int ip = outbound ? l.srcPort() : l.dstPort();
        long eh = outbound ? w.srcHi() : w.dstHi(), el = outbound ? w.srcLo() : w.dstLo();
        int ep = outbound ? w.srcPort() : w.dstPort();
        long rh = outbound ? w.dstHi() : w.srcHi(), rl = outbound ? w.dstLo() : w.srcLo();
        int rp = outbound ? w.dstPort() : w.srcPort();
        // The remote end as the LAN sees it (a DNAT would make it differ from the WAN's view).
        long lrh = outbound ? l.dstHi() : l.srcHi(), lrl = outbound ? l.dstLo() : l.srcLo();
        int lrp = outbound ? l.dstPort() : l.srcPort();
        long lanOut = tupleHash(Side.LAN, s.protocol, ih, il, ip, lrh, lrl, lrp);
        long wanOut = tupleHash(Side.WAN, s.protocol, eh, el, ep, rh, rl, rp);
        Binding before = after != null ? after : byTuple.get(lanOut);
        if (before != null) {
            if (after == null && sameEndpoint(before.externalHi, before.externalLo, before.externalPort, eh, el, ep)) {
                return;
            }
            next(before, eh, el, ep, s.nanos, s.frame);
            return;
        }
        Binding other = byTuple.get(wanOut);
        if (other != null && !other.ended()) return;
        index(new Binding(bindings.size() + 1, 1, s.protocol, ih, il, ip, eh, el, ep, rh, rl, rp), lrh, lrl, lrp);
    }

    /**
     * Starts the next lifetime of {@code before}'s endpoints with this external endpoint; {@code before} is replaced
     * at {@code nanos} if it had not ended.
     */
    private void next(Binding before, long eh, long el, int ep, long nanos, long frame) {
        end(before, nanos, Ending.REPLACED, "by " + Addresses.endpoint(eh, el, ep), frame);
        if (before.entry != 0) byEntry.remove(before.entry);
        Binding n = new Binding(bindings.size() + 1, before.lifetime + 1, before.protocol, before.internalHi,
                before.internalLo, before.internalPort, eh, el, ep, before.remoteHi, before.remoteLo,
                before.remotePort);
        index(n, before.lanRemoteHi, before.lanRemoteLo, before.lanRemotePort);
    }

    /** Keeps {@code b} and files it under its four tuples (a later lifetime takes them over from the earlier). */
    private void index(Binding b, long lrh, long lrl, int lrp) {
        b.lanRemoteHi = lrh;
        b.lanRemoteLo = lrl;
        b.lanRemotePort = lrp;
        bindings.add(b);
        byTuple.put(tupleHash(Side.LAN, b.protocol, b.internalHi, b.internalLo, b.internalPort, lrh, lrl, lrp), b, 0);
        byTuple.put(tupleHash(Side.WAN, b.protocol, b.externalHi, b.externalLo, b.externalPort, b.remoteHi,
                b.remoteLo, b.remotePort), b, 0);
        byTuple.put(tupleHash(Side.LAN, b.protocol, lrh, lrl, lrp, b.internalHi, b.internalLo, b.internalPort), b, 1);
        byTuple.put(tupleHash(Side.WAN, b.protocol, b.remoteHi, b.remoteLo, b.remotePort, b.externalHi, b.externalLo,
                b.externalPort), b, 1);
        // a cached answer may name the lifetime just ended
        lastBinding[0] = lastBinding[1] = null;
        cache.invalidate();
    }

    /** Ends {@code b} (if alive) and queues it for retirement. */
    private void end(Binding b, long nanos, Ending how, String detail, long frame) {
        if (b.ended()) return;
        b.end(nanos, how, detail, frame);
        ended.add(b);
    }

    /**
     * Retires the lifetimes that ended first until fewer than {@link #retireAbove} are held (or none ended is left):
     * out of the tuple index (where a later lifetime did not take its tuples over) and packed.
     */
    private void retireEnded() {
        while (held() >= retireAbove && !ended.isEmpty()) {
            Binding b = ended.poll();
            unindex(b, tupleHash(Side.LAN, b.protocol, b.internalHi, b.internalLo, b.internalPort, b.lanRemoteHi,
                    b.lanRemoteLo, b.lanRemotePort));
            unindex(b, tupleHash(Side.WAN, b.protocol, b.externalHi, b.externalLo, b.externalPort, b.remoteHi,
                    b.remoteLo, b.remotePort));
            unindex(b, tupleHash(Side.LAN, b.protocol, b.lanRemoteHi, b.lanRemoteLo, b.lanRemotePort, b.internalHi,
                    b.internalLo, b.internalPort));
            unindex(b, tupleHash(Side.WAN, b.protocol, b.remoteHi, b.remoteLo, b.remotePort, b.externalHi,
                    b.externalLo, b.externalPort));
            if (b.entry != 0 && byEntry.get(b.entry) == b) byEntry.remove(b.entry);
            for (int side = 0; side < 2; side++) if (lastBinding[side] == b) lastBinding[side] = null;
            retired.put(b);
            bindings.set(b.id - 1, null);
        }
    }

    private void unindex(Binding b, long tuple) {
        if (byTuple.get(tuple) == b) {
            byTuple.remove(tuple);
            cache.invalidate();
        }
    }

    /**
     * Every lifetime in the order they began (by id), retired ones included (each read back as a new object with the
     * values it retired with; a view, not a copy).
     */
    public List<Binding> bindings() {
        return view;
    }

    private static long tupleHash(Side side, int proto, long ah, long al, int ap, long bh, long bl, int bp) {
        long h = MatchKeys.mix(ah * 31 + al ^ (long) side.ordinal() << 60 ^ proto);
        h = MatchKeys.mix(h ^ bh * 17 + bl);
        h = MatchKeys.mix(h ^ ((long) ap << 16 | bp));
        return h == 0 ? 1 : h;
    }
}
