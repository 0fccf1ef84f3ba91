package dev.natrecon.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.RawFrame;
import dev.natrecon.cli.Main;
import dev.natrecon.correlate.Binding;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.Packet;
import dev.natrecon.decode.PacketDecoder;
import dev.natrecon.engine.Analysis;
import dev.natrecon.engine.AnalysisInputs;
import dev.natrecon.engine.CaptureStats;
import dev.natrecon.engine.RunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
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

/** The generated pair is a perfect NAT: everything matches, translations are the expected ones, clocks agree. */
class SyntheticNatCapturesTest {
    /** 3 slots x 3 s with short calls, so calls end, restart and phones re-register within the capture. */
    static final SyntheticNatCaptures.Config SMALL = SyntheticNatCaptures.Config.of(3, 3)
            .withCallTiming(0.8, 0.2, 0.1).withRegisterInterval(1.0).withSeed(42);

    @TempDir
    Path dir;

    private SyntheticNatCaptures.Result small(String name) throws IOException {
        return SyntheticNatCaptures.write(SMALL, dir.resolve(name + "-lan.pcap"), dir.resolve(name + "-wan.pcap"));
    }

    @Test
    void everyPacketMatchesAcrossTheNat() throws IOException {
        SyntheticNatCaptures.Result gen = small("a");
        assertEquals(gen.lanFrames(), gen.wanFrames());
        assertTrue(gen.rtpPackets() > 500, "RTP packets: " + gen.rtpPackets());
        assertTrue(gen.callsStarted() > 3, "calls restart: " + gen.callsStarted());
        assertTrue(gen.registrations() >= 6, "registrations: " + gen.registrations());
        assertEquals(gen.lanFrames(), gen.sipMessages() + gen.rtpPackets());

        RunResult r = Analysis.run(AnalysisInputs.pair(gen.lan(), gen.wan()), List.of());
        for (CaptureStats s : r.captures()) {
            assertEquals(s.frames, s.disposition(Disposition.DECODED), s.path);
            assertEquals(0, s.anomalies.total(), s.path + ": " + s.anomalies.asMap());
        }
        for (Side side : Side.values()) {
            assertEquals(gen.lanFrames(), r.matchable(side), side + " matchable");
            assertEquals(gen.lanFrames(), r.matched(side), side + " matched");
            assertEquals(gen.lanFrames(), r.outcome(side, Outcome.TRANSLATED), side + " translated");
        }
        assertEquals(gen.lanFrames(), r.matchedPairs());
        assertTrue(Math.abs(r.clock().offsetSeconds()) < 20e-6, "clock offset " + r.clock().offsetSeconds());
        assertTrue(Math.abs(r.clock().latencySeconds() - 50e-6) < 10e-6, "forwarding delay " + r.clock().latencySeconds());
        assertEquals(List.of(SyntheticNatCaptures.NAT_WAN_ADDRESS), r.clock().externalAddresses());

        // One SIP and one RTP binding per phone; RTP ports kept, SIP ports remapped except for the first phone.
        Set<String> sip = new HashSet<>();
        Set<String> rtpInternal = new HashSet<>();
        long lanPackets = 0;
        for (Binding b : r.bindings()) {
            assertTrue(b.internal().startsWith("192.168."), b.internal());
            assertTrue(b.external().startsWith(SyntheticNatCaptures.NAT_WAN_ADDRESS + ":"), b.external());
            assertTrue(b.remote().startsWith(SyntheticNatCaptures.PROVIDER_ADDRESS + ":"), b.remote());
            lanPackets += b.packets(dev.natrecon.correlate.Side.LAN, 0) + b.packets(dev.natrecon.correlate.Side.LAN, 1);
            if (b.internalPort == SyntheticNatCaptures.SIP_PORT) {
                sip.add(b.internal() + " -> " + b.external());
            } else {
                assertEquals(b.internalPort, b.externalPort, "RTP port kept");
                assertEquals("address", b.translation());
                rtpInternal.add(b.internal());
            }
        }
        assertEquals(Set.of("192.168.1.10:5060 -> 203.0.113.2:5060", "192.168.1.11:5060 -> 203.0.113.2:1025",
                "192.168.1.12:5060 -> 203.0.113.2:1026"), sip);
        // Every LAN packet is accounted to a binding. (Per-binding WAN counts are not compared: a flow whose first
        // packet is inbound is learnt from that packet's LAN copy, after its WAN copy was already accounted.)
        assertEquals(gen.lanFrames(), lanPackets);
        assertEquals(Set.of("192.168.1.10:16384", "192.168.1.11:16386", "192.168.1.12:16388"), rtpInternal);
    }

