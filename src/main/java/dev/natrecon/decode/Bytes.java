package dev.natrecon.decode;

/** Absolute big-endian reads (network byte order); callers check bounds once per header, not per field. */
public final class Bytes {
    private Bytes() {
    }

    public static int u8(byte[] b, int o) {
        return b[o] & 0xff;
    }

    public static int u16(byte[] b, int o) {
        return (b[o] & 0xff) << 8 | (b[o + 1] & 0xff);
    }

    public static int i32(byte[] b, int o) {
        return (b[o] & 0xff) << 24 | (b[o + 1] & 0xff) << 16 | (b[o + 2] & 0xff) << 8 | (b[o + 3] & 0xff);
    }

    public static long u32(byte[] b, int o) {
        return i32(b, o) & 0xffffffffL;
    }

    public static long i64(byte[] b, int o) {
        return (long) i32(b, o) << 32 | u32(b, o + 4);
    }

    /** 48-bit MAC address as a long. */
    public static long mac(byte[] b, int o) {
        return (long) u16(b, o) << 32 | u32(b, o + 2);
    }
}
