package dev.natrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.cli.MainTest.Run;
import dev.natrecon.conntrack.ConntrackText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model's views on the command line: events, snapshot, compare, and analyze's model files. */
class ModelCommandsTest {
    static final String CASE = "samples/keepalive-gap/case.properties";

    @TempDir
    Path tmp;

    @Test
    void eventsPrintsConntrackLinesThatParseBackToTheKernelsOwn() throws IOException {
        Run r = MainTest.run("events", "--case", CASE);
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        List<String> kernel = Files.readAllLines(Path.of("samples/keepalive-gap/kernel-events.txt"));
        // the same events with the same text after the timestamp, except the kernel's last DESTROY: that entry
        // expired after the captures ended, so the model does not print it
        assertEquals(kernel.size() - 1, lines.size(), r.out());
        for (String line : lines) assertTrue(ConntrackText.entry(line).timestampNanos() > 0, line);
        assertEquals(kernel.subList(0, kernel.size() - 1).stream().map(l -> l.substring(l.indexOf('\t'))).sorted().toList(),
                lines.stream().map(l -> l.substring(l.indexOf('\t'))).sorted().toList());
    }

    /**
     * {@code --sip-helper auto} is decided by one piece of code before the replay, so every command that replays a
     * case decides it alike: sip-over-tcp from its captures alone, the TCP SYN's entry (before the first SIP message)
     * carries helper=sip in events, snapshot and compare, as the kernel's NEW does.
     */
    @Test
    void eventsSnapshotAndCompareDecideTheHelperAlike() {
        String dir = "samples/sip-over-tcp/";
        String[] captures = {"--lan", dir + "lan.pcap", "--wan", dir + "wan.pcap", "--sysctl", dir + "router.sysctl"};
        Run events = MainTest.run(concat(new String[] {"events"}, captures));
        assertEquals(0, events.code(), events.err());
        String first = events.out().lines().findFirst().orElse("");
        assertTrue(first.contains("[NEW] ipv4     2 tcp      6 120 SYN_SENT ") && first.endsWith(" helper=sip"), first);
        Run snapshot = MainTest.run(concat(new String[] {"snapshot", "--at", "+0.0001"}, captures));
        assertEquals(0, snapshot.code(), snapshot.err());
        assertTrue(snapshot.out().lines().anyMatch(l -> l.contains(" SYN_SENT ") && l.contains(" helper=sip ")),
                snapshot.out());
        Run compare = MainTest.run(concat(new String[] {"compare", "--kernel-events", dir + "kernel-events.txt"}, captures));
        assertEquals(0, compare.code(), compare.out() + compare.err());
    }

    @Test
    void snapshotListsTheTableLikeConntrackL() {
        Run r = MainTest.run("snapshot", "--case", CASE, "--at", "+12.0", "--at", "+0.0001");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        // in time order: just after the first REGISTER, one unreplied entry with 3 of its 4 s left
        assertTrue(lines.get(0).startsWith("# conntrack table at ") && lines.get(0).contains("+0.000100 s")
                && lines.get(0).endsWith(": 1 entries"), r.out());
        assertEquals("ipv4     2 udp      17 3 src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060 packets=1 bytes=388 "
                + "[UNREPLIED] src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060 packets=0 bytes=0 mark=0 delta-time=0 "
                + "use=1", lines.get(1));
        // at +12 s the entry is assured (stream timeout 8 s) and was last refreshed at about +6 s
        assertTrue(lines.get(2).startsWith("# conntrack table at ") && lines.get(2).endsWith(": 1 entries"), r.out());
        assertTrue(lines.get(3).matches("ipv4 +2 udp +17 [0-8] src=192\\.168\\.1\\.10 .* \\[ASSURED] mark=0 "
                + "delta-time=12 use=1"), lines.get(3));
        assertEquals(2, MainTest.run("snapshot", "--case", CASE, "--at", "soon").code());
    }

