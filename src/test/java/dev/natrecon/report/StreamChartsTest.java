package dev.natrecon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.engine.RunResult;
import dev.natrecon.media.StreamSeries;
import dev.natrecon.media.StreamSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 19's per-stream chart on the real-kernel lab sample {@code rtp-loss-router} (netem drops about 5 % of the
 * phone's RTP on the router's WAN side): each direction gets one chart with its LAN and WAN copies, the phone's
 * stream shows its loss on the WAN copy only, in the buckets the drops happened, and report.html shows the charts
 * with a text alternative naming the figures; a second run into the same folder with fewer charts leaves no stale one.
 */
class StreamChartsTest {
    private static final Path SAMPLE = Path.of("samples/rtp-loss-router");

    @Test
    void labLossShowsOnTheWanCopyOfThePhonesStream() throws IOException {
        Path out = ReportOutputsTest.OUT.resolve("stream-charts");
        Files.createDirectories(out.resolve("charts"));
        Files.writeString(out.resolve("charts/stream-9.svg"), "<svg/>"); // an earlier run's
        RunResult r = ReportOutputsTest.analyze(SAMPLE, out, true);
        List<StreamCharts.Group> groups = StreamCharts.groups(r.streams());
        assertEquals(2, groups.size(), "two directions, each seen on both sides: " + groups);
        StreamCharts.Group up = null;
        for (StreamCharts.Group g : groups) {
            assertNotNull(g.lan(), "LAN copy");
            assertNotNull(g.wan(), "WAN copy");
            assertEquals(g.lan().ssrc(), g.wan().ssrc());
            if (g.wan().lost() > 0) up = g;
        }
        assertNotNull(up, "a stream lost packets on the WAN side");
        assertEquals(0, up.lan().lost(), "the phone's own copy is complete: the router dropped them");
        StreamSeries wan = up.wan().series(), lan = up.lan().series();
        assertEquals(up.wan().lost(), wan.totalLost());
        assertEquals(up.wan().packets(), wan.totalPackets());
        assertEquals(up.lan().packets(), lan.totalPackets());
        assertEquals(0, lan.totalLost());
        // the loss is spread over the call (netem's random loss), not one lump: several buckets carry some
        int lossy = 0;
        for (int i = 0; i < wan.size(); i++) if (wan.lost(i) > 0) lossy++;
        assertTrue(lossy >= 5, lossy + " buckets with loss");
        for (int i = 0; i < lan.size(); i++) assertEquals(0, lan.lost(i), "LAN bucket " + i);

        Path charts = out.resolve("charts");
        String html = Files.readString(out.resolve("report.html"));
        for (int n = 1; n <= 2; n++) {
            Path svg = charts.resolve("stream-" + n + ".svg");
            assertTrue(Files.size(svg) > 1000, svg.toString());
            String s = Files.readString(svg);
            assertTrue(s.contains("LAN packets lost") && s.contains("WAN mean jitter"), "legend of both sides");
            assertTrue(html.contains("<figure id=\"stream-" + n + "\">"), "figure " + n);
        }
        assertFalse(Files.exists(charts.resolve("stream-3.svg")));
        assertFalse(Files.exists(charts.resolve("stream-9.svg")), "an earlier run's chart beyond this run's is removed");
        String lostText = String.format(java.util.Locale.ROOT, "WAN %d packets, %d lost", up.wan().packets(),
                up.wan().lost());
        assertTrue(html.contains(lostText), "the text alternative states the loss: " + lostText);
        assertTrue(html.contains(up.lan().ssrcHex()), "titled with the SSRC");
        assertTrue(html.contains("href=\"#stream-charts\""), "linked from the navigation");
        int list = html.indexOf("id=\"call-list\""), media = html.indexOf("id=\"stream-charts\"");
        String callList = html.substring(list, media);
        assertTrue(callList.contains("<a href=\"#stream-1\">chart 1</a>") && callList.contains("<a href=\"#stream-2\">"),
                "the call's row links its stream charts");
    }

