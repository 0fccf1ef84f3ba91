package dev.natrecon.testing;

import dev.natrecon.capture.Compression;
import dev.natrecon.capture.PcapWriter;
import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Decompression bombs, generated (never committed): a valid pcap header and {@code frames} good frames, then
 * {@code zeros} zero bytes (each 16 of them an empty record at time 0), compressed with gzip, zstd or xz.
 */
public final class Bombs {
    private Bombs() {
    }

    /** The compressed bomb. */
    public static byte[] bomb(Compression compression, int frames, long zeros) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream z = compressor(compression, bytes)) {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            try (PcapWriter w = new PcapWriter(head, 1, false)) {
                for (int i = 0; i < frames; i++) {
                    w.write(1_700_000_000_000_000_000L + i * 20_000_000L,
                            Frames.udp("192.168.1.10", 40000, "198.51.100.7", 7000, 1 + i, 64, new byte[100]));
                }
            }
            z.write(head.toByteArray());
            byte[] block = new byte[1 << 16];
            for (long left = zeros; left > 0; left -= block.length) z.write(block, 0, (int) Math.min(block.length, left));
        }
        return bytes.toByteArray();
    }

    static OutputStream compressor(Compression c, OutputStream out) throws IOException {
        return switch (c) {
            case GZIP -> new GZIPOutputStream(out, 1 << 16);
            case ZSTD -> new ZstdOutputStream(out);
            case XZ -> new XZOutputStream(out, new LZMA2Options(1));
            case NONE -> out;
        };
    }
}
