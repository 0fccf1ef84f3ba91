package dev.natrecon.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * pcapng (draft-ietf-opsawg-pcapng): sections, each with its own byte order and its own interfaces; Enhanced, Simple
 * and the obsolete Packet blocks; every other block type is skipped. Interface ids are numbered across the whole file
 * (the second section's interface 0 is file interface {@code n}), as Wireshark's {@code frame.interface_id} does.
 */
final class PcapNgReader extends CaptureReader {
    private static final int SHB = 0x0a0d0d0a;
    private static final int IDB = 1;
    private static final int PB = 2;
    private static final int SPB = 3;
    private static final int EPB = 6;
    private static final int BYTE_ORDER_MAGIC = 0x1a2b3c4d;
    /**
     * Interfaces kept per file. One capture host rarely has more than a few dozen; 4096 leaves room for a router
     * with thousands of VLAN and tunnel interfaces while a file of nothing but IDBs cannot grow the list without end.
     */
    static final int MAX_INTERFACES = 4096;

    /** Known block types that carry nothing a frame needs: NRB, ISB, DSB, systemd journal, custom, decryption secrets. */
    private static boolean quietlySkipped(int type) {
        return type == 4 || type == 5 || type == 9 || type == 10 || type == 0x0bad || type == 0x40000bad
                || type == 0x80000001 || type == 0x00000bad;
    }

    /** Stands in for an interface a packet block names but no IDB defined; link type -1 is unknown to every decoder. */
    private static final CaptureInterface NO_INTERFACE = new CaptureInterface(-1, -1, 0, null, null, 1_000_000L);

    private boolean little;
    private boolean done;
    /** File interface ids of the current section, indexed by section-local id. */
    private final List<Integer> sectionInterfaces = new ArrayList<>();
    /** Per file interface: timestamp offset in seconds (if_tsoffset). */
    private final List<Long> tsOffsets = new ArrayList<>();
    private long lastTimestamp;

    PcapNgReader(String source, ByteInput in, Compression compression) throws IOException {
        super(source, in, compression);
        if (!in.ensure(12)) throw new CaptureException(source + ": pcapng section header is truncated");
        int bom = Endian.i32(in.buf, in.pos + 8, false);
        if (bom != BYTE_ORDER_MAGIC && Integer.reverseBytes(bom) != BYTE_ORDER_MAGIC) {
            throw new CaptureException(String.format("%s: pcapng section header has a bad byte-order magic %08x", source, bom));
        }
    }

    @Override
    public CaptureFormat format() {
        return CaptureFormat.PCAPNG;
    }

    @Override
    protected boolean readNext(RawFrame f) throws IOException {
        while (!done) {
            if (!in.ensure(8)) {
                if (in.available() > 0) anomalies.add(CaptureAnomaly.TRUNCATED_RECORD, frames + 1);
                done = true;
                return false;
            }
            int typeBe = Endian.i32(in.buf, in.pos, false);
            if (typeBe == SHB) {
                if (!in.ensure(12)) {
                    anomalies.add(CaptureAnomaly.TRUNCATED_RECORD, frames + 1);
                    done = true;
                    return false;
                }
                int bom = Endian.i32(in.buf, in.pos + 8, false);
                if (bom == BYTE_ORDER_MAGIC) {
                    little = false;
                } else if (Integer.reverseBytes(bom) == BYTE_ORDER_MAGIC) {
                    little = true;
                } else {
                    anomalies.add(CaptureAnomaly.BAD_BLOCK_LENGTH, frames + 1);
                    stopDamaged(frames + 1);
                    done = true;
                    return false;
                }
                sectionInterfaces.clear();
            }
            int type = Endian.i32(in.buf, in.pos, little);
            long length = Endian.u32(in.buf, in.pos + 4, little);
            if (length < 12 || (length & 3) != 0) {
                anomalies.add(CaptureAnomaly.BAD_BLOCK_LENGTH, frames + 1);
                stopDamaged(frames + 1);
                done = true;
                return false;
            }
            if (length > MAX_BLOCK) {
                if (type == SHB || type == IDB || type == EPB || type == PB || type == SPB) {
                    // A packet or interface this large is a lying header: nothing after it can be trusted.
                    anomalies.add(CaptureAnomaly.RECORD_TOO_LARGE, frames + 1);
                    stopDamaged(frames + 1);
                    done = true;
                    return false;
                }
                // Another block type (name resolution, secrets): streamed past, never held.
                if (!quietlySkipped(type)) anomalies.add(CaptureAnomaly.UNKNOWN_BLOCK, frames + 1);
                if (!in.skip(length)) {
                    anomalies.add(CaptureAnomaly.TRUNCATED_RECORD, frames + 1);
                    done = true;
                    return false;
                }
                continue;
            }
            int len = (int) length;
            if (!in.ensure(len)) {
                anomalies.add(CaptureAnomaly.TRUNCATED_RECORD, frames + 1);
                done = true;
                return false;
            }
            int start = in.pos;
            byte[] b = in.buf;
            if (Endian.i32(b, start + len - 4, little) != len) {
                anomalies.add(CaptureAnomaly.TRAILING_LENGTH_MISMATCH, frames + 1);
            }
            in.pos += len;
            switch (type) {
                case SHB -> { /* byte order handled above; options ignored */ }
                case IDB -> readInterface(b, start, len);
                case EPB, PB -> {
                    if (fillPacket(f, b, start, len, type)) return true;
                }
                case SPB -> {
                    if (fillSimple(f, b, start, len)) return true;
                }
                default -> {
                    if (!quietlySkipped(type)) anomalies.add(CaptureAnomaly.UNKNOWN_BLOCK, frames + 1);
                }
            }
        }
        return false;
    }

    private void readInterface(byte[] b, int start, int len) {
        if (len < 20) {
            anomalies.add(CaptureAnomaly.BAD_BLOCK_LENGTH, frames + 1);
            return;
        }
        if (interfaces.size() >= MAX_INTERFACES) {
            anomalies.add(Bound.TOO_MANY_INTERFACES, frames + 1);
            return;
        }
        int linkType = Endian.u16(b, start + 8, little);
        int snap = Endian.i32(b, start + 12, little);
        String name = null;
        String description = null;
        long ticks = 1_000_000L;
        long tsOffset = 0;
        int p = start + 16;
        int end = start + len - 4;
        while (p + 4 <= end) {
            int code = Endian.u16(b, p, little);
            int olen = Endian.u16(b, p + 2, little);
            int v = p + 4;
            if (code == 0 || v + olen > end) break;
            switch (code) {
                case 2 -> name = text(b, v, olen);
                case 3 -> description = text(b, v, olen);
                case 9 -> {
                    if (olen >= 1) ticks = resolution(b[v] & 0xff);
                }
                case 14 -> {
                    if (olen >= 8) tsOffset = little
                            ? (Endian.u32(b, v, true) | Endian.u32(b, v + 4, true) << 32)
                            : (Endian.u32(b, v, false) << 32 | Endian.u32(b, v + 4, false));
                }
                default -> { }
            }
            p = v + ((olen + 3) & ~3);
        }
        int id = interfaces.size();
        interfaces.add(new CaptureInterface(id, linkType, snap, name, description, ticks));
        tsOffsets.add(tsOffset);
        sectionInterfaces.add(id);
    }

    /** if_tsresol: most significant bit clear → 10^-v seconds, set → 2^-v seconds. Values that overflow fall back to µs. */
    private static long resolution(int v) {
        if ((v & 0x80) == 0) {
            if (v > 18) return 1_000_000L;
            long t = 1;
            for (int i = 0; i < v; i++) t *= 10;
            return t;
        }
        int e = v & 0x7f;
        return e > 62 ? 1_000_000L : 1L << e;
    }

    private static String text(byte[] b, int off, int len) {
        int end = off + len;
        while (end > off && b[end - 1] == 0) end--;
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private boolean fillPacket(RawFrame f, byte[] b, int start, int len, int type) {
        int hdr = 28; // type, length, interface, ts high, ts low, caplen, origlen
        if (len < hdr + 4) {
            anomalies.add(CaptureAnomaly.BAD_BLOCK_LENGTH, frames + 1);
            return false;
        }
        int localIf = type == EPB ? Endian.i32(b, start + 8, little) : Endian.u16(b, start + 8, little);
        long tsHigh = Endian.u32(b, start + 12, little);
        long tsLow = Endian.u32(b, start + 16, little);
        long caplen = Endian.u32(b, start + 20, little);
        long origlen = Endian.u32(b, start + 24, little);
        if (caplen > MAX_CAPTURED_LENGTH) {
            anomalies.add(CaptureAnomaly.RECORD_TOO_LARGE, frames + 1);
            return false;
        }
        frames++;
        if (caplen > len - hdr - 4) {
            anomalies.add(CaptureAnomaly.TRUNCATED_RECORD, frames);
            caplen = len - hdr - 4;
        }
        long ticks = tsHigh << 32 | tsLow;
        if (localIf < 0 || localIf >= sectionInterfaces.size()) {
            // Still handed out, with an unknown link type, so the frame gets its own disposition downstream.
            anomalies.add(CaptureAnomaly.UNKNOWN_INTERFACE, frames);
            fill(f, b, start + hdr, (int) caplen, origlen, toNanos(ticks, 1_000_000L), NO_INTERFACE);
            return true;
        }
        int fileIf = sectionInterfaces.get(localIf);
        CaptureInterface ci = interfaces.get(fileIf);
        fill(f, b, start + hdr, (int) caplen, origlen, toNanos(ticks, ci.ticksPerSecond()) + tsOffsets.get(fileIf) * 1_000_000_000L, ci);
        return true;
    }

    private boolean fillSimple(RawFrame f, byte[] b, int start, int len) {
        frames++;
        CaptureInterface ci = sectionInterfaces.isEmpty() ? NO_INTERFACE : interfaces.get(sectionInterfaces.get(0));
        if (ci == NO_INTERFACE) anomalies.add(CaptureAnomaly.UNKNOWN_INTERFACE, frames);
        long origlen = Endian.u32(b, start + 8, little);
        long caplen = Math.min(origlen, len - 16);
        if (ci.snapLength() > 0) caplen = Math.min(caplen, ci.snapLength());
        anomalies.add(CaptureAnomaly.SIMPLE_PACKET_NO_TIMESTAMP, frames);
        fill(f, b, start + 12, (int) caplen, origlen, lastTimestamp, ci);
        return true;
    }

    private void fill(RawFrame f, byte[] b, int off, int caplen, long origlen, long nanos, CaptureInterface ci) {
        if (origlen < caplen) anomalies.add(CaptureAnomaly.CAPTURED_LONGER_THAN_ORIGINAL, frames);
        f.data = b;
        f.offset = off;
        f.capturedLength = caplen;
        f.originalLength = (int) Math.min(Integer.MAX_VALUE, Math.max(origlen, caplen));
        f.timestampNanos = nanos;
        f.linkType = ci.linkType();
        f.interfaceId = ci.id();
        f.frameNumber = frames;
        lastTimestamp = nanos;
    }

    /** Converts pcapng ticks to nanoseconds without overflow for any resolution. */
    static long toNanos(long ticks, long ticksPerSecond) {
        if (ticksPerSecond == 1_000_000_000L) return ticks;
        if (ticksPerSecond <= 1_000_000_000L && 1_000_000_000L % ticksPerSecond == 0) {
            return ticks * (1_000_000_000L / ticksPerSecond);
        }
        long seconds = Long.divideUnsigned(ticks, ticksPerSecond);
        long rest = Long.remainderUnsigned(ticks, ticksPerSecond);
        return seconds * 1_000_000_000L + (long) ((double) rest * 1e9 / ticksPerSecond);
    }
}
