package dev.natrecon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holds the dependency direction of ARCHITECTURE.md cheaply: cli → batch → {report →} engine → {correlate, conntrack,
 * alg.sip, detect} → reassembly → decode → capture. The sinks in {@code report} implement the engine's
 * {@code AnalysisSink} and render its {@code RunResult}, so {@code report} sits above {@code engine}, which hands them
 * data and never renders. The graph is checked on the compiled classes ({@link PackageGraph}): no package cycle at
 * all, and none of the forbidden directions. Also: only cli touches the console, nothing below engine reads the
 * wall clock, jain-sip is used only by decode.sip and decode.sdp, and every package has a package-info.java.
 */
class ArchitectureTest {
    static final Path MAIN = Path.of("src/main/java/dev/natrecon");
    static final Map<String, List<String>> FORBIDDEN = Map.ofEntries(
            Map.entry("capture", List.of("decode", "reassembly", "correlate", "conntrack", "engine", "report", "detect", "batch", "cli", "media", "spark")),
            Map.entry("decode", List.of("reassembly", "correlate", "conntrack", "engine", "report", "detect", "batch", "cli", "media", "spark")),
            Map.entry("reassembly", List.of("correlate", "conntrack", "engine", "report", "detect", "batch", "cli", "media", "spark")),
            Map.entry("correlate", List.of("engine", "report", "detect", "batch", "cli", "media", "spark")),
            Map.entry("conntrack", List.of("correlate", "engine", "report", "detect", "batch", "cli", "alg", "media", "spark")),
            Map.entry("alg", List.of("correlate", "engine", "report", "detect", "batch", "cli", "media", "spark")),
            Map.entry("detect", List.of("engine", "report", "batch", "cli", "spark")),
            Map.entry("engine", List.of("batch", "cli", "report", "spark")),
            Map.entry("batch", List.of("cli", "spark")),
            Map.entry("report", List.of("batch", "cli", "spark")),
            // media: RTP/RTCP statistics from decoded frames; the engine feeds it, detectors and reports read it
            Map.entry("media", List.of("conntrack", "alg", "engine", "report", "detect", "batch", "cli", "spark")),
            // the Spark job: only the CLI's SparkBatchCommand starts it, and it never prints
            Map.entry("spark", List.of("cli")));

    static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    static String pkg(Path file) {
        return MAIN.relativize(file.getParent()).toString().replace('/', '.');
    }

    /** The compiled main classes (Maven's test phase runs after compile, so they are there). */
    static final Path CLASSES = Path.of("target/classes");

    @Test
    void compiledPackagesFormNoCycle() throws IOException {
        PackageGraph g = PackageGraph.read(CLASSES, "dev/natrecon");
        assertTrue(g.edges.containsKey("engine") && g.edges.get("engine").containsKey("conntrack"),
                "the class reader sees the engine's use of the model: " + g.edges.get("engine"));
        assertEquals(List.of(), g.cycles());
        assertEquals(List.of(), g.topLevel().cycles());
    }

    @Test
    void compiledDependenciesPointOneWay() throws IOException {
        assertEquals(List.of(), PackageGraph.read(CLASSES, "dev/natrecon").topLevel().violations(FORBIDDEN));
    }

    /**
     * The checker itself: two packages compiled here into a temporary folder, {@code fx.a} naming {@code fx.b} in a
     * field and {@code fx.b} naming {@code fx.a} only in a method signature, must be reported as a cycle and, with a
     * rule that {@code a} must not use {@code b}, as a forbidden edge; without the back edge there is no cycle.
     */
    @Test
    void theCheckerCatchesACycleAndAForbiddenDirection(@TempDir Path tmp) throws IOException {
        Path src = tmp.resolve("src"), out = tmp.resolve("classes");
        write(src.resolve("fx/a/A.java"), "package fx.a; public class A { public fx.b.B b; }");
        write(src.resolve("fx/b/B.java"), "package fx.b; public class B { public void back(java.util.List<fx.a.A> a) { } }");
        write(src.resolve("fx/c/C.java"), "package fx.c; public class C { public fx.a.A a; }");
        compile(src, out);
        PackageGraph g = PackageGraph.read(out, "fx");
        List<String> cycles = g.cycles();
        assertEquals(1, cycles.size(), cycles.toString());
        assertTrue(cycles.get(0).contains("a -> b (fx.a.A)") && cycles.get(0).contains("b -> a (fx.b.B)"), cycles.get(0));
        assertEquals(List.of("fx.a.A (a) uses b"), g.violations(Map.of("a", List.of("b"), "c", List.of("b"))));

        Files.delete(out.resolve("fx/b/B.class"));
        write(src.resolve("fx/b/B.java"), "package fx.b; public class B { }");
        compile(src, out);
        assertEquals(List.of(), PackageGraph.read(out, "fx").cycles());
    }

