package dev.natrecon.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.testing.Bombs;
import dev.natrecon.testing.Frames;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The capture readers' resource bounds: decompressed bytes, captured length, pcapng blocks and interfaces. */
class CaptureBoundsTest {
    private static final DecompressionLimit SMALL = new DecompressionLimit(1000, 1 << 20, 1L << 40);

    record Read(long frames, long nonEmpty, AnomalyCounts anomalies, String notice) {
    }

    static Read read(byte[] file, DecompressionLimit limit) throws IOException {
        try (CaptureReader r = CaptureReader.open("bomb.pcap.z", new ByteArrayInputStream(file), limit)) {
            RawFrame f = new RawFrame();
            long n = 0, nonEmpty = 0;
            while (r.next(f)) {
                n++;
                if (f.capturedLength > 0) nonEmpty++;
            }
            return new Read(n, nonEmpty, r.anomalies(), r.limitNotice());
        }
    }

    @Test
    void zstdAndXzBombsStopAtTheRatioAndKeepTheFramesBefore() throws IOException {
        for (Compression c : new Compression[] {Compression.ZSTD, Compression.XZ}) {
            byte[] bomb = Bombs.bomb(c, 5, 32L << 20);
            assertTrue(bomb.length < 64 << 10, c + " bomb is small: " + bomb.length);
            Read r = read(bomb, SMALL);
            assertEquals(1, r.anomalies.count(Bound.DECOMPRESSION_LIMIT.id()), c.label());
            assertEquals(5, r.nonEmpty, "the good frames before the zeros are read");
            // at most the allowed bytes were expanded: floor 1 MiB = 65536 empty 16-byte records, plus the header
            assertTrue(r.frames < (SMALL.allowed(bomb.length) / 16) + 10, c + ": " + r.frames);
            assertNotNull(r.notice);
            assertTrue(r.notice.startsWith("bomb.pcap.z: stopped reading after ") && r.notice.contains("1000:1"), r.notice);
        }
    }

    @Test
    void gzipStopsAtTheAbsoluteBound() throws IOException {
        // deflate cannot pass about 1032:1, so the absolute bound is what stops a gzip bomb
        byte[] bomb = Bombs.bomb(Compression.GZIP, 3, 16L << 20);
        Read r = read(bomb, new DecompressionLimit(1000, 1 << 20, 2 << 20));
        assertEquals(1, r.anomalies.count(Bound.DECOMPRESSION_LIMIT.id()));
        assertEquals(3, r.nonEmpty);
        assertTrue(r.notice.contains("at most 2 MiB"), r.notice);
    }

    @Test
    void normalCompressedCapturesAndAStreamEndingAtTheBoundAreNotCut() throws IOException {
        byte[] plain = Bombs.bomb(Compression.ZSTD, 200, 0);
        Read r = read(plain, DecompressionLimit.DEFAULT);
        assertEquals(200, r.frames);
        assertEquals(0, r.anomalies.total(), r.anomalies.asMap().toString());
        assertNull(r.notice);
        // exactly at the bound: 24-byte header + 10 records of 16+142 bytes
        byte[] exact = Bombs.bomb(Compression.GZIP, 10, 0);
        Read e = read(exact, new DecompressionLimit(1, 24 + 10 * (16 + 142), 24 + 10 * (16 + 142)));
        assertEquals(10, e.frames);
        assertEquals(0, e.anomalies.count(Bound.DECOMPRESSION_LIMIT.id()));
    }

    static byte[] pcapHeader(int snaplen) {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(snaplen).putInt(1);
        return b.array();
    }

    static byte[] record(int incl, int orig, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(16 + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(1_700_000_000).putInt(0).putInt(incl).putInt(orig).put(data);
        return b.array();
    }

    @Test
    void pcapRecordAboveLibpcapMaximumEndsTheFileWithoutAllocatingIt() throws IOException {
        byte[] frame = Frames.udp("192.168.1.10", 40000, "198.51.100.7", 7000, "x");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(pcapHeader(65535));
        out.writeBytes(record(frame.length, frame.length, frame));
        out.writeBytes(record(CaptureReader.MAX_CAPTURED_LENGTH + 1, 0x7fffffff, new byte[0]));
        out.writeBytes(record(frame.length, frame.length, frame));
        Read r = read(out.toByteArray(), DecompressionLimit.DEFAULT);
        assertEquals(1, r.frames);
        assertEquals(1, r.anomalies.count(CaptureAnomaly.RECORD_TOO_LARGE.id()));
        assertTrue(CaptureAnomaly.RECORD_TOO_LARGE.bound());
        // a record above the file's snap length but within libpcap's maximum is read and counted
        ByteArrayOutputStream small = new ByteArrayOutputStream();
        small.writeBytes(pcapHeader(20));
        small.writeBytes(record(frame.length, frame.length, frame));
        Read s = read(small.toByteArray(), DecompressionLimit.DEFAULT);
        assertEquals(1, s.frames);
        assertEquals(1, s.anomalies.count(CaptureAnomaly.OVER_SNAPLEN.id()));
    }

    static byte[] block(int type, int declaredLength, byte[] body) {
        int len = 12 + body.length;
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putInt(declaredLength).put(body).putInt(declaredLength);
        return b.array();
    }

    static byte[] shb() {
        ByteBuffer body = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        body.putInt(0x1a2b3c4d).putShort((short) 1).putShort((short) 0).putLong(-1);
        return block(0x0a0d0d0a, 28, body.array());
    }

    static byte[] idb() {
        ByteBuffer body = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        body.putShort((short) 1).putShort((short) 0).putInt(0);
        return block(1, 20, body.array());
    }

    static byte[] epb(int caplen, byte[] data) {
        int padded = (data.length + 3) & ~3;
        ByteBuffer body = ByteBuffer.allocate(20 + padded).order(ByteOrder.LITTLE_ENDIAN);
        body.putInt(0).putInt(0).putInt(1).putInt(caplen).putInt(data.length).put(data);
        return block(6, 32 + padded, body.array());
    }

    @Test
    void pcapngLyingLengthsAndInterfaceFloodsAreBounded() throws IOException {
        byte[] frame = Frames.udp("192.168.1.10", 40000, "198.51.100.7", 7000, "x");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(shb());
        for (int i = 0; i < PcapNgReader.MAX_INTERFACES + 10; i++) out.writeBytes(idb());
        out.writeBytes(epb(frame.length, frame));
        // an EPB whose captured length lies (beyond libpcap's maximum): that packet is skipped, the file goes on
        byte[] lying = epb(frame.length, frame);
        ByteBuffer.wrap(lying).order(ByteOrder.LITTLE_ENDIAN).putInt(20, CaptureReader.MAX_CAPTURED_LENGTH + 4);
        out.writeBytes(lying);
        out.writeBytes(epb(frame.length, frame));
        // a block that claims 3 GiB: never allocated; the file ends there
        ByteBuffer huge = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        huge.putInt(6).putInt(0xc0000000).putInt(0);
        out.writeBytes(huge.array());
        long before = usedHeap();
        Read r = read(out.toByteArray(), DecompressionLimit.DEFAULT);
        assertEquals(2, r.frames);
        assertEquals(10, r.anomalies.count(Bound.TOO_MANY_INTERFACES.id()));
        assertEquals(2, r.anomalies.count(CaptureAnomaly.RECORD_TOO_LARGE.id()));
        assertTrue(usedHeap() - before < 512L << 20, "no huge window was allocated");
        assertFalse(r.anomalies.asMap().containsKey(CaptureAnomaly.BAD_BLOCK_LENGTH.id()), r.anomalies.asMap().toString());
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
