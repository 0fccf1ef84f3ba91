package dev.natrecon.engine;

import dev.natrecon.correlate.Side;
import dev.natrecon.decode.LinkType;
import dev.natrecon.decode.Packet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The LAN or WAN side of each frame of a router's Linux cooked v1 capture, decided per
 * {@link CookedLinkGroups link-layer group} from the {@link CookedCopyPairing copy pairs}: a group takes the side most
 * of its pairs gave it. A group with no pair (frames the router dropped or sent itself, on a link that forwarded
 * nothing) falls back to its addresses as the interface roles of other router captures do: only between an inside
 * and an outside address is the LAN, only between outside addresses the WAN. Anything else is "side unknown": listed
 * but never matched, and said so in the decisions.
 *
 * <p>The replay asks {@link #key} per frame: a lookup in primitive arrays, no allocation. Its keys are virtual
 * interface keys (negative, so they never meet a pcapng interface id or an SLL2 interface index).
 */
final class CookedSides {
    static final int LAN_KEY = -2, WAN_KEY = -3, UNKNOWN_KEY = -4;
    /** Link-layer groups named one by one per side in the decisions; the rest are summed up (a LAN of many phones). */
    static final int NAMED_GROUPS = 4;
    private static final String WHY = "Linux cooked v1 records no interface, so each forwarded packet's received and "
            + "sent copies were paired by content";

    /**
     * Share of a group's copy pairs the losing side may have before the group counts as two links sharing one address
     * (VLAN subinterfaces of one port send with the same MAC): its frames are then sided one by one by their addresses.
     * A clean group has no pair against it; a tenth leaves room for a few odd pairs without splitting a link.
     */
    static final double MIXED_SHARE = 0.1;

    private final CookedLinkGroups groups;
    private final CookedAddressSides addressSides;
    private final Side[] sideOf;
    private final boolean[] mixed;
    private final List<String> decisions = new ArrayList<>();
    private final long sidedPairs;
    private final long unknownFrames;
    private final boolean bothSides;

    private CookedSides(CookedCopyPairing pairing) {
        groups = pairing.groups;
        addressSides = pairing.addressSides;
        sideOf = new Side[groups.size()];
        mixed = new boolean[groups.size()];
        List<Item> lan = new ArrayList<>(), wan = new ArrayList<>(), unknown = new ArrayList<>(), shared = new ArrayList<>();
        long unknownCount = pairing.ungrouped;
        for (int g = 0; g < groups.size(); g++) {
            long l = pairing.lanVotes[g], w = pairing.wanVotes[g];
            String reason;
            Side side;
            if (Math.min(l, w) > 0 && Math.min(l, w) >= MIXED_SHARE * (l + w)) {
                mixed[g] = true;
                shared.add(new Item(String.format(Locale.ROOT, "%s (%d copy pairs said LAN, %d WAN)",
                        groups.describe(g), l, w), l + w, pairing.frames[g]));
                continue;
            } else if (l + w > 0) {
                side = l > w ? Side.LAN : w > l ? Side.WAN : null;
                long against = Math.min(l, w);
                reason = side == null
                        ? String.format(Locale.ROOT, "%d copy pairs said LAN and %d WAN", l, w)
                        : against == 0 ? String.format(Locale.ROOT, "%d copy pairs", Math.max(l, w))
                        : String.format(Locale.ROOT, "%d copy pairs, %d of them said the other side", l + w, against);
            } else if (groups.hatype(g) == InputChecks.ARPHRD_LOOPBACK) {
                side = null;
                reason = "the loopback interface";
            } else if ((reason = oneSidedAddress(pairing, g, CookedAddressSides.LAN)) != null) {
                side = Side.LAN;
            } else if ((reason = oneSidedAddress(pairing, g, CookedAddressSides.WAN)) != null) {
                side = Side.WAN;
            } else if (pairing.insideOutside[g] > 0 && pairing.outsideOutside[g] == 0) {
                side = Side.LAN;
                reason = String.format(Locale.ROOT, "no forwarded copy; its %d packets go between inside and outside "
                        + "addresses", pairing.insideOutside[g]);
            } else if (pairing.outsideOutside[g] > 0 && pairing.insideOutside[g] == 0) {
                side = Side.WAN;
                reason = String.format(Locale.ROOT, "no forwarded copy; its %d packets go between outside addresses",
                        pairing.outsideOutside[g]);
            } else {
                side = null;
                reason = "no forwarded copy and its addresses do not tell";
            }
            sideOf[g] = side;
            String item = String.format(Locale.ROOT, "%s (%s)", groups.describe(g), reason);
            if (side == Side.LAN) lan.add(new Item(item, l + w, pairing.frames[g]));
            else if (side == Side.WAN) wan.add(new Item(item, l + w, pairing.frames[g]));
            else {
                unknown.add(new Item(String.format(Locale.ROOT, "%d %s", pairing.frames[g], item), 0, pairing.frames[g]));
                unknownCount += pairing.frames[g];
            }
        }
        sidedPairs = pairing.sidedPairs();
        unknownFrames = unknownCount;
        bothSides = (!lan.isEmpty() || !shared.isEmpty()) && (!wan.isEmpty() || !shared.isEmpty()) && sidedPairs > 0;
        decisions.add("LAN side: " + list(lan) + " [" + WHY + "]");
        decisions.add("WAN side: " + list(wan));
        decisions.add(String.format(Locale.ROOT, "copy pairs: %d told the side%s", sidedPairs,
                pairing.unsidedPairs == 0 ? "" : String.format(Locale.ROOT, ", %d more changed no address or both "
                        + "(routed without NAT, or hairpin) and told none", pairing.unsidedPairs)));
        if (!shared.isEmpty()) {
            decisions.add("LAN or WAN per frame, by its addresses (two interfaces share one link-layer address; a frame "
                    + "with an address seen only in one side's copies takes that side, any other is side unknown): "
                    + list(shared));
        }
        if (unknownFrames > 0) {
            decisions.add(String.format(Locale.ROOT, "side unknown: %d IP frames, listed but not matched (%s)",
                    unknownFrames, unknown.isEmpty()
                            ? "beyond " + CookedLinkGroups.MAX_GROUPS + " link-layer addresses"
                            : list(unknown)));
        }
    }

    /**
     * "no forwarded copy; its address A appears only in the LAN copies" when the group's sampled addresses include one
     * seen only in copies of {@code side} and none seen only in the other side's; else null.
     */
    private static String oneSidedAddress(CookedCopyPairing pairing, int g, int side) {
        String found = null;
        int base = g * CookedCopyPairing.ADDRESS_SAMPLES;
        for (int k = base; k < base + pairing.samples[g]; k++) {
            int seen = pairing.addressSides.sides(pairing.sampleHi[k], pairing.sampleLo[k]);
            if (seen == (CookedAddressSides.LAN | CookedAddressSides.WAN) || seen == 0) continue;
            if (seen != side) return null;
            if (found == null) found = dev.natrecon.decode.Addresses.format(pairing.sampleHi[k], pairing.sampleLo[k]);
        }
        return found == null ? null : "no forwarded copy; its address " + found + " appears only in the "
                + (side == CookedAddressSides.LAN ? "LAN" : "WAN") + " copies";
    }

    /** One link-layer group in the decisions: its text, the copy pairs and frames behind it. */
    private record Item(String text, long pairs, long frames) {
    }

    /** The groups with the most pairs (then frames) by name, the others summed up. */
    private static String list(List<Item> items) {
        if (items.isEmpty()) return "none";
        List<Item> sorted = new ArrayList<>(items);
        sorted.sort((a, b) -> a.pairs != b.pairs ? Long.compare(b.pairs, a.pairs) : Long.compare(b.frames, a.frames));
        List<String> parts = new ArrayList<>();
        long pairs = 0, frames = 0;
        for (int i = 0; i < sorted.size(); i++) {
            if (i < NAMED_GROUPS) parts.add(sorted.get(i).text);
            else {
                pairs += sorted.get(i).pairs;
                frames += sorted.get(i).frames;
            }
        }
        if (sorted.size() > NAMED_GROUPS) {
            parts.add(String.format(Locale.ROOT, "and %d more link-layer addresses (%d copy pairs, %d frames)",
                    sorted.size() - NAMED_GROUPS, pairs, frames));
        }
        return String.join("; ", parts);
    }

    /** The sides the pairs and addresses give. */
    static CookedSides decide(CookedCopyPairing pairing) {
        return new CookedSides(pairing);
    }

    /** Whether both sides were found and at least one copy pair told them apart. */
    boolean bothSides() {
        return bothSides;
    }

    long sidedPairs() {
        return sidedPairs;
    }

    long unknownFrames() {
        return unknownFrames;
    }

    List<String> decisions() {
        return decisions;
    }

    /** The virtual interface key of a cooked v1 frame: {@link #LAN_KEY}, {@link #WAN_KEY} or {@link #UNKNOWN_KEY}. */
    int key(Packet p) {
        int g = groups.find(p);
        if (g >= 0 && mixed[g]) return byAddress(p);
        Side s = g < 0 ? null : sideOf[g];
        return s == Side.LAN ? LAN_KEY : s == Side.WAN ? WAN_KEY : UNKNOWN_KEY;
    }

    /** The side of a frame of a mixed group: the one side its source or destination address was seen on alone. */
    private int byAddress(Packet p) {
        int src = addressSides.sides(p.srcHi, p.srcLo), dst = addressSides.sides(p.dstHi, p.dstLo);
        boolean lan = src == CookedAddressSides.LAN || dst == CookedAddressSides.LAN;
        boolean wan = src == CookedAddressSides.WAN || dst == CookedAddressSides.WAN;
        return lan == wan ? UNKNOWN_KEY : lan ? LAN_KEY : WAN_KEY;
    }

    /** Whether {@link #key} applies to this frame (a Linux cooked v1 frame). */
    static boolean applies(Packet p) {
        return p.linkType == LinkType.LINUX_SLL && p.interfaceIndex < 0;
    }

    /** Display name of a virtual key. */
    static String name(int key) {
        return key == LAN_KEY ? "LAN side (paired copies)" : key == WAN_KEY ? "WAN side (paired copies)" : "side unknown";
    }
}
