package dev.natrecon.conntrack;

import dev.natrecon.conntrack.KernelComparison.EntryResult;
import dev.natrecon.conntrack.KernelComparison.Life;
import dev.natrecon.conntrack.KernelComparison.Verdict;
import java.util.List;

/**
 * The mirror of {@link UnobservableKill}: a kill the MODEL inferred under a rule it assumed for lack of the router's
 * ruleset, and re-created with the same tuples and NAT, while the kernel kept one entry. With no ruleset, a packet the
 * router answered with ICMP no route makes the model infer masquerade's flush (nf_nat_masquerade.c: the WAN lost its
 * address); under SNAT the kernel keeps the entry through the outage (SNAT has no such notifier), and the flow's next
 * packet is translated the same either way (nf_nat_core.c picks the same free source again). Nothing in the captures
 * tells the two apart.
 *
 * <p>The kernel's life is then classified {@link Verdict#UNOBSERVABLE} (counted apart, never as reproduced) and the
 * model's re-created entry goes with it, only when nothing contradicts the kernel's single entry:
 * <ul>
 *   <li>the model's first entry ends in an inferred DESTROY whose {@link Inferred#assumption} is set (never when a
 *       ruleset was given: then the rule is known and a difference is the model's error);</li>
 *   <li>its NEW is the kernel's, byte for byte, and its UPDATEs are the kernel's up to the kill;</li>
 *   <li>the kernel's UPDATEs after the kill are only the ASSURED one (the packets of the outage refreshing the kept
 *       entry: nf_conntrack_proto_udp.c sets ASSURED on a seen-reply stream's packet, which conntrack sees before
 *       routing drops it);</li>
 *   <li>the next model entry of the tuple is the very next result (no kernel life between), re-created after the kill
 *       with the same NEW byte for byte;</li>
 *   <li>the kernel's entry has no DESTROY where the model's re-created entry has none (or one predicted past the
 *       captures), or the same DESTROY as it, after its deadline and within the GC lag.</li>
 * </ul>
 * Anything else (another NAT, an expiry, other updates, a ruleset given) stays a divergence (DIFFERS / EXTRA).
 */
final class AssumedRuleKill {
    private AssumedRuleKill() {
    }

    /**
     * {@code results} of one original tuple, in time order; a kernel life paired with the model's first entry
     * followed by the model's re-created entry, matching the pattern, becomes one {@link Verdict#UNOBSERVABLE} result.
     */
    static void reclassify(List<EntryResult> results, long offset, long gcLagNanos) {
        for (int i = 0; i + 1 < results.size(); i++) {
            EntryResult first = results.get(i), second = results.get(i + 1);
            if (first.verdict() != Verdict.DIFFERS || second.verdict() != Verdict.EXTRA) continue;
            if (!first.differences().stream().allMatch(d -> d.startsWith("UPDATEs differ")
                    || d.startsWith("DESTROY: the kernel's log has none"))) {
                continue;
            }
            String why = pattern(first.kernel(), first.model(), second.model(), offset, gcLagNanos);
            if (why == null) continue;
            results.set(i, new EntryResult(Verdict.UNOBSERVABLE, first.kernel(), first.model(), List.of(why)));
            results.remove(i + 1);
        }
    }

    /** Whether {@code r} is this pattern's result (the model's entry ended by a kill inferred under an assumption). */
    static boolean is(EntryResult r) {
        return r.verdict() == Verdict.UNOBSERVABLE && r.model() != null && r.model().destroyInferred != null
                && r.model().destroyInferred.assumption() != null;
    }

    /** The kernel lines of such a result not reproduced: the ASSURED past the kill, and a DESTROY. */
    static int lines(EntryResult r) {
        Life k = r.kernel(), m = r.model();
        int n = 0;
        if (k.assuredAt != Long.MIN_VALUE && m.assuredAt == Long.MIN_VALUE) n++;
        if (k.destroyBody != null) n++;
        return n;
    }

    /**
     * Whether the kernel's expectation line {@code k} is the removal of an expectation whose master is one of
     * {@code kills} that the model made under an assumed rule, matched with the model's removal at that kill
     * ({@code inferred}, the model's window), and logged after the window's start: the kernel kept the master, so its
     * expectation lived on until the helper's own removal, which no capture can place under the model's assumption.
     */
    static UnobservableKill.Kill expectationKept(KernelExpectation k, Inferred inferred, long kernelNanosOnCaptures,
                                                 List<UnobservableKill.Kill> kills) {
        if (!"DESTROY".equals(k.event()) || k.master() == null || inferred == null || inferred.assumption() == null) {
            return null;
        }
        String master = EventFormat.protocolName(k.protocolNumber()) + " " + k.master().text();
        for (UnobservableKill.Kill x : kills) {
            if (x.modelInferred() && x.key().equals(master) && kernelNanosOnCaptures >= inferred.earliestNanos()) return x;
        }
        return null;
    }

    /** The explanation when the kernel's {@code k} and the model's {@code m1}, {@code m2} are the pattern, else null. */
    static String pattern(Life k, Life m1, Life m2, long offset, long gcLagNanos) {
        if (k == null || m1 == null || m2 == null || k.newBody == null || m1.newBody == null || m2.newBody == null) {
            return null;
        }
        Inferred w = m1.destroyInferred;
        if (w == null || w.assumption() == null || m1.destroyBody == null) return null;
        if (!k.newBody.equals(m1.newBody) || !k.newBody.equals(m2.newBody)) return null;
        if (m2.start < m1.end) return null;
        int n = m1.updates.size();
        if (k.updates.size() < n || !k.updates.subList(0, n).equals(m1.updates)) return null;
        for (int j = n; j < k.updates.size(); j++) {
            if (!k.updates.get(j).contains("[ASSURED]") || k.updates.get(j).contains("[UNREPLIED]")) return null;
        }
        if (k.updates.size() - n > 1) return null;
        boolean m2Ends = m2.destroyBody != null && !m2.destroyPredicted;
        if (k.destroyBody == null) {
            if (m2Ends) return null;
        } else {
            if (!m2Ends || m2.destroyInferred != null) return null;
            long lag = k.end - offset - m2.end;
            if (lag < 0 || lag > gcLagNanos || !KernelComparison.sameDestroy(k.destroyBody, m2.destroyBody, lag)) return null;
        }
        return "NOT OBSERVABLE from the captures: the model inferred a flush of this entry (model entry #" + m1.id
                + ", " + w.frames() + ") assuming " + w.assumption() + "; the kernel kept one entry, and the model "
                + "re-created it with the same tuples and NAT (model entry #" + m2.id + ", first packet " + m2.frame
                + "): a ruleset given (--ruleset) tells the two apart";
    }
}
