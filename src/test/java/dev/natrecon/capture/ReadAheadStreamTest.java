package dev.natrecon.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.testing.Bombs;
import dev.natrecon.testing.Frames;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Reading ahead on a second thread gives the same bytes, frames and errors as reading inline, bounded, no leak. */
class ReadAheadStreamTest {
    /** A source that yields {@code data} in reads of at most {@code step} bytes and counts what was taken. */
    static final class Source extends InputStream {
        final byte[] data;
        final int step;
        final AtomicLong taken = new AtomicLong();
        final AtomicBoolean closed = new AtomicBoolean();
        final IOException failAtEnd;

        Source(byte[] data, int step, IOException failAtEnd) {
            this.data = data;
            this.step = step;
            this.failAtEnd = failAtEnd;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int at = (int) taken.get();
            if (at == data.length) {
                if (failAtEnd != null) throw failAtEnd;
                return -1;
            }
            int n = Math.min(Math.min(len, step), data.length - at);
            System.arraycopy(data, at, b, off, n);
            taken.addAndGet(n);
            return n;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void givesEveryByteInOrderWhateverTheReadSizes() throws IOException {
        byte[] data = random(100_003, 1);
        Source src = new Source(data, 13, null);
        Random sizes = new Random(2);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (ReadAheadStream in = new ReadAheadStream(src, "t", 997, 3)) {
            byte[] buf = new byte[5000];
            int r;
            while ((r = in.read(buf, 7, 1 + sizes.nextInt(4000))) >= 0) got.write(buf, 7, r);
            assertTrue(in.ended());
            assertEquals(-1, in.read(buf, 0, 10), "the end stays the end");
        }
        assertArrayEquals(data, got.toByteArray());
        assertTrue(src.closed.get(), "the reader thread closes the source");
    }

    @Test
    void aFailureComesAfterTheBytesBeforeItAsTheSameException() throws IOException {
        byte[] data = random(10_000, 3);
        CaptureException failure = new CaptureException("x.pcap.gz: corrupt gzip data: invalid block type");
        ReadAheadStream in = new ReadAheadStream(new Source(data, 100, failure), "x.pcap.gz", 512, 2);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[300];
        IOException thrown = assertThrows(IOException.class, () -> {
            int r;
            while ((r = in.read(buf, 0, buf.length)) >= 0) got.write(buf, 0, r);
        });
        assertSame(failure, thrown);
        assertArrayEquals(data, got.toByteArray(), "every byte before the failure was given first");
        assertSame(failure, assertThrows(IOException.class, () -> in.read(buf, 0, 1)), "and it stays failed");
        in.close();
        assertFalse(in.readerAlive());
    }

    @Test
    void readsAtMostItsChunksAheadAndCloseStopsTheThread() throws Exception {
        Source src = new Source(random(1 << 20, 4), 1 << 20, null);
        ReadAheadStream in = new ReadAheadStream(src, "big", 1000, 3);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (src.taken.get() < 3000 && System.nanoTime() < deadline) Thread.sleep(5);
        Thread.sleep(100); // a reader that ignored the bound would go on taking bytes now
        assertEquals(3000, src.taken.get(), "three chunks of 1000 bytes, no more, until the consumer reads");
        byte[] one = new byte[1];
        assertEquals(1, in.read(one, 0, 1));
        assertTrue(in.readerAlive());
        in.close();
        assertFalse(in.readerAlive(), "no thread outlives close()");
        assertTrue(src.closed.get());
        assertThrows(IOException.class, () -> in.read(one, 0, 1));
    }

    record Frame(long number, long nanos, int original, int link, byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Frame f && f.number == number && f.nanos == nanos && f.original == original
                    && f.link == link && Arrays.equals(f.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(number);
        }
    }

    record Read(List<Frame> frames, String anomalies, String notice, String error) {
    }

    static Read read(byte[] file, DecompressionLimit limit, boolean ahead) throws IOException {
        List<Frame> frames = new ArrayList<>();
        try (CaptureReader r = CaptureReader.open("case.pcap.z", new ByteArrayInputStream(file), limit, ahead)) {
            RawFrame f = new RawFrame();
            String error = null;
            try {
                while (r.next(f)) {
                    frames.add(new Frame(f.frameNumber, f.timestampNanos, f.originalLength, f.linkType,
                            Arrays.copyOfRange(f.data, f.offset, f.offset + f.capturedLength)));
                }
            } catch (CaptureException e) {
                error = e.getMessage();
            }
            return new Read(frames, r.anomalies().asMap().toString(), r.limitNotice(), error);
        }
    }

    static void assertSameRead(byte[] file, DecompressionLimit limit) throws IOException {
        Read inline = read(file, limit, false);
        Read ahead = read(file, limit, true);
        assertEquals(inline.frames.size(), ahead.frames.size());
        assertEquals(inline.frames, ahead.frames);
        assertEquals(inline.anomalies, ahead.anomalies);
        assertEquals(inline.notice, ahead.notice);
        assertEquals(inline.error, ahead.error);
    }

    static byte[] capture(int frames, long seed) throws IOException {
        Random rnd = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(out, 1, true)) {
            for (int i = 0; i < frames; i++) {
                byte[] payload = new byte[rnd.nextInt(1200)];
                rnd.nextBytes(payload);
                byte[] f = Frames.udp("192.168.1.10", 40000 + i % 50, "198.51.100.7", 7000, 1 + i, 64, payload);
                w.write(1_700_000_000_000_000_000L + i * 20_000_000L, f);
            }
        }
        return out.toByteArray();
    }

