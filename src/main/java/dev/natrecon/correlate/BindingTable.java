package dev.natrecon.correlate;

import dev.natrecon.decode.Addresses;
import java.util.ArrayList;
import java.util.List;

/**
 * The NAT bindings learnt from matched packet pairs. A pair whose source changed is outbound (internal = LAN source,
 * external = WAN source, remote = WAN destination); one whose destination changed is inbound; an unchanged pair is a
 * binding with no translation. Unmatched packets count towards the binding their tuple already belongs to, on the side
 * they were seen. Memory grows with the number of distinct flows, not with packets.
 */
public final class BindingTable {
    private final LongMap<Binding> byTuple = new LongMap<>();
    private final List<Binding> bindings = new ArrayList<>();

    /** Accounts one resolved packet. */
    public void add(Seen s) {
        if (s.key == 0 || s.protocol < 0) return;
        if (s.counterpartFrame != 0 && s.side == Side.LAN) {
            learn(s);
        }
        // Find the binding by this side's view of the tuple, in either direction.
        long fwd = tupleHash(s.side, s.protocol, s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort);
        Binding b = byTuple.get(fwd);
        int direction = 0;
        if (b == null) {
            b = byTuple.get(tupleHash(s.side, s.protocol, s.dstHi, s.dstLo, s.dstPort, s.srcHi, s.srcLo, s.srcPort));
            direction = 1;
        }
        if (b != null) b.count(s.side, direction, s.length, s.nanos, s.frame);
    }

    private void learn(Seen lan) {
        boolean srcChanged = lan.srcHi != lan.cpSrcHi || lan.srcLo != lan.cpSrcLo || lan.srcPort != lan.cpSrcPort;
        boolean dstChanged = lan.dstHi != lan.cpDstHi || lan.dstLo != lan.cpDstLo || lan.dstPort != lan.cpDstPort;
        boolean outbound;
        if (srcChanged) {
            outbound = true;
        } else if (dstChanged) {
            outbound = false;
        } else {
            // Untranslated: call the private end (or else the lower address) internal.
            boolean sp = Addresses.isPrivate(lan.srcHi, lan.srcLo);
            boolean dp = Addresses.isPrivate(lan.dstHi, lan.dstLo);
            outbound = sp || !dp;
        }
        long lanOut = outbound
                ? tupleHash(Side.LAN, lan.protocol, lan.srcHi, lan.srcLo, lan.srcPort, lan.dstHi, lan.dstLo, lan.dstPort)
                : tupleHash(Side.LAN, lan.protocol, lan.dstHi, lan.dstLo, lan.dstPort, lan.srcHi, lan.srcLo, lan.srcPort);
        if (byTuple.get(lanOut) != null) return;
        Binding b = outbound
                ? new Binding(bindings.size() + 1, lan.protocol, lan.srcHi, lan.srcLo, lan.srcPort,
                        lan.cpSrcHi, lan.cpSrcLo, lan.cpSrcPort, lan.cpDstHi, lan.cpDstLo, lan.cpDstPort)
                : new Binding(bindings.size() + 1, lan.protocol, lan.dstHi, lan.dstLo, lan.dstPort,
                        lan.cpDstHi, lan.cpDstLo, lan.cpDstPort, lan.cpSrcHi, lan.cpSrcLo, lan.cpSrcPort);
        bindings.add(b);
        byTuple.put(lanOut, b);
        byTuple.put(tupleHash(Side.WAN, b.protocol, b.externalHi, b.externalLo, b.externalPort, b.remoteHi, b.remoteLo,
                b.remotePort), b);
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
