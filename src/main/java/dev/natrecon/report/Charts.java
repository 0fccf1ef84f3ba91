package dev.natrecon.report;

import dev.natrecon.capture.Times;
import dev.natrecon.correlate.Binding;
import dev.natrecon.correlate.Ending;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The case's charts drawn with JFreeChart, each as PNG and as SVG (JFreeSVG): fixed sizes, the logical "SansSerif"
 * font, no timestamps or random ids, so two runs give the same bytes. Times are seconds since the case's first packet.
 */
final class Charts {
    static final int WIDTH = 960;
    /** The gridlines' stroke: half a pixel wide, as JFreeChart's default, but solid. */
    static final BasicStroke GRIDLINE = new BasicStroke(0.5f);
    /** Bindings drawn in the lifeline chart at most (the first by id). */
    static final int MAX_BINDINGS = 40;
    /**
     * Points drawn in the keepalive chart. Each is an SVG element of about 150 bytes and JFreeChart keeps every
     * series item as an object, so a capture of thousands of phones refreshing for hours (millions of gaps) would
     * need hundreds of MiB; 4000 points fill a 960-pixel chart several times over. Past it the gaps within the timeout
     * are thinned evenly (every k-th drawn); gaps longer than the timeout, what the chart is for, are drawn first.
     */
    static final int MAX_KEEPALIVE_POINTS = 4000;

    /** One chart rendered both ways. */
    record Chart(String name, String title, String note, byte[] png, String svg) {
    }

    static {
        System.setProperty("java.awt.headless", "true");
        HeadlessLookAndFeel.install();
    }

    private Charts() {
    }

    private static StandardChartTheme theme() {
        StandardChartTheme t = new StandardChartTheme("natrecon", false);
        t.setExtraLargeFont(new Font("SansSerif", Font.BOLD, 16));
        t.setLargeFont(new Font("SansSerif", Font.BOLD, 13));
        t.setRegularFont(new Font("SansSerif", Font.PLAIN, 11));
        t.setSmallFont(new Font("SansSerif", Font.PLAIN, 10));
        t.setChartBackgroundPaint(Color.WHITE);
        t.setPlotBackgroundPaint(new Color(0xf8f9fa));
        t.setDomainGridlinePaint(new Color(0xdee2e6));
        t.setRangeGridlinePaint(new Color(0xdee2e6));
        t.setXYBarPainter(new StandardXYBarPainter());
        t.setShadowVisible(false);
        return t;
    }

