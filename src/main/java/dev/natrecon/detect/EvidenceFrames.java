package dev.natrecon.detect;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finding builder's evidence frames: per capture point (in the order first given) the {@link Finding#MAX_FRAMES}
 * lowest distinct frame numbers, ascending, in a primitive array that grows as frames come. A detector keeps a builder
 * per flow or call it follows (a hundred thousand on a long case), most with one or two frames, so a map of boxed
 * sorted sets per builder was most of a finished call's memory; this holds the same frames in a few dozen bytes.
 */
final class EvidenceFrames {
    private String[] captures = new String[1];
    private long[][] frames = new long[1][];
    private int[] sizes = new int[1];
    private int points;

    /**
     * Adds {@code frame} of {@code capture}; returns whether a frame past the limit was left out (a new frame above
     * the kept ones, or the highest kept one pushed out by a lower one). A frame already kept changes nothing.
     */
    boolean add(String capture, long frame) {
        int p = point(capture);
        long[] set = frames[p];
        int n = sizes[p];
        int at = Arrays.binarySearch(set, 0, n, frame);
        if (at >= 0) return false;
        at = -at - 1;
        if (n == Finding.MAX_FRAMES) {
            if (at == n) return true;
            System.arraycopy(set, at, set, at + 1, n - at - 1);
            set[at] = frame;
            return true;
        }
        if (n == set.length) frames[p] = set = Arrays.copyOf(set, Math.min(Finding.MAX_FRAMES, Math.max(2, n * 2)));
        System.arraycopy(set, at, set, at + 1, n - at);
        set[at] = frame;
        sizes[p] = n + 1;
        return false;
    }

    private int point(String capture) {
        for (int i = 0; i < points; i++) if (captures[i].equals(capture)) return i;
        if (points == captures.length) {
            captures = Arrays.copyOf(captures, points + 1);
            frames = Arrays.copyOf(frames, points + 1);
            sizes = Arrays.copyOf(sizes, points + 1);
        }
        captures[points] = capture;
        frames[points] = new long[1];
        return points++;
    }

    /** Every capture point's frames, ascending, in the order the points were first given. */
    Map<String, List<Long>> toMap() {
        Map<String, List<Long>> out = new LinkedHashMap<>();
        for (int i = 0; i < points; i++) {
            Long[] boxed = new Long[sizes[i]];
            for (int j = 0; j < boxed.length; j++) boxed[j] = frames[i][j];
            out.put(captures[i], List.of(boxed));
        }
        return out;
    }
}
