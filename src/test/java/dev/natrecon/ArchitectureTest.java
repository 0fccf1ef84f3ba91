package dev.natrecon;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Holds the dependency direction of ARCHITECTURE.md cheaply: cli → batch → engine → {correlate, conntrack, alg.sip,
 * detect, report} → reassembly → decode → capture. Also: only cli touches the console, nothing below engine reads the
 * wall clock, jain-sip is used only by decode.sip and decode.sdp, and every package has a package-info.java.
 */
class ArchitectureTest {
    static final Path MAIN = Path.of("src/main/java/dev/natrecon");
    static final Map<String, List<String>> FORBIDDEN = Map.of(
            "capture", List.of("decode", "reassembly", "correlate", "conntrack", "engine", "report", "detect", "batch", "cli"),
            "decode", List.of("reassembly", "correlate", "conntrack", "engine", "report", "detect", "batch", "cli"),
            "reassembly", List.of("correlate", "conntrack", "engine", "report", "detect", "batch", "cli"),
            "correlate", List.of("engine", "report", "detect", "batch", "cli"),
            "conntrack", List.of("correlate", "engine", "report", "detect", "batch", "cli", "alg"),
            "alg", List.of("correlate", "engine", "report", "detect", "batch", "cli"),
            "detect", List.of("engine", "report", "batch", "cli"),
            "engine", List.of("batch", "cli"),
            "batch", List.of("cli"),
            "report", List.of("batch", "cli"));

    static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    static String pkg(Path file) {
        return MAIN.relativize(file.getParent()).toString().replace('/', '.');
    }

    @Test
    void dependenciesPointOneWay() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path f : sources()) {
            String top = pkg(f).split("\\.")[0];
            String text = Files.readString(f);
            for (String bad : FORBIDDEN.getOrDefault(top, List.of())) {
                if (text.contains("dev.natrecon." + bad + ".")) violations.add(f + " uses " + bad);
            }
        }
        assertTrue(violations.isEmpty(), violations.toString());
    }

    /**
     * jain-sip stays behind decode.sip and decode.sdp (its quirks are handled there once); decode.sdp builds on
     * decode.sip, not the reverse; and the per-packet decoder never reaches into SIP parsing, which is lazy.
     */
    @Test
    void jainSipStaysInDecodeSipAndSdpAndSipParsingStaysOffThePacketPath() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path f : sources()) {
            String pkg = pkg(f);
            String text = Files.readString(f);
            boolean sipOrSdp = pkg.equals("decode.sip") || pkg.equals("decode.sdp");
            for (String lib : List.of("gov.nist.", "javax.sip.", "javax.sdp.")) {
                if (!sipOrSdp && text.contains(lib)) violations.add(f + " uses jain-sip (" + lib + ")");
            }
            if (pkg.equals("decode.sip") && text.contains("dev.natrecon.decode.sdp.")) violations.add(f + " uses decode.sdp");
            if (pkg.equals("decode") && (text.contains("dev.natrecon.decode.sip.") || text.contains("dev.natrecon.decode.sdp."))) {
                violations.add(f + " puts SIP parsing on the per-packet path");
            }
        }
        assertTrue(violations.isEmpty(), violations.toString());
    }

    @Test
    void onlyCliTouchesTheConsoleAndNothingBelowEngineReadsTheClock() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path f : sources()) {
            String top = pkg(f).split("\\.")[0];
            String text = Files.readString(f).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
            if (!top.equals("cli") && !top.equals("bench") && (text.contains("System.out") || text.contains("System.err")
                    || text.contains("System.exit"))) {
                violations.add(f + " touches the console");
            }
            if (top.equals("conntrack") && (text.contains("java.nio.file") || text.contains("java.io.File"))) {
                violations.add(f + " does I/O (the model takes lines and packets, not files)");
            }
            if (List.of("capture", "decode", "reassembly", "correlate", "conntrack").contains(top)
                    && (text.contains("currentTimeMillis") || text.contains("nanoTime") || text.contains("Instant.now"))) {
                violations.add(f + " reads the wall clock");
            }
        }
        assertTrue(violations.isEmpty(), violations.toString());
    }

    @Test
    void everyPackageSaysWhatItOwns() throws IOException {
        List<String> missing = new ArrayList<>();
        try (Stream<Path> dirs = Files.walk(MAIN)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                boolean hasJava;
                try (Stream<Path> s = Files.list(d)) {
                    hasJava = s.anyMatch(p -> p.toString().endsWith(".java"));
                }
                if (hasJava && !Files.exists(d.resolve("package-info.java"))) missing.add(d.toString());
                if (hasJava && Files.exists(d.resolve("package-info.java"))
                        && !Files.readString(d.resolve("package-info.java")).contains("Must not")) {
                    missing.add(d + " (package-info does not say what it must not touch)");
                }
            }
        }
        assertTrue(missing.isEmpty(), missing.toString());
    }
}
