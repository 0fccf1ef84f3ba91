package dev.natrecon.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs natrecon's {@code Main} in a child JVM with a small heap ({@value #HEAP}), so a test can prove a hostile input
 * does not exhaust the memory a support engineer's laptop JVM would have, and that an OutOfMemoryError would show.
 */
public final class ChildJvm {
    /** The heap every hostile case must fit in (issue 13). */
    public static final String HEAP = "256m";

    private ChildJvm() {
    }

    /** Exit status, both output streams and wall time of one child run. */
    public record Result(int code, String out, String err, long millis) {
        /** Whether the child ran out of heap ({@code -XX:+ExitOnOutOfMemoryError} prints the error and exits 3). */
        public boolean outOfMemory() {
            return out.contains("OutOfMemoryError") || err.contains("OutOfMemoryError");
        }
    }

    /** Runs {@code dev.natrecon.cli.Main args} with {@code -Xmx256m} (plus {@code jvmOptions}), at most 5 minutes. */
    public static Result run(Path work, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + HEAP);
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.natrecon.cli.Main");
        cmd.addAll(List.of(args));
        Files.createDirectories(work);
        File out = work.resolve("child.out").toFile(), err = work.resolve("child.err").toFile();
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(out).redirectError(err).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM did not finish in 5 minutes: " + String.join(" ", args));
        }
        return new Result(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                Files.readString(err.toPath(), StandardCharsets.UTF_8), (System.nanoTime() - t0) / 1_000_000);
    }
}
