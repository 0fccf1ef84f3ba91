package dev.natrecon.conntrack;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The listing side of {@link AssumedRuleKill}: with no ruleset, a packet the router answered with ICMP no route makes
 * the model infer masquerade's flush (nf_nat_masquerade.c: the WAN lost its address), while under SNAT the kernel keeps
 * the entry through the outage (SNAT registers no such notifier) and the flow's next packet is translated the same
 * either way. The captures cannot tell the two apart, and neither can they tell what a {@code conntrack -L} taken
 * after the model's inferred flush lists for that tuple: the kernel's kept entry (older, counting the packets of both
 * model lives and those that died in routing, its timeout set by the last packet conntrack saw: the UDP stream timeout
 * for one dropped in routing, which the helper never saw) or the flushed and re-made one.
 *
 * <p>So a listed entry of such a tuple, at an instant after the model's kill, is classified
 * {@link KernelTableComparison.Verdict#UNOBSERVABLE} when the model has no entry for it then (flushed, not yet
 * re-made), or when the model's entry has the same tuples and NAT (the re-made one) and differs only in what the kept
 * entry's longer life changes: seconds left, ASSURED / UNREPLIED, counters and age. Any other difference (another NAT,
 * another helper, another TCP state) stays a divergence. Never applied when a ruleset was given: the kill then rests
 * on no assumption and is not in the list.
 */
public final class AssumedRuleListing {
    private AssumedRuleListing() {
    }

    /** {@code x} with the entries of {@code kills} made under an assumed rule reclassified as described above. */
    public static KernelTableComparison.Result reclassify(KernelTableComparison.Result x, List<UnobservableKill.Kill> kills) {
        if (x == null || kills.stream().noneMatch(UnobservableKill.Kill::modelInferred)) return x;
        List<KernelTableComparison.EntryResult> out = new ArrayList<>();
        for (KernelTableComparison.EntryResult e : x.entries()) {
            UnobservableKill.Kill kill = e.kernel() == null ? null : killBefore(KernelComparison.key(e.kernel()), x.atNanos(), kills);
            String why = kill == null ? null : why(e, kill);
            if (why != null) e = new KernelTableComparison.EntryResult(KernelTableComparison.Verdict.UNOBSERVABLE,
                    e.kernel(), e.model(), List.of(why));
            out.add(e);
        }
        return x.withEntries(out);
    }

    private static UnobservableKill.Kill killBefore(String key, long atNanos, List<UnobservableKill.Kill> kills) {
        for (UnobservableKill.Kill k : kills) if (k.modelInferred() && k.key().equals(key) && k.kernelNanos() <= atNanos) return k;
        return null;
    }

    /** The reason when {@code e} is one the captures cannot decide, else null (it stays as compared). */
    private static String why(KernelTableComparison.EntryResult e, UnobservableKill.Kill kill) {
        EntryView k = e.kernel(), m = e.model();
        switch (e.verdict()) {
            case MISSING -> {
            }
            case DIFFERS -> {
                if (!k.reply().equals(m.reply())) return null;
                for (String d : e.differences()) {
                    if (!d.startsWith("timeout:") && !d.startsWith("ASSURED:") && !d.startsWith("UNREPLIED:")) return null;
                }
            }
            case MATCHED -> {
                boolean counters = k.origPackets() >= 0 && m.origPackets() >= 0
                        && (k.origPackets() != m.origPackets() || k.replyPackets() != m.replyPackets());
                boolean age = k.deltaSeconds() >= 0 && m.deltaSeconds() >= 0 && k.deltaSeconds() != m.deltaSeconds();
                if (!counters && !age) return null;
            }
            default -> {
                return null;
            }
        }
        String shown = m == null ? "the model holds no entry of this tuple then"
                : "the model's entry then is the re-made one (same tuples and NAT)";
        return String.format(Locale.ROOT, "NOT OBSERVABLE from the captures: the model inferred a flush of this entry at %s "
                + "assuming %s; the kernel kept it, and %s: its seconds left, flags, counters and age here follow the life "
                + "the captures cannot decide; a ruleset given (--ruleset) tells the two apart",
                dev.natrecon.capture.Times.iso(kill.kernelNanos()), kill.assumption() == null ? "a rule" : kill.assumption(),
                shown);
    }
}
