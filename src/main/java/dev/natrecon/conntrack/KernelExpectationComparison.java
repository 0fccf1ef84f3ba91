package dev.natrecon.conntrack;

import java.util.ArrayList;
import java.util.List;

/**
 * The model's expectation events against a real {@code conntrack -E expect -o timestamp} log: each kernel line is
 * paired, in order, with the first unpaired model event of the same kind ([NEW]/[DESTROY]) and the same text apart
 * from the seconds left. A NEW must print the same seconds; a DESTROY may print one second more or less (the kernel
 * counts the timer in jiffies, whose phase against the capture clock is unknown). The kernel stamps a line when
 * conntrack-tools receives it, at or a little after the packet: the model's time may not be later than the
 * kernel's and not earlier by more than {@code lagNanos}, after the clock offset.
 */
public final class KernelExpectationComparison {
    private KernelExpectationComparison() {
    }

    /** One kernel line and what became of it. */
    public record LineResult(String kernelLine, String modelLine, boolean reproduced, String problem) {
    }

    /**
     * @param extra model events no kernel line reproduces (within the captures)
     */
    public record Result(List<LineResult> lines, int kernelLines, int reproduced, List<String> extra, int unobservable) {
        public Result(List<LineResult> lines, int kernelLines, int reproduced, List<String> extra) {
            this(lines, kernelLines, reproduced, extra, 0);
        }

        public boolean agrees() {
            return reproduced == kernelLines && extra.isEmpty();
        }

        /**
         * Every line reproduced but removals with a master whose kill no capture can show
         * ({@link UnobservableKill}); never {@link #agrees}.
         */
        public boolean agreesButUnobservable() {
            return unobservable > 0 && reproduced + unobservable == kernelLines && extra.isEmpty();
        }

        public List<String> problems() {
            List<String> p = new ArrayList<>();
            for (LineResult l : lines) if (!l.reproduced() && !l.problem().startsWith(UNOBSERVABLE)) p.add(l.kernelLine() + ": " + l.problem());
            for (String e : extra) p.add("extra in the model: " + e);
            return p;
        }
    }

    /**
     * @param kernel      the log's lines (blank and unreadable ones are skipped by the caller)
     * @param model       the model's events within the captures
     * @param later       the model's events after the captures' end (a kernel line may match one; none counts as
     *                    extra)
     * @param offsetNanos the log's clock minus the capture clock
     */
    public static Result compare(List<String> kernel, List<ExpectationEvent> model, List<ExpectationEvent> later,
                                 long offsetNanos, long lagNanos) {
        return compare(kernel, model, later, offsetNanos, lagNanos, List.of());
    }

    /** The text that starts the problem of a line classified not observable. */
    public static final String UNOBSERVABLE = "NOT OBSERVABLE from the captures";

