package dev.natrecon.correlate;

import dev.natrecon.conntrack.NatRule;
import dev.natrecon.decode.Addresses;
import java.util.List;

/**
 * Which addresses are inside the router (behind its NAT): the networks the case gives ({@code --inside}, the model
 * settings' {@code inside}), or, when it gives none, the private ranges ({@link Addresses#isPrivate}: RFC 1918, RFC
 * 4193) and RFC 6598 shared space ({@link Addresses#isSharedAddressSpace}, 100.64.0.0/10, which some LANs use; not
 * when the router's WAN address is in it, {@link #of(List, java.util.Collection)}). The one
 * statement of inside-ness: the matcher (local traffic) and the {@link CrossingClassifier} (direction) ask it, and
 * everything else reads their answers. Loopback and link-local are never inside: no router forwards them.
 *
 * <p>Inside is not the same as "would be a leak on the WAN" ({@link #leaksOnWan}): without given networks only a
 * private address is one, since a router whose WAN is behind a carrier NAT has 100.64.0.0/10 addresses on its WAN side
 * (its own and the carrier's), which are correct there.
 */
public final class Inside {
    private final NatRule.Prefix[] prefixes;
    /** Without given networks: whether RFC 6598 shared space is inside (not when the router's WAN is in it). */
    private final boolean sharedInside;

    private Inside(List<NatRule.Prefix> prefixes, boolean sharedInside) {
        this.prefixes = prefixes.toArray(NatRule.Prefix[]::new);
        this.sharedInside = sharedInside;
    }

    /** {@code prefixes}: the networks behind the router; empty for the private and shared ranges. */
    public static Inside of(List<NatRule.Prefix> prefixes) {
        return new Inside(prefixes, true);
    }

    /**
     * The inside of a router whose WAN addresses (learnt from its translations) are {@code wanAddresses}: the given
     * networks, else the private ranges, and shared space unless one of the WAN addresses is in it: a router behind a
     * carrier NAT has 100.64.0.0/10 on its WAN side (its own address, the carrier's gateway and servers).
     */
    public static Inside of(List<NatRule.Prefix> prefixes, java.util.Collection<String> wanAddresses) {
        long[] a = new long[2];
        for (String w : wanAddresses) {
            if (Addresses.parse(w, a) && Addresses.isSharedAddressSpace(a[0], a[1])) return new Inside(prefixes, false);
        }
        return new Inside(prefixes, true);
    }

    /** The private ranges and shared space (no networks given). */
    public static Inside privateRanges() {
        return new Inside(List.of(), true);
    }

    /** Whether the case gave the networks behind the router ({@code --inside}); else the ranges decide. */
    public boolean networksGiven() {
        return prefixes.length > 0;
    }

    /**
     * The same inside without RFC 6598 shared space: for a capture whose only non-public addresses are 100.64.0.0/10
     * ones, the carrier NAT's side of a router behind it ({@link #of(List, java.util.Collection)} for why). Given
     * networks stay as they are.
     */
    public Inside withoutSharedSpace() {
        return new Inside(List.of(prefixes), false);
    }

    /** Whether the address is inside (asked for both ends of every frame: one family test, no loop without networks). */
    public boolean contains(long hi, long lo) {
        if (prefixes.length != 0) return inGiven(hi, lo);
        if (!Addresses.isV4(hi, lo)) return Addresses.isPrivate(hi, lo);
        int a = (int) lo;
        return Addresses.isPrivateV4(a) || sharedInside && Addresses.isSharedAddressSpaceV4(a);
    }

    private boolean inGiven(long hi, long lo) {
        for (NatRule.Prefix p : prefixes) if (p.contains(hi, lo)) return true;
        return false;
    }

    /**
     * Whether the address, as a source or advertised address on the WAN, is an inside address that should have been
     * translated (a leak): one of the given networks, or, when none is given, a private address (RFC 1918, RFC 4193)
     * only: RFC 6598 shared space on the WAN is a carrier NAT's (say {@code --inside 100.64.0.0/10} when the LAN is
     * that), loopback and link-local never cross a router.
     */
    public boolean leaksOnWan(long hi, long lo) {
        if (Addresses.isHostOrLinkScope(hi, lo)) return false;
        if (prefixes.length == 0) return Addresses.isPrivate(hi, lo);
        return contains(hi, lo);
    }


    /** The given network that holds the address, or null (none given, or outside them all). */
    public NatRule.Prefix networkOf(long hi, long lo) {
        NatRule.Prefix net = null;
        for (NatRule.Prefix p : prefixes) if (p.contains(hi, lo)) net = p;
        return net;
    }
}
