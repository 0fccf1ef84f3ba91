package dev.natrecon.reassembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.decode.sip.SipMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SIP parsing layer over every bundled capture (samples/*&#47;*.pcap* and the public corpus in
 * src/test/resources/public, see its MANIFEST): no exception, no console output, every SIP-port payload ends up a
 * message, a keep-alive, a non-SIP payload or a named anomaly, and natrecon's scan never disagrees with jain-sip.
 * The public corpus is fixed (SHA-256 sums in the MANIFEST), so what each file yields is pinned here.
 */
class SipCorpusTest {
    static final Path PUBLIC = Path.of("src/test/resources/public");

    static Stream<Path> captures() throws IOException {
        try (Stream<Path> samples = Files.walk(Path.of("samples")); Stream<Path> pub = Files.walk(PUBLIC)) {
            List<Path> all = Stream.concat(samples, pub).filter(p -> p.toString().matches(".*\\.pcap(ng)?$")).sorted().toList();
            assertTrue(all.size() >= 41 + 33, "the public corpus and the lab samples: " + all.size());
            return all.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("captures")
    void everySipPayloadIsClassifiedAndBothParsersAgree(Path file) throws IOException {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        SipCorpusScan s;
        try (PrintStream trap = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(trap);
            System.setErr(trap);
            s = SipCorpusScan.scan(file);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8), "nothing printed while parsing " + file);
        assertEquals(List.of(), s.disagreements);
        long items = s.items.values().stream().mapToLong(Long::longValue).sum();
        assertTrue(items >= s.udpPayloads, "every UDP/5060 payload gives at least one item");
        for (String kind : s.items.keySet()) {
            assertTrue(kind.matches("(udp|tcp|udp-other-port)\\.(MESSAGE|REJECTED|KEEPALIVE\\.[A-Z_]+|NOT_SIP\\.[A-Z_]+)"), kind);
        }
        for (SipMessage m : s.messages) {
            assertTrue(m.isRequest() ? m.requestUri() != null : m.statusCode() >= 100, m.toString());
            assertFalse(m.vias().isEmpty() && m.header("Via").isPresent(), "Via headers give Via values: " + m);
        }
        if (file.startsWith("samples")) {
            // The lab captures are clean SIP over UDP or TCP (several TCP connections reuse one four-tuple).
            assertEquals(Map.of(), s.anomalies, file.toString());
            assertTrue(s.messages.size() >= 6, file + ": " + s.messages.size());
            assertEquals(0, s.items("udp.REJECTED") + s.items("tcp.REJECTED") + s.items("udp.NOT_SIP.TEXT"));
        }
    }

    record Expect(String items, String anomalies) {
    }

    /** What each public capture with SIP yields: item kinds and anomaly ids with their counts. */
    static final Map<String, Expect> PUBLIC_EXPECTED = new HashMap<>();

    static {
        e("encap/cpe_wan_call.pcap", "udp.MESSAGE=7", "");
        e("encap/cpe_wan_startup_pppoe.pcap", "udp.MESSAGE=4", "");
        e("encap/ipip_sip_tcp.pcap", "tcp.MESSAGE=4", "");
        e("encap/ipv6_frag_sll.pcap", "udp-other-port.MESSAGE=32", "sip.header_duplicate=1, sip.header_invalid=2");
        e("encap/null_loopback_sip_h263.pcap", "udp.MESSAGE=4", "");
        // The INVITE is 65,793 bytes, above the 64 KiB cap: dropped by its Content-Length; the 100 Trying is framed.
        e("encap/null_sip_tcp_large_body.pcap", "tcp.MESSAGE=1", "reassembly.sip_stream.buffer_overflow=1");
        e("encap/pppoe_sip_info.pcap", "udp.MESSAGE=32", "");
        e("encap/rawip4_sip_long_paths.pcap", "udp.MESSAGE=2", "");
        e("encap/sip_tcp_call.pcap", "tcp.MESSAGE=7", "");
        e("encap/sip_tcp_register_rport.pcap", "tcp.MESSAGE=2", "");
        e("encap/vlan_pppoe_gre_sip_9idb.pcapng", "udp.MESSAGE=36", "");
        e("sip/aaa.pcap", "udp.MESSAGE=81, udp.NOT_SIP.WHITESPACE=21", "");
        e("sip/b2bua_asterisk.pcapng", "udp.MESSAGE=60", "");
        e("sip/fax_t38_reinvite.pcap", "udp.MESSAGE=92", "");
        e("sip/frag_stun_crlf_call.pcap", "udp.KEEPALIVE.PING=21, udp.KEEPALIVE.PONG=5, udp.MESSAGE=60", "");
        e("sip/hello_keepalive_register.pcapng", "udp.MESSAGE=8, udp.NOT_SIP.TEXT=22", "");
        e("sip/honeynet_fc4_call.pcap", "udp.KEEPALIVE.PING=1, udp.MESSAGE=19", "");
        e("sip/nat_eim_message_call.pcap", "udp.MESSAGE=17", "");
        e("sip/nat_magicjack_call.pcap", "udp-other-port.MESSAGE=11", "");
        e("sip/nat_eim_register_call.pcap", "udp.MESSAGE=19, udp.NOT_SIP.NUL_BYTES=5", "sip.header_invalid=1");
        e("sip/ncl_udp_tcp_63ua.pcap", "tcp.MESSAGE=61, udp-other-port.MESSAGE=128, udp.MESSAGE=432", "");
        e("sip/refer_transfer_dtmf.pcap", "udp.MESSAGE=29", "");
        e("sip/registrar_407_483.pcapng", "udp.MESSAGE=276", "");
        e("sip/sdp_488_null_codec.pcapng", "udp.MESSAGE=13", "");
        e("sip/sip_call_rtp_g711.pcapng", "udp.KEEPALIVE.PONG=3, udp.MESSAGE=14", "");
        e("sip/sipp_771calls_nsec.pcapng", "udp.MESSAGE=4618", "");
    }

    static void e(String file, String items, String anomalies) {
        PUBLIC_EXPECTED.put(file, new Expect("{" + items + "}", "{" + anomalies + "}"));
    }

    static Stream<Path> publicCaptures() throws IOException {
        return captures().filter(p -> p.startsWith(PUBLIC));
    }

    @ParameterizedTest
    @MethodSource("publicCaptures")
    void publicCaptureYieldsWhatItIsKnownToCarry(Path file) throws IOException {
        SipCorpusScan s = SipCorpusScan.scan(file);
        String name = PUBLIC.relativize(file).toString();
        Expect expect = PUBLIC_EXPECTED.getOrDefault(name, new Expect("{}", "{}"));
        assertEquals(expect.items(), new TreeMap<>(s.items).toString(), name);
        assertEquals(expect.anomalies(), new TreeMap<>(s.anomalies).toString(), name);
    }

    @Test
    void sipFeaturesTheManifestPromises() throws IOException {
        // 16 SIP messages arrive as IPv4 fragments; RFC 5626 CRLF keep-alives both ways.
        SipCorpusScan frag = SipCorpusScan.scan(PUBLIC.resolve("sip/frag_stun_crlf_call.pcap"));
        assertEquals(16, frag.reassembledMessages);
        // IPv6 SIP with IPv6 fragment headers, IPv6 in Via, received= and SDP c=IN IP6.
        SipCorpusScan v6 = SipCorpusScan.scan(PUBLIC.resolve("encap/ipv6_frag_sll.pcap"));
        assertTrue(v6.reassembledMessages > 0);
        assertTrue(v6.messages.stream().anyMatch(m -> m.topVia().orElseThrow().host().text().startsWith("[fd17:")
                && m.vias().stream().anyMatch(v -> v.received() != null && v.received().text().startsWith("fd17:"))));
        // Frame 116 carries two SIP messages (NOTIFY and 200 OK) in one TCP segment.
        SipCorpusScan ncl = SipCorpusScan.scan(PUBLIC.resolve("sip/ncl_udp_tcp_63ua.pcap"));
        assertEquals(2, ncl.messagesPerTcpFrame.get(116L));
        // A REGISTER over TCP split across segments; its 200 OK says rport=43168.
        SipCorpusScan split = SipCorpusScan.scan(PUBLIC.resolve("encap/sip_tcp_register_rport.pcap"));
        assertEquals(1, split.multiSegmentMessages.size());
        assertTrue(split.multiSegmentMessages.get(0).size() > 1);
        assertTrue(split.messages.stream().anyMatch(m -> m.isResponse() && m.topVia().orElseThrow().rportNumber() == 43168));
        // Via comes back with received=/rport= (the NAT's mapping).
        SipCorpusScan nat = SipCorpusScan.scan(PUBLIC.resolve("sip/nat_eim_register_call.pcap"));
        assertTrue(nat.messages.stream().anyMatch(m -> m.topVia().map(v -> v.received() != null
                && v.received().text().equals("141.85.225.204") && v.rportNumber() == 60959).orElse(false)));
        // A long Via chain in one 9.5 KB datagram, each way.
        SipCorpusScan longPaths = SipCorpusScan.scan(PUBLIC.resolve("encap/rawip4_sip_long_paths.pcap"));
        assertEquals(List.of(10, 10), longPaths.messages.stream().map(m -> m.vias().size()).toList());
        assertTrue(longPaths.messages.stream().allMatch(m -> m.bytes().length > 9500));
        // 771 calls with SDP in every INVITE and 200 OK.
        SipCorpusScan sipp = SipCorpusScan.scan(PUBLIC.resolve("sip/sipp_771calls_nsec.pcapng"));
        assertEquals(1542, sipp.sdpBodies);
    }
}
