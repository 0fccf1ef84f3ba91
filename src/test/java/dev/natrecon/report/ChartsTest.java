package dev.natrecon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.jfree.data.xy.XYSeries;
import org.jfree.svg.SVGUtils;
import org.junit.jupiter.api.Test;

/** The chart helpers that must not change what is drawn: the SVG number format and the step line's corners. */
class ChartsTest {

    /** {@link Charts#svgNumber} writes exactly what JFreeSVG's default converter writes, fast path or not. */
    @Test
    void svgNumbersAreJFreeSvgsOwn() {
        List<Double> edges = List.of(0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 409.0, 412.21044921875, 9_999_999.0,
                -9_999_999.0, 1e7, -1e7, 1.0e7 + 1, 123_456_789.0, 1e-3, 1e-4, 0.1, 87.58167266845703, Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE,
                (double) Long.MAX_VALUE, (double) Long.MIN_VALUE);
        for (double v : edges) assertEquals(SVGUtils.doubleToString(v), Charts.svgNumber(v), "value " + v);
        for (long i = -20_000; i <= 20_000; i++) {
            assertEquals(SVGUtils.doubleToString(i), Charts.svgNumber(i), "value " + i);
        }
        Random r = new Random(18);
        for (int i = 0; i < 200_000; i++) {
            double whole = (double) (long) ((r.nextDouble() * 2 - 1) * 2e7);
            assertEquals(SVGUtils.doubleToString(whole), Charts.svgNumber(whole), "value " + whole);
            double frac = (r.nextDouble() * 2 - 1) * 2e4;
            assertEquals(SVGUtils.doubleToString(frac), Charts.svgNumber(frac), "value " + frac);
            float f = (float) frac; // path coordinates are floats
            assertEquals(SVGUtils.doubleToString(f), Charts.svgNumber(f), "value " + f);
        }
    }

    /** A step line's corners: each value held until the next point's time, then the new value. */
    @Test
    void stepsHoldEachValueUntilTheNextPoint() {
        XYSeries s = new XYSeries("entries", true, true);
        s.add(0.0, 0.0);
        s.add(1.0, 5.0);
        s.add(3.0, 2.0);
        s.add(4.5, 2.0);
        XYSeries steps = Charts.steps(s);
        assertEquals("entries", steps.getKey());
        double[][] want = {{0, 0}, {1, 0}, {1, 5}, {3, 5}, {3, 2}, {4.5, 2}, {4.5, 2}};
        assertEquals(want.length, steps.getItemCount());
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i][0], steps.getX(i).doubleValue(), "x " + i);
            assertEquals(want[i][1], steps.getY(i).doubleValue(), "y " + i);
        }
        assertEquals(0, Charts.steps(new XYSeries("empty")).getItemCount());
        assertEquals(1, Charts.steps(new XYSeries("one") {{ add(2.0, 7.0); }}).getItemCount());
    }
}
