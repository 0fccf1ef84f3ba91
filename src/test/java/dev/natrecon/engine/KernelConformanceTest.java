package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.conntrack.KernelComparison;
import dev.natrecon.conntrack.KernelTableComparison;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole path, as {@code natrecon analyze --case samples/NAME/case.properties} runs it (survey, clock, matching,
 * the arrivals the engine derives from the matched stream, the model), against the kernel's own {@code conntrack -E}
 * log of each lab sample: every kernel NEW, ASSURED UPDATE and DESTROY reproduced (same text; NEW at the model's
 * packet, DESTROY never before the model's deadline and within the GC lag), no entry missing, none extra.
 */
class KernelConformanceTest {
    /** Every sample folder with a kernel log: a new lab sample is held to it without being listed. */
    static List<String> samples() throws IOException {
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(Path.of("samples"))) {
            return s.filter(d -> java.nio.file.Files.exists(d.resolve("kernel-events.txt")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * Each sample twice: with its case settings ({@code settings}), and as a customer's ticket carries it, the captures
     * and the router's sysctl dump only ({@code captures}): no link-change times, ruleset, helper setting or addresses.
     * A sample that also holds the router's {@code tcpdump -i any} capture ({@code router.pcap}) a third time, from
     * that one file and the sysctl dump ({@code router}).
     */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> runs() throws IOException {
        return samples().stream().flatMap(s -> java.util.stream.Stream.concat(java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of(s, "settings"),
                org.junit.jupiter.params.provider.Arguments.of(s, "captures")),
                java.nio.file.Files.exists(Path.of("samples", s, "router.pcap"))
                        ? java.util.stream.Stream.of(org.junit.jupiter.params.provider.Arguments.of(s, "router"))
                        : java.util.stream.Stream.empty()));
    }

    static AnalysisInputs inputs(String name, String how) throws IOException {
        CaseSettings c = CaseSettings.load(Path.of("samples", name, "case.properties"));
        if (how.equals("router")) {
            AnalysisInputs two = c.capturesOnly(ModelSettings.defaults());
            return new AnalysisInputs(null, null, Path.of("samples", name, "router.pcap"), null, null, null,
                    two.matchWindowSeconds(), two.model(), two.kernelEvents(), two.kernelTables(),
                    two.kernelExpectations(), two.name(), two.redact(), null);
        }
        return how.equals("captures") ? c.capturesOnly(ModelSettings.defaults()) : c.inputs(ModelSettings.defaults());
    }

    /**
     * Runs from the captures alone that the model does not reproduce yet (issue 15, open), per sample and check
     * ({@code log}, {@code expectations}, {@code listings}), with why. Strict: a listed run must still fail its check,
     * so that once the model reproduces it this test fails until the entry is removed. Never a place for a run that
     * passed once.
     */
    static final java.util.Map<String, String> NOT_YET_FROM_CAPTURES = java.util.Map.of();

    /** Asserts a check's result, or, for a run listed in {@link #NOT_YET_FROM_CAPTURES}, that it still fails. */
    static void judge(String name, String how, String check, boolean agrees, String detail) {
        String gap = !how.equals("settings") ? NOT_YET_FROM_CAPTURES.get(name) : null;
        if (gap != null && java.util.Arrays.asList(gap.substring(0, gap.indexOf(':')).split(" ")).contains(check)) {
            assertFalse(agrees, name + " " + check + " from its captures is reproduced now: remove it from "
                    + "NOT_YET_FROM_CAPTURES");
        } else {
            assertTrue(agrees, detail);
        }
    }

    @org.junit.jupiter.api.Test
    void theLabSamplesAreThere() throws IOException {
        assertEquals(34, samples().size(), samples().toString());
    }

    @ParameterizedTest(name = "{0} from its {1}")
    @MethodSource("runs")
    void analyzeReproducesTheKernelsLog(String name, String how) throws IOException {
        AnalysisInputs in = inputs(name, how);
        RunResult r = Analysis.run(in, List.of());
        assertNotNull(r.kernelCheck(), name + ": the case names its kernel log");
        KernelComparison.Result x = r.kernelCheck().result();
        assertEquals(0, r.kernelCheck().unreadable(), name);
        // from the captures alone, an entry the kernel deleted without a packet and the next packet re-created with
        // the same tuples and NAT (an operator's conntrack -D) cannot be seen: that category only, counted apart
        boolean unobservable = !how.equals("settings") && x.agreesButUnobservable();
        judge(name, how, "log", x.problems().isEmpty() && (x.agrees() || unobservable) && x.kernelLines() > 0,
                name + ": " + x.problems() + " " + x);
    }

    /**
     * The SIP helper: every line of the kernel's {@code conntrack -E expect} log reproduced (same tuples, masks,
     * master, flags and class; a NEW's seconds left exact, a DESTROY's within one; logged at or just after the model's
     * event), none extra; and every SIP message the helper handled whose copy the other capture holds rewritten by the
     * model byte for byte as the router did.
     */
    @ParameterizedTest(name = "{0} from its {1}")
    @MethodSource("runs")
    void analyzeReproducesTheKernelsExpectationsAndRewrites(String name, String how) throws IOException {
        AnalysisInputs in = inputs(name, how);
        assertNotNull(in.kernelExpectations(), name + ": the case names its expectation log");
        RunResult r = Analysis.run(in, List.of());
        dev.natrecon.conntrack.KernelExpectationComparison.Result x = r.expectCheck().result();
        // removals with a master the kernel deleted without a packet: not observable, and only from the captures
        judge(name, how, "expectations", x.problems().isEmpty()
                && (x.agrees() || !how.equals("settings") && x.agreesButUnobservable()), name + ": " + x.problems());
        ModelSummary m = r.model();
        assertEquals(m.rewritesPredicted(), m.rewritesEqual(), name + ": " + m.rewriteMismatches());
        boolean helperOn = x.kernelLines() > 0;
        assertEquals(helperOn, m.rewritesPredicted() > 0, name + ": the helper rewrote messages exactly when the kernel's "
                + "expectation log shows it at work");
    }

    /**
     * Every {@code conntrack -L} listing of the sample, at the instant the replay finds for it: every listed entry
     * with the same tuples, NAT mapping, state, flags and helper, seconds left within the tolerance, nothing extra.
     */
    @ParameterizedTest(name = "{0} from its {1}")
    @MethodSource("runs")
    void analyzeReproducesTheKernelsListings(String name, String how) throws IOException {
        AnalysisInputs in = inputs(name, how);
        assertTrue(!in.kernelTables().isEmpty(), name + ": the case names its listings");
        RunResult r = Analysis.run(in, List.of());
        assertEquals(in.kernelTables().size(), r.tableChecks().size());
        boolean all = true;
        String first = "";
        for (KernelTableCheck t : r.tableChecks()) {
            assertEquals(0, t.unreadable(), t.file() + ": " + t.firstUnreadable());
            KernelTableComparison.Result x = t.result();
            assertNotNull(x, t.file().toString());
            // an empty listing (the kernel held no entry then) only when its file holds no line at all
            assertTrue(x.kernelEntries() > 0 || java.nio.file.Files.readString(t.file()).isBlank(),
                    t.file() + " lists entries");
            // from the captures alone, an entry the kernel kept where the model inferred a flush under an assumed rule
            // (no ruleset): counted apart as not observable, and its counters with it
            boolean ok = x.agrees() || how.equals("captures") && x.agreesButUnobservable();
            // counters too, which the instant is chosen by and which no verdict judges: off by at most what one grid
            // step of the samples' busiest flow explains (RTP at 50 packets/s each way: 5 per 0.1 s)
            for (KernelTableComparison.EntryResult e : x.entries()) {
                ok &= e.model() == null || e.kernel() == null || e.verdict() == KernelTableComparison.Verdict.UNOBSERVABLE
                        || Math.abs(e.kernel().origPackets() - e.model().origPackets()) <= 5
                        && Math.abs(e.kernel().replyPackets() - e.model().replyPackets()) <= 5;
            }
            if (!ok && all) first = t.file() + ": " + x.entries();
            all &= ok;
        }
        judge(name, how, "listings", all, first);
    }
}
