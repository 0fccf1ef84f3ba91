package dev.natrecon.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.natrecon.report.ReportLimits;
import dev.natrecon.testing.ChildJvm;
import dev.natrecon.testing.HostileCaptures;
import dev.natrecon.testing.ScaleCaptures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18's algorithmic cases: many flows and many calls, each analysed by {@code analyze} in a child JVM with a
 * 256 MiB heap ({@link ChildJvm}), which must complete (no OutOfMemoryError, no stack trace) with every flow and call
 * accounted for. Not timed: a quadratic walk shows as the child's 5-minute limit, a heap that follows total flows as
 * its OutOfMemoryError. The sizes are far past where the old pairwise and whole-table walks took minutes.
 */
class ScaleHostileTest {
    @TempDir
    Path tmp;

    private ChildJvm.Result analyze(Path lan, Path wan, Path out, String... more) throws Exception {
        return analyze(lan, wan, out, List.of(), more);
    }

    /** {@code analyze} in a child JVM with {@code jvmOptions} after its default heap (a later -Xmx wins). */
    private ChildJvm.Result analyze(Path lan, Path wan, Path out, List<String> jvmOptions, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("analyze", "--lan", lan.toString(), "--wan", wan.toString(),
                "-o", out.toString()));
        args.addAll(List.of(more));
        ChildJvm.Result r = ChildJvm.run(tmp.resolve("jvm-" + out.getFileName()), jvmOptions, args.toArray(String[]::new));
        assertFalse(r.outOfMemory(), "ran out of its " + ChildJvm.HEAP + " heap: " + r.err());
        assertTrue(r.code() == 0 || r.code() == 1 || r.code() == 4, "exit " + r.code() + ": " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        return r;
    }

    private static JsonNode summary(Path out) throws Exception {
        return new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    }

    /**
     * 20,000 LAN endpoints on one external port: the generator writes a whole round of them (4 s at 0.2 ms apart)
     * before the next, so each binding lives past the last one's start and every one of the 199,990,000 pairs
     * overlaps; 10 are listed and the rest counted ({@code SharedPortSweepTest} checks the count against a pairwise
     * walk where the pairs do not all overlap).
     */
    @Test
    void aPortSharedByTwentyThousandEndpointsIsCountedNotWalkedPairByPair() throws Exception {
        Path lan = tmp.resolve("clash-lan.pcap"), wan = tmp.resolve("clash-wan.pcap");
        int endpoints = 20_000;
        HostileCaptures.portClashes(lan, wan, endpoints, 2);
        Path out = tmp.resolve("out-clash");
        analyze(lan, wan, out);
        String json = Files.readString(out.resolve("summary.json"));
        long pairs = (long) endpoints * (endpoints - 1) / 2;
        assertTrue(json.contains((pairs - 10) + " more pairs of LAN endpoints appeared as 203.0.113.2:40000"),
                "every pair counted: " + json.length());
        assertEquals(endpoints + 1, Files.readAllLines(out.resolve("mappings.csv")).size());
    }

    /**
     * 60,000 one-datagram flows into a table of 5,000 (nf_conntrack_max from --sysctl): every entry past the limit
     * early-drops an unreplied one (nf_conntrack_core.c:early_drop), none is refused.
     */
    @Test
    void aFullTableEarlyDropsOneEntryPerNewFlowWithoutWalkingTheTable() throws Exception {
        Path lan = tmp.resolve("full-lan.pcap"), wan = tmp.resolve("full-wan.pcap");
        int flows = 60_000, max = 5_000;
        ScaleCaptures.remappedFlows(lan, wan, flows, 10, false);
        Path sysctl = tmp.resolve("sysctl.txt");
        Files.writeString(sysctl, "net.netfilter.nf_conntrack_max = " + max + "\n");
        Path out = tmp.resolve("out-full");
        analyze(lan, wan, out, "--sysctl", sysctl.toString());
        String events = Files.readString(out.resolve("events.csv"));
        long drops = events.lines().filter(l -> l.contains("early_drop")).count();
        assertEquals(flows - max, drops, "one early drop per flow past the limit");
    }