    /**
     * Direction and inside-ness are decided once ({@code correlate.CrossingClassifier} into the {@code Crossing} every
     * consumer reads): the fixed private ranges are asked only by {@code correlate.Inside}, which applies the case's
     * {@code --inside} (everyone else asks an {@code Inside}, or reads the crossing's answer), and only the matcher that
     * finds a routed-back pair and the classifier read which copy of it left the router.
     */
    static final Map<String, Set<String>> DECIDED_ONCE = Map.of(
            "dev.natrecon.decode.Addresses#isPrivate", Set.of("dev.natrecon.correlate.Inside",
                    // alg.sip's own address tests belong to the rewrite classifier, reworked in another part of issue 14
                    "dev.natrecon.alg.sip.Endpoint"),
            "dev.natrecon.decode.Addresses#isPrivateV4", Set.of("dev.natrecon.correlate.Inside"),
            "dev.natrecon.correlate.Seen#routedBackCopy", Set.of("dev.natrecon.correlate.PacketMatcher",
                    "dev.natrecon.correlate.CrossingClassifier"));

    static List<String> decidedElsewhere(PackageGraph g) {
        List<String> out = new ArrayList<>();
        DECIDED_ONCE.forEach((member, allowed) -> out.addAll(g.usersOutside(member, allowed)));
        return out;
    }

    @Test
    void onlyTheClassifierDecidesDirectionAndInsideness() throws IOException {
        PackageGraph g = PackageGraph.read(CLASSES, "dev/natrecon");
        assertTrue(g.members.containsKey("dev.natrecon.decode.Addresses#isPrivate"), "the reader sees the calls");
        assertEquals(List.of(), decidedElsewhere(g));
    }

    /** The rule itself: a class compiled here against the main classes that asks the private ranges is flagged. */
    @Test
    void theDirectionRuleFlagsAClassThatAsksThePrivateRanges(@TempDir Path tmp) throws IOException {
        Path src = tmp.resolve("src"), out = tmp.resolve("classes");
        write(src.resolve("dev/natrecon/detect/Sneaky.java"), "package dev.natrecon.detect; class Sneaky { "
                + "boolean out(dev.natrecon.correlate.Seen s) { return !s.routedBackCopy "
                + "&& dev.natrecon.decode.Addresses.isPrivate(s.srcHi, s.srcLo); } }");
        compile(src, out, CLASSES.toString());
        assertEquals(List.of("dev.natrecon.detect.Sneaky uses dev.natrecon.correlate.Seen#routedBackCopy",
                "dev.natrecon.detect.Sneaky uses dev.natrecon.decode.Addresses#isPrivate"),
                decidedElsewhere(PackageGraph.read(out, "dev/natrecon")).stream().sorted(
                        java.util.Comparator.comparing((String x) -> !x.contains("Seen"))).toList());
    }

    /**
     * The timeout in force is the model's ({@code ConntrackEntry#timeoutInForce}, read through the crossing): working it
     * out needs an entry's state (its status bits or TCP state) and the per-state timeout settings together, so outside
     * {@code conntrack} and the helpers in {@code alg} (which supply their own timeout policy through {@code Helper})
     * no class may use both. A class may still name a setting (to label the model's choice, or list the settings) or
     * read an entry's state (to describe it); doing both in one class is how KeepaliveDetector used to decide
     * "ASSURED → udp_timeout_stream" itself. Nested classes count as their outer class.
     */
    static final List<String> PER_STATE_SETTINGS = List.of("Timeouts#tcp", "Timeouts#forProtocol",
            "Timeouts$Key#UDP", "Timeouts$Key#UDP_STREAM", "Timeouts$Key#TCP_SYN_SENT", "Timeouts$Key#TCP_SYN_RECV",
            "Timeouts$Key#TCP_ESTABLISHED", "Timeouts$Key#TCP_FIN_WAIT", "Timeouts$Key#TCP_CLOSE_WAIT",
            "Timeouts$Key#TCP_LAST_ACK", "Timeouts$Key#TCP_TIME_WAIT", "Timeouts$Key#TCP_CLOSE",
            "Timeouts$Key#TCP_MAX_RETRANS", "Timeouts$Key#TCP_UNACKNOWLEDGED", "Timeouts$Key#ICMP",
            "Timeouts$Key#ICMPV6", "Timeouts$Key#GENERIC", "Timeouts$Key#SIP_TIMEOUT");
    static final List<String> ENTRY_STATE = List.of("ConntrackEntry#status", "ConntrackEntry#has",
            "ConntrackEntry#tcpState", "EntryView#status", "EntryView#has", "EntryView#state");
    static final List<String> TIMEOUT_POLICY_PACKAGES = List.of("dev.natrecon.conntrack.", "dev.natrecon.alg.");

