package dev.natrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a person meets it: usage errors, --help, -V, and errors about the files options name. */
class CommandLineTest {
    static final String LAN = "samples/baseline/lan.pcap";
    static final String WAN = "samples/baseline/wan-shifted.pcap";
    /** An option's first row in picocli's help: {@code "  -o, --output=DIR"} or {@code "      --lan=FILE"}. */
    static final Pattern OPTION_ROW = Pattern.compile("^(?:  -\\w, |      )(--[\\w-]+)");

    @TempDir
    Path tmp;

    static List<String> subcommands() {
        List<String> names = new ArrayList<>(Main.commandLine().getSubcommands().keySet());
        names.remove("help");
        return names;
    }

    @Test
    void aNamedSubcommandIsBuiltAloneAndAnythingElseGetsTheWholeTree() {
        List<String> all = subcommands();
        assertEquals(List.of("inspect", "analyze", "events", "snapshot", "compare", "explain", "batch", "bench"), all);
        for (String name : all) {
            assertEquals(List.of(name), new ArrayList<>(Main.commandLine(name, "--help").getSubcommands().keySet()));
        }
        for (String[] args : new String[][] {{}, {"--help"}, {"help", "analyze"}, {"analyse"}, {"-V"}}) {
            List<String> names = new ArrayList<>(Main.commandLine(args).getSubcommands().keySet());
            assertEquals(all.size() + 1, names.size(), String.join(" ", args));
            assertEquals("help", names.get(names.size() - 1));
        }
    }

    @Test
    void aUsageErrorIsOneLineNamingTheProblemAndTheSubcommandsHelp() {
        String[][] cases = {
            {"analyze", "analyze", "--lan", LAN},
            {"analyze", "analyze", "--lna", LAN, "--wan", WAN},
            {"analyze", "analyze", "--lan", LAN, "--wan", WAN, "--fail-on", "sometimes"},
            {"analyze", "analyze", "--lan", LAN, "--wan", WAN, "--match-window", "soon"},
            {"compare", "compare", "--lan", LAN, "--wan", WAN},
            {"batch", "batch"},
            {"bench", "bench", "--calls", "many"},
            {"snapshot", "snapshot", "--lan", LAN, "--wan", WAN, "--at", "yesterday"},
            {"", "frobnicate"},
            {"", },
        };
        for (String[] c : cases) {
            String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            MainTest.Run r = MainTest.run(args);
            String what = String.join(" ", args);
            assertEquals(Main.USAGE, r.code(), what);
            assertEquals(1, r.err().strip().lines().count(), what + ": one line, not the whole help: " + r.err());
            String help = c[0].isEmpty() ? "natrecon --help" : "natrecon " + c[0] + " --help";
            assertTrue(r.err().strip().startsWith("natrecon: error: "), r.err());
            assertTrue(r.err().strip().endsWith("; see '" + help + "'"), what + ": " + r.err());
            assertFalse(r.err().contains("Usage:") || r.err().contains("Error: "), r.err());
            assertEquals("", r.out(), what + ": nothing on stdout");
        }
        assertTrue(MainTest.run("analyze", "--lan", LAN).err().contains("--wan=FILE"), "names what is missing");
        assertTrue(MainTest.run("analyze", "--lan", LAN, "--wan", WAN, "--fail-on", "sometimes").err()
                .contains("'sometimes'"), "names the bad value");
    }

