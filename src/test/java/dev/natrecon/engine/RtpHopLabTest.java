package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.detect.Finding;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 19, across the router, on the real-kernel lab: {@code rtp-loss-router} (the router drops about 5 % of the
 * phone's RTP and delays the rest 40 ms) and {@code rtp-loss-upstream} (the provider's own interface loses about 5 %
 * of its RTP before the router sees it). natrecon must name the right hop with the right size: within 1 percentage
 * point of the configured loss and of the loss the captures show (tools/hopcheck.py, recorded in case.properties),
 * within 5 ms of the configured delay and of the captures' mean; nothing about the other stream, and no rtp.loss in
 * any other lab sample; {@code rtp-loss-after-router} (the provider's own interface drops about 5 % of the phone's RTP
 * after the router, and both ends send RTCP): the loss after the router, from the far end's receiver reports. Runs
 * from the case settings and from the captures alone.
 */
class RtpHopLabTest {
    private static final double LOSS_TOLERANCE_POINTS = 1.0, DELAY_TOLERANCE_MS = 5.0;
    private static final List<String> HOP_RULES = List.of("rtp.loss", "rtp.router_delay", "rtp.router_reordering");

    static Properties settings(String sample) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("samples", sample, "case.properties"))) {
            p.load(r);
        }
        return p;
    }

    static double number(Properties p, String key) {
        String v = p.getProperty(key);
        assertTrue(v != null, "case.properties has " + key);
        return Double.parseDouble(v.trim());
    }

    /** The percentage a finding's detail states ("77 of 1500 (5.13 %)"). */
    static double percentOf(String detail) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(([0-9.]+) %\\)").matcher(detail);
        assertTrue(m.find(), detail);
        return Double.parseDouble(m.group(1));
    }

    static List<Finding> hopFindings(String sample, String how) throws IOException {
        RunResult r = Analysis.run(KernelConformanceTest.inputs(sample, how), List.of());
        return r.findings().stream().filter(f -> HOP_RULES.contains(f.id())).toList();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"settings", "captures"})
    void theRoutersLossAndDelayAreAtTheRouter(String how) throws IOException {
        Properties p = settings("rtp-loss-router");
        List<Finding> found = hopFindings("rtp-loss-router", how);
        String ssrc = p.getProperty("impairment.stream.ssrc");
        List<Finding> loss = found.stream().filter(f -> f.id().equals("rtp.loss")).toList();
        assertEquals(1, loss.size(), "one rtp.loss: " + found);
        Finding l = loss.get(0);
        assertEquals("at the router", l.details().get("hop"), l.message());
        assertTrue(l.subject().contains(ssrc), l.subject());
        double got = percentOf(l.details().get("lost at the router"));
        assertClose(number(p, "impairment.loss.percent"), got, LOSS_TOLERANCE_POINTS, "loss vs configuration");
        assertClose(number(p, "impairment.captures.impaired.loss_at_router_percent"), got, LOSS_TOLERANCE_POINTS,
                "loss vs captures");
        assertEquals(0.0, percentOf(l.details().get("lost before the router")), 1e-9, "nothing before the router");
        assertTrue(l.frames("lan").size() > 0 && l.frames("wan").isEmpty(), "evidence: the LAN copies: " + l.frames());

        List<Finding> delay = found.stream().filter(f -> f.id().equals("rtp.router_delay")).toList();
        assertEquals(1, delay.size(), "one rtp.router_delay: " + found);
        assertTrue(delay.get(0).subject().contains(ssrc), delay.get(0).subject());
        double ms = Double.parseDouble(delay.get(0).details().get("router delay (ms)").replaceAll("^mean ([0-9.]+),.*", "$1"));
        assertClose(number(p, "impairment.delay.ms"), ms, DELAY_TOLERANCE_MS, "delay vs configuration");
        assertClose(number(p, "impairment.captures.impaired.delay_mean_ms"), ms, DELAY_TOLERANCE_MS, "delay vs captures");
        assertEquals(2, found.size(), "nothing else, nothing about the provider's stream: " + found);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"settings", "captures"})
    void upstreamLossIsBeforeTheRouter(String how) throws IOException {
        Properties p = settings("rtp-loss-upstream");
        List<Finding> found = hopFindings("rtp-loss-upstream", how);
        assertEquals(1, found.size(), "one finding, rtp.loss before the router, no delay or loss at it: " + found);
        Finding l = found.get(0);
        assertEquals("rtp.loss", l.id());
        assertEquals("before the router", l.details().get("hop"), l.message());
        assertTrue(l.subject().contains(p.getProperty("impairment.stream.ssrc")), l.subject());
        assertEquals("wan", l.details().get("ingress capture"), "the provider's stream enters at the WAN");
        double got = percentOf(l.details().get("lost before the router"));
        assertClose(number(p, "impairment.loss.percent"), got, LOSS_TOLERANCE_POINTS, "loss vs configuration");
        assertClose(number(p, "impairment.captures.impaired.loss_before_percent"), got, LOSS_TOLERANCE_POINTS,
                "loss vs captures");
        assertEquals(0.0, percentOf(l.details().get("lost at the router")), 1e-9, "nothing at the router");
        assertTrue(l.frames("wan").size() > 0, "evidence: the WAN frames after the gaps: " + l.frames());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"settings", "captures"})
    void lossAfterTheRouterComesFromTheFarEndsRtcpReports(String how) throws IOException {
        Properties p = settings("rtp-loss-after-router");
        List<Finding> found = hopFindings("rtp-loss-after-router", how);
        assertEquals(1, found.size(), "one finding, rtp.loss after the router, nothing at or before it: " + found);
        Finding l = found.get(0);
        assertEquals("rtp.loss", l.id());
        assertEquals("after the router", l.details().get("hop"), l.message());
        assertTrue(l.subject().contains(p.getProperty("impairment.stream.ssrc")), l.subject());
        // the message leads with the verdict's size: "77 of 1500 packets (5.13 %) lost after the router"
        assertTrue(l.message().contains("lost after the router"), l.message());
        double got = percentOf(l.message());
        assertClose(number(p, "impairment.loss.percent"), got, LOSS_TOLERANCE_POINTS, "loss vs configuration");
        // exactly what the far end's last receiver report counts, which the lab checked is what nfqdelay dropped
        long reported = (long) number(p, "impairment.rtcp.reported.cumulative.lost");
        assertEquals((long) number(p, "impairment.dropped"), reported, "the lab's own check");
        assertTrue(l.details().get("lost after the router").startsWith(reported + " at least"),
                l.details().get("lost after the router"));
        assertEquals(0.0, percentOf(l.details().get("lost at the router")), 1e-9, "nothing at the router");
        assertEquals(0.0, percentOf(l.details().get("lost before the router")), 1e-9, "nothing before the router");
        // the captures hold every packet on both sides: no gap to point at, the RTCP report is the evidence
        assertEquals(0, number(p, "impairment.captures.impaired.lost_before"), 0);
        assertEquals(0, number(p, "impairment.captures.impaired.lost_at_router"), 0);
    }

    static List<String> cleanSamples() throws IOException {
        return KernelConformanceTest.samples().stream().filter(s -> !s.startsWith("rtp-loss-")).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cleanSamples")
    void theOtherLabSamplesHaveNoHopFinding(String sample) throws IOException {
        assertEquals(List.of(), hopFindings(sample, "captures"), sample + ": no RTP was impaired in this run");
    }

    private static void assertClose(double want, double got, double tolerance, String what) {
        assertTrue(Math.abs(want - got) <= tolerance, what + ": " + got + " is not " + want + " +- " + tolerance);
    }
}
