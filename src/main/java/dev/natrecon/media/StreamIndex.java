package dev.natrecon.media;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The RTP streams of one {@link MediaStreams}, found by side, SSRC and both endpoints: open addressing over the
 * streams themselves (linear probing, at most half full), so a lookup reads the slot array and the stream it finds,
 * which the packet updates anyway, with no key object or map entry between them and nothing allocated. The streams
 * are also listed in the order they were added, the order {@link MediaStreams#finish} reports them in.
 */
final class StreamIndex {
    private RtpStream[] slots = new RtpStream[64];
    private final List<RtpStream> added = new ArrayList<>();

    /** The stream with these fields, or null. */
    RtpStream get(int side, long ssrc, long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort) {
        RtpStream[] s = slots;
        int mask = s.length - 1;
        for (int i = hash(side, ssrc, srcHi, srcLo, srcPort, dstHi, dstLo, dstPort) & mask; ; i = i + 1 & mask) {
            RtpStream st = s[i];
            if (st == null) return null;
            if (st.ssrc == ssrc && st.srcLo == srcLo && st.dstLo == dstLo && st.srcPort == srcPort
                    && st.dstPort == dstPort && st.side == side && st.srcHi == srcHi && st.dstHi == dstHi) {
                return st;
            }
        }
    }

    /** Adds a stream that {@link #get} does not find. */
    void add(RtpStream st) {
        if ((added.size() + 1) * 2 > slots.length) grow();
        insert(slots, st);
        added.add(st);
    }

    int size() {
        return added.size();
    }

    /** The streams in the order they were added. */
    List<RtpStream> inOrder() {
        return Collections.unmodifiableList(added);
    }

    private void grow() {
        RtpStream[] bigger = new RtpStream[slots.length * 2];
        for (RtpStream st : added) insert(bigger, st);
        slots = bigger;
    }

    private static void insert(RtpStream[] s, RtpStream st) {
        int mask = s.length - 1;
        int i = hash(st.side, st.ssrc, st.srcHi, st.srcLo, st.srcPort, st.dstHi, st.dstLo, st.dstPort) & mask;
        while (s[i] != null) i = i + 1 & mask;
        s[i] = st;
    }

    /** Mixes every field (multiplicative hashing, the golden-ratio constant and two of MurmurHash3's). */
    private static int hash(int side, long ssrc, long srcHi, long srcLo, int srcPort, long dstHi, long dstLo,
                            int dstPort) {
        long h = ssrc * 0x9E3779B97F4A7C15L ^ srcLo * 0xC2B2AE3D27D4EB4FL ^ dstLo * 0x165667B19E3779F9L
                ^ srcHi * 31 ^ dstHi * 17 ^ ((long) srcPort << 17 | (long) dstPort << 1 | side);
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        return (int) (h ^ h >>> 32);
    }
}