    /** A chart with the house fonts and colours; series paints are set after this (the theme would reset them). */
    static JFreeChart chart(String title, org.jfree.chart.plot.Plot plot) {
        JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 14), plot, true);
        theme().apply(chart);
        solidGridlines(plot);
        return chart;
    }

    /**
     * Gridlines drawn as solid hairlines ({@link #GRIDLINE}) in the theme's light grey, on a plot and its subplots.
     * JFreeChart's default gridline is dashed (2 on, 2 off): every dash is a separately stroked, antialiased segment,
     * which was a quarter of a chart's drawing time in the profile of the bench pair's charts.
     */
    private static void solidGridlines(org.jfree.chart.plot.Plot plot) {
        if (plot instanceof CombinedDomainXYPlot combined) {
            for (XYPlot sub : combined.getSubplots()) solidGridlines(sub);
        }
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlineStroke(GRIDLINE);
            xy.setRangeGridlineStroke(GRIDLINE);
        }
    }

    static Chart render(String name, String title, String note, JFreeChart chart, int height) throws IOException {
        prepare(chart, note);
        byte[] png = PngEncoder.encode(chart.createBufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB, null));
        return new Chart(name, title, note, png, svg(name, chart, height).getSVGDocument() + "\n");
    }

    /** The house rendering settings (antialiased shapes and text) and the note as a subtitle, before drawing. */
    static void prepare(JFreeChart chart, String note) {
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        if (!note.isEmpty()) chart.addSubtitle(new TextTitle(note, new Font("SansSerif", Font.PLAIN, 11)));
    }

    /**
     * {@code chart}, {@link #prepare prepared}, drawn as SVG; its definitions' ids start with {@code nr-NAME-}, so that
     * several charts inlined in one page never share an id.
     */
    static SVGGraphics2D svg(String name, JFreeChart chart, int height) {
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, height);
        g.setDefsKeyPrefix("nr-" + name + "-");
        g.setGeomDoubleConverter(Charts::svgNumber);
        chart.draw(g, new Rectangle(0, 0, WIDTH, height));
        return g;
    }

    /**
     * A coordinate of a chart's SVG, rounded to a hundredth of a pixel (nothing a viewer can show) and written as
     * JFreeSVG's default converter ({@code SVGUtils.doubleToString}, Ryu's shortest representation) writes the rounded
     * value, without Ryu: {@code 409.0}, {@code 87.58}, {@code -3.5}. Unrounded, a coordinate from a float path was
     * 15 to 17 digits ({@code 87.58167266845703}), and formatting the numbers was a third of the SVG drawing's time in
     * the profile of the bench pair's charts. Values from 10^7 on (Ryu's exponent notation) and non-finite ones are
     * left to JFreeSVG. {@code ChartsTest} compares with Ryu on the rounded values.
     */
    static String svgNumber(double v) {
        if (!(v > -1e7 && v < 1e7)) return org.jfree.svg.SVGUtils.doubleToString(v);
        long c = Math.round(v * 100);
        if (c == 0) return "0.0";
        if (c >= 1_000_000_000L || c <= -1_000_000_000L) return org.jfree.svg.SVGUtils.doubleToString(c / 100.0);
        StringBuilder b = new StringBuilder(12);
        if (c < 0) {
            b.append('-');
            c = -c;
        }
        b.append(c / 100).append('.');
        int f = (int) (c % 100);
        if (f == 0) b.append('0');
        else if (f % 10 == 0) b.append(f / 10);
        else b.append(f < 10 ? "0" : "").append(f);
        return b.toString();
    }

    private static double seconds(long nanos, long t0) {
        return (nanos - t0) / 1e9;
    }

    /**
     * (a) the conntrack table's size (most entries in each second it changed) and the live expectations, each against
     * its limit; a limit far above the data is named in the subtitle rather than drawn (it would flatten the curve).
     */
    static Chart table(BoundedSeries entries, BoundedSeries expectations, long conntrackMax, long expectMax, long t0,
                       long end) throws IOException {
        NumberAxis time = new NumberAxis("seconds since " + Times.iso(t0));
        time.setAutoRangeIncludesZero(true);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
        List<String> notes = new ArrayList<>();
        XYPlot top = stepPlot("conntrack entries", entries, conntrackMax, "nf_conntrack_max", t0, end, notes);
        XYPlot bottom = stepPlot("expectations", expectations, expectMax, "nf_conntrack_expect_max", t0, end, notes);
        plot.add(top, 3);
        plot.add(bottom, 2);
        if (entries.merges() > 0 || expectations.merges() > 0) notes.add("points merged pairwise to stay within " + BoundedSeries.CAP);
        JFreeChart chart = chart("Conntrack table and expectations against their limits", plot);
        top.getRenderer().setSeriesPaint(0, new Color(0x1c7ed6));
        top.getRenderer().setSeriesStroke(0, new BasicStroke(2f));
        bottom.getRenderer().setSeriesPaint(0, new Color(0x7048e8));
        bottom.getRenderer().setSeriesStroke(0, new BasicStroke(2f));
        return render("table", "Conntrack table and expectations over time", String.join("; ", notes), chart, 480);
    }

    private static XYPlot stepPlot(String label, BoundedSeries data, long limit, String limitName, long t0, long end,
                                   List<String> notes) {
        XYSeries s = new XYSeries(label, true, true);
        s.add(0.0, 0.0);
        for (int i = 0; i < data.size(); i++) s.addOrUpdate(seconds(data.time(i), t0), data.value(i));
        if (end > t0 && data.size() > 0) s.addOrUpdate(seconds(end, t0), data.value(data.size() - 1));
        NumberAxis y = new NumberAxis(label);
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits(Locale.ROOT));
        XYPlot p = new XYPlot(new XYSeriesCollection(steps(s)), null, y, pathLines());
        double max = data.max();
        if (limit > 0 && limit <= Math.max(4 * max, 10)) {
            ValueMarker m = new ValueMarker(limit, new Color(0xe03131), new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            m.setLabel(limitName + " = " + limit);
            m.setLabelFont(new Font("SansSerif", Font.PLAIN, 10));
            m.setLabelPaint(new Color(0xe03131));
            m.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_LEFT);
            m.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.BOTTOM_LEFT);
            p.addRangeMarker(m);
            y.setUpperBound(limit * 1.15);
            y.setAutoRange(false);
        } else if (limit > 0) {
            notes.add(String.format(Locale.ROOT, "%s peak %d of %s = %d (%.3f %%)", label, (long) max, limitName, limit,
                    100.0 * max / limit));
        }
        if (max == 0 && (limit <= 0 || limit > 10)) {
            y.setRange(0, 1);
        }
        return p;
    }

    /**
     * {@code s} as the corners of its step line (each value held until the next point's time, as
     * {@code XYStepRenderer} draws it), to be drawn as one path ({@link #pathLines}): XYStepRenderer strokes a separate
     * line per step, thousands on a long capture, which in the SVG was an element each (a 900 KB table.svg on the
     * bench pair) and in the bitmap a separately antialiased stroke each.
     */
    static XYSeries steps(XYSeries s) {
        XYSeries out = new XYSeries(s.getKey(), false, true);
        for (int i = 0; i < s.getItemCount(); i++) {
            if (i > 0) out.add(s.getX(i), s.getY(i - 1), false);
            out.add(s.getX(i), s.getY(i), false);
        }
        return out;
    }

    /** Lines without shapes, each series stroked as one path (one SVG element), not one line per item. */
    static XYLineAndShapeRenderer pathLines() {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        r.setDrawSeriesLineAsPath(true);
        return r;
    }

    /**
     * (b) one bar per lifetime of a binding (mappings.csv's rows): from its first packet to its end (the model's expiry
     * or kill, or the next lifetime's first packet), or to its last packet while alive; a mark where it expired, was
     * flushed or killed; at most {@link #MAX_BINDINGS}.
     */
    static Chart bindings(List<Binding> bindings, long t0) throws IOException {
        int n = Math.min(bindings.size(), MAX_BINDINGS);
        XYIntervalSeries bars = new XYIntervalSeries("lifetime (first packet to its end, or to its last packet)");
        XYSeries ends = new XYSeries("entry expired, flushed or killed", false, true);
        String[] names = new String[n];
        // a lifetime of one packet still gets a visible bar: 1/200 of the time the drawn lifetimes span
        double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            Binding b = bindings.get(i);
            lo = Math.min(lo, seconds(b.firstNanos, t0));
            hi = Math.max(hi, seconds(b.ended() ? Math.max(b.endNanos(), b.lastNanos) : b.lastNanos, t0));
        }
        double minWidth = n == 0 ? 0.001 : Math.max(0.001, (hi - lo) / 200);
        for (int i = 0; i < n; i++) {
            Binding b = bindings.get(i);
            names[i] = "#" + b.id + (b.lifetime > 1 ? " (lifetime " + b.lifetime + ")" : "") + " " + b.protocolName()
                    + " " + b.internal() + " as " + dev.natrecon.conntrack.UnknownNat.shown(b.external()) + " > " + b.remote();
            double a = seconds(b.firstNanos, t0);
            double z = seconds(b.ended() ? Math.max(b.endNanos(), b.firstNanos) : b.lastNanos, t0);
            bars.add(i, i - 0.3, i + 0.3, a, a, Math.max(z, a + minWidth));
            if (b.ended() && b.ending() != Ending.REPLACED) ends.add(i, seconds(b.endNanos(), t0));
        }
        XYIntervalSeriesCollection c = new XYIntervalSeriesCollection();
        c.addSeries(bars);
        SymbolAxis axis = new SymbolAxis("binding", names);
        axis.setGridBandsVisible(false);
        NumberAxis time = new NumberAxis("seconds since " + Times.iso(t0));
        XYBarRenderer r = new XYBarRenderer();
        r.setUseYInterval(true);
        r.setShadowVisible(false);
        XYPlot plot = new XYPlot(c, axis, time, r);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        XYLineAndShapeRenderer marks = new XYLineAndShapeRenderer(false, true);
        plot.setDataset(1, new XYSeriesCollection(ends));
        plot.setRenderer(1, marks);
        String note = (bindings.size() > n ? "first " + n + " of " + bindings.size() + " bindings; " : "")
                + "one bar per lifetime (a new entry or another translation is a new bar); gaps within a lifetime are "
                + "not drawn";
        JFreeChart chart = chart("Binding lifelines", plot);
        r.setSeriesPaint(0, new Color(0x2f9e44));
        r.setShadowVisible(false);
        marks.setSeriesPaint(0, new Color(0xe03131));
        marks.setSeriesShape(0, new Ellipse2D.Double(-5, -5, 10, 10));
        return render("bindings", "Binding lifelines", note, chart, Math.max(240, 110 + 26 * n));
    }

    /**
     * (c) every gap a SIP-carrying UDP binding went without a refresh (keepalive.csv), against the entry's timeout in
     * force at that moment: gaps above the line are expiries.
     */
    static Chart keepalive(List<dev.natrecon.detect.KeepaliveRow> rows, long t0) throws IOException {
        XYSeries within = new XYSeries("gap within the timeout", false, true);
        XYSeries over = new XYSeries("gap longer than the timeout (the entry expired)", false, true);
        XYSeries timeout = new XYSeries("timeout in force", false, true);
        java.util.Set<Integer> bindings = new java.util.HashSet<>();
        long overCount = 0, withinCount = 0;
        double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY, gapMax = 0;
        for (dev.natrecon.detect.KeepaliveRow k : rows) {
            if (k.timeoutSeconds() < 0) continue;
            if (k.exceeded()) overCount++;
            else withinCount++;
            if (bindings.size() < 1_000_000) bindings.add(k.binding());
            double x = seconds(k.nanos(), t0);
            xMin = Math.min(xMin, x);
            xMax = Math.max(xMax, x);
            gapMax = Math.max(gapMax, k.gapSeconds());
        }
        DotGrid withinGrid = new DotGrid(xMin, xMax, gapMax), overGrid = new DotGrid(xMin, xMax, gapMax);
        long overDrawn = Math.min(overCount, MAX_KEEPALIVE_POINTS);
        long room = MAX_KEEPALIVE_POINTS - overDrawn;
        long step = withinCount <= room ? 1 : room == 0 ? Long.MAX_VALUE : (withinCount + room - 1) / room;
        long overStep = overCount <= MAX_KEEPALIVE_POINTS ? 1 : (overCount + MAX_KEEPALIVE_POINTS - 1) / MAX_KEEPALIVE_POINTS;
        long wi = 0, oi = 0;
        double lastTimeout = Double.NaN, lastX = Double.NaN;
        for (dev.natrecon.detect.KeepaliveRow k : rows) {
            if (k.timeoutSeconds() < 0) continue;
            double x = seconds(k.nanos(), t0);
            lastX = x;
            boolean drawn = k.exceeded() ? oi++ % overStep == 0 : wi++ % step == 0;
            if (drawn && (k.exceeded() ? overGrid : withinGrid).first(x, k.gapSeconds())) {
                (k.exceeded() ? over : within).add(x, k.gapSeconds(), false);
            }
            // the step line needs only its changes (and the end)
            if (k.timeoutSeconds() != lastTimeout && timeout.getItemCount() < MAX_KEEPALIVE_POINTS) {
                timeout.add(x, k.timeoutSeconds(), false);
                lastTimeout = k.timeoutSeconds();
            }
        }
        if (timeout.getItemCount() > 0 && timeout.getX(timeout.getItemCount() - 1).doubleValue() != lastX) {
            timeout.add(lastX, lastTimeout, false);
        }
        XYSeriesCollection points = new XYSeriesCollection();
        points.addSeries(within);
        points.addSeries(over);
        NumberAxis y = new NumberAxis("seconds without a refresh");
        XYLineAndShapeRenderer dots = new Dots();
        XYPlot plot = new XYPlot(points, new NumberAxis("seconds since " + Times.iso(t0)), y, dots);
        XYStepRenderer line = new XYStepRenderer();
        plot.setDataset(1, new XYSeriesCollection(timeout));
        plot.setRenderer(1, line);
        String note = rows.isEmpty() ? "no UDP binding carried SIP"
                : bindings.size() + " binding" + (bindings.size() == 1 ? "" : "s") + " carrying SIP, "
                + (withinCount + overCount) + " gaps, " + overCount + " longer than the timeout"
                + (within.getItemCount() + over.getItemCount() < withinCount + overCount
                        ? "; " + (within.getItemCount() + over.getItemCount()) + " drawn (at most " + MAX_KEEPALIVE_POINTS
                        + ", one dot per " + DotGrid.CELL_PIXELS + " pixels)" : "");
        JFreeChart chart = chart("Keepalive gaps against the conntrack timeout", plot);
        dots.setSeriesPaint(0, new Color(0x2f9e44));
        dots.setSeriesShape(0, new Ellipse2D.Double(-3, -3, 6, 6));
        dots.setSeriesPaint(1, new Color(0xe03131));
        dots.setSeriesShape(1, new Ellipse2D.Double(-5, -5, 10, 10));
        line.setSeriesPaint(0, new Color(0x495057));
        line.setSeriesStroke(0, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f));
        return render("keepalive", "Keepalive gaps against the timeout", note, chart, 400);
    }

    /**
     * A scatter series drawn as one filled path of discs, not a filled and an outlined shape per point: the keepalive
     * chart's thousand dots were two SVG elements each (a 1.5 MB keepalive.svg on the bench pair) and two separately
     * antialiased shapes each in the bitmap. For a series whose shape is a circle or an ellipse (the keepalive
     * chart's), each disc is what XYLineAndShapeRenderer draws for a point (the shape centred on the point, filled and
     * outlined with a 1-pixel stroke of the same paint): the shape's bounds plus half a pixel all round. The legend
     * keeps the renderer's own items. The series must be unsorted ({@code autoSort} false): the plot then passes every
     * item of a series in order, and the path is filled at its last.
     */
    static final class Dots extends XYLineAndShapeRenderer {
        private static final long serialVersionUID = 1L;
        private transient java.awt.geom.Path2D.Double discs;

        Dots() {
            super(false, true);
        }

        @Override
        protected void drawSecondaryPass(java.awt.Graphics2D g2, XYPlot plot, org.jfree.data.xy.XYDataset dataset,
                                         int pass, int series, int item, org.jfree.chart.axis.ValueAxis domainAxis,
                                         java.awt.geom.Rectangle2D dataArea, org.jfree.chart.axis.ValueAxis rangeAxis,
                                         org.jfree.chart.plot.CrosshairState crosshairState,
                                         org.jfree.chart.entity.EntityCollection entities) {
            if (item == 0 || discs == null) discs = new java.awt.geom.Path2D.Double();
            double x = dataset.getXValue(series, item), y = dataset.getYValue(series, item);
            if (!Double.isNaN(x) && !Double.isNaN(y) && getItemShapeVisible(series, item)) {
                double cx = domainAxis.valueToJava2D(x, dataArea, plot.getDomainAxisEdge());
                double cy = rangeAxis.valueToJava2D(y, dataArea, plot.getRangeAxisEdge());
                java.awt.geom.Rectangle2D b = getItemShape(series, item).getBounds2D();
                double w = b.getWidth() + 1, h = b.getHeight() + 1;
                Ellipse2D.Double disc = new Ellipse2D.Double(cx + b.getX() - 0.5, cy + b.getY() - 0.5, w, h);
                if (disc.intersects(dataArea)) discs.append(disc, false);
            }
            if (item == dataset.getItemCount(series) - 1) {
                g2.setPaint(lookupSeriesPaint(series));
                g2.fill(discs);
                discs = null;
            }
        }
    }
}
