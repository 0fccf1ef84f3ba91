package dev.natrecon.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The chart PNG encoder: what ImageIO decodes is the image's every pixel, chunks are well formed, bytes repeatable. */
class PngEncoderTest {
    /** A chart-like picture: flat background, antialiased lines and text, plus noise in one corner. */
    static BufferedImage picture(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(new Color(0x1c7ed6));
        for (int i = 0; i < 20; i++) g.drawLine(0, i * 7, w - 1, h - 1 - i * 3);
        g.setColor(Color.BLACK);
        g.drawString("jitter (ms) 0.5 1.0", 10, h / 2);
        g.dispose();
        Random r = new Random(7);
        for (int y = 0; y < Math.min(h, 16); y++) {
            for (int x = 0; x < Math.min(w, 16); x++) img.setRGB(x, y, r.nextInt(1 << 24));
        }
        return img;
    }

    @Test
    void imageIoReadsBackEveryPixel() throws IOException {
        for (int[] size : new int[][] {{1, 1}, {3, 2}, {960, 420}, {17, 300}}) {
            BufferedImage img = picture(size[0], size[1]);
            BufferedImage back = ImageIO.read(new ByteArrayInputStream(PngEncoder.encode(img)));
            assertEquals(size[0], back.getWidth());
            assertEquals(size[1], back.getHeight());
            for (int y = 0; y < size[1]; y++) {
                for (int x = 0; x < size[0]; x++) {
                    assertEquals(img.getRGB(x, y), back.getRGB(x, y), "pixel " + x + "," + y + " of " + size[0] + "x" + size[1]);
                }
            }
        }
    }

    @Test
    void chunksAreWellFormedAndBytesRepeat() {
        BufferedImage img = picture(960, 420);
        byte[] png = PngEncoder.encode(img);
        assertArrayEquals(png, PngEncoder.encode(img));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, java.util.Arrays.copyOf(png, 8));
        int at = 8;
        StringBuilder types = new StringBuilder();
        while (at < png.length) {
            int len = java.nio.ByteBuffer.wrap(png, at, 4).getInt();
            String type = new String(png, at + 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
            CRC32 crc = new CRC32();
            crc.update(png, at + 4, 4 + len);
            assertEquals((int) crc.getValue(), java.nio.ByteBuffer.wrap(png, at + 8 + len, 4).getInt(), type + " CRC");
            types.append(type).append(' ');
            at += 12 + len;
        }
        assertEquals(png.length, at);
        assertEquals("IHDR IDAT IEND ", types.toString());
        assertEquals(2, png[8 + 8 + 9], "colour type: truecolour without alpha");
        // a mostly white chart compresses well below its raw 3 bytes per pixel
        assertTrue(png.length < 960 * 420 * 3 / 10, png.length + " bytes");
    }

    @Test
    void refusesImagesWithAlpha() {
        assertThrows(IllegalArgumentException.class,
                () -> PngEncoder.encode(new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB)));
    }
}
