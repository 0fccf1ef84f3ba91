package dev.natrecon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DotGridTest {
    @Test
    void aDotHiddenBehindAnotherIsDroppedADotApartIsKept() {
        DotGrid g = new DotGrid(0, 960, 300);
        assertTrue(g.first(100, 30));
        assertFalse(g.first(100.5, 30.5), "within the same 2-pixel cell");
        assertTrue(g.first(110, 30), "10 pixels to the right");
        assertTrue(g.first(100, 60), "higher up");
        assertTrue(g.first(960, 300), "the far corner has its own cell");
    }

    @Test
    void aMillionGapsOfOnePeriodicKeepaliveBecomeAFewHundredDots() {
        DotGrid g = new DotGrid(0, 3600, 35);
        int drawn = 0;
        for (int i = 0; i < 1_000_000; i++) {
            double x = i * 3600.0 / 1_000_000, gap = 29.5 + (i % 7) * 0.1;
            if (g.first(x, gap)) drawn++;
        }
        // 480 columns, the gaps' 0.6 s spread covers a few 2-pixel rows
        assertTrue(drawn >= 480 && drawn <= 480 * 4, "drawn " + drawn);
    }

    @Test
    void aFlatRangeStillDraws() {
        DotGrid g = new DotGrid(5, 5, 0);
        assertTrue(g.first(5, 0));
        assertFalse(g.first(5, 0));
        assertEquals(true, new DotGrid(0, 0, 0).first(0, 0));
    }
}
