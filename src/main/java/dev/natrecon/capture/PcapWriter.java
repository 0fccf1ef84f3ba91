package dev.natrecon.capture;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes classic little-endian pcap (microsecond or nanosecond magic). Used to build synthetic captures for tests and
 * the benchmark; natrecon never rewrites a customer's capture.
 */
public final class PcapWriter implements AutoCloseable {
    private final OutputStream out;
    private final boolean nanos;
    private final byte[] header = new byte[16];

    public PcapWriter(OutputStream out, int linkType, boolean nanos) throws IOException {
        this.out = out instanceof BufferedOutputStream ? out : new BufferedOutputStream(out, 1 << 16);
        this.nanos = nanos;
        byte[] h = new byte[24];
        le32(h, 0, nanos ? 0xa1b23c4d : 0xa1b2c3d4);
        h[4] = 2; // version 2.4
        h[6] = 4;
        le32(h, 16, 262144);
        le32(h, 20, linkType);
        this.out.write(h);
    }

    /** Writes one record; {@code originalLength} may exceed {@code length} to mimic a snap length cut. */
    public void write(long timestampNanos, byte[] data, int offset, int length, int originalLength) throws IOException {
        long seconds = Math.floorDiv(timestampNanos, 1_000_000_000L);
        long fraction = Math.floorMod(timestampNanos, 1_000_000_000L);
        le32(header, 0, (int) seconds);
        le32(header, 4, (int) (nanos ? fraction : fraction / 1000));
        le32(header, 8, length);
        le32(header, 12, originalLength);
        out.write(header);
        out.write(data, offset, length);
    }

    public void write(long timestampNanos, byte[] data) throws IOException {
        write(timestampNanos, data, 0, data.length, data.length);
    }

    private static void le32(byte[] b, int o, int v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >>> 8);
        b[o + 2] = (byte) (v >>> 16);
        b[o + 3] = (byte) (v >>> 24);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
