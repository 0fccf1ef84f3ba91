package dev.natrecon.capture;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.natrecon.FuzzContract;
import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Fuzz targets for the capture readers (README "Reliability: fuzzing"): raw bytes as a file (pcap, pcapng or any of
 * the compressions, sniffed by magic), and fuzz bytes wrapped through each compressor, optionally cut short, so the
 * decompressors' end-of-stream and damage paths run under the readers. Every frame is read; each must lie inside its
 * buffer.
 */
class CaptureReaderFuzzTest {
    /** Compressions the reader sniffs, in the order a fuzz byte chooses them. */
    private static final Compression[] WRAPS = Compression.values();

    @FuzzTest(maxDuration = "30s")
    void rawBytes(byte[] data) {
        FuzzContract.run(() -> readAll(data));
    }

    @FuzzTest(maxDuration = "30s")
    void compressed(FuzzedDataProvider fuzz) {
        Compression c = WRAPS[fuzz.consumeInt(0, WRAPS.length - 1)];
        int keepPercent = fuzz.consumeInt(0, 100);
        byte[] plain = fuzz.consumeRemainingAsBytes();
        byte[] packed = compress(c, plain);
        byte[] cut = Arrays.copyOf(packed, (int) ((long) packed.length * keepPercent / 100));
        FuzzContract.run(() -> readAll(keepPercent == 100 ? packed : cut));
    }

    /** Opens {@code data} as a capture and reads every frame, checking each one's bounds. */
    static long readAll(byte[] data) throws IOException {
        try (CaptureReader r = CaptureReader.open("fuzz.pcap", new ByteArrayInputStream(data))) {
            RawFrame f = new RawFrame();
            long n = 0;
            r.interfaces();
            while (r.next(f)) {
                n++;
                if (f.capturedLength < 0 || f.offset < 0 || f.data == null
                        || (long) f.offset + f.capturedLength > f.data.length) {
                    throw new AssertionError("frame " + f.frameNumber + " outside its buffer: offset " + f.offset
                            + ", length " + f.capturedLength);
                }
            }
            r.anomalies().asMap();
            return n;
        }
    }

    /** {@code plain} as a whole stream of compression {@code c}. */
    static byte[] compress(Compression c, byte[] plain) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = switch (c) {
            case GZIP -> new GZIPOutputStream(bytes);
            case ZSTD -> new ZstdOutputStream(bytes);
            case XZ -> new XZOutputStream(bytes, new LZMA2Options(1));
            case NONE -> bytes;
        }) {
            out.write(plain);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("in-memory compression cannot fail", e);
        }
        return bytes.toByteArray();
    }
}
