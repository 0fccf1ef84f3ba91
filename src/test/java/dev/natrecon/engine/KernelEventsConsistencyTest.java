package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.RawFrame;
import dev.natrecon.conntrack.ConntrackText;
import dev.natrecon.conntrack.KernelEntry;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.Packet;
import dev.natrecon.decode.PacketDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every [NEW] in a lab case's kernel event log has its first packet in lan.pcap or wan.pcap at that time: a packet
 * with the entry's original tuple, captured at most {@link #LAG_NANOS} before conntrack-tools stamped the event (the
 * stamp is its reception time, after the packet) and not after it.
 */
class KernelEventsConsistencyTest {
    static final long LAG_NANOS = 500_000_000L;
    static final long EARLY_NANOS = 5_000_000L;

    record Seen(String tuple, long nanos, String where) {
    }

    static Stream<Path> cases() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("samples"))) {
            return s.filter(d -> events(d) != null).sorted().toList().stream();
        }
    }

    static Path events(Path dir) {
        for (String n : List.of("kernel-events.txt", "conntrack-events.log")) {
            if (Files.exists(dir.resolve(n))) return dir.resolve(n);
        }
        return null;
    }

    static List<Seen> packets(Path pcap, String side) throws IOException {
        List<Seen> out = new ArrayList<>();
        PacketDecoder decoder = new PacketDecoder();
        Packet p = new Packet();
        try (CaptureReader r = CaptureReader.open(pcap)) {
            RawFrame f = new RawFrame();
            while (r.next(f)) {
                if (decoder.decode(f, p, new AnomalyCounts()) != Disposition.DECODED) continue;
                String t = p.hasPorts()
                        ? p.protocol + " src=" + p.src() + " dst=" + p.dst() + " sport=" + p.srcPort + " dport=" + p.dstPort
                        : p.protocol + " src=" + p.src() + " dst=" + p.dst();
                out.add(new Seen(t, f.timestampNanos, side + " frame " + f.frameNumber));
            }
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void everyNewEntryHasItsFirstPacketInTheCaptures(Path dir) throws IOException {
        List<Seen> all = new ArrayList<>(packets(dir.resolve("lan.pcap"), "lan"));
        all.addAll(packets(dir.resolve("wan.pcap"), "wan"));
        List<String> missing = new ArrayList<>();
        int news = 0;
        for (String line : Files.readAllLines(events(dir))) {
            if (line.isBlank()) continue;
            KernelEntry e = ConntrackText.entry(line);
            if (!"NEW".equals(e.event())) continue;
            news++;
            var o = e.original();
            String want = o.sport() >= 0
                    ? e.protocolNumber() + " " + o.text()
                    : e.protocolNumber() + " src=" + o.src() + " dst=" + o.dst();
            boolean found = all.stream().anyMatch(s -> s.tuple.equals(want) && s.nanos <= e.timestampNanos() + EARLY_NANOS
                    && e.timestampNanos() - s.nanos <= LAG_NANOS);
            if (!found) missing.add(line.strip());
        }
        assertTrue(news > 0, "the log has NEW events");
        assertTrue(missing.isEmpty(), dir + ": NEW without a packet at that time: " + missing);
    }
}