    /**
     * 120,000 one-datagram flows over 120 s, about 30,000 live at once (udp_timeout 30 s): more lifetimes than the
     * table's bound of 100,000 held ones, so without retiring ended lifetimes the last 20,000 would be counted and not
     * kept ({@code correlate.too_many_bindings}). Every flow is listed, in order, in mappings.csv and summary.json.
     */
    @Test
    void moreEndedFlowsThanTheBindingBoundAreAllListed() throws Exception {
        Path lan = tmp.resolve("many-lan.pcap"), wan = tmp.resolve("many-wan.pcap");
        int flows = 120_000;
        ScaleCaptures.remappedFlows(lan, wan, flows, 120, false);
        Path out = tmp.resolve("out-many");
        analyze(lan, wan, out);
        JsonNode s = summary(out);
        assertEquals(flows, s.get("bindings").asInt(), "every flow's lifetime");
        assertFalse(Files.readString(out.resolve("summary.json")).contains("too_many_bindings"), "the bound not hit");
        try (var lines = Files.lines(out.resolve("mappings.csv"))) {
            List<String> rows = lines.skip(1).toList();
            assertEquals(flows, rows.size());
            for (int i = 0; i < rows.size(); i += 9_999) {
                assertTrue(rows.get(i).startsWith((i + 1) + ",1,udp,"), "in order of id: " + rows.get(i));
            }
        }
    }

    /** 20,000 INVITEs nobody answers: every call is tracked to the end and summary.json stays bounded and valid. */
    @Test
    void twentyThousandUnansweredInvitesFitAndSummaryJsonIsStreamed() throws Exception {
        Path lan = tmp.resolve("inv-lan.pcap"), wan = tmp.resolve("inv-wan.pcap");
        ScaleCaptures.calls(lan, wan, 20_000, 5, 0, false);
        Path out = tmp.resolve("out-inv");
        analyze(lan, wan, out);
        JsonNode s = summary(out);
        assertTrue(s.has("findings"), "a complete summary.json");
        long size = Files.size(out.resolve("summary.json"));
        assertTrue(size < ReportLimits.JSON_FINDINGS_BYTES + (4 << 20), "bounded: " + size);
    }

    /**
     * 8,000 calls of 60 s, one every 5 ms: all open at once, 40,000 SIP messages a side. Each call is judged once when
     * its grace ends, not walked on every message (which made 100,000 calls take 10 minutes).
     */
    @Test
    void eightThousandOpenCallsAreEachJudgedOnce() throws Exception {
        Path lan = tmp.resolve("calls-lan.pcap"), wan = tmp.resolve("calls-wan.pcap");
        ScaleCaptures.calls(lan, wan, 8_000, 5, 60_000, true);
        Path out = tmp.resolve("out-calls");
        analyze(lan, wan, out);
        JsonNode s = summary(out);
        assertTrue(s.has("findings"), "a complete summary.json");
        String sip = Files.readString(out.resolve("sip.csv"));
        assertTrue(sip.contains("call-7999@scale.test"), "the last call was analysed");
    }

