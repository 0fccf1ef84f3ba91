package dev.natrecon.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.testing.Bombs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** A second pass resumed from a first pass's kept bytes reads what opening the file again reads. */
class KeptPrefixTest {
    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(zipped)) {
            z.write(plain);
        }
        return zipped.toByteArray();
    }

    /** The frames, anomalies, bound notice and error of a whole pass over {@code r}. */
    private static ReadAheadStreamTest.Read readAll(CaptureReader r) throws IOException {
        try (r) {
            List<ReadAheadStreamTest.Frame> frames = new ArrayList<>();
            RawFrame f = new RawFrame();
            String error = null;
            try {
                while (r.next(f)) {
                    frames.add(new ReadAheadStreamTest.Frame(f.frameNumber, f.timestampNanos, f.originalLength,
                            f.linkType, Arrays.copyOfRange(f.data, f.offset, f.offset + f.capturedLength)));
                }
            } catch (CaptureException e) {
                error = e.getMessage();
            }
            return new ReadAheadStreamTest.Read(frames, r.anomalies().asMap().toString(), r.limitNotice(), error);
        }
    }

    /** A first pass of {@code firstFrames} frames keeping up to {@code budget} bytes; null when it kept nothing. */
    private static KeptPrefix firstPass(byte[] file, DecompressionLimit limit, long firstFrames, long budget)
            throws IOException {
        CaptureReader first = CaptureReader.open("case.pcap.z", new ByteArrayInputStream(file), limit, true, budget);
        KeptPrefix kept;
        try (first) {
            RawFrame f = new RawFrame();
            try {
                for (long i = 0; i < firstFrames && first.next(f); i++) {
                    assertTrue(f.frameNumber > 0);
                }
            } catch (CaptureException e) {
                // the second pass must meet the same error at the same place
            }
            kept = first.detach();
        }
        return kept;
    }

    private static void assertResumedReadsTheSame(byte[] file, DecompressionLimit limit) throws IOException {
        ReadAheadStreamTest.Read again = readAll(CaptureReader.open("case.pcap.z", new ByteArrayInputStream(file),
                limit, false));
        assertTrue(again.frames().size() > 0 || again.error() != null);
        for (long firstFrames : new long[] {0, 1, 7, 1000, again.frames().size(), Long.MAX_VALUE}) {
            KeptPrefix kept = firstPass(file, limit, firstFrames, Long.MAX_VALUE);
            assertNotNull(kept, "a compressed file within the budget is kept");
            assertTrue(kept.bytes() > 0, "at least the file header and the first window");
            ReadAheadStreamTest.Read resumed = readAll(CaptureReader.resume(kept, true));
            assertEquals(again.frames().size(), resumed.frames().size(), "after " + firstFrames + " frames");
            assertEquals(again.frames(), resumed.frames());
            assertEquals(again.anomalies(), resumed.anomalies());
            assertEquals(again.notice(), resumed.notice());
            assertEquals(again.error(), resumed.error());
        }
    }

    @Test
    void resumingGivesTheFramesAnomaliesBoundAndErrorsOfASecondOpening() throws IOException {
        byte[] plain = ReadAheadStreamTest.capture(3000, 11);
        byte[] gz = gzip(plain);
        assertResumedReadsTheSame(gz, DecompressionLimit.DEFAULT);
        // a truncated gzip stream: the same error after the same frames
        assertResumedReadsTheSame(Arrays.copyOf(gz, gz.length / 2), DecompressionLimit.DEFAULT);
        // a truncated last record inside a whole gzip stream
        assertResumedReadsTheSame(gzip(Arrays.copyOf(plain, plain.length - 100)), DecompressionLimit.DEFAULT);
        // a bomb stops at the bound the same way, with the same notice
        assertResumedReadsTheSame(Bombs.bomb(Compression.GZIP, 3, 16L << 20), new DecompressionLimit(1000, 1 << 20, 2 << 20));
    }

    @Test
    void nothingIsKeptBeyondTheBudgetNorForAnUncompressedFile() throws IOException {
        byte[] plain = ReadAheadStreamTest.capture(5000, 12);
        assertTrue(plain.length > 2 * (1 << 20), "larger than the first pass's window: " + plain.length);
        byte[] gz = gzip(plain);
        assertNull(firstPass(gz, DecompressionLimit.DEFAULT, Long.MAX_VALUE, plain.length - 1),
                "one byte short of the whole file: nothing kept");
        KeptPrefix whole = firstPass(gz, DecompressionLimit.DEFAULT, Long.MAX_VALUE, plain.length);
        assertNotNull(whole);
        assertEquals(plain.length, whole.bytes(), "the whole file, exactly");
        whole.close();
        assertNull(firstPass(plain, DecompressionLimit.DEFAULT, 10, Long.MAX_VALUE),
                "an uncompressed file is read again instead");
    }
}
