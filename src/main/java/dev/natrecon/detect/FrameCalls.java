package dev.natrecon.detect;

import java.util.Arrays;

/**
 * SIP frame numbers of one capture mapped to their call (an index) and time, in primitive arrays sorted by frame:
 * 20 bytes a frame plus the arrays' growth (at most half again), where an open-addressing table at most half full took
 * 40-80 and a {@code HashMap<Long, record>} about 100 ({@link AlgRewriteDetector}'s attribution of the rewrite
 * analysis' findings to calls). A side's frames arrive in increasing order, so a put appends; one out of order is
 * inserted in its place. Frame numbers are positive; frame 0 is ignored.
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
        int i = size > 0 && frames[size - 1] < frame ? -size - 1 : index(frame);
        if (i < 0) {
            i = -i - 1;
            if (size == frames.length) grow();
            if (i < size) {
                System.arraycopy(frames, i, frames, i + 1, size - i);
                System.arraycopy(calls, i, calls, i + 1, size - i);
                System.arraycopy(nanos, i, nanos, i + 1, size - i);
            }
            frames[i] = frame;
            size++;
        }
        calls[i] = call;
        nanos[i] = at;
    }

    boolean contains(long frame) {
        return frame != 0 && index(frame) >= 0;
    }

    /** The call index of {@code frame}, or -1. */
    int call(long frame) {
        if (frame == 0) return -1;
        int i = index(frame);
        return i >= 0 ? calls[i] : -1;
    }

    /** The time of {@code frame} (only meaningful when {@link #contains}). */
    long nanos(long frame) {
        int i = index(frame);
        return i >= 0 ? nanos[i] : 0;
    }

    /** {@code frame}'s index, or -(insertion point) - 1. */
    private int index(long frame) {
        return Arrays.binarySearch(frames, 0, size, frame);
    }

    private void grow() {
        int n = frames.length + (frames.length >> 1);
        frames = Arrays.copyOf(frames, n);
        calls = Arrays.copyOf(calls, n);
        nanos = Arrays.copyOf(nanos, n);
    }
}
