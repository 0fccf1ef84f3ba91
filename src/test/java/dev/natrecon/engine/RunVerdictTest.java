package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.correlate.ClockEstimate;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Side;
import dev.natrecon.detect.Detectors;
import dev.natrecon.detect.Finding;
import dev.natrecon.detect.Severity;
import dev.natrecon.testing.PcapNg;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verdict's rules, each at its threshold, and a router capture whose roles rest on a handful of packets. */
class RunVerdictTest {
    @TempDir
    Path tmp;

    static CaptureStats capture(String path, long first, long last, long sip) {
        CaptureStats s = new CaptureStats(path);
        s.frames = 100;
        s.firstNanos = first;
        s.lastNanos = last;
        if (sip > 0) s.matchKeyKinds.put("sip", sip);
        return s;
    }

    /** Outcomes with {@code lanMatched} of {@code lanTotal} LAN and {@code wanMatched} of {@code wanTotal} WAN packets matched. */
    static RunVerdict decide(long lanMatched, long lanTotal, long wanMatched, long wanTotal, long pairs,
                             ClockEstimate clock, long wanFirst, List<Finding> findings) {
        long[][] outcomes = new long[Side.values().length][Outcome.values().length];
        outcomes[Side.LAN.ordinal()][Outcome.TRANSLATED.ordinal()] = lanMatched;
        outcomes[Side.LAN.ordinal()][Outcome.NO_COUNTERPART.ordinal()] = lanTotal - lanMatched;
        outcomes[Side.WAN.ordinal()][Outcome.TRANSLATED.ordinal()] = wanMatched;
        outcomes[Side.WAN.ordinal()][Outcome.NO_COUNTERPART.ordinal()] = wanTotal - wanMatched;
        List<CaptureStats> caps = List.of(capture("lan.pcap", 0, 10_000_000_000L, 5),
                capture("wan.pcap", wanFirst, wanFirst + 10_000_000_000L, 5));
        return RunVerdict.decide(caps, List.of("lan", "wan"), clock, outcomes, new long[] {lanMatched, wanMatched},
                pairs, null, List.of(), findings);
    }

    static final ClockEstimate NONE = ClockEstimate.none("test");

    /**
     * A capture whose reader stopped where the file is damaged (the rest never read) makes the run inconclusive,
     * naming the file and frame, whatever the part read showed; the same run without the damage is clean.
     */
    @Test
    void aCaptureDamagedBeforeItsEndIsNotJudgedClean() {
        long[][] outcomes = new long[Side.values().length][Outcome.values().length];
        outcomes[Side.LAN.ordinal()][Outcome.TRANSLATED.ordinal()] = 50;
        outcomes[Side.WAN.ordinal()][Outcome.TRANSLATED.ordinal()] = 50;
        CaptureStats lan = capture("lan.pcap", 0, 10_000_000_000L, 5);
        CaptureStats wan = capture("wan.pcap.gz", 0, 10_000_000_000L, 5);
        wan.compression = dev.natrecon.capture.Compression.GZIP;
        RunVerdict whole = RunVerdict.decide(List.of(lan, wan), List.of("lan", "wan"), NONE, outcomes,
                new long[] {50, 50}, 50, null, List.of(), List.of());
        assertEquals(RunVerdict.Kind.CLEAN, whole.kind());
        wan.damagedAtFrame = 101;
        RunVerdict cut = RunVerdict.decide(List.of(lan, wan), List.of("lan", "wan"), NONE, outcomes,
                new long[] {50, 50}, 50, null, List.of(), List.of());
        assertEquals(RunVerdict.Kind.INCONCLUSIVE, cut.kind());
        assertEquals("capture_damaged", cut.reasons().get(0).id());
        assertTrue(cut.reasonText().startsWith("wan.pcap.gz is damaged at frame 101"), cut.reasonText());
        assertTrue(cut.reasonText().contains("compressed file damaged in transfer"), cut.reasonText());
        // what the part read does show stands: a warning stays the verdict, the damage a note beside it
        Finding warning = Finding.of(Detectors.rule("nat.port_clash")).severity(Severity.WARNING).at(1).subject("x")
                .message("m").build();
        RunVerdict shown = RunVerdict.decide(List.of(lan, wan), List.of("lan", "wan"), NONE, outcomes,
                new long[] {50, 50}, 50, null, List.of(), List.of(warning));
        assertEquals(RunVerdict.Kind.FINDINGS, shown.kind());
        assertTrue(shown.notes().get(0).startsWith("wan.pcap.gz is damaged at frame 101"), shown.notes().toString());
    }

