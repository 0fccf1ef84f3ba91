package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.detect.Finding;
import dev.natrecon.detect.Severity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The findings a customer gets from the captures alone ({@link CaseSettings#capturesOnly}: lan.pcap, wan.pcap and the
 * router's sysctl dump; no event times, ruleset, helper setting or addresses), for every lab sample: exactly the
 * expected rules at warning and error, nothing else at those severities. Each expectation is what the kernel did in
 * that run, as the sample's README ("What the kernel did", the timeline) and its kernel logs state it, with the one
 * line that says why; none is copied from natrecon's output.
 */
class LabFindingsTest {
    private static final Severity E = Severity.ERROR, W = Severity.WARNING;

    /** Rule id to severity and the kernel's reason, per sample. */
    private record Expected(String rule, Severity severity, String why) {
    }

    private static final Map<String, List<Expected>> EXPECTED = new TreeMap<>(Map.ofEntries(
            Map.entry("baseline", List.of()), // helper on, every packet forwarded and rewritten as Linux does
            Map.entry("router-any-sll", List.of()), // the baseline call again (its router.pcap besides)
            // helper on: the registrar's received=/rport= mapped back on the LAN as Linux does, nothing wrong
            Map.entry("alg-via-received", List.of()),
            Map.entry("alg-via-received-off", List.of(
                    new Expected("alg.private_address_on_wan", W,
                            "no helper: both phones' Via/Contact (192.168.1.10, 192.168.1.11) in every WAN request"))),
            // the baseline call from a WAN in 100.64.0.0/10: the helper wrote the router's own carrier-NAT address
            Map.entry("cgnat", List.of()),
            // masquerade healed it: oif changed killed the backup's entry at LAN frame 9, no wan0 frame has 198.51.100.2
            Map.entry("backup-uplink-nat", List.of()),
            Map.entry("backup-uplink-snat", List.of(
                    new Expected("nat.stale_mapping", E,
                            "entry #2 SNATed to the backup's 198.51.100.2 kept after the main WAN came back: wan0 frames 5 6 7"))),
            // no flush, one entry for phone A before and after; the lost packets (LAN 5-11) are the link's, not NAT's
            Map.entry("carrier-loss", List.of()),
            // linkdown route: packets died in routing with ICMP, no flush, phone A's entry carried on with 203.0.113.2
            Map.entry("carrier-loss-linkdown", List.of()),
            Map.entry("expect-churn", List.of(
                    new Expected("expect.sip_dropped", E,
                            "phone B's INVITE and 3 retransmissions (LAN 70 113 215 416) dropped: -EALREADY, no NEW"))),
            // the helper on udp/5080 rewrote every message, one entry, the registrar's pings reached the phone
            Map.entry("helper-other-port", List.of()),
            Map.entry("masq-no-address", List.of(
                    new Expected("nat.stale_mapping", E,
                            "entry masqueraded to the LAN's 192.168.1.1 kept after the WAN address came back: WAN frames 13-18"),
                    new Expected("nat.private_source_leak", E, "WAN frames 5-18 left with the source 192.168.1.1"),
                    new Expected("alg.private_address_on_wan", W, "the helper wrote Via/Contact 192.168.1.1 on the WAN"))),
            Map.entry("nat-late", List.of(
                    new Expected("nat.stale_mapping", E,
                            "phone A's entry made before the nat table was loaded stayed un-NATed: flows after it got 203.0.113.2"),
                    new Expected("nat.private_source_leak", E, "WAN frames 1-7 12-15 20-23 from 192.168.1.10"),
                    new Expected("alg.private_address_on_wan", W,
                            "the helper rewrites nothing on the un-NATed entry: Via/Contact 192.168.1.10 on the WAN"))),
            // conntrack -D, the next request made a fresh entry with the same port: nothing wrong is visible
            Map.entry("operator-flush", List.of()),
            // conntrack -F (the router's own sysctl says 30 s: no expiry), a fresh entry on another port: nothing to fix
            Map.entry("operator-flush-renumbered", List.of()),
            // masquerade flushed the entry, the outage's packets died in routing (ICMP), a fresh entry afterwards: healed
            Map.entry("outage-no-route", List.of()),
            // snat: no flush, the same entry carried on with 203.0.113.2 once the address was back: nothing stale
            Map.entry("outage-no-route-snat", List.of()),
            Map.entry("stale-mapping-expiry", List.of(
                    new Expected("nat.stale_mapping", E,
                            "un-NATed entry made via the fallback route, kept by the REGISTER at t=9 and its retransmissions"),
                    new Expected("nat.private_source_leak", E, "WAN frames 3 4 5 6 from 192.168.1.10"),
                    new Expected("keepalive.gap_exceeds_timeout", E,
                            "the entry expired 5 s after its last packet in the phone's 6.5 s pause (DESTROY, then NEW NATed)"),
                    new Expected("alg.private_address_on_wan", W, "no helper: Via/Contact 192.168.1.10 on the WAN"))),
            // SYN on TIME_WAIT / CLOSE: the old entry killed, a new one with the same NAT and helper; all answered
            Map.entry("tcp-reconnect", List.of()),
            Map.entry("tcp-reconnect-rst", List.of()),
            Map.entry("udp-timeout-helper", List.of(
                    new Expected("keepalive.gap_exceeds_timeout", E,
                            "phone B (no helper, 4 s): entries expired in the 6.5-7.5 s gaps, registrar's ping refused, port 62238"),
                    new Expected("alg.private_address_on_wan", W, "no helper on udp/5080: B's Via/Contact 192.168.1.11 on the WAN"))),
            Map.entry("alg-off", List.of(
                    new Expected("rtp.sdp_private_address_on_wan", E,
                            "no helper: the INVITE's SDP left the WAN with c=IN IP4 192.168.1.10 and no RTP came back"),
                    new Expected("rtp.one_way", E,
                            "250 RTP packets phone -> provider, 0 back on either capture (provider send_errors=250)"),
                    new Expected("alg.private_address_on_wan", W,
                            "no helper: Via/Contact 192.168.1.10:5060 in every WAN SIP message"))),
            Map.entry("expect-exhaustion", List.of(
                    new Expected("expect.sip_dropped", E,
                            "phone B's INVITE and 3 retransmissions (LAN 96 148 255 458) dropped by the helper, no NEW"),
                    // phone C's control call was answered and hung up 1 s later with no RTP (by design): within the
                    // 2 s answer window, too short to judge, an info only
                    new Expected("nat.port_clash", W,
                            "phone C's SIP entry got a random port: 203.0.113.2:5060 <-> 203.0.113.5:5060 was phone A's"))),
            Map.entry("keepalive-gap", List.of(
                    new Expected("keepalive.gap_exceeds_timeout", E,
                            "entries expired in the gaps (4 s / 8 s): registrar OPTIONS refused, port 5060 -> 2445"),
                    new Expected("alg.private_address_on_wan", W, "no helper: Via/Contact 192.168.1.10 on the WAN"))),
            Map.entry("keepalive-gap-random", List.of(
                    new Expected("keepalive.gap_exceeds_timeout", E,
                            "entries expired in the gaps: registrar OPTIONS refused, random port changed twice"),
                    new Expected("alg.private_address_on_wan", W, "no helper: Via/Contact 192.168.1.10 on the WAN"))),
            Map.entry("leaked-private-source", List.of(
                    // un-NATed from the start because no rule covers them: not stale (a flush changes nothing)
                    new Expected("nat.private_source_leak", E,
                            "null bindings: WAN frames 3 4 6 9 from 192.168.1.200, 5 7 8 10 (TCP) from 192.168.1.10"),
                    new Expected("alg.private_address_on_wan", W,
                            "phone B's REGISTER untranslated: the helper rewrites nothing without NAT"))),
            Map.entry("port-clash", List.of(
                    new Expected("nat.port_clash", W, "phone B's entry mapped to 203.0.113.2:17302: 5060 was phone A's"))),
            Map.entry("rtp-loss-router", List.of(
                    new Expected("rtp.loss", W,
                            "the router's FORWARD chain dropped 77 of the phone's 1500 RTP packets (impairment.log)"))),
            Map.entry("rtp-loss-upstream", List.of(
                    new Expected("rtp.loss", W,
                            "the provider's OUTPUT chain dropped 77 of its 1500 RTP packets before the router"))),
            Map.entry("rtp-loss-after-router", List.of(
                    new Expected("rtp.loss", W,
                            "the provider's INPUT chain dropped 77 of the phone's 1500 RTP packets after the router; "
                                    + "its last RTCP receiver report counts them"))),
            Map.entry("sip-over-tcp", List.of()), // helper on TCP, both connections and the RTP as Linux does
            Map.entry("stale-mapping", List.of(
                    new Expected("nat.stale_mapping", E,
                            "entry #2 made with a null binding via the fallback route, kept by REGISTERs after the WAN came back"),
                    new Expected("nat.private_source_leak", E, "WAN frames 3-10 left with the private source 192.168.1.10"),
                    new Expected("alg.private_address_on_wan", W,
                            "the helper rewrites nothing on the un-NATed entry: Via/Contact 192.168.1.10 on the WAN"))),
            // masquerade's address-removal handler flushed the entry, the next OPTIONS made one with 203.0.113.3: healed
            Map.entry("wan-address-change", List.of()),
            Map.entry("wan-address-change-snat", List.of(
                    new Expected("nat.stale_mapping", E,
                            "the SNAT entry survived the address change and kept sending from 203.0.113.2 (ARPed, never answered)")))));
    // wan-address-change-snat's address loss shows in the WAN's ARP; backup-uplink-snat's finding rests on the wan0
    // copies from 198.51.100.2 and the answers that reach the phone without crossing wan0, whichever frame the model
    // infers made the entry (the kernel's: LAN frame 5, on the backup; the model's today: LAN frame 9)

    static List<String> samples() throws IOException {
        return KernelConformanceTest.samples();
    }

    @Test
    void everyLabSampleHasItsExpectedFindings() throws IOException {
        assertEquals(new TreeSet<>(samples()), EXPECTED.keySet(),
                "a lab sample without expected findings here (write them from its README), or one no longer there");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void fromTheCapturesAloneTheFindingsAreTheKernelsTruth(String name) throws IOException {
        List<Expected> expected = EXPECTED.get(name);
        assertNotNull(expected, name + ": no expected findings written for it");
        RunResult r = Analysis.run(KernelConformanceTest.inputs(name, "captures"), List.of());
        TreeSet<String> want = new TreeSet<>();
        for (Expected e : expected) want.add(e.rule() + " " + e.severity());
        TreeSet<String> got = new TreeSet<>();
        StringBuilder text = new StringBuilder();
        for (Finding f : r.findings()) {
            if (f.severity() == Severity.INFO) continue;
            got.add(f.id() + " " + f.severity());
            text.append("\n  ").append(f.id()).append(' ').append(f.severity()).append(": ").append(f.message());
        }
        assertEquals(want, got, name + ": findings at warning/error from the captures alone:" + text);
    }

    /**
     * keepalive.gap_exceeds_timeout from the two captures only, without the router's sysctl dump: natrecon assumes the
     * kernel defaults (30 s / 120 s), which no gap exceeds, yet the captures prove the binding gone (the registrar's
     * OPTIONS to the binding reached the WAN and never the LAN, the external port changed): a warning that names both
     * causes the captures cannot tell apart, a shorter timeout (the truth here: the kernel's timeouts were 4 s
     * unreplied and 8 s assured) or a deletion, with the timeout an expiry would need bounded by the gaps seen.
     * operator-flush-renumbered, whose entry a conntrack -F deleted, looks the same from its captures and gets the same
     * warning, never an error claiming an expiry.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"keepalive-gap", "keepalive-gap-random", "operator-flush-renumbered"})
    void aBindingGoneBeforeTheAssumedTimeoutsIsAWarningNamingBothCausesWithoutTheSysctlDump(String name) throws IOException {
        AnalysisInputs in = AnalysisInputs.pair(Path.of("samples", name, "lan.pcap"), Path.of("samples", name, "wan.pcap"))
                .withModel(ModelSettings.defaults());
        RunResult r = Analysis.run(in, List.of());
        List<Finding> k = r.findings().stream().filter(f -> f.id().equals("keepalive.gap_exceeds_timeout")).toList();
        assertEquals(1, k.size(), name + ": " + r.findings());
        Finding f = k.get(0);
        assertEquals(Severity.WARNING, f.severity(), f.message());
        assertTrue(f.message().contains("no sysctl dump") && f.message().contains("deleted")
                && f.message().contains("cannot tell"), f.message());
        assertFalse(f.message().contains("expired ("), "no expiry claimed: " + f.message());
        assertFalse(f.frames("wan").isEmpty(), "the refused packets are the evidence");
        String bound = f.details().get("timeout bound");
        assertNotNull(bound, f.details().toString());
        if (name.startsWith("keepalive")) {
            // the entry was gone 6.0 s after the last packet of the flow (25.0 s -> the OPTIONS at 31.0 s), so an
            // expiry needs a timeout under 6 s (the kernel's was 4 s): never the assumed 30 s or 120 s
            assertTrue(bound.contains("under 6.0 s"), bound);
            assertTrue(f.frames("wan").contains(10L), "WAN frame 10: the registrar's first OPTIONS, refused: " + f.frames("wan"));
        } else {
            assertTrue(bound.contains("under 2.5 s"), bound); // the flush came 2.5 s after the flow's last packet
        }
    }

    /**
     * wan-address-change from the captures alone: the model, not told of the address change, predicts the helper's
     * rewrites with 203.0.113.2; the router wrote 203.0.113.3, exactly what Linux writes for the translation its packets
     * show. A divergence of the model, counted in its summary, not a finding.
     */
    @Test
    void aContradictedRewritePredictionIsADivergenceNotAFinding() throws IOException {
        RunResult r = Analysis.run(KernelConformanceTest.inputs("wan-address-change", "captures"), List.of());
        assertTrue(r.findings().stream().noneMatch(f -> f.id().equals("alg.differs_from_prediction")), r.findings().toString());
        Map<String, Long> d = r.model().divergences();
        long contradicted = d.getOrDefault(SipRewrites.CONTRADICTED, 0L);
        // every message after the change (LAN 5-12): 4 requests out, 4 responses in, each from an entry the model held
        // with 203.0.113.2 that the router had re-created with 203.0.113.3; or none once the model infers the change
        long differing = r.model().rewritesPredicted() - r.model().rewritesEqual();
        assertEquals(differing, contradicted, d + " " + r.model().rewriteMismatches());
        assertNotNull(r.sipRewrites().verdict());
    }

    /**
     * The captures with the WAN address history the {@code history} inference is to give them (203.0.113.2 removed and
     * 203.0.113.3 added 3.0 s after the first frame, inside the window the captures allow: after the last answer to
     * 203.0.113.2 at 2.0 s, before the first unanswered ARP for it at 4.0 s) and still no ruleset: the model infers
     * masquerade, so it flushes the entry when the address goes.
     */
    private static RunResult withAddressHistory(String name) throws IOException {
        AnalysisInputs in = KernelConformanceTest.inputs(name, "captures");
        ModelSettings m = in.model();
        List<ModelSettings.LinkChange> changes = List.of(
                new ModelSettings.LinkChange(3_000_000_000L, true, "remove", "203.0.113.2"),
                new ModelSettings.LinkChange(3_000_000_000L, true, "add", "203.0.113.3/24"));
        return Analysis.run(in.withModel(m.withRouter(m.ruleset(), m.natSource(), m.lanInterface(), m.wanInterface(),
                m.wanNetwork(), changes)), List.of());
    }

    /**
     * wan-address-change-snat with the address history and the inferred masquerade: the model flushes the entry, but
     * the router's copies keep leaving from 203.0.113.2, so the router kept it (a fixed SNAT has no flush): the stale
     * mapping, entry 1 from its first REGISTER, with every stale-address WAN frame the lab recorded
     * ({@code expect.stale.address.wan.frames}) and nothing else at warning or error.
     */
    @Test
    void snatToARemovedAddressIsAStaleMappingEvenWhereTheModelGuessedMasquerade() throws IOException {
        RunResult r = withAddressHistory("wan-address-change-snat");
        List<Finding> loud = r.findings().stream().filter(f -> f.severity() != Severity.INFO).toList();
        assertEquals(1, loud.size(), loud.toString());
        Finding f = loud.get(0);
        assertEquals("nat.stale_mapping", f.id());
        assertEquals(Severity.ERROR, f.severity());
        String frames = CaseSettings.load(Path.of("samples", "wan-address-change-snat", "case.properties"))
                .get("expect.stale.address.wan.frames");
        List<Long> want = java.util.Arrays.stream(frames.split(",")).map(Long::parseLong).toList();
        assertEquals(want, f.frames("wan"), f.message());
        assertTrue(f.message().contains("Entry 1 ") && f.message().contains("fixed SNAT"), f.message());
        assertEquals("13", f.details().get("left the WAN"), f.details().toString());
    }

    /**
     * wan-address-change-snat from the captures alone, no uplink history at all: the provider's ARP requests for
     * 203.0.113.2 on the router's own WAN capture go unanswered (WAN frames 6 8 11 14 17 19 23 24 26, the README's),
     * so the router no longer owns the address its entry keeps translating to: the stale mapping, inferred, with
     * every stale-address WAN frame the lab recorded and the window the address went in (after WAN frame 4, the last
     * answer the router forwarded; by WAN frame 6).
     */
    @Test
    void theRoutersSilenceToArpShowsTheRemovedAddress() throws IOException {
        RunResult r = Analysis.run(KernelConformanceTest.inputs("wan-address-change-snat", "captures"), List.of());
        Finding f = r.findings().stream().filter(x -> x.id().equals("nat.stale_mapping")).findFirst().orElseThrow();
        CaseSettings c = CaseSettings.load(Path.of("samples", "wan-address-change-snat", "case.properties"));
        List<Long> stale = java.util.Arrays.stream(c.get("expect.stale.address.wan.frames").split(","))
                .map(Long::parseLong).toList();
        List<Long> arp = List.of(6L, 8L, 11L, 14L, 17L, 19L, 23L, 24L, 26L);
        TreeSet<Long> want = new TreeSet<>(stale);
        want.addAll(arp);
        assertEquals(List.copyOf(want), f.frames("wan"), f.message());
        assertEquals(String.valueOf(stale.size()), f.details().get("left the WAN"));
        assertTrue(f.message().contains("inferred") && f.message().contains("wan frame 4")
                && f.message().contains("wan frame 6"), f.message());
        assertTrue(f.details().get("address lost (inferred)").endsWith("wan frames 6 8 11 14 17 19 23 24 26"),
                f.details().toString());
    }

    /** wan-address-change with the same history: masquerade's flush healed it (the next OPTIONS left from .3). */
    @Test
    void masqueradesFlushHealsTheAddressChangeSilently() throws IOException {
        RunResult r = withAddressHistory("wan-address-change");
        assertEquals(List.of(), r.findings().stream().filter(f -> f.severity() != Severity.INFO).toList());
    }
    private static Finding only(String sample, String rule) throws IOException {
        RunResult r = Analysis.run(KernelConformanceTest.inputs(sample, "captures"), List.of());
        List<Finding> f = r.findings().stream().filter(x -> x.id().equals(rule)).toList();
        assertEquals(1, f.size(), sample + ": " + f);
        return f.get(0);
    }

    /**
     * nat-late from the captures alone: phone A's entry was made before the nat table was loaded (no NAT); nothing in
     * the captures shows the load, but phone A's later flow to the same registrar (from port 5070, LAN frame 10) was
     * masqueraded: the rule covers that traffic now, and the un-NATed entry lives on (the kernel never re-NATs it).
     * The evidence: the later entry, and the un-NATed copies after it (README: WAN frames 12-15 and 20-23); never the
     * masqueraded copies (WAN frames 8 10 16 18).
     */
    @Test
    void natLoadedLateIsAStaleMappingShownByALaterTranslatedEntry() throws IOException {
        Finding f = only("nat-late", "nat.stale_mapping");
        assertEquals(Severity.ERROR, f.severity());
        assertTrue(f.frames("wan").containsAll(List.of(12L, 13L, 14L, 15L, 20L, 21L, 22L, 23L)), f.frames("wan").toString());
        for (long healthy : List.of(8L, 10L, 16L, 18L)) assertFalse(f.frames("wan").contains(healthy), f.frames("wan").toString());
        assertTrue(f.frames("lan").contains(10L), "the later translated entry's first packet: " + f.frames("lan"));
        assertTrue(f.details().get("NAT in force since").contains("192.168.1.10:5070"), f.details().toString());
        assertEquals("8", f.details().get("left the WAN"), f.details().toString());
        assertTrue(f.fix().contains("conntrack -D -s 192.168.1.10") && f.fix().contains("NAT rules"), f.fix());
    }

    /**
     * masq-no-address: masquerade found no address on wan0 and translated to the LAN's 192.168.1.1 (README: WAN frames
     * 5-12 during the outage, 13-18 after the address came back, all from 192.168.1.1, none answered).
     */
    @Test
    void masqueradeToTheLansAddressIsWronglyNatedFromItsFirstPacket() throws IOException {
        Finding f = only("masq-no-address", "nat.stale_mapping");
        List<Long> want = java.util.stream.LongStream.rangeClosed(5, 18).boxed().toList();
        assertEquals(want, f.frames("wan"), f.message());
        assertTrue(f.message().contains("192.168.1.1") && f.message().contains("no address"), f.message());
        assertEquals("0", f.details().get("replies"), f.details().toString());
        Finding leak = only("masq-no-address", "nat.private_source_leak");
        assertFalse(leak.message().contains("untranslated"), "translated to the LAN's address: " + leak.message());
    }

    /**
     * backup-uplink-snat: the entry SNATed on the backup keeps 198.51.100.2 on wan0 once the main WAN is back (README:
     * wan0 frames 5 6 7), while the provider's answers reach the phone over the backup (LAN frames 10 12 14, no wan0
     * copy). Which frame made the entry (the kernel's LAN frame 5, on the backup) is the model's to infer ({@code
     * paths}); the finding rests on the copies and the answers.
     */
    @Test
    void anEntryWithTheBackupUplinksSnatIsStaleOnTheMainWan() throws IOException {
        Finding f = only("backup-uplink-snat", "nat.stale_mapping");
        assertEquals(List.of(5L, 6L, 7L), f.frames("wan"), f.message());
        assertTrue(f.frames("lan").containsAll(List.of(10L, 12L, 14L)), f.frames("lan").toString());
        assertTrue(f.message().contains("198.51.100.2") && f.message().contains("another uplink"), f.message());
    }

    /**
     * uplink.outage (information), from the captures alone: exactly the samples whose README says the WAN was out while
     * the phone kept sending (no route, a backup uplink, a carrier loss), each naming its window's WAN frames and the
     * LAN packets that found no WAN copy (stale-mapping and stale-mapping-expiry: the no-route time before their fallback
     * route); none where the WAN stayed up or the LAN kept quiet.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void anOutageTheCapturesShowIsNamedWithItsWindow(String name) throws IOException {
        // the README of each: stale-mapping and stale-mapping-expiry had a no-route outage (ICMP) before the fallback route
        java.util.Set<String> outages = java.util.Set.of("outage-no-route", "outage-no-route-snat", "backup-uplink-nat",
                "backup-uplink-snat", "carrier-loss", "carrier-loss-linkdown", "stale-mapping", "stale-mapping-expiry");
        RunResult r = Analysis.run(KernelConformanceTest.inputs(name, "captures"), List.of());
        List<Finding> o = r.findings().stream().filter(f -> f.id().equals("uplink.outage")).toList();
        if (!outages.contains(name)) {
            assertEquals(List.of(), o, name);
            return;
        }
        assertEquals(1, o.size(), name + ": " + o);
        Finding f = o.get(0);
        assertEquals(Severity.INFO, f.severity());
        assertEquals(2, f.frames("wan").size(), f.message()); // the WAN's last frame before and first after
        assertTrue(f.frames("lan").size() >= 2 && f.message().contains("found no WAN copy"), f.message());
        if (name.startsWith("outage") || name.startsWith("stale")) assertTrue(f.message().contains("ICMP net/host unreachable"), f.message());
        if (name.startsWith("backup")) assertTrue(f.message().contains("an uplink no capture shows"), f.message());
    }

    /**
     * operator-flush-renumbered: the entry vanished 2.5 s after its last packet while the router's own sysctl dump
     * says 30 s / 120 s: deleted (the lab's conntrack -F), not expired; information, never the keepalive error.
     */
    @Test
    void aBindingGoneBeforeTheDumpedTimeoutWasDeletedNotExpired() throws IOException {
        Finding f = only("operator-flush-renumbered", "keepalive.gap_exceeds_timeout");
        assertEquals(Severity.INFO, f.severity(), f.message());
        assertTrue(f.message().contains("deleted") && f.message().contains("router.sysctl"), f.message());
    }
}
