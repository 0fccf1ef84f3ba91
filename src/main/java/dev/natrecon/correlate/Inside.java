package dev.natrecon.correlate;

import dev.natrecon.conntrack.NatRule;
import dev.natrecon.decode.Addresses;
import java.util.List;

/**
 * Which addresses are inside the router (behind its NAT): the networks the case gives ({@code --inside}, the model
 * settings' {@code inside}), or, when it gives none, the private and shared ranges ({@link Addresses#isPrivate}:
 * RFC 1918, RFC 6598 100.64.0.0/10, loopback, link-local, ULA). The one statement of inside-ness: the matcher (leaks,
 * local traffic) and the {@link CrossingClassifier} (direction) ask it, and everything else reads their answers.
 */
public final class Inside {
    private final NatRule.Prefix[] prefixes;

    private Inside(List<NatRule.Prefix> prefixes) {
        this.prefixes = prefixes.toArray(NatRule.Prefix[]::new);
    }

    /** {@code prefixes}: the networks behind the router; empty for the private and shared ranges. */
    public static Inside of(List<NatRule.Prefix> prefixes) {
        return new Inside(prefixes);
    }

    /** The private and shared ranges. */
    public static Inside privateRanges() {
        return new Inside(List.of());
    }

    /** Whether the address is inside. */
    public boolean contains(long hi, long lo) {
        if (prefixes.length == 0) return Addresses.isPrivate(hi, lo);
        for (NatRule.Prefix p : prefixes) if (p.contains(hi, lo)) return true;
        return false;
    }

    /** The given network that holds the address, or null (none given, or outside them all). */
    public NatRule.Prefix networkOf(long hi, long lo) {
        NatRule.Prefix net = null;
        for (NatRule.Prefix p : prefixes) if (p.contains(hi, lo)) net = p;
        return net;
    }
}
