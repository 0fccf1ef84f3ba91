package dev.natrecon.report;

import java.util.BitSet;

/**
 * Which dots of a scatter chart a reader can tell apart: the plot area cut into cells of {@link #CELL_PIXELS} pixels
 * a side, and only the first dot in each cell drawn. A dot is 6 pixels wide ({@link Charts#keepalive}), so a second
 * dot within 2 pixels of it is hidden behind it anyway; dropping it keeps the SVG to what the picture shows (a
 * keepalive.svg of a large case was megabytes of overlapping circles, issue 18) while every gap's position still gets
 * a dot near it. The cells follow the data's range: time across {@link Charts#WIDTH} pixels, the gap up the
 * {@link #PLOT_HEIGHT}-pixel plot.
 */
final class DotGrid {
    /** Side of a cell, in pixels: a third of the 6-pixel dot. */
    static final int CELL_PIXELS = 2;
    /** Height of the keepalive chart's plot area, in pixels (the chart is 400 high, less title, note and axes). */
    static final int PLOT_HEIGHT = 300;
    private static final int COLUMNS = Charts.WIDTH / CELL_PIXELS, ROWS = PLOT_HEIGHT / CELL_PIXELS;

    private final double xMin, xSpan, yMax;
    private final BitSet used = new BitSet();

    DotGrid(double xMin, double xMax, double yMax) {
        this.xMin = xMin;
        this.xSpan = xMax > xMin ? xMax - xMin : 1;
        this.yMax = yMax > 0 ? yMax : 1;
    }

    /** Whether ({@code x}, {@code y}) is the first dot in its cell (and marks the cell). */
    boolean first(double x, double y) {
        int col = (int) Math.min(COLUMNS, Math.max(0, (x - xMin) / xSpan * COLUMNS));
        int row = (int) Math.min(ROWS, Math.max(0, y / yMax * ROWS));
        int cell = col * (ROWS + 1) + row;
        if (used.get(cell)) return false;
        used.set(cell);
        return true;
    }
}
