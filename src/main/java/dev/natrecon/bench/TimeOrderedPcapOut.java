package dev.natrecon.bench;

import dev.natrecon.capture.PcapWriter;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * One output file of the synthetic captures: frames of the originating side go out at once; forwarded copies wait in
 * a small time-ordered heap (ties in the order written) until nothing earlier can come, so each file stays in time
 * order. Held frames' buffers are pooled.
 */
final class TimeOrderedPcapOut implements AutoCloseable {
    private final PcapWriter writer;
    private final ArrayDeque<byte[]> pool = new ArrayDeque<>();
    private long[] times = new long[64];
    private long[] order = new long[64];
    private byte[][] held = new byte[64][];
    private int[] lengths = new int[64];
    private int size;
    private long sequence;
    long frames;

    TimeOrderedPcapOut(PcapWriter writer) {
        this.writer = writer;
    }

    void writeNow(long t, byte[] b, int len) throws IOException {
        flushUpTo(t);
        writer.write(t, b, 0, len, len);
        frames++;
    }

    void writeLater(long t, byte[] b, int len) {
        byte[] copy = pool.pollFirst();
        if (copy == null || copy.length < len) copy = new byte[Math.max(len, 2048)];
        System.arraycopy(b, 0, copy, 0, len);
        if (size == times.length) grow();
        int i = size++;
        long seq = sequence++;
        // Sift up.
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(t, seq, times[parent], order[parent])) break;
            move(parent, i);
            i = parent;
        }
        put(i, t, seq, copy, len);
    }

    void flushUpTo(long t) throws IOException {
        while (size > 0 && times[0] <= t) {
            byte[] b = held[0];
            writer.write(times[0], b, 0, lengths[0], lengths[0]);
            frames++;
            pool.addLast(b);
            removeTop();
        }
    }

    private void removeTop() {
        size--;
        if (size == 0) {
            held[0] = null;
            return;
        }
        long t = times[size], seq = order[size];
        byte[] f = held[size];
        int len = lengths[size];
        held[size] = null;
        int i = 0;
        while (true) {
            int c = 2 * i + 1;
            if (c >= size) break;
            if (c + 1 < size && before(times[c + 1], order[c + 1], times[c], order[c])) c++;
            if (!before(times[c], order[c], t, seq)) break;
            move(c, i);
            i = c;
        }
        put(i, t, seq, f, len);
    }

    private static boolean before(long t1, long s1, long t2, long s2) {
        return t1 < t2 || t1 == t2 && s1 < s2;
    }

    private void move(int from, int to) {
        put(to, times[from], order[from], held[from], lengths[from]);
    }

    /** Places a frame at heap slot {@code i}. */
    private void put(int i, long t, long seq, byte[] frame, int len) {
        times[i] = t;
        order[i] = seq;
        held[i] = frame;
        lengths[i] = len;
    }

    private void grow() {
        int n = times.length * 2;
        times = java.util.Arrays.copyOf(times, n);
        order = java.util.Arrays.copyOf(order, n);
        held = java.util.Arrays.copyOf(held, n);
        lengths = java.util.Arrays.copyOf(lengths, n);
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
