package dev.natrecon.report;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.SinglePixelPackedSampleModel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Encodes an opaque chart image ({@link BufferedImage#TYPE_INT_RGB}) as a PNG (ISO/IEC 15948, W3C PNG 2nd edition):
 * IHDR (8-bit truecolour, colour type 2, no interlace), one IDAT, IEND. Every row is unfiltered (filter type 0) and
 * the zlib stream is deflated at {@link #DEFLATE_LEVEL}.
 *
 * <p>Why not ImageIO: its PNG writer reads the pixels through the generic {@code Raster.getPixels} path, tries all five
 * filters on every row to choose one, and always writes an alpha channel for JFreeChart's ARGB images; on a 960 x 420
 * chart that cost more than drawing it. A chart is mostly flat runs of a few colours, which deflate's string matching
 * finds in the raw pixels: on the bench pair's charts unfiltered rows compressed better than Sub, Up or Average ones
 * (Sub 15-20 % larger at the same level), and level 3 gave the same sizes as ImageIO's PNGs in a fifth of its time
 * (README, Performance). The output is a function of the pixels alone (no time, no text chunk), so two runs give the
 * same bytes.
 */
final class PngEncoder {
    /**
     * zlib level 3, the last of zlib's "fast" levels (deflate_fast, zlib's configuration_table): on the bench pair's
     * charts the size ImageIO's PNGs (filter chosen per row) had, within 2 %, at about half of level 6's time.
     */
    static final int DEFLATE_LEVEL = 3;
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /** PNG filter type 0, "None" (PNG spec 9.2). */
    private static final int FILTER_NONE = 0;
    /** Colour type 2: each pixel an R, G, B triple (PNG spec 11.2.2). */
    private static final int TRUECOLOUR = 2;

    private PngEncoder() {
    }

    /** The image as PNG bytes; {@code image} must be {@link BufferedImage#TYPE_INT_RGB}. */
    static byte[] encode(BufferedImage image) {
        if (image.getType() != BufferedImage.TYPE_INT_RGB) {
            throw new IllegalArgumentException("PngEncoder takes TYPE_INT_RGB images, not type " + image.getType());
        }
        int width = image.getWidth(), height = image.getHeight();
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        int stride = ((SinglePixelPackedSampleModel) image.getRaster().getSampleModel()).getScanlineStride();
        int rowBytes = 1 + 3 * width;
        byte[] row = new byte[rowBytes];
        Deflater deflater = new Deflater(DEFLATE_LEVEL);
        ByteArrayOutputStream idat = new ByteArrayOutputStream(width * height / 4 + 64);
        byte[] chunk = new byte[1 << 16];
        try {
            for (int y = 0; y < height; y++) {
                int at = y * stride;
                row[0] = FILTER_NONE;
                for (int x = 0, o = 1; x < width; x++, o += 3) {
                    int p = pixels[at + x];
                    row[o] = (byte) (p >>> 16);
                    row[o + 1] = (byte) (p >>> 8);
                    row[o + 2] = (byte) p;
                }
                deflater.setInput(row, 0, rowBytes);
                while (!deflater.needsInput()) idat.write(chunk, 0, deflater.deflate(chunk));
            }
            deflater.finish();
            while (!deflater.finished()) idat.write(chunk, 0, deflater.deflate(chunk));
        } finally {
            deflater.end();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(idat.size() + 64);
        out.writeBytes(SIGNATURE);
        ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) TRUECOLOUR).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", header.array());
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** One chunk: length, type, data, CRC-32 of type and data (PNG spec 5.3). */
    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
