package dev.natrecon.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * {@code bench --whole}: {@code analyze} measured as a user runs it, one child process with its default outputs, and
 * the programs it is compared with on the same files in the same run: {@code tshark -q -z sip,stat} on the WAN side
 * (when tshark is installed) and {@code zcat} for compressed inputs.
 */
public final class WholeProcess {
    /**
     * The launcher's JVM options, used only when natrecon runs from a jar without its {@code natrecon} script beside
     * it (keep in step with the script).
     */
    static final List<String> LAUNCHER_JVM_OPTIONS = List.of("-XX:+UseParallelGC", "-Xmx384m", "-XX:TieredStopAtLevel=1");

    private WholeProcess() {
    }

    /** {@code natrecon analyze --lan LAN --wan WAN -o OUT} as a user types it: the launcher script when there is one. */
    public static List<String> analyzeCommand(Path lan, Path wan, Path out) {
        return analyzeCommand(lan, wan, out, List.of());
    }

    /**
     * The same with extra JVM options ({@code -Dnatrecon.readAhead=off}), given to the launcher script through
     * {@code NATRECON_JAVA_OPTS} (by {@code env}, which execs it: the measured process is still the JVM).
     */
    public static List<String> analyzeCommand(Path lan, Path wan, Path out, List<String> jvmOptions) {
        List<String> cmd = new ArrayList<>();
        Optional<Path> script = launcher();
        if (script.isPresent()) {
            if (!jvmOptions.isEmpty()) {
                cmd.add("env");
                cmd.add("NATRECON_JAVA_OPTS=" + String.join(" ", jvmOptions));
            }
            cmd.add(script.get().toString());
        } else {
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(LAUNCHER_JVM_OPTIONS);
            cmd.addAll(jvmOptions);
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add("dev.natrecon.cli.Main");
        }
        cmd.addAll(List.of("analyze", "--lan", lan.toString(), "--wan", wan.toString(), "-o", out.toString()));
        return cmd;
    }

    /**
     * Runs the launcher script once ({@code natrecon --version}, output dropped) when there is one, so that what it does
     * once per built jar (building it, making its class-data archive: README, set-up) is not timed as part of the
     * first measured run. A failure is left to the measured runs to report.
     */
    public static void prepareLauncher() throws InterruptedException {
        Optional<Path> script = launcher();
        if (script.isEmpty()) return;
        try {
            Process p = new ProcessBuilder(script.get().toString(), "--version")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            p.waitFor();
        } catch (IOException e) {
            // the measured runs start the same script and report what is wrong
        }
    }

    /** The {@code natrecon} script beside the folder of the jar this runs from (target/natrecon.jar), if any. */
    public static Optional<Path> launcher() {
        try {
            Path code = Path.of(WholeProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path parent = code.toAbsolutePath().getParent();
            Path script = parent == null || parent.getParent() == null ? null : parent.getParent().resolve("natrecon");
            return script != null && Files.isExecutable(script) && code.toString().endsWith(".jar")
                    ? Optional.of(script) : Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The first executable {@code name} on the PATH. */
    public static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String d : path.split(File.pathSeparator)) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** {@code tshark -q -z sip,stat -r FILE}: tshark's SIP statistics, the comparison of issue 18. */
    public static List<String> tsharkCommand(Path tshark, Path file) {
        return List.of(tshark.toString(), "-q", "-z", "sip,stat", "-r", file.toString());
    }

    /** Compresses {@code in} into {@code out} with gzip (default level), as a customer's .pcap.gz would be. */
    public static void gzip(Path in, Path out) throws IOException {
        try (InputStream i = Files.newInputStream(in);
             OutputStream o = new GZIPOutputStream(Files.newOutputStream(out), 1 << 16)) {
            i.transferTo(o);
        }
    }
}
