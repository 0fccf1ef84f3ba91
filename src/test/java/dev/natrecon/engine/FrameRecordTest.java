package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.ClockCorrection;
import dev.natrecon.correlate.PacketMatcher;
import dev.natrecon.correlate.Seen;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.Protocols;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A frame's {@link FrameRecord} gives the replay exactly what the frame's {@link DecodedFrame} and packet give: on
 * every frame of every bundled sample and test case capture (RTP, RTCP, SIP, TCP, ICMP errors, PPPoE link events,
 * fragments, not-IP frames), the {@link Seen} filled from the record equals, field by field, the one
 * {@link PacketMatcher#fillTuple} fills from the packet; and a stream decoded ahead hands over the same records as one
 * decoded inline.
 */
class FrameRecordTest {
    private static final ClockCorrection CLOCK = new ClockCorrection(1_234_567, 20, 1_700_000_000_000_000_000L);

    private static List<Path> captures() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String root : List.of("samples", "src/test/resources/cases")) {
            try (Stream<Path> s = Files.walk(Path.of(root))) {
                s.filter(p -> p.getFileName().toString().endsWith(".pcap")
                        || p.getFileName().toString().endsWith(".pcapng")).sorted().forEach(out::add);
            }
        }
        return out;
    }

    /** Every public instance field of {@link Seen}, for a field-by-field comparison. */
    private static String fields(Seen s) throws IllegalAccessException {
        StringBuilder b = new StringBuilder();
        for (Field f : Seen.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || !Modifier.isPublic(f.getModifiers())) continue;
            Object v = f.get(s);
            b.append(f.getName()).append('=').append(v instanceof byte[] a ? Arrays.toString(a) : v).append(' ');
        }
        return b.toString();
    }

    /** Reads {@code file} with one kind of stream; for each frame, its record and both fillings of a Seen. */
    private static List<long[]> check(byte[] file, String name, boolean ahead, int[] counts)
            throws IOException, IllegalAccessException {
        List<long[]> records = new ArrayList<>();
        CaptureReader reader = CaptureReader.open(name, new ByteArrayInputStream(file));
        FrameDecoder decoder = new FrameDecoder(new AnomalyCounts());
        try (DecodedStream s = ahead ? new DecodeAheadStream(reader, CLOCK, decoder, null)
                : new InlineDecodedStream(reader, CLOCK, decoder, null)) {
            while (s.next()) {
                DecodedFrame d = s.current();
                long[] r = s.records();
                int b = s.recordBase();
                records.add(Arrays.copyOfRange(r, b, b + FrameRecord.STRIDE));
                String where = name + " frame " + d.frame.frameNumber;
                assertEquals(d.orderNanos, r[b + FrameRecord.ORDER], where);
                assertEquals(d.frame.frameNumber, r[b + FrameRecord.FRAME], where);
                assertEquals(d.frame.timestampNanos, r[b + FrameRecord.TIME], where);
                assertEquals(d.disposition, FrameRecord.disposition(r, b), where);
                assertEquals(d.keyKind, FrameRecord.keyKind(r, b), where);
                assertEquals(d.packet.linkEvent != dev.natrecon.decode.LinkEvent.NONE,
                        (FrameRecord.flags(r, b) & FrameRecord.LINK_EVENT) != 0, where);
                if (d.disposition != Disposition.DECODED) continue;
                assertEquals(d.key, r[b + FrameRecord.KEY], where);
                Seen fromPacket = new Seen();
                PacketMatcher.fillTuple(fromPacket, d.packet, d.key);
                Seen fromRecord = new Seen();
                FrameRecord.fill(fromRecord, r, b, d.key, d);
                assertEquals(fields(fromPacket), fields(fromRecord), where);
                counts[0]++;
                if (fromPacket.rtpSsrc >= 0) counts[1]++;
                if (fromPacket.rtcp) counts[2]++;
                if (fromPacket.tcpHeaderLength > 0) counts[3]++;
                if (fromPacket.icmpError) counts[4]++;
                if (fromPacket.protocol == Protocols.UDP && fromPacket.payloadLength > 0) counts[5]++;
            }
        }
        return records;
    }

    /** RTP, RTCP (RFC 3550 sender report, RFC 5761 range edges), payloads one byte short of each shape, not-IP. */
    private static byte[] synthetic() throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (dev.natrecon.capture.PcapWriter w = new dev.natrecon.capture.PcapWriter(out, 1, true)) {
            long t = 1_700_000_000_000_000_000L;
            int n = 0;
            for (int type : new int[] {191, 192, 200, 223, 224}) {
                for (int len : new int[] {7, 8, 11, 12, 28}) {
                    byte[] payload = new byte[len];
                    payload[0] = (byte) 0x80;
                    if (len > 1) payload[1] = (byte) type;
                    for (int i = 2; i < len; i++) payload[i] = (byte) (0xf0 + i);
                    w.write(t += 1_000_000, dev.natrecon.testing.Frames.udp("192.168.1.10", 40000 + n, "198.51.100.7",
                            7001, ++n, 64, payload));
                }
            }
            w.write(t += 1_000_000, dev.natrecon.testing.Frames.udp("192.168.1.11", 40000, "198.51.100.7", 7000, 1, 64,
                    dev.natrecon.testing.Frames.rtp(0xfedcba98L, 65535, 160)));
            w.write(t + 1_000_000, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x08, 0x06, 0, 1});
        }
        return out.toByteArray();
    }

    @Test
    void theRecordFillsTheSameSeenAsThePacketOnEveryBundledCapture() throws Exception {
        List<Path> files = captures();
        assertTrue(files.size() > 50, "the bundled captures are found: " + files.size());
        int[] counts = new int[6];
        check(synthetic(), "synthetic.pcap", false, counts);
        check(synthetic(), "synthetic.pcap", true, new int[6]);
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            List<long[]> inline = check(bytes, file.toString(), false, counts);
            List<long[]> ahead = check(bytes, file.toString(), true, new int[6]);
            assertEquals(inline.size(), ahead.size(), file.toString());
            for (int i = 0; i < inline.size(); i++) assertArrayEquals(inline.get(i), ahead.get(i), file + " #" + i);
        }
        // the comparison covered every kind of frame the record packs differently
        assertTrue(counts[0] > 10_000, "decoded frames: " + counts[0]);
        assertTrue(counts[1] > 1_000, "RTP-shaped payloads: " + counts[1]);
        assertTrue(counts[2] > 0, "RTCP-shaped payloads: " + counts[2]);
        assertTrue(counts[3] > 0, "TCP with a full header: " + counts[3]);
        assertTrue(counts[4] > 0, "ICMP errors: " + counts[4]);
    }
}
