package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.capture.PcapWriter;
import dev.natrecon.correlate.Binding;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Side;
import dev.natrecon.detect.Finding;
import dev.natrecon.detect.KeepaliveRow;
import dev.natrecon.testing.Frames;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inside-ness comes from the case ({@code --inside}), and the model, the matcher, the bindings and the detectors agree
 * on it, for the two layouts the fixed private ranges get wrong: a LAN in a public range (198.51.100.0/24, TEST-NET-2)
 * and a router whose WAN address is in the carrier-grade shared range (100.64.0.0/10, RFC 6598) behind a carrier NAT.
 * The captures are built here: a phone registering every 30 s through a masquerading router (no SIP ALG), the
 * registrar answering, and one odd frame per layout.
 */
class InsideNetworksTest {
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final String REGISTRAR = "203.0.113.5";
    private static final int REGISTERS = 6;
    private static final long EVERY_NANOS = 30_000_000_000L;
    /** Forwarding delay of the router between the two copies. */
    private static final long HOP_NANOS = 200_000L;

    @TempDir
    Path tmp;

    private static String register(String phone, int cseq) {
        return "REGISTER sip:" + REGISTRAR + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + phone + ":5060;branch=z9hG4bK-" + cseq + ";rport\r\n"
                + "From: <sip:1001@" + REGISTRAR + ">;tag=1\r\n"
                + "To: <sip:1001@" + REGISTRAR + ">\r\n"
                + "Call-ID: reg-" + phone + "@phone\r\n"
                + "CSeq: " + cseq + " REGISTER\r\n"
                + "Contact: <sip:1001@" + phone + ":5060>\r\n"
                + "Expires: 60\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    private static String ok(String phone, int cseq) {
        return "SIP/2.0 200 OK\r\n"
                + "Via: SIP/2.0/UDP " + phone + ":5060;branch=z9hG4bK-" + cseq + ";rport=5060\r\n"
                + "From: <sip:1001@" + REGISTRAR + ">;tag=1\r\n"
                + "To: <sip:1001@" + REGISTRAR + ">;tag=2\r\n"
                + "Call-ID: reg-" + phone + "@phone\r\n"
                + "CSeq: " + cseq + " REGISTER\r\n"
                + "Contact: <sip:1001@" + phone + ":5060>;expires=60\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** The two captures of a phone behind a router masquerading it to {@code wanAddress}; {@code odd} adds frames. */
    private AnalysisInputs captures(String phone, String wanAddress, String inside, OddFrames odd) throws IOException {
        Path lan = tmp.resolve("lan.pcap"), wan = tmp.resolve("wan.pcap");
        try (OutputStream lo = Files.newOutputStream(lan); OutputStream wo = Files.newOutputStream(wan);
             PcapWriter l = new PcapWriter(lo, 1, true); PcapWriter w = new PcapWriter(wo, 1, true)) {
            int id = 100;
            for (int i = 0; i < REGISTERS; i++) {
                long t = T0 + i * EVERY_NANOS;
                byte[] out = register(phone, i + 1).getBytes(StandardCharsets.US_ASCII);
                l.write(t, Frames.udp(phone, 5060, REGISTRAR, 5060, id, 64, out));
                w.write(t + HOP_NANOS, Frames.udp(wanAddress, 5060, REGISTRAR, 5060, id, 63, out));
                id++;
                byte[] back = ok(phone, i + 1).getBytes(StandardCharsets.US_ASCII);
                w.write(t + 20_000_000L, Frames.udp(REGISTRAR, 5060, wanAddress, 5060, id, 60, back));
                l.write(t + 20_000_000L + HOP_NANOS, Frames.udp(REGISTRAR, 5060, phone, 5060, id, 59, back));
                id++;
                odd.add(i, t, l, w);
            }
        }
        return AnalysisInputs.pair(lan, wan).withName("inside")
                .withModel(ModelSettings.defaults().withInsideNetworks(List.of(inside), List.of()));
    }

    @FunctionalInterface
    private interface OddFrames {
        void add(int round, long nanos, PcapWriter lan, PcapWriter wan) throws IOException;
    }

    private static List<String> ids(RunResult r) {
        return r.findings().stream().map(Finding::id).toList();
    }

    /** The binding, the keepalive timeline and the model agree on who is inside. */
    private static void agreeOnThePhone(RunResult r, String phone, String wanAddress) {
        List<Binding> sip = r.bindings().stream().filter(b -> b.internal().equals(phone + ":5060")).toList();
        assertEquals(1, sip.size(), "one binding for the phone: " + r.bindings().stream().map(Binding::internal).toList());
        assertEquals(wanAddress + ":5060", sip.get(0).external());
        assertEquals(REGISTRAR + ":5060", sip.get(0).remote());
        assertEquals(REGISTERS, sip.get(0).packets(Side.LAN, 0), "every REGISTER counted outbound on the LAN");
        assertEquals(REGISTERS, sip.get(0).packets(Side.LAN, 1), "every 200 OK counted inbound on the LAN");
        List<KeepaliveRow> rows = r.keepalive();
        assertFalse(rows.isEmpty(), "a keepalive timeline for the phone's registrations");
        for (KeepaliveRow k : rows) {
            assertEquals(phone + ":5060", k.internal(), k.toString());
            assertEquals(wanAddress + ":5060", k.external(), k.toString());
        }
    }

    /** The packets the model took, by the interface they arrived on. */
    private static void modelTook(RunResult r, long lan, long wan) {
        assertEquals(lan, (long) r.model().arrivals().get("lan"), r.model().arrivals().toString());
        assertEquals(wan, (long) r.model().arrivals().get("wan"), r.model().arrivals().toString());
    }

    @Test
    void aLanInAPublicRangeIsInsideForTheModelTheMatcherAndTheDetectors() throws IOException {
        String phone = "198.51.100.10", router = "192.0.2.1";
        // once, the router forwards a packet from the phone without translating it: an inside source on the WAN
        AnalysisInputs in = captures(phone, router, "198.51.100.0/24", (i, t, l, w) -> {
            if (i != 2) return;
            byte[] probe = "probe".getBytes(StandardCharsets.US_ASCII);
            l.write(t + 1_000_000_000L, Frames.udp(phone, 40000, REGISTRAR, 9, 7000, 64, probe));
            w.write(t + 1_000_000_000L + HOP_NANOS, Frames.udp(phone, 40000, REGISTRAR, 9, 7000, 63, probe));
        });
        RunResult r = Analysis.run(in, List.of());
        agreeOnThePhone(r, phone, router);
        modelTook(r, REGISTERS + 1, REGISTERS); // the untranslated probe arrived from the LAN too
        assertEquals(1, r.outcome(Side.WAN, Outcome.LEAKED), "the untranslated copy leaked the inside address");
        assertTrue(ids(r).contains("nat.private_source_leak"), ids(r).toString());
    }

    @Test
    void aWanAddressInTheSharedRangeIsOutside() throws IOException {
        String phone = "192.168.1.10", router = "100.64.0.2", carrier = "100.64.0.1";
        // the carrier's own equipment talks to the router's WAN address: outside, not a leak
        AnalysisInputs in = captures(phone, router, "192.168.1.0/24", (i, t, l, w) ->
                w.write(t + 5_000_000_000L, Frames.udp(carrier, 123, router, 123, 9000 + i, 64,
                        new byte[48])));
        RunResult r = Analysis.run(in, List.of());
        agreeOnThePhone(r, phone, router);
        modelTook(r, REGISTERS, 2L * REGISTERS); // each answer, and each packet of the carrier to the router
        assertEquals(0, r.outcome(Side.WAN, Outcome.LEAKED), "nothing from the shared range is a leak");
        assertFalse(ids(r).contains("nat.private_source_leak"), ids(r).toString());
    }
}
