package dev.natrecon.capture;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little- and big-endian absolute reads for the container formats, whose byte order is chosen per file or section. */
final class Endian {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Endian() {
    }

    /**
     * Two consecutive 32-bit fields at {@code o} in one 8-byte read: the first in the low half of the result, the
     * second in the high half ({@link #low}, {@link #high}). With the client compiler alone (the launcher's
     * {@code -XX:TieredStopAtLevel=1}) one view read is several times cheaper than the eight byte reads of two
     * {@link #u32} calls, which a pcap record header costs per frame.
     */
    static long u32Pair(byte[] b, int o, boolean little) {
        return little ? (long) LONG_LE.get(b, o) : Long.rotateLeft((long) LONG_BE.get(b, o), 32);
    }

    /** The first field of a {@link #u32Pair}, unsigned. */
    static long low(long pair) {
        return pair & 0xffffffffL;
    }

    /** The second field of a {@link #u32Pair}, unsigned. */
    static long high(long pair) {
        return pair >>> 32;
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
