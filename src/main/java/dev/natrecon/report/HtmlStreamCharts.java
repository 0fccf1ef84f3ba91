package dev.natrecon.report;

import java.util.List;

/**
 * The media section of {@code report.html}: one figure per drawn stream chart, its SVG inlined, with a text alternative
 * that states the figures the chart shows, and the streams not drawn counted.
 */
final class HtmlStreamCharts {
    private HtmlStreamCharts() {
    }

    /**
     * The stream charts' numbers by the Call-ID of their stream (streams tied to no call are left out); {@code charted}:
     * the groups that get a chart, in chart-number order (chart N shows {@code charted.get(N - 1)}), known before
     * they are drawn.
     */
    static java.util.Map<String, List<Integer>> byCall(List<StreamCharts.Group> charted) {
        java.util.Map<String, List<Integer>> out = new java.util.HashMap<>();
        for (int i = 0; i < charted.size(); i++) {
            String call = charted.get(i).any().callId();
            if (!call.isEmpty()) out.computeIfAbsent(call, k -> new java.util.ArrayList<>()).add(i + 1);
        }
        return out;
    }

    static void render(SafeBuilder h, List<StreamCharts.Drawn> drawn, int groups) {
        h.raw("<h2 id=\"stream-charts\">RTP streams: jitter and loss over time</h2>\n");
        if (groups == 0) {
            h.raw("<p>No RTP stream was seen.</p>\n");
            return;
        }
        h.raw("<p class=\"note\">").text(groups <= drawn.size() ? groups + (groups == 1 ? " stream" : " streams")
                        : "The " + drawn.size() + " streams with the most packets, of " + groups)
                .text(" (the LAN and WAN copies of one SSRC on one chart; all are in rtp.csv). Above: mean (solid) and "
                        + "max (dashed) RFC 3550 jitter per time bucket; below: packets lost per bucket, from the "
                        + "sequence numbers.").raw("</p>\n");
        for (StreamCharts.Drawn d : drawn) {
            // the chart's own SVG, which JFreeSVG writes with every text escaped for XML (a title from the capture
            // cannot open an element); labelled by its text alternative
            h.raw("<figure id=\"stream-").raw(Integer.toString(d.number())).raw("\"><div class=\"chart\" role=\"img\" aria-label=\"")
                    .text(d.alt()).raw("\">").raw(d.inline()).raw("</div><figcaption>")
                    .text(d.title()).raw(" · <a href=\"charts/").raw(d.file()).raw("\">SVG</a></figcaption></figure>\n");
        }
        if (groups > drawn.size()) {
            h.raw("<p class=\"note\">").text((groups - drawn.size()) + " more streams are not drawn; rtp.csv has them.")
                    .raw("</p>\n");
        }
    }
}
