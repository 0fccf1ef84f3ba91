package dev.natrecon.correlate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ended binding lifetimes the {@link BindingTable} no longer looks up, packed into byte chunks: each about 70 bytes
 * (variable-length integers) instead of the half KiB a live {@link Binding} costs with its four index entries: a
 * million ended one-datagram flows hold about 70 MiB instead of 500. Read back as a
 * new {@link Binding} with the same values ({@link #get}); nothing changes a retired lifetime.
 */
final class RetiredBindings {
    /** Bytes per chunk: large enough that the chunk list stays short, small enough not to waste a young generation. */
    private static final int CHUNK = 1 << 20;
    /** The longest record: 4 addresses of 2 longs, 18 more numbers, each at most 10 bytes, plus the detail's bytes. */
    private static final int FIXED_MAX = 40 * 10;
    private static final Ending[] ENDINGS = Ending.values();
    /** XORed into an address's low half: an IPv4-mapped address then takes 5 bytes instead of 7. */
    private static final long V4 = dev.natrecon.decode.Addresses.v4(0);

    private final List<byte[]> chunks = new ArrayList<>();
    private byte[] chunk;
    private int used;
    /** Where each retired lifetime's record starts (chunk index × CHUNK + offset), by id − 1; −1 for one not retired. */
    private long[] at = new long[0];
    private int count;

    /** How many lifetimes are retired. */
    int size() {
        return count;
    }

    /** Whether lifetime {@code id} is retired here. */
    boolean has(int id) {
        return id - 1 < at.length && at[id - 1] >= 0;
    }

    void put(Binding b) {
        byte[] detail = b.endDetail().getBytes(StandardCharsets.UTF_8);
        int need = FIXED_MAX + detail.length;
        if (chunk == null || used + need > chunk.length) {
            chunk = new byte[Math.max(CHUNK, need)];
            chunks.add(chunk);
            used = 0;
        }
        if (b.id > at.length) {
            int old = at.length;
            at = Arrays.copyOf(at, Math.max(b.id, old * 2 + 1024));
            Arrays.fill(at, old, at.length, -1);
        }
        at[b.id - 1] = (long) (chunks.size() - 1) * CHUNK + used;
        count++;
        w(b.lifetime);
        w(b.protocol);
        w(b.internalHi);
        w(b.internalLo ^ V4);
        w(b.internalPort);
        w(b.externalHi);
        w(b.externalLo ^ V4);
        w(b.externalPort);
        w(b.remoteHi);
        w(b.remoteLo ^ V4);
        w(b.remotePort);
        w(zig(b.firstNanos));
        w(zig(b.lastNanos - b.firstNanos)); // differences: a few bytes instead of 9
        w(b.firstLanFrame);
        w(b.firstWanFrame);
        for (int side = 0; side < 2; side++) {
            for (int dir = 0; dir < 2; dir++) {
                w(b.packets(Side.values()[side], dir));
                w(b.bytes(Side.values()[side], dir));
            }
        }
        w(b.entry);
        w(b.externalSeen ? 1 : 0);
        w(b.ending.ordinal());
        w(zig(b.endNanos - b.lastNanos));
        w(b.endFrame);
        w(detail.length);
        System.arraycopy(detail, 0, chunk, used, detail.length);
        used += detail.length;
    }

    /** A new {@link Binding} with the values lifetime {@code id} had when it retired. */
    Binding get(int id) {
        long p = at[id - 1];
        Reader r = new Reader(chunks.get((int) (p / CHUNK)), (int) (p % CHUNK));
        int lifetime = (int) r.next(), protocol = (int) r.next();
        long ih = r.next(), il = r.next() ^ V4;
        int ip = (int) r.next();
        long eh = r.next(), el = r.next() ^ V4;
        int ep = (int) r.next();
        long rh = r.next(), rl = r.next() ^ V4;
        int rp = (int) r.next();
        Binding b = new Binding(id, lifetime, protocol, ih, il, ip, eh, el, ep, rh, rl, rp);
        b.firstNanos = unzig(r.next());
        b.lastNanos = b.firstNanos + unzig(r.next());
        b.firstLanFrame = r.next();
        b.firstWanFrame = r.next();
        for (int side = 0; side < 2; side++) {
            for (int dir = 0; dir < 2; dir++) b.restore(side * 2 + dir, r.next(), r.next());
        }
        b.entry = r.next();
        b.externalSeen = r.next() == 1;
        b.ending = ENDINGS[(int) r.next()];
        b.endNanos = b.lastNanos + unzig(r.next());
        b.endFrame = r.next();
        int n = (int) r.next();
        b.endDetail = n == 0 ? "" : new String(r.bytes, r.at, n, StandardCharsets.UTF_8);
        return b;
    }

    /** Writes {@code v} as an unsigned variable-length integer, 7 bits a byte (as protobuf's varint). */
    private void w(long v) {
        while ((v & ~0x7FL) != 0) {
            chunk[used++] = (byte) (v & 0x7F | 0x80);
            v >>>= 7;
        }
        chunk[used++] = (byte) v;
    }

    private static long zig(long v) {
        return v << 1 ^ v >> 63;
    }

    private static long unzig(long v) {
        return v >>> 1 ^ -(v & 1);
    }

    private static final class Reader {
        final byte[] bytes;
        int at;

        Reader(byte[] bytes, int at) {
            this.bytes = bytes;
            this.at = at;
        }

        long next() {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = bytes[at++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) return v;
            }
        }
    }
}
