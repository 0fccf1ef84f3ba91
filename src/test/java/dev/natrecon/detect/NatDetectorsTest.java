package dev.natrecon.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.conntrack.ExpectView;
import dev.natrecon.conntrack.ExpectationEvent;
import dev.natrecon.conntrack.FrameRef;
import dev.natrecon.engine.Analysis;
import dev.natrecon.engine.CaseSettings;
import dev.natrecon.engine.ModelSettings;
import dev.natrecon.engine.RunResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The NAT detectors on the lab samples where they must fire (ids, severities, key frames) and on the clean baseline
 * where they must not; synthetic events where no sample shows the case.
 */
class NatDetectorsTest {
    static RunResult run(String name, String... overrides) throws IOException {
        ModelSettings base = ModelSettings.defaults();
        if (overrides.length > 0) base = base.withOverrides(List.of(overrides));
        return Analysis.run(CaseSettings.load(Path.of("samples", name, "case.properties")).inputs(base), List.of());
    }

    static List<Finding> of(RunResult r, String id) {
        return r.findings().stream().filter(f -> f.id().equals(id)).toList();
    }

    static Finding one(RunResult r, String id) {
        List<Finding> f = of(r, id);
        assertEquals(1, f.size(), id + " in " + r.findings().stream().map(Finding::id).toList());
        return f.get(0);
    }

    @Test
    void baselineHasNoWarningOrErrorButItsBehaviour() throws IOException {
        RunResult r = run("baseline");
        for (Finding f : r.findings()) assertEquals(Severity.INFO, f.severity(), f.id() + ": " + f.message());
        Finding b = one(r, "nat.behaviour");
        assertTrue(b.message().contains("Port preservation: yes"), b.message());
        assertTrue(b.message().contains("Hairpinning: unknown"), b.message());
        assertFalse(r.keepalive().isEmpty());
        assertTrue(r.keepalive().stream().noneMatch(KeepaliveRow::exceeded));
        assertTrue(r.keepalive().stream().allMatch(k -> k.binding() == 1));
    }

