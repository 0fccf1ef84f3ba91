package dev.natrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A malformed router evidence file (conntrack -E log, conntrack -L listing, conntrack -E expect log, nft ruleset,
 * iptables-save, sysctl dump, case.properties value) through the command line: exit status 2 and exactly one line on
 * stderr naming the file, the line and what was expected.
 */
class EvidenceFileErrorsTest {
    static final String B = "samples/baseline/";

    @TempDir
    Path tmp;

    private Path file(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /** The run failed with one stderr line that names {@code f}, {@code line N} and contains {@code what}. */
    private static void assertOneLine(MainTest.Run r, Path f, int line, String what) {
        assertEquals(2, r.code(), r.out() + r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("natrecon: error: "), err);
        assertTrue(err.contains(f.toString() + ": line " + line + ": "), err);
        assertTrue(err.contains(what), err);
        assertTrue(!err.contains("Exception") && !err.contains("null"), err);
    }

    private MainTest.Run analyze(String option, Path f) {
        return MainTest.run("analyze", "--lan", B + "lan.pcap", "--wan", B + "wan.pcap", option, f.toString(), "-o",
                tmp.resolve("out-" + f.getFileName()).toString());
    }

    private MainTest.Run compare(String option, Path f) {
        return MainTest.run("compare", "--lan", B + "lan.pcap", "--wan", B + "wan.pcap", option, f.toString());
    }

    @Test
    void sysctlDump() throws Exception {
        Path a = file("a.sysctl", "net.netfilter.nf_conntrack_acct = 1\nnet.netfilter.nf_conntrack_udp_timeout = abc\n");
        assertOneLine(analyze("--sysctl", a), a, 2, "needs a whole number");
        Path b = file("b.sysctl", "net.netfilter.nf_conntrack_acct = 1\nnet.netfilter.nf_conntrack_udp_timeo\n");
        assertOneLine(analyze("--sysctl", b), b, 2, "expected 'name = value'");
    }

    @Test
    void nftRuleset() throws Exception {
        String nft = Files.readString(Path.of(B + "router.nft"));
        Path cut = file("cut.nft", nft.substring(0, nft.indexOf("masquerade") + 4));
        assertOneLine(analyze("--ruleset", cut), cut, 4, "table nat is not closed");
        Path addr = file("addr.nft", "table ip nat {\n chain postrouting {\n  type nat hook postrouting priority srcnat;\n"
                + "  oifname \"wan0\" snat to 203\n }\n}\n");
        assertOneLine(analyze("--ruleset", addr), addr, 4, "not an address or address range: 203");
    }

    @Test
    void iptablesSave() throws Exception {
        Path a = file("a.rules", "*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o wan0 -j SNAT --to-source 203\nCOMMIT\n");
        assertOneLine(analyze("--ruleset", a), a, 3, "not an address, prefix or range: 203");
        Path b = file("b.rules", "*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o wan0 -j MASQUERADE --to-ports x\n");
        assertOneLine(analyze("--ruleset", b), b, 3, "not a port or port range: x");
    }

    @Test
    void conntrackEventLog() throws Exception {
        Path cut = file("cut.log", "[1795227107.721565]\t    [NEW] ipv4     2 udp      17 3600 src=192.168.1.10 dst=203\n");
        assertOneLine(compare("--kernel-events", cut), cut, 1, "expected an IP address after dst=, found '203'");
        Path garbage = file("garbage.log", "\n# recorded on the router\ngarbage\n");
        assertOneLine(compare("--kernel-events", garbage), garbage, 3, "expected a 'conntrack -E");
    }

    @Test
    void conntrackListing() throws Exception {
        Path cut = file("cut.txt", "ipv4     2 udp      17 119 src=192.168.1.10 dst=203.0.113.5 sport=40000 dport=30000 "
                + "packets=145 bytes=29000 src=203.0.113.5 dst=203.0.113.2 sport=300\u0000\n");
        assertOneLine(compare("--kernel-table", cut), cut, 1, "expected a number after sport=");
        Path shortLine = file("short.txt", "ipv4 2 udp\n");
        assertOneLine(compare("--kernel-table", shortLine), shortLine, 1, "expected protocol number");
    }

    @Test
    void caseSettingsValuesAndFilesTheyName() throws Exception {
        String base = Files.readString(Path.of(B + "case.properties"))
                .replaceAll("(?m)^(capture\\.[\\w-]+\\.file|nat\\.ruleset\\.file|sip\\.helper\\.parameters\\.file|conntrack\\.[a-z.]*file)=(.*)$",
                        "$1=" + Path.of(B).toAbsolutePath().toString().replace("\\", "/") + "/$2");
        String[][] bad = {
            {"sip.helper.ports", "abc", "sip.helper.ports=abc: expected a whole number 1-65535"},
            {"router.lan.network", "10.0.0/xx", "router.lan.network=10.0.0/xx: expected an address prefix"},
            {"router.wan.address", "203", "router.wan.address=203: expected an IP address"},
            {"model.profile", "bogus", "model.profile=bogus: expected a model profile"},
            {"event.wan.down.t", "abc", "event.wan.down.t=abc: expected seconds"},
            {"sip.helper", "maybe", "sip.helper=maybe: expected one of on, off, auto"},
            {"sip.helper.protocol", "sctp", "expected udp or tcp"},
            {"conntrack.set", "foo", "conntrack.set=foo: expected NAME=VALUE"},
        };
        for (String[] b : bad) {
            String props = base.replaceAll("(?m)^" + b[0].replace(".", "\\.") + "=.*$", "#") + "\n# the bad value\n" + b[0] + "=" + b[1] + "\n";
            Path f = file("case-" + b[0] + ".properties", props);
            int line = (int) props.lines().count();
            assertOneLine(MainTest.run("analyze", "--case", f.toString(), "-o", tmp.resolve("p-" + b[0]).toString()),
                    f, line, b[2]);
        }
        Path params = file("params.txt", "sip_timeout=3600\nsip_direct_media\n");
        Path p = file("case-params.properties", base.replaceAll("(?m)^sip\\.helper\\.parameters\\.file=.*$",
                "sip.helper.parameters.file=" + params.toString().replace("\\", "/")));
        assertOneLine(MainTest.run("analyze", "--case", p.toString(), "-o", tmp.resolve("p-params").toString()),
                params, 2, "expected 'name = value'");
        Path sysctl = file("bad.sysctl", "net.netfilter.nf_conntrack_max = many\n");
        Path q = file("case-sysctl.properties", base.replaceAll("(?m)^conntrack\\.sysctl\\.file=.*$",
                "conntrack.sysctl.file=" + sysctl.toString().replace("\\", "/")));
        assertOneLine(MainTest.run("analyze", "--case", q.toString(), "-o", tmp.resolve("p-sysctl").toString()),
                sysctl, 1, "nf_conntrack_max needs a whole number");
        Path expect = file("expect.txt", "[1795227107.721666]\t    [NEW] 180 proto=17 src=203.0.113.5 dst=\n");
        Path f = file("case-expect.properties", base.replaceAll("(?m)^conntrack\\.expect\\.events\\.file=.*$",
                "conntrack.expect.events.file=" + expect.toString().replace("\\", "/")));
        assertOneLine(MainTest.run("analyze", "--case", f.toString(), "-o", tmp.resolve("p-expect").toString()),
                expect, 1, "expected an IP address after dst=");
    }
}
