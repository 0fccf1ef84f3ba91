package dev.natrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs that make no sense as a LAN and a WAN capture: refused in one line naming the file, the reason and what to
 * do (exit 2), or, for sides given the wrong way round, swapped with a note. Real files where the corpus has them.
 */
class InputSanityTest {
    static final Path PUBLIC = Path.of("src/test/resources/public");
    static final String LAN = "samples/baseline/lan.pcap", WAN = "samples/baseline/wan.pcap";

    @TempDir
    Path tmp;

    private MainTest.Run refused(String lan, String wan, String file, String reason) {
        MainTest.Run r = MainTest.run("analyze", "--lan", lan, "--wan", wan, "-o", tmp.resolve("o").toString());
        assertEquals(Main.USAGE, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("natrecon: error: " + file + ": "), r.err());
        assertTrue(r.err().contains(reason), r.err());
        assertFalse(Files.exists(tmp.resolve("o/summary.json")), "nothing written");
        return r;
    }

    @Test
    void theSameFileForBothSidesIsRefused() throws IOException {
        refused(LAN, LAN, LAN, "given as both the LAN and the WAN capture");
        Path copy = Files.copy(Path.of(LAN), tmp.resolve("copy.pcap"));
        refused(LAN, copy.toString(), copy.toString(), "the same bytes as the LAN capture");
    }

    @Test
    void aCaptureOfTheAnyPseudoInterfaceIsRefusedAsASide() {
        // Linux cooked v1, from tcpdump -i any: no interface index, but --router pairs the copies of forwarded packets
        String sll = PUBLIC.resolve("encap/ipv6_frag_sll.pcap").toString();
        MainTest.Run r = refused(sll, WAN, sll, "a capture of the 'any' pseudo-interface");
        assertTrue(r.err().contains("tcpdump -i IFACE -w lan.pcap") && r.err().contains("give it as --router " + sll),
                r.err());
        // pcapng whose interface is named 'any': give it as --router
        String ng = PUBLIC.resolve("format/pcapng_sll_eth_2if.pcapng").toString();
        r = refused(LAN, ng, ng, "given as the WAN capture, but it is a capture of the 'any' pseudo-interface");
        assertTrue(r.err().contains("give it as --router " + ng), r.err());
        String tls = PUBLIC.resolve("encap/sip_tls13_rtcp_sll.pcap").toString();
        refused(tls, WAN, tls, "frames from the loopback interface");
    }

    @Test
    void aLoopbackCaptureIsRefusedAsASide() {
        String lo = PUBLIC.resolve("encap/null_loopback_sip_h263.pcap").toString();
        refused(LAN, lo, lo, "a loopback capture (BSD loopback link type)");
        String tcp = PUBLIC.resolve("encap/null_sip_tcp_large_body.pcap").toString();
        refused(tcp, WAN, tcp, "never what crossed a router");
    }

    @Test
    void sidesGivenTheWrongWayRoundAreSwappedWithANote() throws IOException {
        Path right = tmp.resolve("right"), swapped = tmp.resolve("swapped");
        MainTest.Run ok = MainTest.run("analyze", "--lan", LAN, "--wan", WAN, "-o", right.toString());
        MainTest.Run sw = MainTest.run("analyze", "--lan", WAN, "--wan", LAN, "-o", swapped.toString());
        assertEquals(ok.code(), sw.code(), sw.out() + sw.err());
        assertTrue(sw.out().contains("note: the LAN and WAN captures were given the wrong way round and were swapped"),
                sw.out());
        assertTrue(sw.out().contains("the private 192.168.1.10"), sw.out());
        assertFalse(ok.out().contains("swapped"), ok.out());
        JsonNode a = VerdictTest.summary(right), b = VerdictTest.summary(swapped);
        assertEquals(1, b.get("input_notes").size());
        assertFalse(a.has("input_notes"));
        assertEquals(a.get("verdict"), b.get("verdict"), "the same verdict once swapped");
        assertEquals(a.get("matching").get("lan"), b.get("matching").get("lan"));
        assertEquals(a.get("clock").get("router_wan_addresses"), b.get("clock").get("router_wan_addresses"));
        assertEquals(LAN, b.get("captures").get(0).get("file").asText(), "the LAN capture is the one with the LAN traffic");
        assertTrue(Files.readString(swapped.resolve("summary.md")).contains("- Note: the LAN and WAN captures"));
        assertTrue(Files.readString(swapped.resolve("report.html")).contains("Note: the LAN and WAN captures"));
    }

    @Test
    void aRouterCaptureWhoseInterfacesCannotBeToldApartSaysWhatToDo() {
        // one interface: one side's capture given as the router's
        String one = PUBLIC.resolve("sip/aaa.pcap").toString();
        MainTest.Run r = MainTest.run("analyze", "--router", one, "-o", tmp.resolve("o").toString());
        assertEquals(Main.USAGE, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("natrecon: error: " + one + ": cannot tell the LAN and WAN interfaces apart"), r.err());
        assertTrue(r.err().contains("one side's capture") && r.err().contains("--lan") && r.err().contains("--wan"),
                r.err());
        // five interfaces, roles picked from a handful of packets: judged inconclusive, with the options to give
        MainTest.Run five = MainTest.run("analyze", "--router", PUBLIC.resolve("media/stun_mixed_5if.pcapng").toString(),
                "-o", tmp.resolve("five").toString());
        assertEquals(Main.INCONCLUSIVE, five.code(), five.out() + five.err());
        assertTrue(five.out().contains("the interface roles were guessed from a handful of packets"), five.out());
        assertTrue(five.out().contains("--lan-if and --wan-if"), five.out());
    }
}