    /**
     * @param kills the kernel's kills that no capture can show (the event log's comparison,
     *              {@link KernelComparison.Result#unobservableKills}): a removal with such a master, logged with the
     *              kill, is paired with the model's removal of the same expectation (whenever it came) and counted apart
     */
    public static Result compare(List<String> kernel, List<ExpectationEvent> model, List<ExpectationEvent> later,
                                 long offsetNanos, long lagNanos, List<UnobservableKill.Kill> kills) {
        int unobservable = 0;
        List<ExpectationEvent> all = new ArrayList<>(model);
        all.addAll(later);
        boolean[] used = new boolean[all.size()];
        List<LineResult> results = new ArrayList<>();
        int reproduced = 0;
        for (String line : kernel) {
            KernelExpectation k = ConntrackText.expectation(line);
            String kBody = line.substring(line.indexOf('\t') + 1).strip();
            String kTag = kBody.startsWith("[NEW]") ? "NEW" : "DESTROY";
            String kRest = withoutTimeout(kBody);
            int found = -1;
            for (int i = 0; i < all.size(); i++) {
                if (used[i]) continue;
                ExpectationEvent e = all.get(i);
                String mTag = e instanceof ExpectationEvent.ExpectationCreated ? "NEW" : "DESTROY";
                if (mTag.equals(kTag) && withoutTimeout(EventFormat.expectBody(e).strip()).equals(kRest)) {
                    found = i;
                    break;
                }
            }
            // an expectation of an entry whose NAT no capture shows names the model's stand-in address (UnknownNat)
            String kDst = UnknownNat.expectedDst(kRest);
            boolean unknownNat = false;
            int masked = -1;
            for (int i = 0; masked < 0 && kDst != null && i < all.size(); i++) {
                if (used[i]) continue;
                ExpectationEvent e = all.get(i);
                String mTag = e instanceof ExpectationEvent.ExpectationCreated ? "NEW" : "DESTROY";
                String mRest = withoutTimeout(EventFormat.expectBody(e).strip());
                if (mTag.equals(kTag) && UnknownNat.ADDRESS.equals(UnknownNat.expectedDst(mRest))
                        && UnknownNat.expectedWith(mRest, kDst).equals(kRest)) {
                    masked = i;
                }
            }
            // the stand-in's line when nothing else has this text, or when it was logged in time and the other not
            if (masked >= 0 && (found < 0 || !inTime(k, all.get(found), offsetNanos, lagNanos)
                    && inTime(k, all.get(masked), offsetNanos, lagNanos))) {
                found = masked;
                unknownNat = true;
            }
            if (found < 0) {
                results.add(new LineResult(line, null, false, "no model event with this tuple and these flags"));
                continue;
            }
            used[found] = true;
            ExpectationEvent e = all.get(found);
            String problem = null;
            UnobservableKill.Kill kill = kills.isEmpty() ? null : UnobservableKill.expectationGone(k, kills, lagNanos);
            if (kill != null) {
                unobservable++;
                results.add(new LineResult(line, EventFormat.expectLine(e), false, UNOBSERVABLE + ": removed with its "
                        + "master " + kill.key() + ", which the kernel deleted without a packet (see the event log's "
                        + "comparison); the model's expectation lived on until its own removal"));
                continue;
            }
            Inferred assumed = e instanceof ExpectationEvent.ExpectationRemoved r0 ? r0.inferred() : null;
            UnobservableKill.Kill kept = kills.isEmpty() ? null
                    : AssumedRuleKill.expectationKept(k, assumed, k.timestampNanos() - offsetNanos, kills);
            if (kept != null) {
                unobservable++;
                results.add(new LineResult(line, EventFormat.expectLine(e), false, UNOBSERVABLE + ": the model "
                        + "removed it with its master " + kept.key() + " in a flush it inferred assuming "
                        + assumed.assumption() + "; the kernel kept the master (see the event log's comparison), and "
                        + "the expectation until this removal"));
                continue;
            }
            long left = e.expectation().timeoutSeconds();
            long lag = k.timestampNanos() - (e.nanos() + offsetNanos);
            Inferred w = e instanceof ExpectationEvent.ExpectationRemoved r ? r.inferred() : null;
            if (w != null) {
                problem = inferred(w, left, k.timeoutSeconds(), k.timestampNanos() - offsetNanos, e.nanos(), lagNanos);
            } else {
                if (kTag.equals("NEW") ? left != k.timeoutSeconds() : Math.abs(left - k.timeoutSeconds()) > 1) {
                    problem = "seconds left: kernel " + k.timeoutSeconds() + ", model " + left;
                }
                if (problem == null && found < model.size() && (lag < 0 || lag > lagNanos)) {
                    problem = String.format(java.util.Locale.ROOT, "logged %+.6f s after the model's event", lag / 1e9);
                }
            }
            if (problem == null && unknownNat) {
                unobservable++;
                results.add(new LineResult(line, EventFormat.expectLine(e), false, UNOBSERVABLE + ": the expected "
                        + "address " + kDst + " is the NAT of an entry made on an uplink no capture shows (the model's "
                        + UnknownNat.ADDRESS + "); equal but for it"));
                continue;
            }
            if (problem == null) reproduced++;
            results.add(new LineResult(line, EventFormat.expectLine(e), problem == null, problem));
        }
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < model.size(); i++) if (!used[i]) extra.add(EventFormat.expectLine(model.get(i)));
        return new Result(List.copyOf(results), kernel.size(), reproduced, List.copyOf(extra), unobservable);
    }

    /** Whether the kernel's line {@code k} was logged at or just after the model's event {@code e}. */
    private static boolean inTime(KernelExpectation k, ExpectationEvent e, long offsetNanos, long lagNanos) {
        long lag = k.timestampNanos() - (e.nanos() + offsetNanos);
        return lag >= 0 && lag <= lagNanos;
    }

    /**
     * A removal whose master's end was inferred ({@link Inferred}): the kernel's line must lie inside the window (its
     * end plus {@code lagNanos}) and print the seconds the model's expectation had left at the kernel's instant, within
     * one; null when it does.
     */
    static String inferred(Inferred w, long modelLeft, long kernelLeft, long kernelNanos, long modelNanos, long lagNanos) {
        if (!w.admits(kernelNanos, lagNanos)) {
            return String.format(java.util.Locale.ROOT, "logged %+.6f s after the inferred window's start, outside it "
                    + "(%.6f s long)", (kernelNanos - w.earliestNanos()) / 1e9, (w.latestNanos() - w.earliestNanos()) / 1e9);
        }
        double expected = modelLeft - (kernelNanos - modelNanos) / 1e9;
        return Math.abs(kernelLeft - expected) <= 1 ? null : String.format(java.util.Locale.ROOT,
                "seconds left: kernel %d, model %d at the window's start (%.1f at the kernel's instant; inferred)",
                kernelLeft, modelLeft, expected);
    }

    /** "[TAG] 180 proto=…" without the tag's padding and the seconds left. */
    private static String withoutTimeout(String body) {
        String s = body.replaceFirst("^\\s*\\[(NEW|DESTROY)]\\s+", "");
        return s.replaceFirst("^\\d+ ", "");
    }
}