    @Test
    void linkChangesOnTheCommandLineReplaceTheCaseSettings() {
        String dir = "samples/wan-address-change/";
        String[] base = {"compare", "--lan", dir + "lan.pcap", "--wan", dir + "wan.pcap", "--kernel-events",
                dir + "kernel-events.txt", "--sysctl", dir + "router.sysctl"};
        // the router's address moved at +3.0 s: told so, the model flushes and re-creates the entry when the kernel did
        Run told = MainTest.run(concat(base, "--link-change", "remove@+3.0=203.0.113.2", "--link-change",
                "add@+3.0=203.0.113.3/24"));
        assertEquals(0, told.code(), told.out() + told.err());
        assertTrue(told.out().contains("kernel lines reproduced: 4 of 4 (100.0%)"), told.out());
        // left to infer it from the first translation to the new address, the model flushes the old one right after
        // its last use (wan#4), and the kernel's DESTROY at +3.008 s falls inside the window that ends at lan#5
        Run inferred = MainTest.run(base);
        assertEquals(0, inferred.code(), inferred.out());
        assertTrue(inferred.out().contains("kernel lines reproduced: 4 of 4 (100.0%)"), inferred.out());
        assertTrue(inferred.out().contains("WAN address 203.0.113.2 removed between") && inferred.out().contains(
                "(frames wan#4, lan#5, wan#5)"), inferred.out());
        assertTrue(inferred.out().contains("DESTROY inferred, kernel's within the window +2.000914 .. +4.000571 s "
                + "(kernel's at +3.008225 s); rests on wan#4, lan#5, wan#5"), inferred.out());
        Run bad = MainTest.run(concat(base, "--link-change", "remove@+3"));
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--link-change 'remove@+3': remove needs =ADDRESS"), bad.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void kernelTableComparisonFindsTheListingsInstant() throws IOException {
        String dir = "samples/keepalive-gap/";
        Run r = MainTest.run("compare", "--case", CASE);
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("Table comparison with " + dir + "conntrack-L-end.txt (1 entries)"), r.out());
        // the end listing was taken about 3.5 s after the last packet: the entry there has less than a second left
        Run at = MainTest.run("compare", "--case", CASE, "--kernel-table", dir + "conntrack-L-end.txt", "--table-at", "+36.5");
        assertEquals(1, at.code(), at.out());
        assertTrue(at.out().contains("extra in the model 1") && at.out().contains("timeout: kernel 0 s, model 3 s"), at.out());
        Path listing = tmp.resolve("listing.txt");
        Files.writeString(listing, Files.readString(Path.of(dir, "conntrack-L.txt")).replace("dport=5060 packets=2",
                "dport=5999 packets=2"));
        Run wrong = MainTest.run("compare", "--case", CASE, "--kernel-table", listing.toString(), "--all");
        assertEquals(1, wrong.code(), wrong.out());
        assertTrue(wrong.out().contains("reply tuple: kernel src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5999, model "
                + "src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060"), wrong.out());
    }

    @Test
    void compareReportsFiguresAndExitsOneOnDifferences() throws IOException {
        Run ok = MainTest.run("compare", "--case", CASE);
        assertEquals(0, ok.code(), ok.out() + ok.err());
        assertTrue(ok.out().contains("kernel lines reproduced: 8 of 8 (100.0%)"), ok.out());
        // the same captures against a log in which the router kept the entry longer: the DESTROY comes too late
        List<String> kernel = Files.readAllLines(Path.of("samples/keepalive-gap/kernel-events.txt"));
        Path edited = tmp.resolve("edited.txt");
        Files.write(edited, kernel.stream().map(l -> l.contains("[NEW]") ? l.replace("udp      17 4 ", "udp      17 9 ") : l)
                .toList());
        Run bad = MainTest.run("compare", "--case", CASE, "--kernel-events", edited.toString());
        assertEquals(1, bad.code(), bad.out());
        assertTrue(bad.out().contains("NEW differs"), bad.out());
        assertEquals(2, MainTest.run("compare", "--lan", "samples/keepalive-gap/lan.pcap", "--wan",
                "samples/keepalive-gap/wan.pcap").code());
    }

    @Test
    void analyzeWritesTheModelsFiles() throws IOException {
        // --fail-on never: the case's keepalive.gap_exceeds_timeout error would make the exit status 1
        Run r = MainTest.run("analyze", "--case", CASE, "-o", tmp.toString(), "--fail-on", "never");
        assertEquals(0, r.code(), r.err());
        List<String> events = Files.readAllLines(tmp.resolve("events.csv"));
        assertEquals(11, events.size(), "header and the 10 events within the captures");
        assertTrue(events.get(1).startsWith("1795"), events.get(1));
        assertTrue(Files.readString(tmp.resolve("tablesize.csv")).startsWith("second,entries,"));
        String summary = Files.readString(tmp.resolve("summary.json"));
        assertTrue(summary.contains("\"kernel_comparison\"") && summary.contains("\"reproduced_percent\": 100,"), summary);
        assertTrue(r.out().contains("kernel lines reproduced: 8 of 8"), r.out());
    }

    @Test
    void badModelOptionsAreUsageErrors() {
        Run r = MainTest.run("analyze", "--case", CASE, "--profile", "cisco", "-o", tmp.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("linux-6"), r.err());
        assertEquals(2, MainTest.run("events", "--case", CASE, "--sip-helper", "maybe").code());
        assertEquals(2, MainTest.run("events", "--case", CASE, "--set", "net.netfilter.nf_conntrack_udp_timeout=x").code());
    }
}
