package dev.natrecon.batch;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.natrecon.FuzzContract;
import dev.natrecon.cli.Main;
import dev.natrecon.engine.AnalysisInputs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Whole-case fuzz target: two small captures made from the fuzz input (the seeds are real LAN/WAN pairs cut from the
 * samples and the public captures, which the fuzzer mutates) analysed as {@code analyze} does, into a fresh temporary
 * folder. The analysis must end normally or with the contract's IOException/IllegalArgumentException; nothing may be
 * written outside the output folder (the inputs stay as they were, no other file appears); then {@code natrecon
 * analyze} itself must exit with a defined status (0, 1, 2 or 4) and print no stack trace.
 *
 * <p>Input layout ({@link #split}): a 4-byte big-endian length of the LAN capture, the LAN capture, then the WAN
 * capture (everything after it).
 */
class WholeCaseFuzzTest {
    private static final Set<Integer> DEFINED_EXITS = Set.of(Main.OK, Main.FINDINGS, Main.USAGE, Main.INCONCLUSIVE);

    @FuzzTest(maxDuration = "60s")
    void analyzePair(byte[] input) throws IOException {
        byte[][] pair = split(input);
        Path root = Files.createTempDirectory("natrecon-fuzz-case");
        try {
            Path in = Files.createDirectory(root.resolve("in")), out = Files.createDirectory(root.resolve("out"));
            Path lan = Files.write(in.resolve("lan.pcap"), pair[0]), wan = Files.write(in.resolve("wan.pcap"), pair[1]);
            FuzzContract.run(() -> CaseRunner.analyze(AnalysisInputs.pair(lan, wan), out.resolve("case"), true, List.of()));
            StringWriter err = new StringWriter();
            int code = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "analyze", "--lan",
                    lan.toString(), "--wan", wan.toString(), "-o", out.resolve("cli").toString());
            if (!DEFINED_EXITS.contains(code)) throw new AssertionError("analyze exited with " + code + ": " + err);
            if (err.toString().contains("\tat ")) throw new AssertionError("a stack trace reached the user: " + err);
            onlyInsideOutput(root, pair);
        } finally {
            deleteTree(root);
        }
    }

    /** The LAN and WAN capture bytes of a fuzz input. */
    static byte[][] split(byte[] input) {
        if (input.length < 4) return new byte[][] {input, new byte[0]};
        int n = (int) Math.min(Integer.toUnsignedLong(ByteBuffer.wrap(input).getInt()), input.length - 4L);
        return new byte[][] {Arrays.copyOfRange(input, 4, 4 + n), Arrays.copyOfRange(input, 4 + n, input.length)};
    }

    /** The fuzz input for a LAN/WAN pair (seed files are written this way). */
    static byte[] join(byte[] lan, byte[] wan) {
        return ByteBuffer.allocate(4 + lan.length + wan.length).putInt(lan.length).put(lan).put(wan).array();
    }

    /** The temporary root holds the untouched inputs and the output folder, and nothing else. */
    private static void onlyInsideOutput(Path root, byte[][] pair) throws IOException {
        try (Stream<Path> top = Files.list(root); Stream<Path> inputs = Files.list(root.resolve("in"))) {
            List<String> names = top.map(p -> p.getFileName().toString()).sorted().toList();
            List<String> inNames = inputs.map(p -> p.getFileName().toString()).sorted().toList();
            if (!names.equals(List.of("in", "out")) || !inNames.equals(List.of("lan.pcap", "wan.pcap"))) {
                throw new AssertionError("written outside the output folder: " + names + " " + inNames);
            }
        }
        if (!Arrays.equals(Files.readAllBytes(root.resolve("in/lan.pcap")), pair[0])
                || !Arrays.equals(Files.readAllBytes(root.resolve("in/wan.pcap")), pair[1])) {
            throw new AssertionError("an input capture was modified");
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
