package dev.natrecon.capture;

import java.io.IOException;
import java.io.InputStream;

/**
 * The decompressed start of a compressed capture that a first pass read (a survey of its first frames), kept so that a
 * second pass over the same file ({@link CaptureReader#resume}) does not decompress it again: those bytes, then the
 * same decompressor, continuing where the first pass left it. The second pass sees exactly the bytes, frames,
 * decompression bound and errors that opening the file again would give.
 *
 * <p>Bounded: {@link Tee} keeps at most the budget it was given (else nothing, and the file is opened again); each
 * chunk is released as soon as the second pass has read it. Closing it (whether or not it was resumed) closes the file.
 */
public final class KeptPrefix implements AutoCloseable {
    /** Bytes per kept chunk: the unit of release as the second pass reads on. */
    static final int CHUNK_BYTES = 1 << 20;

    final String source;
    final Compression compression;
    final BoundedDecompression bounded;
    /** Whether the file is long enough to be read on a thread of its own ({@link CaptureReader#openForThread}). */
    final boolean worthAThread;
    private final byte[][] chunks;
    private final int lastLength;
    private final InputStream rest;
    private boolean taken;

    private KeptPrefix(String source, Compression compression, BoundedDecompression bounded, Tee tee,
                       boolean worthAThread) {
        this.source = source;
        this.worthAThread = worthAThread;
        this.compression = compression;
        this.bounded = bounded;
        this.chunks = java.util.Arrays.copyOf(tee.chunks, tee.count);
        this.lastLength = tee.lastLength;
        this.rest = tee.in;
    }

    static KeptPrefix of(String source, Compression compression, BoundedDecompression bounded, Tee tee,
                         boolean worthAThread) {
        return new KeptPrefix(source, compression, bounded, tee, worthAThread);
    }

    /** Decompressed bytes kept (before the second pass releases them). */
    public long bytes() {
        return chunks.length == 0 ? 0 : (long) (chunks.length - 1) * CHUNK_BYTES + lastLength;
    }

    /** The whole stream again from its first byte: the kept bytes, then the rest; only once. */
    InputStream stream() {
        if (taken) throw new IllegalStateException(source + ": kept prefix already resumed");
        taken = true;
        return new BlockReadStream() {
            private int chunk;
            private int pos;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) return 0;
                while (chunk < chunks.length) {
                    int length = chunk == chunks.length - 1 ? lastLength : CHUNK_BYTES;
                    if (pos < length) {
                        int n = Math.min(len, length - pos);
                        System.arraycopy(chunks[chunk], pos, b, off, n);
                        pos += n;
                        return n;
                    }
                    chunks[chunk++] = null; // read: released
                    pos = 0;
                }
                return rest.read(b, off, len);
            }

            @Override
            public void close() throws IOException {
                KeptPrefix.this.close();
            }
        };
    }

    @Override
    public void close() throws IOException {
        java.util.Arrays.fill(chunks, null);
        rest.close();
    }

    /**
     * Passes a decompressed stream on unchanged, keeping a copy of every byte passed while they fit in
     * {@code budget}; past it the copy is dropped at once ({@link #overflowed()}).
     */
    static final class Tee extends BlockReadStream {
        final InputStream in;
        private final long budget;
        byte[][] chunks = new byte[8][];
        int count;
        int lastLength;
        private long kept;
        private boolean overflowed;

        Tee(InputStream in, long budget) {
            this.in = in;
            this.budget = budget;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int r = in.read(b, off, len);
            if (r > 0 && !overflowed) keep(b, off, r);
            return r;
        }

        private void keep(byte[] b, int off, int n) {
            if (kept + n > budget) {
                overflowed = true;
                chunks = null;
                count = 0;
                return;
            }
            kept += n;
            while (n > 0) {
                if (count == 0 || lastLength == CHUNK_BYTES) {
                    if (count == chunks.length) chunks = java.util.Arrays.copyOf(chunks, count * 2);
                    chunks[count++] = new byte[CHUNK_BYTES];
                    lastLength = 0;
                }
                int step = Math.min(n, CHUNK_BYTES - lastLength);
                System.arraycopy(b, off, chunks[count - 1], lastLength, step);
                lastLength += step;
                off += step;
                n -= step;
            }
        }

        boolean overflowed() {
            return overflowed;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
