package dev.natrecon.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FileClockTest {
    static final long S = 1_000_000_000L;
    static final long YEARS = 20L * 365 * 86400 * S;

    long[] orders(AnomalyCounts a, long... times) {
        FileClock c = new FileClock();
        long[] out = new long[times.length];
        for (int i = 0; i < times.length; i++) out[i] = c.order(times[i], i + 1, a);
        return out;
    }

    @Test
    void oneWildFrameDoesNotDragTheRestOfTheFile() {
        AnomalyCounts a = new AnomalyCounts();
        // sip_tls13_rtcp_sll.pcap has exactly this: a 2041 frame among 2017 frames.
        long[] o = orders(a, 100 * S, 100 * S + YEARS, 101 * S, 102 * S);
        assertEquals(100 * S, o[1], "the wild frame is ordered at the time reached so far");
        assertEquals(101 * S, o[2]);
        assertEquals(102 * S, o[3]);
        assertEquals(1, a.count("capture.time_jumped"));
        assertEquals(0, a.count("capture.time_went_backwards"));
    }

    @Test
    void aConfirmedJumpIsFollowed() {
        AnomalyCounts a = new AnomalyCounts();
        long later = 100 * S + 5 * 3600 * S;
        long[] o = orders(a, 100 * S, later, later + S, later + 2 * S);
        assertEquals(100 * S, o[1]);
        assertEquals(later + S, o[2]);
        assertEquals(later + 2 * S, o[3]);
    }

    @Test
    void backwardsIsClampedAndCounted() {
        AnomalyCounts a = new AnomalyCounts();
        long[] o = orders(a, 10 * S, 12 * S, 11 * S, 13 * S);
        assertEquals(12 * S, o[2]);
        assertEquals(13 * S, o[3]);
        assertEquals(1, a.count("capture.time_went_backwards"));
    }
}
