package dev.natrecon.capture;

/** Little- and big-endian absolute reads for the container formats, whose byte order is chosen per file or section. */
final class Endian {
    private Endian() {
    }

    static int u16(byte[] b, int o, boolean little) {
        return little ? (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 : (b[o] & 0xff) << 8 | (b[o + 1] & 0xff);
    }

    static int i32(byte[] b, int o, boolean little) {
        return little
                ? (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (b[o + 3] & 0xff) << 24
                : (b[o] & 0xff) << 24 | (b[o + 1] & 0xff) << 16 | (b[o + 2] & 0xff) << 8 | (b[o + 3] & 0xff);
    }

    static long u32(byte[] b, int o, boolean little) {
        return i32(b, o, little) & 0xffffffffL;
    }
}