    /** Every reason id the verdict can give is one summary.schema.json allows (nothing_judged once was not). */
    @Test
    void everyReasonIdIsInTheSummarySchema() throws IOException {
        String source = Files.readString(Path.of("src/main/java/dev/natrecon/engine/RunVerdict.java"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("new Reason\\(\"([a-z_]+)\"").matcher(source);
        String schema = Files.readString(Path.of("src/main/resources/summary.schema.json"));
        java.util.regex.Matcher e = java.util.regex.Pattern.compile("\"id\": \\{\"enum\": \\[([^\\]]*)\\]").matcher(schema);
        assertTrue(e.find(), "the schema's reason ids");
        String allowed = e.group(1);
        int ids = 0;
        while (m.find()) {
            ids++;
            assertTrue(allowed.contains("\"" + m.group(1) + "\""), m.group(1) + " missing from the schema: " + allowed);
        }
        assertTrue(ids >= 6, "found the reasons: " + ids);
    }

    @Test
    void matchedPacketsAtTheirThresholds() {
        RunVerdict few = decide(3, 3, 3, 3, RunVerdict.MIN_MATCHED_PAIRS - 1, NONE, 0, List.of());
        assertEquals(RunVerdict.Kind.INCONCLUSIVE, few.kind());
        assertEquals("too_few_matched", few.reasons().get(0).id());
        assertEquals(RunVerdict.Kind.CLEAN, decide(4, 4, 4, 4, RunVerdict.MIN_MATCHED_PAIRS, NONE, 0, List.of()).kind());
        // under a tenth of both sides crossed: different places, not a router dropping nine in ten both ways
        RunVerdict thin = decide(9, 100, 9, 100, 9, NONE, 0, List.of());
        assertEquals(List.of("too_few_matched"), thin.reasons().stream().map(RunVerdict.Reason::id).toList());
        assertTrue(thin.reasonText().contains("LAN 9 of 100 and WAN 9 of 100"), thin.reasonText());
        // one side forwarded (an outage drops the other's): judged
        assertEquals(RunVerdict.Kind.CLEAN, decide(10, 100, 10, 12, 10, NONE, 0, List.of()).kind());
    }

    @Test
    void overlapIsJudgedOnTheCorrectedClock() {
        long hour = 3_600_000_000_000L;
        RunVerdict apart = decide(0, 10, 0, 10, 0, NONE, hour, List.of());
        assertEquals(List.of("no_overlap"), apart.reasons().stream().map(RunVerdict.Reason::id).toList(),
                "no match reason on top: captures of different moments match nothing");
        assertEquals(3590.0, (Double) apart.reasons().get(0).figures().get("gap_seconds"), 1e-6);
        // the same WAN capture with its clock an hour ahead, as given: it overlaps
        assertEquals(RunVerdict.Kind.CLEAN, decide(10, 10, 10, 10, 10, ClockEstimate.given(3600), hour, List.of()).kind());
    }

    @Test
    void findingsStillCountWhenInconclusiveButTheVerdictIsNeverClean() {
        Finding warning = Finding.of(Detectors.rule("nat.port_clash")).severity(Severity.WARNING).at(1).subject("x")
                .message("m").build();
        RunVerdict judged = decide(10, 10, 10, 10, 10, NONE, 0, List.of(warning));
        assertEquals(RunVerdict.Kind.FINDINGS, judged.kind());
        assertEquals("warning", judged.label());
        RunVerdict unjudged = decide(1, 10, 1, 10, 1, NONE, 0, List.of(warning));
        assertEquals(RunVerdict.Kind.INCONCLUSIVE, unjudged.kind());
        assertEquals(Severity.WARNING, unjudged.worst(), "the finding is kept for the exit status");
        assertEquals("inconclusive", unjudged.label());
        assertNull(decide(10, 10, 10, 10, 10, NONE, 0, List.of()).worst());
    }

    @Test
    void routerCaptureWithRolesGuessedFromAHandfulOfPackets() throws IOException {
        List<RouterCaptureTest.Frame> frames = RouterCaptureTest.baseline().subList(0, 8); // one registration each side
        PcapNg ng = new PcapNg();
        ng.section(ByteOrder.LITTLE_ENDIAN);
        ng.idb(1, "wan0", 9);
        ng.idb(1, "lan0", 9);
        for (RouterCaptureTest.Frame f : frames) ng.epb(f.side() == 0 ? 1 : 0, f.nanos(), f.bytes());
        Path file = tmp.resolve("router.pcapng");
        Files.write(file, ng.out.toByteArray());
        RunResult guessed = Analysis.run(new AnalysisInputs(null, null, file, null, null, null, 1.0), List.of());
        assertEquals(RunVerdict.Kind.INCONCLUSIVE, guessed.verdict().kind());
        RunVerdict.Reason r = guessed.verdict().reasons().get(0);
        assertEquals("roles_guessed", r.id());
        assertTrue(r.text().contains("LAN lan0 from 4 packets") && r.text().contains("give --lan-if and --wan-if"),
                r.text());
        RunResult given = Analysis.run(new AnalysisInputs(null, null, file, "lan0", "wan0", null, 1.0), List.of());
        assertFalse(given.verdict().inconclusive(), given.verdict().reasonText());
    }
}
