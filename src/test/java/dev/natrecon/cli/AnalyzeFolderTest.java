package dev.natrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.batch.CaseRunner;
import dev.natrecon.bench.SyntheticNatCaptures;
import dev.natrecon.correlate.Crossing;
import dev.natrecon.engine.AnalysisInputs;
import dev.natrecon.engine.AnalysisSink;
import dev.natrecon.engine.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze} writes its whole folder under a temporary name and swaps it into place: a failed or killed run
 * leaves the previous run's folder byte for byte, and only a hidden partial folder that the next run removes.
 */
class AnalyzeFolderTest {
    @TempDir
    Path tmp;

    static final String LAN = "samples/baseline/lan.pcap", WAN = "samples/baseline/wan.pcap";

    /** Every file under {@code dir}, relative name to SHA-256. */
    static Map<String, String> contents(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                try {
                    out.put(dir.relativize(p).toString(), HexFormat.of().formatHex(
                            MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return out;
    }

    static List<String> hidden(Path parent) throws IOException {
        try (Stream<Path> s = Files.list(parent)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).sorted().toList();
        }
    }

    /** An earlier run's folder plus a file of that run's time that a mixed folder would keep. */
    Path earlierRun() throws IOException {
        Path out = tmp.resolve("reports/case");
        MainTest.Run first = MainTest.run("analyze", "--lan", LAN, "--wan", WAN, "-o", out.toString(), "--fail-on", "never");
        assertEquals(0, first.code(), first.err());
        Files.writeString(out.resolve("old-run-marker.txt"), "from the earlier run");
        return out;
    }

    @Test
    void aSuccessfulRunReplacesTheWholeFolder() throws IOException {
        Path out = earlierRun();
        MainTest.Run again = MainTest.run("analyze", "--lan", LAN, "--wan", "samples/baseline/wan-shifted.pcap", "-o",
                out.toString(), "--fail-on", "never");
        assertEquals(0, again.code(), again.err());
        assertFalse(Files.exists(out.resolve("old-run-marker.txt")), "nothing of the earlier run is left beside the new one");
        assertTrue(Files.isRegularFile(out.resolve("report.html")) && Files.isRegularFile(out.resolve("summary.json")));
        assertEquals(List.of(), hidden(out.getParent()), "no temporary folder left");
    }

    @Test
    void aRunFailingOnItsSecondCaptureLeavesTheEarlierFolderByteIdentical() throws IOException {
        Path out = earlierRun();
        Map<String, String> before = contents(out);
        Path corrupt = tmp.resolve("wan.pcap");
        byte[] wan = Files.readAllBytes(Path.of(WAN));
        Files.write(corrupt, java.util.Arrays.copyOf(wan, 7)); // a pcap header cut short
        MainTest.Run r = MainTest.run("analyze", "--lan", LAN, "--wan", corrupt.toString(), "-o", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(corrupt.toString()), r.err());
        assertEquals(before, contents(out));
        assertEquals(List.of(), hidden(out.getParent()));
    }

    @Test
    void anAnalysisThatDiesMidwayLeavesTheEarlierFolderByteIdentical() throws IOException {
        Path out = earlierRun();
        Map<String, String> before = contents(out);
        // dies after 200 packets, when packets.csv and events.csv of the new run are half written
        AnalysisSink dies = new AnalysisSink() {
            int n;

            @Override
            public void packet(Crossing c) {
                if (++n == 200) throw new IllegalStateException("killed midway");
            }

            @Override
            public void finish(RunResult result) {
            }
        };
        AnalysisInputs in = AnalysisInputs.pair(Path.of(LAN), Path.of(WAN));
        assertThrows(IllegalStateException.class, () -> CaseRunner.analyzeInto(in, out, true, List.of(dies)));
        assertEquals(before, contents(out));
        assertEquals(List.of(), hidden(out.getParent()));
    }

    @Test
    void aKilledAnalyzeLeavesTheOldFolderAndAPartialOneTheNextRunRemoves() throws Exception {
        Path out = earlierRun();
        Map<String, String> before = contents(out);
        Path lan = tmp.resolve("big-lan.pcap"), wan = tmp.resolve("big-wan.pcap");
        SyntheticNatCaptures.write(SyntheticNatCaptures.Config.of(40, 90), lan, wan);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "dev.natrecon.cli.Main", "analyze", "--lan", lan.toString(),
                "--wan", wan.toString(), "-o", out.toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("log.txt").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (hidden(out.getParent()).isEmpty() && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(10);
        Thread.sleep(200);
        assertTrue(p.isAlive(), "still analysing when killed: " + Files.readString(tmp.resolve("log.txt")));
        p.destroyForcibly().waitFor();
        assertEquals(before, contents(out), "the killed run touched nothing of the earlier folder");
        List<String> left = hidden(out.getParent());
        assertEquals(1, left.size(), left.toString());
        assertTrue(left.get(0).startsWith(".case.partial-"), left.toString());

        MainTest.Run next = MainTest.run("analyze", "--lan", LAN, "--wan", WAN, "-o", out.toString(), "--fail-on", "never");
        assertEquals(0, next.code(), next.err());
        assertEquals(List.of(), hidden(out.getParent()), "the next run into the same place removed the partial folder");
    }

    @Test
    void theDefaultFolderIsNamedSafelyFromTheCapturesFolder() throws IOException {
        Path odd = tmp.resolve("we ird$(x)");
        Files.createDirectories(odd);
        Files.copy(Path.of(LAN), odd.resolve("lan.pcap"));
        Files.copy(Path.of(WAN), odd.resolve("wan.pcap"));
        AnalysisInputs in = AnalysisInputs.pair(odd.resolve("lan.pcap"), odd.resolve("wan.pcap"));
        assertEquals("we-ird--x-", dev.natrecon.batch.CaseDiscovery.safeName(in.caseName()));
        assertEquals("case", dev.natrecon.batch.CaseDiscovery.safeName(".."));
    }

    @Test
    void anOutputThatIsAFileOrNotNatreconsIsLeftAloneWithOneLine() throws IOException {
        Path file = tmp.resolve("notes.txt");
        Files.writeString(file, "mine");
        MainTest.Run r = MainTest.run("analyze", "--lan", LAN, "--wan", WAN, "-o", file.toString());
        assertEquals(2, r.code());
        assertEquals("natrecon: error: " + file + ": exists and is not a folder", r.err().strip());
        assertEquals("mine", Files.readString(file));

        MainTest.Run under = MainTest.run("analyze", "--lan", LAN, "--wan", WAN, "-o", file.resolve("sub").toString());
        assertEquals(2, under.code());
        assertEquals("natrecon: error: " + file + ": exists and is not a folder", under.err().strip());

        Path mine = tmp.resolve("home");
        Files.createDirectories(mine.resolve("sub"));
        Files.writeString(mine.resolve("sub/thesis.tex"), "years of work");
        MainTest.Run home = MainTest.run("analyze", "--lan", LAN, "--wan", WAN, "-o", mine.toString());
        assertEquals(2, home.code());
        assertTrue(home.err().contains(mine + ": exists and natrecon did not write it (no summary.json in it)"), home.err());
        assertEquals(1, home.err().strip().lines().count());
        assertEquals("years of work", Files.readString(mine.resolve("sub/thesis.tex")));

        Path link = tmp.resolve("link");
        Files.createSymbolicLink(link, mine);
        MainTest.Run viaLink = MainTest.run("analyze", "--lan", LAN, "--wan", WAN, "-o", link.toString());
        assertEquals(2, viaLink.code());
        assertTrue(viaLink.err().contains("is a symbolic link"), viaLink.err());
        assertEquals("years of work", Files.readString(mine.resolve("sub/thesis.tex")));
    }
}
