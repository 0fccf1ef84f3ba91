package dev.natrecon.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DistinctLongsTest {
    @Test
    void eachKeyIsCountedOnceThroughEveryGrowth() {
        DistinctLongs d = new DistinctLongs();
        for (int round = 0; round < 3; round++) {
            for (long k = 1; k <= 100_000; k++) assertEquals(round == 0, d.add(k * 0x10000L)); // low bits all zero
        }
        assertEquals(100_000, d.size());
        assertTrue(d.add(-1));
        assertFalse(d.add(-1));
        assertEquals(100_001, d.size());
    }

    @Test
    void pastItsBoundItCountsNoMore() {
        DistinctLongs d = new DistinctLongs();
        for (long k = 1; k <= DistinctLongs.MAX; k++) d.add(k);
        assertEquals(DistinctLongs.MAX, d.size());
        assertFalse(d.add(DistinctLongs.MAX + 1L)); // new, but not counted
        assertFalse(d.add(5)); // seen before: still found
        assertEquals(DistinctLongs.MAX, d.size());
    }
}