    @Test
    void staleMappingAfterAnOutageWithAFallbackRoute() throws IOException {
        RunResult r = run("stale-mapping");
        Finding f = one(r, "nat.stale_mapping");
        assertEquals(Severity.ERROR, f.severity());
        assertTrue(f.frames("lan").containsAll(List.of(11L, 17L, 24L)), f.frames("lan").toString());
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), f.frames("wan"));
        assertTrue(f.message().contains("created without NAT"), f.message());
        assertTrue(f.message().contains("REGISTER x8"), f.message());
        assertTrue(f.conntrack().contains("dst=192.168.1.10"), f.conntrack());
        one(r, "nat.private_source_leak"); // both are true
    }

    @Test
    void staleMappingWhenAFixedSnatOutlivesTheAddressButNotWithMasquerade() throws IOException {
        Finding f = one(run("wan-address-change-snat"), "nat.stale_mapping");
        assertEquals(Severity.ERROR, f.severity());
        assertTrue(f.message().contains("kept that address after 203.0.113.2 was removed"), f.message());
        assertTrue(f.message().contains("203.0.113.3"), f.message());
        assertTrue(f.frames("wan").containsAll(List.of(5L, 25L)), f.frames("wan").toString());
        assertTrue(f.frames("lan").contains(1L));
        assertTrue(of(run("wan-address-change"), "nat.stale_mapping").isEmpty());
    }

    @Test
    void portClashNamesWhoKeptThePortAndWhoWasRemapped() throws IOException {
        Finding f = one(run("port-clash"), "nat.port_clash");
        assertEquals(Severity.WARNING, f.severity());
        assertTrue(f.message().startsWith("192.168.1.11:5060 could not keep 203.0.113.2:5060"), f.message());
        assertTrue(f.message().contains("remapped 192.168.1.11:5060 to 203.0.113.2:17302"), f.message());
        assertEquals(List.of(1L, 3L), f.frames("lan"));
    }

    @Test
    void keepaliveGapsExceedTheShortTimeouts() throws IOException {
        RunResult r = run("keepalive-gap");
        Finding f = one(r, "keepalive.gap_exceeds_timeout");
        assertEquals(Severity.ERROR, f.severity());
        assertTrue(f.frames("wan").containsAll(List.of(10L, 18L)), f.frames("wan").toString());
        assertTrue(f.message().contains("203.0.113.2:5060 -> 203.0.113.2:2445"), f.message());
        assertTrue(f.message().contains("expires 60 s asked, 60 s granted"), f.message());
        assertTrue(f.details().get("mechanisms").contains("crlf x1"), f.details().toString());
        List<KeepaliveRow> exceeded = r.keepalive().stream().filter(KeepaliveRow::exceeded).toList();
        assertFalse(exceeded.isEmpty());
        KeepaliveRow first = exceeded.get(0);
        assertEquals(8L, first.lanFrame());
        assertEquals(8, first.timeoutSeconds());
        assertEquals("stream", first.timeoutKind());
        assertTrue(first.gapSeconds() > 9.9 && first.gapSeconds() < 10.1);
    }

    @Test
    void keepaliveGapWithRandomPortsShowsTheExternalPortChange() throws IOException {
        Finding f = one(run("keepalive-gap-random"), "keepalive.gap_exceeds_timeout");
        assertEquals(Severity.ERROR, f.severity());
        assertTrue(f.message().contains("external endpoint changed 203.0.113.2:63652 -> 203.0.113.2:3559 at lan frame 8"),
                f.message());
        assertTrue(f.frames("lan").contains(8L));
    }

    @Test
    void helperDropsWithTheKernelLogAndATableFullWhenTheLimitIsLow() throws IOException {
        RunResult r = run("expect-exhaustion");
        Finding f = one(r, "expect.sip_dropped");
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(List.of(96L, 148L, 255L, 458L), f.frames("lan"));
        assertTrue(f.message().contains("nf_ct_sip: dropping packet: all ports in use for SDP media"), f.message());
        assertTrue(f.message().contains("each with no WAN counterpart"), f.message());
        assertTrue(of(r, "expect.table_full").isEmpty());
        // the same captures on a router whose expectation table holds two
        RunResult low = run("expect-exhaustion", "nf_conntrack_expect_max=2");
        Finding full = of(low, "expect.table_full").get(0);
        assertEquals(Severity.ERROR, full.severity());
        assertTrue(full.message().contains("held 2 expectations"), full.message());
        assertTrue(full.message().contains("when 1 SIP packet of"), full.message()); // the one drop made at 2 live
    }

    @Test
    void masterLimitFromSyntheticEvictions() {
        ExpectDetector d = new ExpectDetector();
        ConntrackTuple master = ConntrackTuple.of(17, "192.168.1.10", 5060, "203.0.113.5", 5060);
        for (int i = 1; i <= 5; i++) {
            ExpectView v = new ExpectView(i, 17, false, 0, 0, 0, 0, 40000 + 2 * i, master, 0, 1, "audio", "sip", 180);
            d.expectation(new ExpectationEvent.ExpectationCreated(i * 1_000_000_000L, new FrameRef("lan", i), v));
        }
        ExpectView oldest = new ExpectView(1, 17, false, 0, 0, 0, 0, 40002, master, 0, 1, "audio", "sip", 170);
        d.expectation(new ExpectationEvent.ExpectationRemoved(5_000_000_000L, new FrameRef("lan", 5), oldest,
                ExpectationEvent.Reason.EVICTED));
        List<Finding> out = new ArrayList<>();
        d.finish(null, out::add);
        assertEquals(1, out.size());
        Finding f = out.get(0);
        assertEquals("expect.master_limit", f.id());
        assertEquals(Severity.WARNING, f.severity());
        assertEquals(List.of(5L), f.frames("lan"));
        assertTrue(f.message().contains("limit of 4 audio expectations"), f.message());
    }

    /** A trunk evicts one expectation a call: the finding lists the first few and counts every one. */
    @Test
    void masterLimitListsTheFirstEvictionsAndCountsTheRest() {
        ExpectDetector d = new ExpectDetector();
        ConntrackTuple master = ConntrackTuple.of(17, "192.168.1.10", 5060, "203.0.113.5", 5060);
        int n = 5_000;
        for (int i = 1; i <= n; i++) {
            ExpectView v = new ExpectView(i, 17, false, 0, 0, 0, 0, 10000 + 2 * i, master, 0, 1, "audio", "sip", 170);
            d.expectation(new ExpectationEvent.ExpectationCreated(i * 1_000_000L, new FrameRef("lan", i), v));
            d.expectation(new ExpectationEvent.ExpectationRemoved(i * 1_000_000L, new FrameRef("lan", i), v,
                    ExpectationEvent.Reason.EVICTED));
        }
        List<Finding> out = new ArrayList<>();
        d.finish(null, out::add);
        Finding f = out.get(0);
        assertTrue(f.message().contains("5000 times; the oldest was evicted each time: expectation 1 "), f.message());
        assertTrue(f.message().contains("expectation " + ExpectDetector.LISTED + " ("), f.message());
        assertFalse(f.message().contains("expectation " + (ExpectDetector.LISTED + 1) + " ("), f.message());
        assertTrue(f.message().contains("; and " + (n - ExpectDetector.LISTED) + " more."), f.message());
        assertTrue(f.message().length() < 2_000, "bounded: " + f.message().length());
    }

    @Test
    void everyDetectorIsRegisteredWithDocumentedRules() {
        for (String id : List.of("nat.stale_mapping", "nat.port_clash", "keepalive.gap_exceeds_timeout",
                "expect.table_full", "expect.master_limit", "expect.sip_dropped", "nat.behaviour")) {
            Rule r = Detectors.rule(id);
            assertNotNull(r, id);
            assertFalse(r.thresholds().isEmpty(), id);
            assertFalse(r.fix().isEmpty(), id);
        }
    }
}