    @Test
    void capturesReadAheadGiveTheSameFramesAnomaliesAndErrorsAsInline() throws IOException {
        byte[] plain = capture(3000, 5);
        assertTrue(plain.length > ReadAheadStream.CHUNKS * ReadAheadStream.CHUNK_BYTES, "spans every chunk: " + plain.length);
        assertSameRead(plain, DecompressionLimit.DEFAULT);
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(zipped)) {
            z.write(plain);
        }
        byte[] gz = zipped.toByteArray();
        assertSameRead(gz, DecompressionLimit.DEFAULT);
        // cut short: a truncated record inline is one ahead; a truncated gzip stream is the same error
        assertSameRead(Arrays.copyOf(plain, plain.length - 100), DecompressionLimit.DEFAULT);
        Read cut = read(Arrays.copyOf(gz, gz.length / 2), DecompressionLimit.DEFAULT, true);
        assertTrue(cut.error != null && cut.error.startsWith("case.pcap.z: gzip stream ends early"), cut.error);
        assertSameRead(Arrays.copyOf(gz, gz.length / 2), DecompressionLimit.DEFAULT);
        // a bomb stops at the bound the same way
        assertSameRead(Bombs.bomb(Compression.GZIP, 3, 16L << 20), new DecompressionLimit(1000, 1 << 20, 2 << 20));
    }

    static long readingThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("natrecon-read ") && t.isAlive()).count();
    }

    @Test
    void filesFailingAtOpenOrMidwayLeaveNoReadingThread(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws IOException {
        long before = readingThreads();
        java.nio.file.Path junk = tmp.resolve("junk.pcap");
        java.nio.file.Files.write(junk, random(2 << 20, 6));
        assertTrue(CaptureReader.readAhead(junk), "a file of 2 MiB is read ahead");
        CaptureException e = assertThrows(CaptureException.class, () -> CaptureReader.open(junk));
        assertTrue(e.getMessage().startsWith(junk + ": not a pcap or pcapng file"), e.getMessage());
        assertEquals(before, readingThreads(), "the thread of a file that is no capture is stopped");
        java.nio.file.Path cut = tmp.resolve("cut.pcap.gz");
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(zipped)) {
            z.write(capture(12_000, 7));
        }
        java.nio.file.Files.write(cut, Arrays.copyOf(zipped.toByteArray(), zipped.size() - 1000));
        assertTrue(CaptureReader.readAhead(cut), "read ahead: " + java.nio.file.Files.size(cut));
        try (CaptureReader r = CaptureReader.open(cut)) {
            RawFrame f = new RawFrame();
            CaptureException mid = assertThrows(CaptureException.class, () -> {
                while (r.next(f)) {
                    assertTrue(f.frameNumber > 0);
                }
            });
            assertEquals(cut + ": gzip stream ends early (truncated file)", mid.getMessage());
            assertTrue(r.frames() > 10_000, "the frames before the cut: " + r.frames());
        }
        assertEquals(before, readingThreads(), "closing the reader stopped its thread");
    }
}
