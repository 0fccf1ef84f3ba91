package dev.natrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.engine.Analysis;
import dev.natrecon.engine.AnalysisInputs;
import dev.natrecon.engine.AnalysisSink;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** analyze's progress: frames, rate and ETA redrawn in place on a terminal, cleared at the end; nothing when piped. */
class AnalyzeProgressTest {
    static final Path LAN = Path.of("samples/baseline/lan.pcap"), WAN = Path.of("samples/baseline/wan.pcap");

    @Test
    void drawsFramesRateAndEtaThenClearsTheLine() throws IOException {
        StringWriter raw = new StringWriter();
        PrintWriter err = new TerminalWriter.Out(raw);
        long total = Files.size(LAN) + Files.size(WAN);
        AnalyzeProgress p = new AnalyzeProgress(err, total, 0); // look at the clock on every frame
        Analysis.run(AnalysisInputs.pair(LAN, WAN), List.of(p));
        String s = raw.toString();
        assertTrue(s.startsWith(TerminalWriter.CLEAR_LINE + "analyzing: 1 frames, "), s);
        assertTrue(s.contains("frames/s, about ") && s.contains("%, ETA "), s);
        assertTrue(s.endsWith(TerminalWriter.CLEAR_LINE), "the line is cleared for the summary: " + s);
        assertFalse(s.contains("\n"), "never a new line: " + s);
    }

    @Test
    void nothingWhenNotATerminal() throws IOException {
        StringWriter raw = new StringWriter();
        assertEquals(List.of(), AnalyzeProgress.forTerminal(false, new PrintWriter(raw), List.of(LAN, WAN)));
        List<AnalysisSink> sinks = AnalyzeProgress.forTerminal(true, new TerminalWriter.Out(raw), List.of(LAN, WAN));
        assertEquals(1, sinks.size());
        // the command itself, not on a terminal (tests never are): the same output as without progress
        MainTest.Run r = MainTest.run("analyze", "--lan", LAN.toString(), "--wan", WAN.toString(), "-o",
                Files.createTempDirectory("progress").toString());
        assertFalse(r.err().contains("analyzing:"), r.err());
        assertFalse(r.out().contains("analyzing:"), r.out());
    }
}
