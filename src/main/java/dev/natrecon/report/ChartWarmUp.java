package dev.natrecon.report;

import dev.natrecon.detect.KeepaliveRow;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws two small throw-away charts on a background thread once per process, while the replay runs, so that loading
 * and initialising Java 2D, its fonts, JFreeChart and JFreeSVG (about 0.6 s of CPU on first use, measured on the
 * bench pair: README, Performance) is not paid at the end of the run, when the report waits for it. The replay is
 * single-threaded and the second core has room for it. Nothing is written; a failure here is ignored (the real charts
 * meet the same cause and report it). {@link ReportSink#finish} waits for it ({@link #await()}), so a case that ends
 * normally leaves no warm-up thread running. {@code -Dnatrecon.chartWarmUp=off} turns it off.
 */
final class ChartWarmUp {
    private static Thread thread;

    private ChartWarmUp() {
    }

    /** Starts the warm-up unless it already ran or runs in this process, or is turned off. */
    static synchronized void start() {
        if (thread != null || "off".equals(System.getProperty("natrecon.chartWarmUp"))) return;
        thread = new Thread(ChartWarmUp::run, "natrecon-chart-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until the warm-up has ended (at once when none was started). */
    static void await() throws java.io.InterruptedIOException {
        Thread t;
        synchronized (ChartWarmUp.class) {
            t = thread;
        }
        if (t == null) return;
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the chart warm-up");
        }
    }

    /** A table chart and a keepalive chart of a few points each, drawn to PNG and SVG and dropped. */
    private static void run() {
        try {
            BoundedSeries entries = new BoundedSeries(), expectations = new BoundedSeries();
            List<KeepaliveRow> gaps = new ArrayList<>();
            long second = 1_000_000_000L;
            for (int i = 0; i < 60; i++) {
                entries.add(i * second, i % 7);
                expectations.add(i * second, i % 3);
                gaps.add(new KeepaliveRow(1, "192.0.2.1:5060", "198.51.100.1:5060", "203.0.113.1:5060", "out",
                        "sip", i * second, (i + 1) * second, 1 + i % 40, 30, "udp", i % 40 > 30, i, i, ""));
            }
            Charts.table(entries, expectations, 100, 10, 0, 60 * second);
            Charts.keepalive(gaps, 0);
        } catch (java.io.IOException | RuntimeException | LinkageError e) {
            // the real charts at the end meet the same cause and report it
        }
    }
}