    /** At most {@link StreamCharts#MAX_CHARTS} drawn, the ones with the most packets, the rest counted. */
    @Test
    void boundedToTheBiggestStreams() throws IOException {
        List<StreamSummary> many = new ArrayList<>();
        for (int i = 0; i < StreamCharts.MAX_CHARTS + 5; i++) {
            many.add(new StreamSummary(i % 2 == 0 ? "lan" : "wan", "", "", 1000 + i, 0, "PCMU", "0", 8000,
                    "192.0.2.1:" + (4000 + i), "198.51.100.1:5000", false, i, i, 0, 0, 10 + i, 10 + i, 0, 0, 0, 0, 0,
                    0, 20, 20, 20, 0, 0, 0, 0, 0, 0, Double.NaN, 0, Double.NaN, Double.NaN, 0, ""));
        }
        List<StreamCharts.Group> groups = StreamCharts.groups(many);
        assertEquals(many.size(), groups.size(), "different SSRCs are not paired");
        assertEquals(10 + many.size() - 1, groups.get(0).packets(), "most packets first");
        List<StreamCharts.Drawn> drawn = StreamCharts.draw(groups, 0);
        assertEquals(StreamCharts.MAX_CHARTS, drawn.size());
        SafeBuilder h = new SafeBuilder(true, Escape::html);
        HtmlStreamCharts.render(h, drawn, groups.size());
        String html = h.toString();
        assertTrue(html.contains("5 more streams are not drawn"), html);
        assertTrue(html.contains("The " + StreamCharts.MAX_CHARTS + " streams with the most packets, of " + groups.size()));
        assertFalse(html.contains("data:image/png"), "no bitmap of a stream chart");
        assertEquals(StreamCharts.MAX_CHARTS, html.split("<svg ", -1).length - 1, "each chart inlined as SVG");
        // every inlined chart keeps its definitions' ids to itself
        for (int n = 1; n <= StreamCharts.MAX_CHARTS; n++) {
            String fig = html.substring(html.indexOf("<figure id=\"stream-" + n + "\">"));
            fig = fig.substring(0, fig.indexOf("</figure>"));
            java.util.regex.Matcher ids = java.util.regex.Pattern.compile(" id='([^']*)'").matcher(fig);
            int count = 0;
            while (ids.find()) {
                assertTrue(ids.group(1).startsWith("nr-stream-" + n + "-"), ids.group(1));
                count++;
            }
            assertTrue(count > 0, "clip paths with ids in chart " + n);
        }
    }

    /**
     * A stream chart is inlined into report.html as the chart's own SVG: its title comes from the capture (Call-ID,
     * codec name), and no markup in them survives as markup, in the page or in the SVG file.
     */
    @Test
    void capturedTextInAnInlinedChartStaysText() throws IOException {
        String callId = "x\"><script>alert(1)</script><svg onload=alert(2)>@evil";
        String codec = "PCMU'/><script>alert(3)</script>";
        List<StreamSummary> one = List.of(new StreamSummary("lan", callId, "sdp", 0x1234, 96, codec, "96", 8000,
                "192.0.2.1:4000", "198.51.100.1:5000", false, 1, 9, 0, 0, 10, 10, 0, 0, 0, 0, 0, 0, 20, 20, 20, 0, 0,
                0, 0, 0, 0, Double.NaN, 0, Double.NaN, Double.NaN, 0, ""));
        List<StreamCharts.Group> groups = StreamCharts.groups(one);
        List<StreamCharts.Drawn> drawn = StreamCharts.draw(groups, 0);
        assertEquals(1, drawn.size());
        SafeBuilder h = new SafeBuilder(true, Escape::html);
        HtmlStreamCharts.render(h, drawn, groups.size());
        String html = h.toString();
        assertEquals(1, html.split("<svg ", -1).length - 1, "the chart's own svg element only: " + html);
        assertFalse(html.contains("<script"), html);
        assertTrue(html.contains("&lt;script&gt;alert(1)"), "the Call-ID shown as text");
        assertTrue(html.contains("&lt;script&gt;alert(3)"), "the codec shown as text");
        String svg = drawn.get(0).svg();
        assertFalse(svg.contains("<script"), svg);
        assertEquals(1, svg.split("<svg ", -1).length - 1, "the chart's own svg element only: " + svg);
        assertTrue(svg.contains("&lt;script&gt;alert(3)"), "the codec written as text in the SVG");
        assertTrue(svg.startsWith("<?xml"), "the file is a standalone SVG document");
        assertFalse(drawn.get(0).inline().startsWith("<?xml"), "the inlined element is not");
        assertTrue(drawn.get(0).inline().contains("viewBox="), "the inlined element scales to the page");
    }
}
