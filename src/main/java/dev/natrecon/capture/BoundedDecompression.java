package dev.natrecon.capture;

import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the compressed bytes a decompressor reads and ends the decompressed stream (as if it had ended) once it
 * passes {@link DecompressionLimit#allowed}. Only the counters are per read; nothing is allocated per call.
 */
final class BoundedDecompression {
    private final DecompressionLimit limit;
    private long compressed;
    private long decompressed;
    private boolean hit;

    BoundedDecompression(DecompressionLimit limit) {
        this.limit = limit;
    }

    /** Wraps the raw (compressed) file stream: counts what the decompressor takes from it. */
    InputStream compressedSide(InputStream raw) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                int r = raw.read();
                if (r >= 0) compressed++;
                return r;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int r = raw.read(b, off, len);
                if (r > 0) compressed += r;
                return r;
            }

            @Override
            public void close() throws IOException {
                raw.close();
            }
        };
    }

    /** Wraps the decompressed stream: ends it at the bound. */
    InputStream decompressedSide(InputStream plain) {
        return new BlockReadStream() {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (hit) return -1;
                long room = limit.allowed(compressed) - decompressed;
                if (room <= 0) {
                    // At the bound: only a stream that ends exactly here was not cut.
                    if (len > 0 && plain.read(b, off, 1) >= 0) hit = true;
                    return -1;
                }
                int r = plain.read(b, off, (int) Math.min(len, room));
                if (r > 0) decompressed += r;
                return r;
            }

            @Override
            public void close() throws IOException {
                plain.close();
            }
        };
    }

    /** Whether reading was cut at the bound. */
    boolean hit() {
        return hit;
    }

    long decompressed() {
        return decompressed;
    }

    DecompressionLimit limit() {
        return limit;
    }
}