    /**
     * 20,000 answered calls of 1 s, one every 5 ms (a few hundred open at once), each from its own phone and From AOR,
     * in a heap of {@value #ENDED_CALLS_HEAP}: what an ended call leaves behind must be small. What it used to leave
     * no longer fits that heap: the sip.csv rows held as text (half a MiB per 1,000 calls; now spooled to disk), the
     * rewrite analysis' boxed frame index, a sip.nat_tests counter set and finding builder per From AOR although only
     * the first {@code Detection.MAX_FINDINGS_PER_RULE} findings are kept (the AORs past it are now only counted),
     * evidence frames as boxed sorted sets in every finding builder, a stale-mapping ring per answered SIP flow, the
     * SIP helper's untouched-message sets per rewritten flow. Every call is listed and the spool is gone when the
     * folder is complete.
     */
    @Test
    void twentyThousandEndedCallsLeaveLittleBehind() throws Exception {
        Path lan = tmp.resolve("ended-lan.pcap"), wan = tmp.resolve("ended-wan.pcap");
        int calls = 20_000;
        ScaleCaptures.calls(lan, wan, calls, 5, 1_000, true);
        Path out = tmp.resolve("out-ended");
        analyze(lan, wan, out, List.of("-Xmx" + ENDED_CALLS_HEAP));
        JsonNode s = summary(out);
        long natTests = 0;
        for (JsonNode f : s.get("findings")) if (f.get("id").asText().equals("sip.nat_tests")) natTests++;
        assertEquals(dev.natrecon.detect.Detection.MAX_FINDINGS_PER_RULE, natTests, "the first AORs' findings kept");
        boolean counted = false;
        for (JsonNode l : s.get("limits")) {
            counted |= l.get("notice").asText().contains("sip.nat_tests found " + (calls - natTests) + " more findings");
        }
        assertTrue(counted, "every other AOR counted: " + s.get("limits"));
        try (var lines = Files.lines(out.resolve("calls.csv"))) {
            assertEquals(calls + 1, lines.count(), "every call listed in calls.csv");
        }
        try (var lines = Files.lines(out.resolve("sip.csv"))) {
            // five messages a call, each seen on both sides: one row each, the last call's too
            List<String> rows = lines.skip(1).toList();
            assertEquals(5L * calls, rows.size());
            assertTrue(rows.get(rows.size() - 1).contains("call-" + (calls - 1) + "@scale.test"), rows.get(rows.size() - 1));
        }
        try (var files = Files.list(out)) {
            assertEquals(List.of(), files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList(),
                    "no spool or temporary file left");
        }
    }

    /**
     * A PBX trunk ({@link ScaleCaptures#pbxTrunk}): {@value #TRUNK_CALLS} calls on one SIP flow, one every 5 ms (a few
     * hundred open at once), each with its own short RTP exchange, and the PBX's registration refreshes, in the child's
     * {@value ChildJvm#HEAP} heap. A realistic load is analysed as what it is: clean (information only: the NAT
     * behaviour and the per-AOR NAT tests), every call answered, with media both ways and ended by the PBX's BYE, and
     * one conntrack entry with the SIP helper carrying all of them; nothing counted past a bound but what is listed
     * per call or per message.
     */
    @Test
    void aPbxTrunkIsCleanAndEveryCallAccountedFor() throws Exception {
        Path lan = tmp.resolve("trunk-lan.pcap"), wan = tmp.resolve("trunk-wan.pcap");
        ScaleCaptures.pbxTrunk(lan, wan, TRUNK_CALLS, 5, 10);
        Path out = tmp.resolve("out-trunk");
        ChildJvm.Result r = analyze(lan, wan, out);
        assertEquals(0, r.code(), "clean: " + r.out());
        JsonNode s = summary(out);
        assertEquals("clean", s.get("verdict").get("result").asText(), s.get("verdict").toString());
        JsonNode calls = s.get("calls");
        assertEquals(TRUNK_CALLS, calls.get("total").asInt());
        assertEquals(TRUNK_CALLS, calls.get("answered").asInt());
        assertEquals(TRUNK_CALLS, calls.get("media_both_ways").asInt());
        assertEquals(TRUNK_CALLS, calls.get("end_reasons").get("BYE from the phone (caller)").asInt(), calls.toString());
        try (var lines = Files.lines(out.resolve("events.csv"))) {
            assertEquals(1, lines.filter(l -> l.contains("[NEW]") && l.contains("helper=sip")).count(),
                    "one SIP entry for the whole trunk");
        }
    }

    /** Calls of the PBX trunk case: 140,000 frames a side, about a minute of a child JVM's CPU. */
    private static final int TRUNK_CALLS = 5_000;

    /** A heap today's calls fit and the state they left before did not (about 15 % more live heap at the end). */
    private static final String ENDED_CALLS_HEAP = "200m";
}
