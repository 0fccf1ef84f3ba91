package dev.natrecon.capture;

import java.io.IOException;
import java.io.InputStream;

/**
 * A refilling byte window over a stream: callers ask for {@code n} contiguous bytes at {@link #pos} and read them with
 * absolute gets. Memory is the window (it grows only to the largest single record asked for), never the file.
 */
final class ByteInput implements AutoCloseable {
    private static final int INITIAL = 1 << 20;

    private final InputStream in;
    byte[] buf = new byte[INITIAL];
    int pos;
    int limit;
    private boolean eof;
    /** Bytes of the stream that lie before {@code buf[0]}. */
    private long base;

    ByteInput(InputStream in) {
        this.in = in;
    }

    /** Makes {@code n} bytes available at {@link #pos}; false if the stream ends first. */
    boolean ensure(int n) throws IOException {
        if (limit - pos >= n) return true;
        if (eof) return false;
        if (n > buf.length) {
            byte[] bigger = new byte[Math.max(n, buf.length * 2)];
            System.arraycopy(buf, pos, bigger, 0, limit - pos);
            base += pos;
            limit -= pos;
            pos = 0;
            buf = bigger;
        } else if (buf.length - pos < n) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            base += pos;
            limit -= pos;
            pos = 0;
        }
        while (limit - pos < n) {
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                eof = true;
                return false;
            }
            limit += r;
        }
        return true;
    }

    int available() {
        return limit - pos;
    }

    /** Offset in the (decompressed) stream of the byte at {@link #pos}. */
    long position() {
        return base + pos;
    }

    /** Skips {@code n} bytes; false if the stream ends first. */
    boolean skip(long n) throws IOException {
        while (n > 0) {
            int have = limit - pos;
            if (have == 0) {
                if (!ensure(1)) return false;
                have = limit - pos;
            }
            int step = (int) Math.min(have, n);
            pos += step;
            n -= step;
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
