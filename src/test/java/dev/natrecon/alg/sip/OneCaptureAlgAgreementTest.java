package dev.natrecon.alg.sip;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.detect.Finding;
import dev.natrecon.engine.Analysis;
import dev.natrecon.engine.AnalysisInputs;
import dev.natrecon.engine.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every lab sample: what the LAN capture alone says about the far side's answers mapped back
 * ({@code alg.reply_mapped_back}) against the two-sided rewrite analysis of the same traffic. Each LAN frame the
 * one-capture finding names is an answer whose WAN copy either had its top Via {@code received=} rewritten by the
 * router (the ALG, the finding's first alternative) or already named the private address (nothing translated, its
 * second), or has no WAN copy; and every inbound answer whose {@code received=} the router rewrote to the LAN
 * destination's address is among the finding's frames (nothing the two-sided run sees is missed).
 */
class OneCaptureAlgAgreementTest {
    @TestFactory
    List<DynamicTest> lanAloneAgreesWithBothSides() throws IOException {
        List<Path> samples = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("samples"))) {
            s.filter(d -> Files.isRegularFile(d.resolve("lan.pcap")) && Files.isRegularFile(d.resolve("wan.pcap")))
                    .sorted().forEach(samples::add);
        }
        List<DynamicTest> tests = new ArrayList<>();
        int[] withFinding = {0}, rewrittenFrames = {0};
        for (Path sample : samples) {
            tests.add(DynamicTest.dynamicTest(sample.getFileName().toString(), () -> {
                RunResult lan = Analysis.run(AnalysisInputs.single(sample.resolve("lan.pcap"), null), List.of());
                Set<Long> claimed = new TreeSet<>();
                for (Finding f : lan.findings()) {
                    if (f.id().equals("alg.reply_mapped_back")) claimed.addAll(f.frames("lan"));
                }
                if (!claimed.isEmpty()) withFinding[0]++;
                CaseVerdict both = CaptureSip.classify(sample);
                Set<Long> rewrittenBack = new TreeSet<>(), untranslated = new TreeSet<>(), paired = new TreeSet<>();
                for (MessageVerdict m : both.messages()) {
                    if (m.pair().direction() != Direction.INBOUND) continue;
                    long frame = m.pair().lan().frame();
                    paired.add(frame);
                    boolean receivedChanged = m.diff().compactChanges().stream()
                            .anyMatch(c -> c.name().equals("via[0].received"));
                    if (receivedChanged) rewrittenBack.add(frame);
                    if (m.algClass() == AlgClass.NEUTRAL || !m.rewritten()) untranslated.add(frame);
                }
                rewrittenFrames[0] += rewrittenBack.size();
                for (long frame : claimed) {
                    assertTrue(rewrittenBack.contains(frame) || untranslated.contains(frame) || !paired.contains(frame),
                            sample + " LAN frame " + frame + ": claimed mapped back, but the router neither rewrote "
                                    + "its received= nor left the answer untouched");
                }
                for (long frame : rewrittenBack) {
                    assertTrue(claimed.contains(frame), sample + " LAN frame " + frame
                            + ": the router mapped received= back, the LAN alone did not say so: " + claimed);
                }
            }));
        }
        tests.add(DynamicTest.dynamicTest("samples with the finding", () ->
                assertTrue(withFinding[0] >= 10 && rewrittenFrames[0] >= 30, withFinding[0] + " samples' LAN captures show "
                        + "mapped-back answers; the router rewrote received= in " + rewrittenFrames[0] + " answers")));
        return tests;
    }
}
