package dev.natrecon.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The formatter reproduces the kernel's own lines byte for byte: parse every sample's log, rebuild, print, compare. */
class EventFormatTest {
    @Test
    void timestampsHaveSixZeroPaddedMicrosecondDigitsAsTheLabLogs() {
        // samples/alg-off/kernel-events.txt: "[1795228471.033850]" (lab-notes' unpadded "[… .70002 ]" is not what
        // the recorded logs show)
        assertEquals("[1795227107.721565]", EventFormat.timestamp(1_795_227_107_721_565_000L));
        assertEquals("[1795228471.033850]", EventFormat.timestamp(1_795_228_471_033_850_000L));
        assertEquals("[1795220314.000000]", EventFormat.timestamp(1_795_220_314_000_000_999L));
    }

    @Test
    void everyKernelEventOfEverySampleRoundTrips() throws IOException {
        List<Path> logs;
        try (Stream<Path> s = Files.list(Path.of("samples"))) {
            logs = s.map(d -> d.resolve("kernel-events.txt")).filter(Files::isRegularFile).sorted().toList();
        }
        assertTrue(logs.size() >= 10, logs.toString());
        int lines = 0;
        List<String> differences = new ArrayList<>();
        for (Path log : logs) {
            for (String line : Files.readAllLines(log)) {
                if (line.isBlank()) continue;
                KernelEntry k = ConntrackText.entry(line);
                String printed = EventFormat.timestamp(k.timestampNanos()) + "\t" + EventFormat.body(k.event(), view(k), k.userspace());
                if (!printed.equals(line)) differences.add(log + "\n  kernel: " + line + "\n  natrecon: " + printed);
                lines++;
            }
        }
        assertTrue(lines > 50, "lines: " + lines);
        assertEquals(List.of(), differences);
    }

    @Test
    void anOperatorsDeletionKeepsItsUserspaceSender() {
        // samples/operator-flush/kernel-events.txt line 4: conntrack -D by the operator
        String line = "[1796600175.168222]\t[DESTROY] ipv4     2 udp      17 3598 src=192.168.1.10 dst=203.0.113.5 sport=5060 "
                + "dport=5060 packets=2 bytes=766 src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060 packets=2 bytes=729 "
                + "[ASSURED] delta-time=4 [USERSPACE] portid=3912492029 progname=conntrack";
        KernelEntry k = ConntrackText.entry(line);
        assertTrue(k.deletedByUserspace());
        assertEquals(new KernelEntry.Userspace(3912492029L, "conntrack"), k.userspace());
        assertEquals(line, EventFormat.timestamp(k.timestampNanos()) + "\t" + EventFormat.body(k.event(), k.view(), k.userspace()));
        KernelEntry own = ConntrackText.entry(line.substring(0, line.indexOf(" [USERSPACE]")));
        assertEquals(null, own.userspace());
        assertTrue(!own.deletedByUserspace());
    }

    @Test
    void ipv6AndIcmpv6Layout() {
        long[] a = ConntrackTuple.address("2001:db8::10"), b = ConntrackTuple.address("2001:db8:1::5");
        ConntrackTuple o = ConntrackTuple.icmp(58, a[0], a[1], b[0], b[1], 128, 0, 9);
        EntryView v = new EntryView(1, o, o.invert(), Status.CONFIRMED, null, 30, null, -1, -1, -1, -1, -1);
        assertEquals("    [NEW] ipv6     10 icmpv6   58 30 src=2001:db8::10 dst=2001:db8:1::5 type=128 code=0 id=9 "
                + "[UNREPLIED] src=2001:db8:1::5 dst=2001:db8::10 type=129 code=0 id=9", EventFormat.body("NEW", v));
    }

    /** Rebuilds the model's picture of an entry from a parsed kernel line. */
    static EntryView view(KernelEntry k) {
        return k.view();
    }

    static ConntrackTuple tuple(int proto, KernelTuple t) {
        return t.tuple(proto);
    }
}
