package dev.natrecon.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** conntrack-tools and /proc formats, on lines the lab's real kernel printed (samples/ and the reference). */
class ConntrackTextTest {
    @Test
    void eventWithTimestampAndExtended() {
        KernelEntry e = ConntrackText.entry("[1795227107.721565]\t    [NEW] ipv4     2 udp      17 3600 src=192.168.1.10 "
                + "dst=203.0.113.5 sport=5060 dport=5060 [UNREPLIED] src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060 helper=sip");
        assertEquals(1_795_227_107_721_565_000L, e.timestampNanos());
        assertEquals("NEW", e.event());
        assertEquals("ipv4", e.l3());
        assertEquals("udp", e.protocol());
        assertEquals(17, e.protocolNumber());
        assertEquals(3600, e.timeoutSeconds());
        assertEquals("src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060", e.original().text());
        assertEquals("203.0.113.2", e.reply().dst());
        assertEquals(List.of("UNREPLIED"), e.flags());
        assertEquals("sip", e.helper());
    }

    @Test
    void unpaddedMicrosecondsAreMicroseconds() {
        // lab-notes: "[1795220314.70002 ]" is .070002 s; the closing bracket may stand apart.
        KernelEntry e = ConntrackText.entry("[1795220314.70002 ]\t [UPDATE] ipv4     2 udp      17 120 src=192.168.1.10 "
                + "dst=203.0.113.5 sport=40000 dport=30000 src=203.0.113.5 dst=203.0.113.2 sport=30000 dport=40000 [ASSURED]");
        assertEquals(1_795_220_314_070_002_000L, e.timestampNanos());
        assertTrue(e.has("ASSURED"));
    }

    @Test
    void destroyWithCountersAndTcpStates() {
        KernelEntry d = ConntrackText.entry("[1795228544.870139]\t[DESTROY] ipv4     2 udp      17 src=192.168.1.10 dst=203.0.113.5 "
                + "sport=5060 dport=5060 packets=4 bytes=1186 src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=63652 packets=3 "
                + "bytes=1133 [ASSURED] delta-time=23");
        assertEquals(-1, d.timeoutSeconds());
        assertEquals(63652, d.reply().dport());
        assertEquals(4, d.original().packets());
        assertEquals(1133, d.reply().bytes());
        assertEquals("23", d.attributes().get("delta-time"));
        KernelEntry tcp = ConntrackText.entry("[1795228608.602071]\t [UPDATE] ipv4     2 tcp      6 432000 ESTABLISHED "
                + "src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060 src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060 [ASSURED] helper=sip");
        assertEquals("ESTABLISHED", tcp.state());
        assertEquals(432000, tcp.timeoutSeconds());
    }

    @Test
    void listingsPlainExtendedAndProc() {
        KernelEntry plain = ConntrackText.entry("udp 17 29 src=192.168.8.1 dst=239.255.255.250 sport=48169 dport=1900 [UNREPLIED] "
                + "src=239.255.255.250 dst=192.168.8.1 sport=1900 dport=48169 mark=0 use=1");
        assertNull(plain.event());
        assertNull(plain.l3());
        assertEquals(29, plain.timeoutSeconds());
        assertEquals("1", plain.attributes().get("use"));
        KernelEntry proc = ConntrackText.entry("ipv4     2 udp      17 3597 src=127.0.0.1 dst=127.0.0.1 sport=40000 dport=5070 "
                + "packets=2 bytes=448 src=127.0.0.1 dst=127.0.0.2 sport=5060 dport=50000 packets=1 bytes=418 [ASSURED] mark=0 zone=0 delta-time=5 use=2");
        assertEquals(50000, proc.reply().dport());
        assertEquals("0", proc.attributes().get("zone"));
        KernelEntry icmp = ConntrackText.entry("icmp     1 29 src=192.168.1.10 dst=203.0.113.5 type=8 code=0 id=77 src=203.0.113.5 "
                + "dst=203.0.113.2 type=0 code=0 id=77 mark=0 use=1");
        assertEquals(8, icmp.original().icmpType());
        assertEquals(77, icmp.reply().icmpId());
        assertEquals(-1, icmp.original().sport());
    }

    @Test
    void expectationsEventListingAndProc() {
        KernelExpectation e = ConntrackText.expectation("[1795227107.721666]\t    [NEW] 180 proto=17 src=203.0.113.5 dst=203.0.113.2 "
                + "sport=0 dport=5060 mask-src=255.255.255.255 mask-dst=255.255.255.255 sport=0 dport=65535 master-src=192.168.1.10 "
                + "master-dst=203.0.113.5 sport=5060 dport=5060 PERMANENT,INACTIVE class=0 helper=sip");
        assertEquals("NEW", e.event());
        assertEquals(180, e.timeoutSeconds());
        assertEquals(17, e.protocolNumber());
        assertEquals(5060, e.tuple().dport());
        assertEquals(65535, e.mask().dport());
        assertEquals("192.168.1.10", e.master().src());
        assertEquals(List.of("PERMANENT", "INACTIVE"), e.flags());
        assertEquals("0", e.className());
        assertEquals("sip", e.helper());
        KernelExpectation proc = ConntrackText.expectation("34 l3proto = 2 proto=17 src=198.51.100.1 dst=203.0.113.2 sport=0 dport=48968 PERMANENT sip/signalling");
        assertEquals(34, proc.timeoutSeconds());
        assertEquals("signalling", proc.className());
        assertEquals("sip", proc.helper());
        assertEquals(List.of("PERMANENT"), proc.flags());
        assertEquals(48968, proc.tuple().dport());
    }

    @Test
    void garbageIsRejectedWithTheLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConntrackText.entry("hello world"));
        assertTrue(e.getMessage().contains("hello world"));
        assertThrows(IllegalArgumentException.class, () -> ConntrackText.entry("[17952.x] [NEW] udp 17 30 src=1 dst=2"));
        assertThrows(IllegalArgumentException.class, () -> ConntrackText.expectation("proto=17"));
    }

    /** Every line of every kernel log and listing the lab committed parses. */
    @Test
    void everyLabLineParses() throws IOException {
        List<String> failures = new ArrayList<>();
        int entries = 0, expectations = 0;
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of("samples"))) {
            files = s.filter(p -> {
                String n = p.getFileName().toString();
                return (n.contains("events") || n.matches("(conntrack|expect)-L.*\\.txt")) && n.endsWith(".txt");
            }).sorted().toList();
        }
        assertTrue(files.size() >= 40, "found " + files.size() + " kernel logs");
        for (Path f : files) {
            boolean expect = f.getFileName().toString().contains("expect");
            int n = 0;
            for (String line : Files.readAllLines(f)) {
                n++;
                if (line.isBlank() || line.startsWith("#") || line.startsWith("conntrack v")) continue;
                try {
                    if (expect) {
                        ConntrackText.expectation(line);
                        expectations++;
                    } else {
                        ConntrackText.entry(line);
                        entries++;
                    }
                } catch (RuntimeException e) {
                    failures.add(f + ":" + n + ": " + e.getMessage());
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.toString());
        assertTrue(entries > 100 && expectations > 50, entries + " entries, " + expectations + " expectations");
    }
}
