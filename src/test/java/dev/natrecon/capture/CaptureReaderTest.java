package dev.natrecon.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.testing.Frames;
import dev.natrecon.testing.PcapNg;
import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class CaptureReaderTest {
    static final byte[] FRAME = Frames.udp("192.168.1.10", 5060, "203.0.113.5", 5060, "REGISTER");

    static byte[] pcap(boolean nanos, long... times) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(out, 1, nanos)) {
            for (long t : times) w.write(t, FRAME);
        }
        return out.toByteArray();
    }

    static List<RawFrame> readAll(CaptureReader r) throws IOException {
        List<RawFrame> frames = new ArrayList<>();
        RawFrame f = new RawFrame();
        while (r.next(f)) frames.add(f.copy());
        return frames;
    }

    static CaptureReader open(byte[] file) throws IOException {
        return CaptureReader.open("test.pcap", new ByteArrayInputStream(file));
    }

    @Test
    void classicPcapMicrosecondsAndNanoseconds() throws IOException {
        long t = 1_795_227_107_721_352_123L;
        try (CaptureReader r = open(pcap(false, t, t + 1_000_000))) {
            List<RawFrame> frames = readAll(r);
            assertEquals(CaptureFormat.PCAP_MICROSECONDS, r.format());
            assertEquals(2, frames.size());
            assertEquals(t / 1000 * 1000, frames.get(0).timestampNanos);
            assertEquals(2, frames.get(1).frameNumber);
            assertEquals(1, frames.get(0).linkType);
            assertTrue(Arrays.equals(FRAME, Arrays.copyOf(frames.get(0).data, FRAME.length)));
        }
        try (CaptureReader r = open(pcap(true, t))) {
            assertEquals(CaptureFormat.PCAP_NANOSECONDS, r.format());
            assertEquals(t, readAll(r).get(0).timestampNanos);
        }
    }

    @Test
    void bigEndianPcap() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(24 + 16 + FRAME.length).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        b.putInt(1000).putInt(250).putInt(FRAME.length).putInt(FRAME.length).put(FRAME);
        try (CaptureReader r = open(b.array())) {
            List<RawFrame> frames = readAll(r);
            assertEquals(1, frames.size());
            assertEquals(1000_000_250_000L, frames.get(0).timestampNanos);
            assertEquals(FRAME.length, frames.get(0).capturedLength);
        }
    }

    @Test
    void truncatedLastRecordIsAnAnomalyNotAFailure() throws IOException {
        byte[] whole = pcap(false, 1_000_000_000L, 2_000_000_000L);
        for (int cut = whole.length - FRAME.length - 16 + 1; cut < whole.length; cut++) {
            try (CaptureReader r = open(Arrays.copyOf(whole, cut))) {
                assertEquals(1, readAll(r).size());
                assertEquals(1, r.anomalies().count("capture.truncated_record"), "cut at " + cut);
                assertEquals(0, r.damagedAtFrame(), "a cut last record is no damage: nothing after it was lost");
            }
        }
    }

    /** A record header claiming more than any capture holds stops the reader there, and says at which frame. */
    @Test
    void aLyingRecordHeaderStopsReadingAndNamesTheFrame() throws IOException {
        byte[] whole = pcap(false, 1_000_000_000L, 2_000_000_000L);
        byte[] lying = whole.clone();
        // the second record's captured length (its header starts after the file header and the first record)
        int second = 24 + 16 + FRAME.length;
        ByteBuffer.wrap(lying, second + 8, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(Integer.MAX_VALUE);
        try (CaptureReader r = open(whole)) {
            assertEquals(2, readAll(r).size());
            assertEquals(0, r.damagedAtFrame());
        }
        try (CaptureReader r = open(lying)) {
            assertEquals(1, readAll(r).size());
            assertEquals(2, r.damagedAtFrame());
        }
    }

    @Test
    void notACaptureIsAOneLineError() {
        CaptureException e = assertThrows(CaptureException.class,
                () -> open("hello world, not a pcap".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(e.getMessage().startsWith("test.pcap: not a pcap or pcapng file"), e.getMessage());
        assertThrows(CaptureException.class, () -> open(new byte[0]));
    }

    @Test
    void compressionIsRecognisedByMagicNotName() throws IOException {
        byte[] plain = pcap(false, 1_000_000_000L, 2_000_000_000L, 3_000_000_000L);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(gz)) {
            o.write(plain);
        }
        ByteArrayOutputStream xz = new ByteArrayOutputStream();
        try (OutputStream o = new XZOutputStream(xz, new LZMA2Options())) {
            o.write(plain);
        }
        ByteArrayOutputStream zst = new ByteArrayOutputStream();
        try (OutputStream o = new ZstdOutputStream(zst)) {
            o.write(plain);
        }
        for (var c : List.of(new Object[] {gz, Compression.GZIP}, new Object[] {xz, Compression.XZ},
                new Object[] {zst, Compression.ZSTD})) {
            try (CaptureReader r = open(((ByteArrayOutputStream) c[0]).toByteArray())) {
                assertEquals(c[1], r.compression());
                assertEquals(3, readAll(r).size());
            }
        }
    }

    @Test
    void truncatedGzipIsAClearError() throws IOException {
        byte[] plain = pcap(false, 1_000_000_000L, 2_000_000_000L, 3_000_000_000L);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(gz)) {
            o.write(plain);
        }
        byte[] cut = Arrays.copyOf(gz.toByteArray(), gz.size() / 2);
        IOException e = assertThrows(IOException.class, () -> {
            try (CaptureReader r = open(cut)) {
                readAll(r);
            }
        });
        assertTrue(e.getMessage().contains("test.pcap") && e.getMessage().contains("gzip"), e.getMessage());
    }

    @Test
    void pcapngSectionsInterfacesResolutionsAndBlockKinds() throws IOException {
        PcapNg ng = new PcapNg();
        ng.section(ByteOrder.LITTLE_ENDIAN);
        ng.idb(1, "lan0", null);          // µs
        ng.idb(113, "any", 9);            // ns, Linux SLL
        ng.epb(0, 1_500_000L, FRAME);     // 1.5 s
        ng.block(0x12345, new byte[8]);   // unknown block: skipped
        ng.block(5, new byte[16]);        // interface statistics: skipped quietly
        ng.epb(1, 2_000_000_123L, FRAME); // 2.000000123 s
        ng.spb(FRAME);
        ng.section(ByteOrder.BIG_ENDIAN);
        ng.idb(1, "wan0", 0x80 | 10);     // 2^-10 s
        ng.pb(0, 3 * 1024L, FRAME);       // 3 s
        try (CaptureReader r = open(ng.out.toByteArray())) {
            List<RawFrame> f = readAll(r);
            assertEquals(CaptureFormat.PCAPNG, r.format());
            assertEquals(4, f.size());
            assertEquals(1_500_000_000L, f.get(0).timestampNanos);
            assertEquals(2_000_000_123L, f.get(1).timestampNanos);
            assertEquals(113, f.get(1).linkType);
            assertEquals(1, f.get(1).interfaceId);
            assertEquals(2_000_000_123L, f.get(2).timestampNanos, "SPB takes the previous time");
            assertEquals(3_000_000_000L, f.get(3).timestampNanos);
            assertEquals(2, f.get(3).interfaceId, "interfaces are numbered across sections");
            assertEquals(List.of("lan0", "any", "wan0"), r.interfaces().stream().map(CaptureInterface::displayName).toList());
            assertEquals(1, r.anomalies().count("capture.pcapng.unknown_block"));
            assertEquals(1, r.anomalies().count("capture.pcapng.simple_packet_without_time"));
            assertEquals(4, f.get(3).frameNumber);
        }
    }

    @Test
    void pcapngDamagedBlockLengthEndsTheFileCleanly() throws IOException {
        PcapNg ng = new PcapNg();
        ng.section(ByteOrder.LITTLE_ENDIAN);
        ng.idb(1, "eth0", null);
        ng.epb(0, 1, FRAME);
        byte[] good = ng.out.toByteArray();
        byte[] bad = Arrays.copyOf(good, good.length + 8);
        ByteBuffer.wrap(bad, good.length, 8).order(ByteOrder.LITTLE_ENDIAN).putInt(6).putInt(7); // length 7: impossible
        try (CaptureReader r = open(bad)) {
            assertEquals(1, readAll(r).size());
            assertEquals(1, r.anomalies().count("capture.pcapng.bad_block_length"));
        }
    }

    @Test
    void mergeOrdersByCorrectedTimeAndClampsBackwardsTime() throws IOException {
        byte[] lan = pcap(false, 1_000_000_000L, 3_000_000_000L, 2_000_000_000L, 4_000_000_000L);
        byte[] wan = pcap(false, 11_500_000_000L, 12_500_000_000L);
        CaptureReader l = open(lan);
        CaptureReader w = open(wan);
        List<String> order = new ArrayList<>();
        try (MergedFrameSource m = new MergedFrameSource(List.of(
                new MergedFrameSource.Input(l, ClockCorrection.NONE),
                new MergedFrameSource.Input(w, ClockCorrection.offsetSeconds(-10))))) {
            while (m.next()) order.add((m.inputIndex() == 0 ? "L" : "W") + m.frame().frameNumber + "@" + m.correctedNanos() / 1_000_000);
        }
        assertEquals(List.of("L1@1000", "W1@1500", "W2@2500", "L2@3000", "L3@3000", "L4@4000"), order);
        assertEquals(1, l.anomalies().count("capture.time_went_backwards"));
        assertFalse(w.anomalies().total() > 0);
    }
}
