package dev.natrecon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGUtils;
import org.junit.jupiter.api.Test;

/** The chart helpers that must not change what is drawn: the SVG number format and the step line's corners. */
class ChartsTest {

    /**
     * {@link Charts#svgNumber}: the value rounded to a hundredth, written exactly as JFreeSVG's default converter writes
     * that rounded value; JFreeSVG's own output past 10^7 and for non-finite values.
     */
    @Test
    void svgNumbersAreJFreeSvgsOwnOnTheRoundedValue() {
        List<Double> edges = List.of(0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 409.0, 412.21044921875, 9_999_999.0,
                -9_999_999.0, 9_999_999.996, 0.004, -0.004, 0.005, -0.005, 0.01, -0.01, 0.1, 87.58167266845703, 1e-3, 1e-4,
                Double.MIN_VALUE);
        for (double v : edges) check(v);
        for (double v : List.of(1e7, -1e7, 1.0e7 + 1, 123_456_789.0, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.MAX_VALUE, (double) Long.MAX_VALUE)) {
            assertEquals(SVGUtils.doubleToString(v), Charts.svgNumber(v), "value " + v);
        }
        for (long i = -20_000; i <= 20_000; i++) {
            check(i);
            check(i / 100.0);
            check(i / 8.0);
        }
        Random r = new Random(18);
        for (int i = 0; i < 200_000; i++) {
            check((double) (long) ((r.nextDouble() * 2 - 1) * 1e7));
            double frac = (r.nextDouble() * 2 - 1) * 2e4;
            check(frac);
            check((float) frac); // path coordinates are floats
            check((r.nextDouble() * 2 - 1) * 1e7);
        }
    }

    private static void check(double v) {
        double rounded = Math.round(v * 100) / 100.0;
        String want = rounded == 0 ? "0.0" : SVGUtils.doubleToString(rounded);
        assertEquals(want, Charts.svgNumber(v), "value " + v);
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

    /**
     * {@link Charts.Dots}: each series one filled path of discs (one SVG element, one fill in the bitmap), each disc the
     * series shape with its 1-pixel outline (shape bounds plus half a pixel all round), centred on its point.
     */
    @Test
    void dotsAreOnePathOfDiscsPerSeries() {
        XYSeries green = new XYSeries("green", false, true);
        for (int i = 0; i < 50; i++) green.add(i, i % 7);
        XYSeries red = new XYSeries("red", false, true);
        red.add(10.0, 3.0);
        red.add(20.0, 5.0);
        XYSeriesCollection c = new XYSeriesCollection();
        c.addSeries(green);
        c.addSeries(red);
        Charts.Dots dots = new Charts.Dots();
        XYPlot plot = new XYPlot(c, new NumberAxis("x"), new NumberAxis("y"), dots);
        JFreeChart chart = Charts.chart("dots", plot);
        dots.setSeriesPaint(0, new Color(0x2f9e44));
        dots.setSeriesShape(0, new Ellipse2D.Double(-3, -3, 6, 6));
        dots.setSeriesPaint(1, new Color(0xe03131));
        dots.setSeriesShape(1, new Ellipse2D.Double(-5, -5, 10, 10));
        Charts.prepare(chart, "");
        String svg = Charts.svg("dots", chart, 400).getSVGElement();
        // the plot's points: per colour, the filled path with the most discs (the legend draws its own items)
        Map<String, String> widest = new HashMap<>();
        Matcher m = Pattern.compile("<g style='fill:rgb\\((47,158,68|224,49,49)\\);stroke:none'[^>]*><path d='([^']*)'/></g>")
                .matcher(svg);
        while (m.find()) {
            String old = widest.get(m.group(1));
            if (old == null || moves(m.group(2)) > moves(old)) widest.put(m.group(1), m.group(2));
        }
        assertEquals(50, moves(widest.get("47,158,68")), "one disc per green point, in one path");
        assertEquals(2, moves(widest.get("224,49,49")), "one disc per red point, in one path");
        assertTrue(outlines(svg, "47,158,68") <= 1, "no outline drawn per point (the legend's item may have one): "
                + outlines(svg, "47,158,68"));
        // a red disc is 11 pixels across: the 10-pixel shape and half of its 1-pixel outline on each side
        String red1 = widest.get("224,49,49");
        red1 = red1.substring(0, red1.indexOf('M', 1));
        double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
        Matcher xs = Pattern.compile("(-?[0-9.]+),(-?[0-9.]+)").matcher(red1);
        while (xs.find()) {
            double v = Double.parseDouble(xs.group(1));
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        assertEquals(11.0, hi - lo, 1e-6, "disc width: " + red1);
    }

    private static long moves(String pathData) {
        return pathData.chars().filter(ch -> ch == 'M').count();
    }

    /** Elements stroked in {@code rgb}. */
    private static int outlines(String svg, String rgb) {
        return svg.split("stroke:rgb\\(" + Pattern.quote(rgb) + "\\)", -1).length - 1;
    }
}