    static List<String> timeoutsDecidedElsewhere(PackageGraph g) {
        Map<String, Set<String>> settings = users(g, PER_STATE_SETTINGS), state = users(g, ENTRY_STATE);
        List<String> out = new ArrayList<>();
        settings.forEach((cls, which) -> {
            if (state.containsKey(cls)) out.add(cls + " reads " + state.get(cls) + " and " + which);
        });
        return out;
    }

    /** Outer class outside the timeout-policy packages → the members of {@code names} it uses. */
    private static Map<String, Set<String>> users(PackageGraph g, List<String> names) {
        Map<String, Set<String>> out = new java.util.TreeMap<>();
        for (String n : names) {
            for (String user : g.members.getOrDefault("dev.natrecon.conntrack." + n, Set.of())) {
                String outer = user.indexOf('$') < 0 ? user : user.substring(0, user.indexOf('$'));
                if (TIMEOUT_POLICY_PACKAGES.stream().noneMatch(outer::startsWith)) {
                    out.computeIfAbsent(outer, k -> new java.util.TreeSet<>()).add(n);
                }
            }
        }
        return out;
    }

    @Test
    void onlyTheModelDecidesTheTimeoutInForce() throws IOException {
        PackageGraph g = PackageGraph.read(CLASSES, "dev/natrecon");
        assertTrue(g.members.containsKey("dev.natrecon.conntrack.Timeouts$Key#UDP_STREAM")
                && g.members.containsKey("dev.natrecon.conntrack.EntryView#has"), "the reader sees both kinds of use");
        assertEquals(List.of(), timeoutsDecidedElsewhere(g));
    }

    /** The rule itself: a detector compiled here that derives the stream timeout from ASSURED is flagged. */
    @Test
    void theTimeoutRuleFlagsAClassThatDerivesTheTimeoutFromTheState(@TempDir Path tmp) throws IOException {
        Path src = tmp.resolve("src"), out = tmp.resolve("classes");
        write(src.resolve("dev/natrecon/detect/Sneaky.java"), "package dev.natrecon.detect; "
                + "import dev.natrecon.conntrack.*; class Sneaky { long inForce(EntryView v, Timeouts t) { "
                + "return t.seconds(v.has(Status.ASSURED) ? Timeouts.Key.UDP_STREAM : Timeouts.Key.UDP); } }");
        write(src.resolve("dev/natrecon/detect/Labeller.java"), "package dev.natrecon.detect; "
                + "import dev.natrecon.conntrack.*; class Labeller { String label(ConntrackEntry e) { "
                + "return e.timeoutSetting() == Timeouts.Key.UDP_STREAM ? \"stream\" : \"other\"; } }");
        compile(src, out, CLASSES.toString());
        assertEquals(List.of("dev.natrecon.detect.Sneaky reads [EntryView#has] and [Timeouts$Key#UDP, Timeouts$Key#UDP_STREAM]"),
                timeoutsDecidedElsewhere(PackageGraph.read(out, "dev/natrecon")));
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static void compile(Path src, Path out) throws IOException {
        compile(src, out, null);
    }

    private static void compile(Path src, Path out, String classpath) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", out.toString()));
        if (classpath != null) args.addAll(List.of("-cp", classpath));
        try (Stream<Path> s = Files.walk(src)) {
            s.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
        }
        java.io.StringWriter err = new java.io.StringWriter();
        int rc = javac.run(null, null, new java.io.PrintStream(new java.io.ByteArrayOutputStream()) {
            @Override
            public void write(byte[] b, int off, int len) {
                err.write(new String(b, off, len, java.nio.charset.StandardCharsets.UTF_8));
            }
        }, args.toArray(String[]::new));
        assertEquals(0, rc, err.toString());
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
