package dev.natrecon.alg.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rewrite analysis over the real-kernel lab samples (samples/NAME with case.properties), without a prediction:
 * every SIP message seen on both sides paired, classified, and the case classified.
 *
 * <p>Expected: with {@code sip.helper=off} the router never touches SIP, so the case is NO_ALG and the WAN carries the
 * phone's private address ({@code alg.private_address_on_wan}). With the Linux helper on, every sample is LINUX_LIKE:
 * each field the helper changed is one the nf_nat_sip rules change (first Via, Contact, Request-URI of inbound
 * requests, received=/rport=, SDP o=/c=, Content-Length after an SDP change), each to the packet's own translation, and
 * nothing else changed; messages of flows the NAT did not translate (leaked-private-source's phone B, stale-mapping's
 * null binding after the outage) are NEUTRAL — no ALG rewrites a packet without NAT, Linux included.
 */
class LabSamplesAlgTest {
    static Stream<Path> samples() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("samples"))) {
            List<Path> all = s.filter(d -> Files.exists(d.resolve("case.properties"))).sorted().toList();
            assertTrue(all.size() >= 11, all.toString());
            return all.stream();
        }
    }

    static Properties settings(Path dir) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve("case.properties"))) {
            p.load(in);
        }
        return p;
    }

    /** What each lab sample is, pinned. */
    static final Map<String, AlgClass> EXPECTED = new TreeMap<>(Map.ofEntries(
            Map.entry("alg-off", AlgClass.NO_ALG),
            Map.entry("alg-via-received", AlgClass.LINUX_LIKE),
            Map.entry("alg-via-received-off", AlgClass.NO_ALG),
            Map.entry("baseline", AlgClass.LINUX_LIKE),
            Map.entry("cgnat", AlgClass.LINUX_LIKE),
            Map.entry("rtp-loss-router", AlgClass.LINUX_LIKE),
            Map.entry("rtp-loss-upstream", AlgClass.LINUX_LIKE),
            Map.entry("rtp-loss-after-router", AlgClass.LINUX_LIKE),
            Map.entry("router-any-sll", AlgClass.LINUX_LIKE),
            Map.entry("expect-churn", AlgClass.LINUX_LIKE),
            Map.entry("expect-exhaustion", AlgClass.LINUX_LIKE),
            Map.entry("keepalive-gap", AlgClass.NO_ALG),
            Map.entry("keepalive-gap-random", AlgClass.NO_ALG),
            Map.entry("leaked-private-source", AlgClass.LINUX_LIKE),
            Map.entry("port-clash", AlgClass.LINUX_LIKE),
            Map.entry("sip-over-tcp", AlgClass.LINUX_LIKE),
            Map.entry("stale-mapping", AlgClass.LINUX_LIKE),
            Map.entry("wan-address-change", AlgClass.LINUX_LIKE),
            Map.entry("wan-address-change-snat", AlgClass.LINUX_LIKE),
            Map.entry("backup-uplink-nat", AlgClass.LINUX_LIKE),
            Map.entry("backup-uplink-snat", AlgClass.LINUX_LIKE),
            Map.entry("carrier-loss", AlgClass.LINUX_LIKE),
            Map.entry("carrier-loss-linkdown", AlgClass.LINUX_LIKE),
            Map.entry("nat-late", AlgClass.LINUX_LIKE),
            Map.entry("operator-flush", AlgClass.LINUX_LIKE),
            Map.entry("operator-flush-renumbered", AlgClass.LINUX_LIKE),
            Map.entry("outage-no-route", AlgClass.LINUX_LIKE),
            Map.entry("tcp-reconnect", AlgClass.LINUX_LIKE),
            Map.entry("masq-no-address", AlgClass.LINUX_LIKE),
            Map.entry("udp-timeout-helper", AlgClass.LINUX_LIKE),
            Map.entry("outage-no-route-snat", AlgClass.LINUX_LIKE),
            Map.entry("tcp-reconnect-rst", AlgClass.LINUX_LIKE),
            Map.entry("helper-other-port", AlgClass.LINUX_LIKE),
            Map.entry("stale-mapping-expiry", AlgClass.NO_ALG)));

    @ParameterizedTest
    @MethodSource("samples")
    void helperOnIsNeverNoAlgNorBrokenAndHelperOffIsNoAlg(Path dir) throws IOException {
        CaseVerdict v = CaptureSip.classify(dir);
        boolean helper = settings(dir).getProperty("sip.helper", "off").equals("on");
        if (helper) {
            assertNotEquals(AlgClass.NO_ALG, v.algClass(), dir + ": " + v);
            assertNotEquals(AlgClass.BROKEN, v.algClass(), dir + ": " + v);
        } else {
            assertEquals(AlgClass.NO_ALG, v.algClass(), dir + ": " + v);
            assertTrue(v.has(AlgFindingType.PRIVATE_ADDRESS_ON_WAN), v.toString());
            assertTrue(v.messages().stream().noneMatch(MessageVerdict::rewritten), "helper off: no byte changed");
        }
        assertEquals(EXPECTED.get(dir.getFileName().toString()), v.algClass(), dir + ": " + v);
        assertTrue(v.messages().size() >= 6, dir + ": " + v.messages().size() + " pairs");
        for (MessageVerdict m : v.messages()) {
            assertTrue(m.diff().lan().parses() && m.diff().wan().parses(), m.toString());
            assertTrue(m.diff().output().contentLengthCorrect(), m.toString());
        }
    }

    @Test
    void algOffIsNoAlgWithThePhonesAddressOnTheWan() throws IOException {
        CaseVerdict v = CaptureSip.classify(Path.of("samples/alg-off"));
        assertEquals(AlgClass.NO_ALG, v.algClass());
        assertEquals(AlgClass.NO_ALG, v.byDirection().get(Direction.OUTBOUND));
        // The provider's responses carry no address of the router (it adds no received=): nothing to judge inbound.
        assertEquals(AlgClass.NEUTRAL, v.byDirection().get(Direction.INBOUND));
        assertEquals(Map.of(AlgClass.NO_ALG, 4, AlgClass.NEUTRAL, 5), v.counts());
        AlgFinding f = v.finding(AlgFindingType.PRIVATE_ADDRESS_ON_WAN);
        assertEquals(List.of("via[0].host", "contact[0].host", "sdp.origin.address", "sdp.connection.address"), f.fields());
        assertTrue(f.frames().contains(new FrameRef(CapturePoint.WAN, 3)), "the INVITE: " + f.frames());
        assertTrue(f.detail().contains("sdp.connection.address=192.168.1.10"), f.detail());
        MessageVerdict invite = v.messages().get(2);
        assertEquals("INVITE", invite.pair().lan().key().methodOrStatus());
        assertEquals(AlgClass.NO_ALG, invite.algClass());
        assertFalse(v.has(AlgFindingType.ONE_DIRECTION_ONLY));
    }

    /**
     * baseline (UDP) and sip-over-tcp (TCP, two connections): LINUX_LIKE, because every change is one the Linux rules
     * make to the packet's own translation (see the class comment); both directions rewritten, no finding at all.
     */
    @Test
    void linuxHelperSamplesAreLinuxLikeBothWays() throws IOException {
        for (String name : List.of("baseline", "sip-over-tcp")) {
            CaseVerdict v = CaptureSip.classify(Path.of("samples", name));
            assertEquals(AlgClass.LINUX_LIKE, v.algClass(), name + ": " + v);
            assertEquals(AlgClass.LINUX_LIKE, v.byDirection().get(Direction.OUTBOUND));
            assertEquals(AlgClass.LINUX_LIKE, v.byDirection().get(Direction.INBOUND));
            assertEquals(Map.of(AlgClass.LINUX_LIKE, 9), v.counts(), name);
            assertEquals(List.of(), v.findings(), name);
            MessageVerdict invite = v.messages().stream().filter(m -> "INVITE".equals(m.pair().lan().key().methodOrStatus()))
                    .findFirst().orElseThrow();
            assertEquals(List.of("via[0].host", "contact[0].host", "content-length", "sdp.origin.address",
                    "sdp.connection.address"), invite.diff().compactChanges().stream().map(FieldChange::name).toList(), name);
            // Linux writes the new length over the digits and keeps the phone's padding ("Content-Length:   158").
            assertTrue(invite.diff().wan().text().contains("\r\nContent-Length:   158\r\n"), name);
        }
        CaseVerdict tcp = CaptureSip.classify(Path.of("samples/sip-over-tcp"));
        assertTrue(tcp.messages().stream().allMatch(m -> m.pair().lan().transport() == SipObservation.Transport.TCP));
    }

    @Test
    void untranslatedFlowsAreNeutral() throws IOException {
        CaseVerdict leak = CaptureSip.classify(Path.of("samples/leaked-private-source"));
        assertEquals(4, leak.count(AlgClass.NEUTRAL), leak.toString());
        AlgFinding u = leak.finding(AlgFindingType.UNTRANSLATED_FLOW);
        assertTrue(u.frames().containsAll(List.of(new FrameRef(CapturePoint.WAN, 3), new FrameRef(CapturePoint.WAN, 9))));
        assertTrue(leak.has(AlgFindingType.PRIVATE_ADDRESS_ON_WAN));
        CaseVerdict stale = CaptureSip.classify(Path.of("samples/stale-mapping"));
        assertEquals(8, stale.count(AlgClass.NEUTRAL), stale.toString());
        assertEquals(2, stale.count(AlgClass.LINUX_LIKE));
    }

    @Test
    void portClashRewritesToTheSecondPhonesOwnPortBothWays() throws IOException {
        CaseVerdict v = CaptureSip.classify(Path.of("samples/port-clash"));
        MessageVerdict ok = v.messages().get(3); // 200 OK to phone B's REGISTER
        assertEquals(Direction.INBOUND, ok.pair().direction());
        assertEquals("via[0].rport: 17302 -> 5060", Msgs.change(ok.diff(), "via[0].rport").orElseThrow().render());
        assertEquals(AlgClass.LINUX_LIKE, ok.algClass());
        MessageVerdict options = v.messages().get(6); // the registrar's OPTIONS to phone B
        assertEquals("OPTIONS", options.pair().wan().key().methodOrStatus());
        assertEquals(List.of("request-uri.host", "request-uri.port"),
                options.diff().compactChanges().stream().map(FieldChange::name).toList());
    }

    @Test
    void wanAddressChangeFollowsEachPacketsTranslation() throws IOException {
        CaseVerdict v = CaptureSip.classify(Path.of("samples/wan-address-change"));
        assertEquals(AlgClass.LINUX_LIKE, v.algClass());
        assertTrue(v.messages().stream().anyMatch(m -> m.pair().external().host().equals("203.0.113.3")
                && Msgs.change(m.diff(), "contact[0].host").map(c -> c.afterText().equals("203.0.113.3")).orElse(false)));
    }
}
