package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.natrecon.conntrack.KernelComparison;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole path, as {@code natrecon analyze --case samples/NAME/case.properties} runs it (survey, clock, matching,
 * the arrivals the engine derives from the matched stream, the model), against the kernel's own {@code conntrack -E}
 * log of each lab sample: every kernel NEW, ASSURED UPDATE and DESTROY reproduced (same text; NEW at the model's
 * packet, DESTROY never before the model's deadline and within the GC lag), no entry missing, none extra.
 */
class KernelConformanceTest {
    /** Every lab sample is held to it: a new sample must be added above. */
    @org.junit.jupiter.api.Test
    void everyLabSampleIsChecked() throws IOException {
        java.lang.reflect.Method m;
        try {
            m = KernelConformanceTest.class.getDeclaredMethod("analyzeReproducesTheKernelsLog", String.class);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
        List<String> listed = List.of(m.getAnnotation(ValueSource.class).strings());
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(Path.of("samples"))) {
            List<String> samples = s.filter(d -> java.nio.file.Files.exists(d.resolve("kernel-events.txt")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
            assertEquals(samples, listed.stream().sorted().toList());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"alg-off", "baseline", "expect-exhaustion", "keepalive-gap", "keepalive-gap-random",
            "leaked-private-source", "port-clash", "sip-over-tcp", "stale-mapping", "wan-address-change",
            "wan-address-change-snat"})
    void analyzeReproducesTheKernelsLog(String name) throws IOException {
        AnalysisInputs in = CaseSettings.load(Path.of("samples", name, "case.properties")).inputs(ModelSettings.defaults());
        RunResult r = Analysis.run(in, List.of());
        assertNotNull(r.kernelCheck(), name + ": the case names its kernel log");
        KernelComparison.Result x = r.kernelCheck().result();
        StringBuilder why = new StringBuilder(name);
        for (KernelComparison.EntryResult e : x.entries()) {
            if (e.verdict() != KernelComparison.Verdict.MATCHED) {
                why.append("\n  ").append(e.verdict()).append(' ')
                        .append(e.kernel() != null ? e.kernel().key : e.model().key).append(' ').append(e.differences());
            }
        }
        assertEquals(0, r.kernelCheck().unreadable(), why.toString());
        assertEquals(x.kernelLines(), x.reproducedLines(), why.toString());
        assertEquals(0, x.missing(), why.toString());
        assertEquals(0, x.extra(), why.toString());
        assertEquals(x.kernelEntries(), x.matched(), why.toString());
    }
}