    @Test
    void helpListsEachOptionOnceOnEveryCommand() {
        List<String> commands = new ArrayList<>(subcommands());
        commands.add("");
        for (String sub : commands) {
            MainTest.Run r = sub.isEmpty() ? MainTest.run("--help") : MainTest.run(sub, "--help");
            assertEquals(0, r.code(), sub);
            Set<String> seen = new HashSet<>();
            List<String> twice = new ArrayList<>();
            int rows = 0;
            for (String line : r.out().lines().toList()) {
                Matcher m = OPTION_ROW.matcher(line);
                if (!m.find()) continue;
                rows++;
                if (!seen.add(m.group(1))) twice.add(m.group(1));
            }
            assertTrue(seen.contains("--help") && seen.contains("--version"), sub + ": " + r.out());
            assertTrue(rows >= 2, sub);
            assertEquals(List.of(), twice, "natrecon " + sub + " --help lists these more than once");
        }
        MainTest.Run analyze = MainTest.run("analyze", "--help");
        for (String o : List.of("--lan", "--wan", "--router", "--lan-if", "--wan-if", "--case", "--output", "--sysctl")) {
            assertTrue(analyze.out().contains(o + "="), o);
        }
    }

    @Test
    void versionWorksOnEverySubcommand() {
        String version = MainTest.run("--version").out().strip();
        assertTrue(version.startsWith("natrecon "), version);
        for (String sub : subcommands()) {
            for (String flag : List.of("-V", "--version")) {
                MainTest.Run r = MainTest.run(sub, flag);
                assertEquals(0, r.code(), sub + " " + flag + ": " + r.err());
                assertEquals(version, r.out().strip(), sub + " " + flag);
            }
        }
    }

    @Test
    void everyFileErrorNamesTheOptionTheFileAndTheReason() throws IOException {
        Path missing = tmp.resolve("missing.txt");
        Path folder = Files.createDirectories(tmp.resolve("a-folder"));
        Path out = tmp.resolve("out");
        for (Path bad : List.of(missing, folder)) {
            String reason = bad == missing ? "no such file" : "is a folder, not a file";
            String b = bad.toString();
            String[][] cases = {
                {"--lan", "analyze", "--lan", b, "--wan", WAN, "-o", out.toString()},
                {"--wan", "analyze", "--lan", LAN, "--wan", b, "-o", out.toString()},
                {"--router", "analyze", "--router", b, "-o", out.toString()},
                {"--case", "analyze", "--case", b, "-o", out.toString()},
                {"--sysctl", "analyze", "--lan", LAN, "--wan", WAN, "--sysctl", b, "-o", out.toString()},
                {"--ruleset", "analyze", "--lan", LAN, "--wan", WAN, "--ruleset", b, "-o", out.toString()},
                {"--kernel-events", "compare", "--lan", LAN, "--wan", WAN, "--kernel-events", b},
                {"--kernel-table", "compare", "--lan", LAN, "--wan", WAN, "--kernel-table", b},
                {"--lan", "events", "--lan", b, "--wan", WAN},
                {"capture", "inspect", b},
            };
            for (String[] c : cases) {
                MainTest.Run r = MainTest.run(java.util.Arrays.copyOfRange(c, 1, c.length));
                assertEquals(Main.USAGE, r.code(), String.join(" ", c));
                assertEquals("natrecon: error: " + c[0] + " " + b + ": " + reason, r.err().strip(), String.join(" ", c));
            }
        }
        assertFalse(Files.exists(out), "nothing written for bad input");

        // a file the case settings name: the error says which settings file named it
        Path props = tmp.resolve("case.properties");
        Files.writeString(props, "capture.lan.file=" + folder + "\ncapture.wan.file=" + Path.of(WAN).toAbsolutePath() + "\n");
        MainTest.Run fromCase = MainTest.run("analyze", "--case", props.toString(), "-o", out.toString());
        assertEquals(Main.USAGE, fromCase.code());
        assertEquals("natrecon: error: " + props + " names " + folder + ": is a folder, not a file", fromCase.err().strip());

        // a file where the output folder should be, or under it
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        for (Path o : List.of(file, file.resolve("sub"))) {
            MainTest.Run r = MainTest.run("analyze", "--lan", LAN, "--wan", WAN, "-o", o.toString());
            assertEquals(Main.USAGE, r.code());
            assertEquals("natrecon: error: " + file + ": exists and is not a folder", r.err().strip());
        }
    }
}
