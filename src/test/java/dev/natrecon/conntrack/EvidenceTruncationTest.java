package dev.natrecon.conntrack;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every router evidence parser, given every sample file cut at every position (a capture killed mid-write, a copy cut
 * short), either reads it or throws an {@link IllegalArgumentException} with a message: never a
 * NullPointerException, a NumberFormatException without context, or another crash.
 */
class EvidenceTruncationTest {
    private static List<Path> samples(String name) throws Exception {
        try (Stream<Path> s = Files.list(Path.of("samples"))) {
            return s.map(d -> d.resolve(name)).filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static void everyCut(String text, String what, Consumer<String> parse) {
        for (int i = 0; i <= text.length(); i++) {
            String cut = text.substring(0, i);
            try {
                parse.accept(cut);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank() && !e.getMessage().contains("null"),
                        what + " cut at " + i + ": " + e);
            } catch (RuntimeException e) {
                fail(what + " cut at " + i + " threw " + e, e);
            }
        }
    }

    @Test
    void conntrackLinesCutAnywhere() throws Exception {
        int lines = 0;
        for (String f : List.of("kernel-events.txt", "conntrack-L.txt")) {
            for (Path p : samples(f)) {
                for (String line : Files.readAllLines(p).stream().limit(6).toList()) {
                    everyCut(line, p + " " + line, ConntrackText::entry);
                    lines++;
                }
            }
        }
        for (String f : List.of("kernel-expect-events.txt", "expect-L.txt")) {
            for (Path p : samples(f)) {
                for (String line : Files.readAllLines(p).stream().limit(4).toList()) {
                    everyCut(line, p + " " + line, ConntrackText::expectation);
                    lines++;
                }
            }
        }
        assertTrue(lines > 50, "lines tried: " + lines);
    }

    @Test
    void rulesetsAndSysctlDumpsCutAnywhere() throws Exception {
        for (Path p : samples("router.nft")) everyCut(Files.readString(p), p.toString(), NatRuleset::parse);
        for (Path p : samples("router.sysctl")) {
            String text = Files.readString(p);
            everyCut(text.substring(0, Math.min(text.length(), 600)), p.toString(),
                    t -> Timeouts.linux6().withSysctlDump(t, p.toString()));
        }
        String ipt = "*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n"
                + "-A POSTROUTING -s 192.168.1.0/24 -o wan0 -p udp -m multiport --dports 5060,5061 -j SNAT --to-source 203.0.113.2:1024-65535\n"
                + "-A PREROUTING -i wan0 -p udp --dport 5060 -j DNAT --to-destination 192.168.1.10:5060\nCOMMIT\n"
                + "*raw\n-A PREROUTING -p udp --dport 5060 -j CT --helper sip\nCOMMIT\n";
        everyCut(ipt, "iptables-save", NatRuleset::parse);
    }
}
