package dev.natrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands run in-process with captured output: exit codes, one-line errors, files written. */
class MainTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpAndVersion() {
        for (String[] a : List.of(new String[] {"--help"}, new String[] {"analyze", "--help"},
                new String[] {"inspect", "--help"}, new String[] {"bench", "--help"}, new String[] {"--version"})) {
            Run r = run(a);
            assertEquals(0, r.code, String.join(" ", a));
            assertFalse(r.out.isBlank());
        }
        assertTrue(run("--help").out.contains("analyze"));
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run().code);
        assertEquals(2, run("analyze", "--lan", "x.pcap").code);
        assertEquals(2, run("frobnicate").code);
    }

    @Test
    void unreadableInputIsOneLineNamingTheFile() throws IOException {
        Path junk = tmp.resolve("junk.pcap");
        Files.writeString(junk, "this is not a capture at all");
        Run r = run("inspect", junk.toString());
        assertEquals(2, r.code);
        assertEquals(1, r.err.strip().lines().count(), r.err);
        assertTrue(r.err.contains(junk.toString()) && r.err.contains("not a pcap or pcapng file"), r.err);
        Run missing = run("analyze", "--lan", tmp.resolve("nope.pcap").toString(), "--wan", junk.toString(), "-o",
                tmp.resolve("o").toString());
        assertEquals(2, missing.code);
        assertTrue(missing.err.contains("nope.pcap: no such file"), missing.err);
        assertFalse(Files.exists(tmp.resolve("o/packets.csv")), "no half output");
    }

    @Test
    void analyzeWritesSummaryPacketsAndMappings() throws IOException {
        Path out = tmp.resolve("case");
        Run r = run("analyze", "--lan", "samples/baseline/lan.pcap", "--wan", "samples/baseline/wan-shifted.pcap", "-o",
                out.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("WAN clock ahead of LAN by +7.2"), r.out);
        assertTrue(r.out.contains("LAN: 509 packets to match, 509 matched (100.0%)"), r.out);
        // by default packets.csv lists only the notable frames: here every frame was forwarded, so none
        List<String> notable = Files.readAllLines(out.resolve("packets.csv"));
        assertEquals(1, notable.size(), "only the header: " + notable);
        assertTrue(notable.get(0).startsWith("capture,frame,capture_time,corrected_time,disposition"));
        Path all = tmp.resolve("case-all");
        assertEquals(0, run("analyze", "--packets", "--lan", "samples/baseline/lan.pcap", "--wan",
                "samples/baseline/wan-shifted.pcap", "-o", all.toString()).code);
        List<String> packets = Files.readAllLines(all.resolve("packets.csv"));
        assertEquals(1 + 509 + 509, packets.size(), "--packets: a header and one row per frame of both captures");
        assertEquals(notable.get(0), packets.get(0));
        List<String> mappings = Files.readAllLines(out.resolve("mappings.csv"));
        assertEquals(3, mappings.size());
        // binding 1, its first lifetime: internal, external (seen on the WAN), remote, the model's entry 1, still alive
        assertTrue(mappings.get(1).startsWith("1,1,udp,192.168.1.10:5060,203.0.113.2:5060,true,203.0.113.5:5060,address,1,"),
                mappings.get(1));
        assertTrue(mappings.get(1).contains(",alive,"), mappings.get(1));
        String summary = Files.readString(out.resolve("summary.json"));
        assertTrue(summary.contains("\"wan_ahead_of_lan_seconds\": 7.2"), summary);
        assertTrue(summary.contains("\"matched_percent\": 100"), summary);
        try (var files = Files.list(out)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void inspectJson() {
        Run r = run("inspect", "--json", "src/test/resources/public/format/pcapng_sll_eth_2if.pcapng");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("\"frames\": 631"), r.out);
        assertTrue(r.out.contains("\"name\": \"ens160\""), r.out);
        Run text = run("inspect", "src/test/resources/public/format/snaplen128_sll.pcap");
        assertTrue(text.out.contains("decode.truncated_by_snaplen"), text.out);
    }
}
