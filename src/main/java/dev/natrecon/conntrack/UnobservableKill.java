package dev.natrecon.conntrack;

import dev.natrecon.conntrack.KernelComparison.EntryResult;
import dev.natrecon.conntrack.KernelComparison.Life;
import dev.natrecon.conntrack.KernelComparison.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * The one kernel pattern no capture can show: an entry deleted before its deadline by something that is not a packet
 * (an operator's {@code conntrack -D}, ctnetlink: the DESTROY prints the seconds it had left) and re-created by the
 * flow's next packet with exactly the same original and reply tuples (the same NAT, the same helper), while the model,
 * which only sees packets, kept one entry across both. Nothing in the captures tells the two apart: the next packet is
 * translated the same either way (nf_nat_core.c picks the same free source again), so the model must not invent the
 * DESTROY and NEW.
 *
 * <p>The kernel's two lives are then classified {@link Verdict#UNOBSERVABLE}: counted apart, never as reproduced. Only
 * when nothing contradicts the model's single entry:
 * <ul>
 *   <li>the first life ends in a DESTROY with seconds left (a kill; an expiry the model should have reproduced);</li>
 *   <li>the second life's NEW is the first's, byte for byte (same tuples, NAT, helper, timeout, flags), so the next
 *       packet was translated as the old entry would have translated it;</li>
 *   <li>the model's entry was created with that same NEW, its changes up to the kill are the first life's, none falls
 *       between the kill and the re-creation (a packet of the flow in the gap would have made the kernel's NEW then),
 *       and it is still alive at the re-creation.</li>
 * </ul>
 * Anything else (another NAT after, an expiry, a model change in the gap, a model entry that ended first) stays a
 * divergence (DIFFERS / MISSING).
 */
final class UnobservableKill {
    private UnobservableKill() {
    }

    /** {@code results} of one original tuple, in kernel order; pairs of lives matching the pattern are reclassified. */
    static void reclassify(List<EntryResult> results, long offset) {
        for (int i = 0; i + 1 < results.size(); i++) {
            EntryResult first = results.get(i), second = results.get(i + 1);
            if (first.verdict() != Verdict.DIFFERS || second.verdict() != Verdict.MISSING) continue;
            // the pairing's own differences: only the DESTROY, and UPDATEs the model has past the first life's
            if (!first.differences().stream().allMatch(d -> d.startsWith("DESTROY") || d.startsWith("UPDATEs differ"))) continue;
            String why = pattern(first.kernel(), second.kernel(), first.model(), offset);
            if (why == null) continue;
            results.set(i, new EntryResult(Verdict.UNOBSERVABLE, first.kernel(), first.model(), List.of(why)));
            results.set(i + 1, new EntryResult(Verdict.UNOBSERVABLE, second.kernel(), null, List.of(why)));
        }
    }

    /** The explanation when {@code k1}, {@code k2} and the model's {@code m} are the pattern, else null. */
    static String pattern(Life k1, Life k2, Life m, long offset) {
        if (k1 == null || k2 == null || m == null || k1.destroyBody == null || k1.newBody == null
                || k2.newBody == null || m.newBody == null) {
            return null;
        }
        long left = secondsLeft(k1.destroyBody);
        if (left <= 0) return null; // an expiry (or no time printed): the model's timers are to blame
        if (!k1.newBody.equals(k2.newBody) || !k1.newBody.equals(m.newBody)) return null;
        long killed = k1.end - offset, recreated = k2.start - offset;
        if (recreated < killed) return null;
        if (m.destroyBody != null && !m.destroyPredicted && m.end < recreated) return null; // gone before
        int before = 0;
        for (long t : m.updateTimes) if (t <= killed) before++;
        if (!k1.updates.equals(m.updates.subList(0, before))) return null;
        for (int j = before; j < m.updateTimes.size(); j++) {
            if (m.updateTimes.get(j) < recreated) return null; // the model's entry changed in the gap: a packet
        }
        return String.format(java.util.Locale.ROOT, "NOT OBSERVABLE from the captures: the kernel deleted the entry "
                + "with %d s left at %s (no packet did: a conntrack -D / ctnetlink) and the flow's next packet re-created "
                + "it at %s with the same tuples and NAT; the captures show the same translation either way, so the "
                + "model kept one entry (model entry #%d)", left, seconds(killed), seconds(recreated), m.id);
    }

    private static String seconds(long nanos) {
        return dev.natrecon.capture.Times.iso(nanos);
    }

    private static final java.util.regex.Pattern LEFT =
            java.util.regex.Pattern.compile("^\\s*\\[DESTROY\\] ipv\\d +\\d+ \\S+ +\\d+ (\\d+) ");

    /** The seconds left a DESTROY line prints, or -1. */
    static long secondsLeft(String destroy) {
        java.util.regex.Matcher x = LEFT.matcher(destroy);
        return x.find() ? Long.parseLong(x.group(1)) : -1;
    }

    /**
     * An unobservable kill: the entry's original tuple (as the comparison keys it) and the kernel's DESTROY time; or,
     * when {@code modelInferred}, a kill only the model made under an assumed rule ({@link AssumedRuleKill}), at the
     * model's instant on the captures' clock.
     */
    public record Kill(String key, long kernelNanos, boolean modelInferred, String assumption) {
        public Kill(String key, long kernelNanos) {
            this(key, kernelNanos, false, null);
        }

        public Kill(String key, long kernelNanos, boolean modelInferred) {
            this(key, kernelNanos, modelInferred, null);
        }
    }

    /** The kills of {@code results} classified unobservable. */
    static List<Kill> kills(List<EntryResult> results) {
        List<Kill> out = new ArrayList<>();
        for (EntryResult r : results) {
            if (AssumedRuleKill.is(r)) {
                out.add(new Kill(r.kernel().key, r.model().end, true, r.model().destroyInferred.assumption()));
            } else if (r.verdict() == Verdict.UNOBSERVABLE && r.model() != null && !UnknownNat.is(r)) {
                out.add(new Kill(r.kernel().key, r.kernel().end));
            }
        }
        return List.copyOf(out);
    }

    /**
     * Whether the kernel's expectation line {@code k} is the removal of an expectation together with its master at one
     * of {@code kills} (logged within {@code lagNanos} after it): no capture can show that either.
     */
    static Kill expectationGone(KernelExpectation k, List<Kill> kills, long lagNanos) {
        if (!"DESTROY".equals(k.event()) || k.master() == null) return null;
        String master = EventFormat.protocolName(k.protocolNumber()) + " " + k.master().text();
        for (Kill x : kills) {
            if (x.modelInferred()) continue;
            long after = k.timestampNanos() - x.kernelNanos();
            if (x.key().equals(master) && after >= 0 && after <= lagNanos) return x;
        }
        return null;
    }

    /** The kernel lines of {@code results} classified unobservable (NEWs, ASSUREDs and DESTROYs not reproduced). */
    static int lines(List<EntryResult> results) {
        int n = 0;
        List<Life> seen = new ArrayList<>();
        for (EntryResult r : results) {
            if (r.verdict() != Verdict.UNOBSERVABLE || r.kernel() == null || seen.contains(r.kernel())) continue;
            seen.add(r.kernel());
            if (UnknownNat.is(r)) { // a life whose NAT address no capture shows: all its lines
                n += UnknownNat.lines(r);
                continue;
            }
            if (AssumedRuleKill.is(r)) { // the model's inferred kill under an assumed rule: its own lines
                n += AssumedRuleKill.lines(r);
                continue;
            }
            Life k = r.kernel();
            if (r.model() != null) { // the first life: its DESTROY (its NEW and ASSURED the model reproduces)
                n++;
            } else {
                if (k.newBody != null) n++;
                if (k.assuredAt != Long.MIN_VALUE) n++;
            }
        }
        return n;
    }
}
