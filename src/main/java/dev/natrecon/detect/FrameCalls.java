package dev.natrecon.detect;

import java.util.Arrays;

/**
 * SIP frame numbers of one capture mapped to their call (an index) and time, in primitive arrays (open addressing,
 * linear probing): 20 bytes a frame at most half full, where a {@code HashMap<Long, record>} took about 100
 * ({@link AlgRewriteDetector}'s attribution of the rewrite analysis' findings to calls). Frame numbers are positive;
 * 0 marks an empty slot.
 */
final class FrameCalls {
    private long[] frames = new long[64];
    private int[] calls = new int[64];
    private long[] nanos = new long[64];
    private int size;

    int size() {
        return size;
    }

    /** Remembers (or replaces) {@code frame}'s call and time; frame 0 is ignored. */
    void put(long frame, int call, long at) {
        if (frame == 0) return;
        if (2 * (size + 1) > frames.length) grow();
        int i = slot(frames, frame);
        if (frames[i] == 0) {
            frames[i] = frame;
            size++;
        }
        calls[i] = call;
        nanos[i] = at;
    }

    boolean contains(long frame) {
        return frame != 0 && frames[slot(frames, frame)] == frame;
    }

    /** The call index of {@code frame}, or -1. */
    int call(long frame) {
        if (frame == 0) return -1;
        int i = slot(frames, frame);
        return frames[i] == frame ? calls[i] : -1;
    }

    /** The time of {@code frame} (only meaningful when {@link #contains}). */
    long nanos(long frame) {
        int i = slot(frames, frame);
        return frames[i] == frame ? nanos[i] : 0;
    }

    /** The slot holding {@code frame}, or the empty one where it would go. */
    private static int slot(long[] keys, long frame) {
        int mask = keys.length - 1;
        int i = (int) (mix(frame) & mask);
        while (keys[i] != 0 && keys[i] != frame) i = (i + 1) & mask;
        return i;
    }

    private static long mix(long x) {
        x *= 0x9E3779B97F4A7C15L;
        return x ^ (x >>> 29);
    }

    private void grow() {
        long[] oldFrames = frames, oldNanos = nanos;
        int[] oldCalls = calls;
        int n = frames.length * 2;
        frames = new long[n];
        calls = new int[n];
        nanos = new long[n];
        for (int j = 0; j < oldFrames.length; j++) {
            if (oldFrames[j] == 0) continue;
            int i = slot(frames, oldFrames[j]);
            frames[i] = oldFrames[j];
            calls[i] = oldCalls[j];
            nanos[i] = oldNanos[j];
        }
        Arrays.fill(oldFrames, 0);
    }
}