    @Test
    void theAlgRewritesViaContactAndSdpAndFixesContentLength() throws IOException {
        SyntheticNatCaptures.Result gen = small("b");
        List<String> lan = sipMessages(gen.lan());
        List<String> wan = sipMessages(gen.wan());
        assertEquals(lan.size(), wan.size());
        Pattern callId = Pattern.compile("(?m)^Call-ID: (.*)$");
        boolean invite = false, providerBye = false, phoneBye = false;
        for (String m : wan) {
            assertContentLength(m);
            String head = m.substring(0, m.indexOf("\r\n\r\n"));
            String body = m.substring(m.indexOf("\r\n\r\n") + 4);
            for (String line : head.split("\r\n")) {
                if (line.startsWith("Via:") || line.startsWith("Contact:") || line.startsWith("From:")
                        || line.startsWith("To:") || line.matches("^[A-Z]+ sip:.*")) {
                    assertFalse(line.contains("192.168."), "private address left on the WAN: " + line);
                }
            }
            for (String line : body.split("\r\n")) {
                if (line.startsWith("c=") || line.startsWith("o=")) assertFalse(line.contains("192.168."), line);
            }
            Matcher id = callId.matcher(m);
            assertTrue(id.find(), m);
            assertTrue(id.group(1).contains("@192.168.1."), "Call-ID is not rewritten: " + id.group(1));
            if (m.startsWith("INVITE")) {
                invite = true;
                assertTrue(m.contains("c=IN IP4 203.0.113.2\r\n"), m);
            }
            if (m.startsWith("BYE sip:100")) providerBye = true;
            if (m.startsWith("BYE sip:+")) phoneBye = true;
        }
        assertTrue(invite && providerBye && phoneBye, "INVITE, and BYE from both ends, are in the sample");
        for (String m : lan) {
            assertContentLength(m);
            String head = m.substring(0, m.indexOf("\r\n\r\n"));
            assertFalse(head.contains("203.0.113.2"), "external address left on the LAN: " + head);
        }
    }

    @Test
    void generationIsDeterministicAndTimeOrdered() throws IOException {
        SyntheticNatCaptures.Result a = small("c");
        SyntheticNatCaptures.Result b = small("d");
        assertArrayEquals(Files.readAllBytes(a.lan()), Files.readAllBytes(b.lan()));
        assertArrayEquals(Files.readAllBytes(a.wan()), Files.readAllBytes(b.wan()));
        for (Path p : List.of(a.lan(), a.wan())) {
            try (CaptureReader reader = CaptureReader.open(p)) {
                RawFrame f = new RawFrame();
                long last = Long.MIN_VALUE;
                while (reader.next(f)) {
                    assertTrue(f.timestampNanos >= last, p + " frame " + f.frameNumber + " goes back in time");
                    last = f.timestampNanos;
                }
            }
        }
        SyntheticNatCaptures.Result other = SyntheticNatCaptures.write(SMALL.withSeed(43), dir.resolve("e-lan.pcap"),
                dir.resolve("e-wan.pcap"));
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(a.lan()), Files.readAllBytes(other.lan())));
    }

    @Test
    void benchCommandRunsEndToEnd() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), "bench", "--calls", "2", "--seconds", "2",
                "--repeat", "1", "--phases", "all", "--dir", dir.resolve("bench").toString(), "--memory-check",
                "--check-seconds", "1,2");
        assertEquals(0, code, err.toString());
        String text = out.toString();
        assertTrue(text.contains("Results:"), text);
        assertTrue(text.contains("matched LAN 100.00%"), text);
        assertTrue(text.contains("peak live heap from 1 s to 2 s"), text);
    }

    private static void assertContentLength(String m) {
        Matcher cl = Pattern.compile("(?m)^Content-Length: (\\d+)$").matcher(m);
        assertTrue(cl.find(), m);
        int bodyLength = m.length() - (m.indexOf("\r\n\r\n") + 4);
        assertEquals(bodyLength, Integer.parseInt(cl.group(1)), m);
    }

    /** UDP payloads on port 5060 (either end), in file order. */
    private static List<String> sipMessages(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        PacketDecoder decoder = new PacketDecoder();
        Packet p = new Packet();
        try (CaptureReader reader = CaptureReader.open(file)) {
            RawFrame f = new RawFrame();
            while (reader.next(f)) {
                assertEquals(Disposition.DECODED, decoder.decode(f, p, new AnomalyCounts()));
                if (p.srcPort == SyntheticNatCaptures.SIP_PORT || p.dstPort == SyntheticNatCaptures.SIP_PORT) {
                    out.add(new String(p.data, p.payloadOffset, p.payloadLength, StandardCharsets.US_ASCII));
                }
            }
        }
        return out;
    }
}
