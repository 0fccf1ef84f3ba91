package dev.natrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Captures nobody on the project made (src/test/resources/public, the public corpus with its MANIFEST): every pair the
 * MANIFEST lists as {@code a + b}, both ways round, and every file up to {@link #MAX_BYTES} as a router capture, ends
 * in a verdict (exit 0, 1 or 4 with a "Verdict:" line) or in one line naming the file (exit 2), never in a stack trace
 * or an internal error. A router capture whose interfaces cannot be told apart is refused with what to do.
 */
class PublicCorpusAnalyzeTest {
    static final Path CORPUS = Path.of("src/test/resources/public");
    /** Files analysed as router captures: the corpus' small ones (all but the few largest), to keep the suite quick. */
    static final long MAX_BYTES = 1 << 20;

    @TempDir
    Path tmp;

    record Input(String label, List<String> args) {
        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<Input> inputs() throws IOException {
        List<Input> out = new ArrayList<>();
        Pattern pair = Pattern.compile("^\\| `([^`]+)` \\+ `([^`]+)` \\|");
        for (String line : Files.readAllLines(CORPUS.resolve("MANIFEST.md"))) {
            Matcher m = pair.matcher(line);
            if (!m.find()) continue;
            String a = CORPUS.resolve(m.group(1)).toString(), b = CORPUS.resolve(m.group(2)).toString();
            out.add(new Input(m.group(1) + " + " + m.group(2), List.of("--lan", a, "--wan", b)));
            out.add(new Input(m.group(2) + " + " + m.group(1), List.of("--lan", b, "--wan", a)));
        }
        assertTrue(out.size() >= 4, "the MANIFEST lists the relay legs and the NAT-T pair");
        try (Stream<Path> files = Files.walk(CORPUS)) {
            for (Path f : files.filter(p -> p.toString().matches(".*\\.pcap(ng)?$")).sorted().toList()) {
                if (Files.size(f) <= MAX_BYTES) {
                    out.add(new Input("router " + CORPUS.relativize(f), List.of("--router", f.toString())));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void endsInAVerdictOrOneLineNamingTheFile(Input input, @TempDir Path dir) {
        List<String> args = new ArrayList<>(List.of("analyze", "-o", dir.resolve("out").toString()));
        args.addAll(input.args());
        MainTest.Run r = MainTest.run(args.toArray(String[]::new));
        String all = r.out() + r.err();
        assertFalse(all.contains("Exception") || all.contains("\tat "), "no stack trace:\n" + all);
        if (r.code() == Main.USAGE) {
            List<String> lines = r.err().lines().toList();
            assertEquals(1, lines.size(), "one line:\n" + r.err());
            assertTrue(lines.get(0).startsWith("natrecon: error: " + CORPUS), "names the file: " + lines.get(0));
            assertTrue(lines.get(0).contains(": give ") || lines.get(0).contains("--lan") || lines.get(0).contains("--"),
                    "says what to do: " + lines.get(0));
        } else {
            assertTrue(r.code() == Main.OK || r.code() == Main.FINDINGS || r.code() == Main.INCONCLUSIVE,
                    "exit " + r.code() + ":\n" + all);
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("Verdict: ")), "a verdict:\n" + r.out());
            assertNoHopFinding(dir.resolve("out").resolve("findings.csv"));
        }
    }

    /**
     * A pcapng of Linux's {@code any} pseudo-interface (loopback only here) beside one Ethernet interface: no WAN side
     * to be found, so it is refused with what to do rather than judged with {@code any} as the WAN.
     */
    @Test
    void aRouterCaptureWithoutATellableWanIsRefused() {
        Path f = CORPUS.resolve("format/pcapng_sll_eth_2if.pcapng");
        MainTest.Run r = MainTest.run("analyze", "--router", f.toString(), "-o", tmp.resolve("out").toString());
        assertEquals(Main.USAGE, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("cannot tell the LAN and WAN interfaces apart"), r.err());
        assertTrue(r.err().contains("'any' is Linux's pseudo-interface"), r.err());
        assertTrue(r.err().contains("--lan-if"), r.err());
        assertFalse(Files.exists(tmp.resolve("out").resolve("report.html")), "nothing written");
    }

    /**
     * No rtp.loss, rtp.router_delay or rtp.router_reordering (issue 19): they judge a stream seen on both sides of one
     * router, and no input here is that: the MANIFEST's pairs are two legs of an RTP relay (a relay makes new packets,
     * nothing matches across it) and an IPsec NAT-T pair without RTP; a router capture of one interface has one side.
     * Any such finding would be a false alarm.
     */
    static void assertNoHopFinding(Path findingsCsv) {
        if (!Files.exists(findingsCsv)) return;
        try {
            for (String line : Files.readAllLines(findingsCsv)) {
                assertFalse(line.matches("^[^,]*,[^,]*,[^,]*,rtp\\.(loss|router_delay|router_reordering),.*"),
                        "no across-the-router media finding: " + line);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
