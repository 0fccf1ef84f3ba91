package dev.natrecon.report;

import dev.natrecon.capture.Times;
import dev.natrecon.media.StreamSeries;
import dev.natrecon.media.StreamSummary;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.ClusteredXYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * One chart per RTP stream of jitter and loss over time ({@code charts/stream-N.svg}): the stream's LAN and WAN copies
 * (same SSRC and call) on one chart, mean and max RFC 3550 jitter per bucket above, packets lost per bucket below,
 * from {@link StreamSeries}. At most {@link #MAX_CHARTS}, the streams with the most packets; the rest are counted.
 */
final class StreamCharts {
    /** Stream charts drawn at most: each is an SVG of ~100 KB, and a case with more streams is a load test. */
    static final int MAX_CHARTS = 20;
    static final int HEIGHT = 420;
    private static final Color[] SIDE_COLOURS = {new Color(0x1c7ed6), new Color(0xe8590c)};

    /** The LAN and WAN copies of one stream (either may be null, not both). */
    record Group(StreamSummary lan, StreamSummary wan) {
        long packets() {
            return Math.max(lan == null ? 0 : lan.packets(), wan == null ? 0 : wan.packets());
        }

        StreamSummary any() {
            return lan != null ? lan : wan;
        }
    }

    /**
     * One drawn chart: its number (file stream-N.svg), the stream, title, text alternative, the SVG document (the file)
     * and the same drawing as an {@code <svg>} element with a view box, which report.html inlines (scaled to the page's
     * width): no bitmap is drawn of a stream chart.
     */
    record Drawn(int number, Group group, String title, String alt, String svg, String inline) {
        String file() {
            return "stream-" + number + ".svg";
        }
    }

    private StreamCharts() {
    }

    /**
     * Pairs the LAN and WAN copies (same SSRC and Call-ID), the groups with the most packets first; each stream joins the first earlier group that
     * lacks its side (a map by SSRC, Call-ID and missing side: linear in the streams, up to 50,000 of them).
     * {@link #draw(List, long)} passes over a group whose series was not kept ({@link StreamSeries#NOT_KEPT}).
     */
    static List<Group> groups(List<StreamSummary> streams) {
        List<StreamSummary> sorted = new ArrayList<>(streams);
        sorted.sort(Comparator.comparingLong(StreamSummary::packets).reversed()
                .thenComparingLong(StreamSummary::firstFrame));
        List<StreamSummary[]> pairs = new ArrayList<>();
        java.util.Map<String, java.util.ArrayDeque<StreamSummary[]>> lacking = new java.util.HashMap<>();
        for (StreamSummary s : sorted) {
            int side = "wan".equals(s.side()) ? 1 : 0;
            java.util.ArrayDeque<StreamSummary[]> open = lacking.get(s.ssrc() + " " + side + " " + s.callId());
            StreamSummary[] home = open == null ? null : open.pollFirst();
            if (home == null) {
                home = new StreamSummary[2];
                pairs.add(home);
                lacking.computeIfAbsent(s.ssrc() + " " + (1 - side) + " " + s.callId(), k -> new java.util.ArrayDeque<>())
                        .addLast(home);
            }
            home[side] = s;
        }
        List<Group> out = new ArrayList<>(pairs.size());
        for (StreamSummary[] p : pairs) out.add(new Group(p[0], p[1]));
        return out;
    }

    /** The first {@link #MAX_CHARTS} groups drawn, times in seconds since {@code t0}. */
    static List<Drawn> draw(List<Group> groups, long t0) throws java.io.IOException {
        List<Group> chosen = chosen(groups);
        List<Drawn> out = new ArrayList<>(chosen.size());
        for (int i = 0; i < chosen.size(); i++) out.add(draw(i + 1, chosen.get(i), t0));
        return out;
    }

    /** The groups that get a chart, in chart-number order: the first {@link #MAX_CHARTS} whose series were kept. */
    static List<Group> chosen(List<Group> groups) {
        List<Group> out = new ArrayList<>();
        for (int i = 0; i < groups.size() && out.size() < MAX_CHARTS; i++) {
            Group g = groups.get(i);
            if (g.lan() != null && g.lan().series() == StreamSeries.NOT_KEPT
                    || g.wan() != null && g.wan().series() == StreamSeries.NOT_KEPT) continue;
            out.add(g);
        }
        return out;
    }

    static Drawn draw(int number, Group g, long t0) throws java.io.IOException {
        StreamSummary a = g.any();
        String title = a.ssrcHex() + " " + a.src() + " → " + a.dst() + (a.codec().isEmpty() ? "" : " " + a.codec())
                + (a.callId().isEmpty() ? "" : " (call " + CallLadder.shorten(a.callId(), 40) + ")");
        NumberAxis time = new NumberAxis("seconds since " + Times.iso(t0));
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
        XYSeriesCollection jitter = new XYSeriesCollection();
        XYSeriesCollection loss = new XYSeriesCollection();
        StringBuilder alt = new StringBuilder("Jitter and loss over time of RTP stream ").append(title).append(':');
        long width = 0;
        for (int side = 0; side < 2; side++) {
            StreamSummary s = side == 0 ? g.lan() : g.wan();
            if (s == null) continue;
            String label = s.side().toUpperCase(Locale.ROOT);
            StreamSeries ser = s.series();
            width = Math.max(width, ser.widthNanos());
            XYSeries mean = new XYSeries(label + " mean jitter", false, true);
            XYSeries max = new XYSeries(label + " max jitter", false, true);
            XYSeries lost = new XYSeries(label + " packets lost", false, true);
            long shownLost = 0;
            for (int i = 0; i < ser.size(); i++) {
                double x = (ser.startNanos() + i * ser.widthNanos() - t0) / 1e9;
                if (!Double.isNaN(ser.meanJitterMs(i))) {
                    mean.add(x, ser.meanJitterMs(i), false);
                    max.add(x, ser.maxJitterMs(i), false);
                }
                // a bucket below zero holds late packets of an earlier one: drawn as no loss
                long l = Math.max(0, ser.lost(i));
                shownLost += l;
                lost.add(x, l, false);
            }
            jitter.addSeries(mean);
            jitter.addSeries(max);
            loss.addSeries(lost);
            alt.append(String.format(Locale.ROOT, " %s %d packets, %d lost (%.1f %%), jitter mean %s / max %s ms;",
                    label, s.packets(), s.lost(), s.lostPercent(), ms(s.meanJitterMs()), ms(s.maxJitterMs())));
            if (shownLost != s.lost()) {
                alt.append(" (").append(label).append(" lost per bucket sums to ").append(shownLost)
                        .append(": late packets are counted where they arrived);");
            }
        }
        alt.append(String.format(Locale.ROOT, " buckets of %.3f s.", width / 1e9));
        loss.setIntervalWidth(Math.max(width / 1e9, 1e-3));
        loss.setIntervalPositionFactor(0.0);
        // each series one path (one SVG element, its dashes running on across the buckets), not a line per bucket
        XYLineAndShapeRenderer lines = Charts.pathLines();
        XYPlot top = new XYPlot(jitter, null, new NumberAxis("jitter (ms)"), lines);
        ClusteredXYBarRenderer bars = new ClusteredXYBarRenderer();
        bars.setShadowVisible(false);
        NumberAxis lostAxis = new NumberAxis("packets lost");
        lostAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits(Locale.ROOT));
        XYPlot bottom = new XYPlot(loss, null, lostAxis, bars);
        plot.add(top, 3);
        plot.add(bottom, 2);
        JFreeChart chart = Charts.chart("RTP " + title, plot);
        int series = 0;
        for (int side = 0; side < 2; side++) {
            if ((side == 0 ? g.lan() : g.wan()) == null) continue;
            Color c = SIDE_COLOURS[side];
            lines.setSeriesPaint(2 * series, c);
            lines.setSeriesStroke(2 * series, new BasicStroke(2f));
            lines.setSeriesPaint(2 * series + 1, c);
            lines.setSeriesStroke(2 * series + 1, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                    10f, new float[] {4f, 3f}, 0f));
            bars.setSeriesPaint(series, c);
            series++;
        }
        Charts.prepare(chart, "");
        org.jfree.svg.SVGGraphics2D svg = Charts.svg("stream-" + number, chart, HEIGHT);
        return new Drawn(number, g, title, alt.toString(), svg.getSVGDocument() + "\n",
                svg.getSVGElement(null, true, new org.jfree.svg.ViewBox(0, 0, Charts.WIDTH, HEIGHT), null, null));
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }
}
