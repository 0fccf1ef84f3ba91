package dev.natrecon.engine;

import static dev.natrecon.testing.CallCaptures.request;
import static dev.natrecon.testing.CallCaptures.response;
import static dev.natrecon.testing.CallCaptures.sdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.conntrack.NatRule;
import dev.natrecon.correlate.Inside;
import dev.natrecon.correlate.Side;
import dev.natrecon.testing.CallCaptures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One capture of a router behind a carrier NAT (issue 16): its WAN side shows only RFC 6598 shared addresses (its own
 * 100.64 address and the carrier's SBC), no private one, and is taken as the WAN side; its LAN side shows the phone's
 * private address and stays the LAN side; a LAN numbered in shared space is said with {@code --inside}.
 */
class CarrierNatVantageTest {
    private static final long T0 = 1_700_000_000_000_000_000L, MS = 1_000_000L, S = 1_000_000_000L;
    private static final String PHONE = "192.168.1.10", ROUTER_WAN = "100.64.0.2", CARRIER_SBC = "100.64.0.1";
    private static final String ID = "cgnat-vantage-1@192.168.1.10";

    @TempDir
    Path tmp;

    @BeforeEach
    void writeACall() throws IOException {
        new CallCaptures(PHONE, ROUTER_WAN, CARRIER_SBC, true)
                .phoneSends(T0, request("INVITE", ID, 1, false, sdp("PHONE", 40000, null)))
                .remoteSends(T0 + 100 * MS, response(200, "OK", "INVITE", ID, 1, sdp(CARRIER_SBC, 30000, null)))
                .phoneSends(T0 + 150 * MS, request("ACK", ID, 1, true, null))
                .rtp(T0 + 200 * MS, T0 + 3 * S, 40000, 30000, true, true)
                .phoneSends(T0 + 3 * S, request("BYE", ID, 2, true, null))
                .remoteSends(T0 + 3 * S + 50 * MS, response(200, "OK", "BYE", ID, 2, null))
                .write(tmp);
    }

    @Test
    void theWanCaptureWithOnlySharedAddressesIsTheWanSide() throws IOException {
        VantagePoint vp = VantagePoint.of(tmp.resolve("wan.pcap"), null, Inside.privateRanges());
        assertEquals(Side.WAN, vp.side(), vp.reason());
        assertTrue(vp.reason().contains("100.64.0.0/10"), "the reason says why shared space was taken as outside: "
                + vp.reason());
    }

    @Test
    void theLanCaptureWithThePhonesPrivateAddressStaysTheLanSide() throws IOException {
        VantagePoint vp = VantagePoint.of(tmp.resolve("lan.pcap"), null, Inside.privateRanges());
        assertEquals(Side.LAN, vp.side(), vp.reason());
        assertFalse(vp.reason().contains("carrier NAT"), vp.reason());
    }

    @Test
    void aLanNumberedInSharedSpaceIsSaidWithInside() throws IOException {
        Inside shared = Inside.of(List.of(NatRule.Prefix.parse("100.64.0.0/10")));
        VantagePoint vp = VantagePoint.of(tmp.resolve("wan.pcap"), null, shared);
        assertEquals(Side.LAN, vp.side(), vp.reason());
    }

    @Test
    void theWholeOneCaptureRunOfTheWanSideClaimsNoPrivateAddress() throws IOException {
        RunResult r = Analysis.run(AnalysisInputs.single(tmp.resolve("wan.pcap"), null), List.of());
        assertEquals(List.of("wan"), r.roles(), r.decisions().toString());
        assertTrue(r.findings().stream().noneMatch(f -> f.id().equals("nat.private_source_leak")
                || f.id().equals("alg.private_address_on_wan") || f.id().equals("rtp.sdp_private_address_on_wan")),
                r.findings().toString());
    }
}
