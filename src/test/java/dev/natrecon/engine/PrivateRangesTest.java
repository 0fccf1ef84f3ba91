package dev.natrecon.engine;

import static dev.natrecon.testing.CallCaptures.REMOTE;
import static dev.natrecon.testing.CallCaptures.request;
import static dev.natrecon.testing.CallCaptures.response;
import static dev.natrecon.testing.CallCaptures.sdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Side;
import dev.natrecon.detect.Finding;
import dev.natrecon.detect.Severity;
import dev.natrecon.testing.CallCaptures;
import dev.natrecon.testing.Frames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Private" means RFC 1918 / RFC 4193 and nothing else (issue 16), with no {@code --inside} given: a router whose WAN is
 * behind a carrier NAT (100.64.0.0/10, RFC 6598) is not flagged for its own WAN address in SIP and SDP nor for the
 * carrier's 100.64 equipment on its WAN side; loopback and link-local on a capture are never a "private source leak".
 * Each has its control that fires (a 192.168.x phone address left on the WAN, a 10.x source on the WAN).
 */
class PrivateRangesTest {
    private static final long T0 = 1_700_000_000_000_000_000L, MS = 1_000_000L, S = 1_000_000_000L;
    private static final String PHONE = "192.168.1.10", CARRIER_WAN = "100.64.0.2", CARRIER_GW = "100.64.0.1";
    private static final String ID = "cgnat-call-1@192.168.1.10";

    @TempDir
    Path tmp;

    /** A call through a router with WAN address {@code wan}, RTP both ways for 5 s, and {@code extra} frames. */
    private RunResult call(String wan, boolean algRewrites, java.util.function.Consumer<CallCaptures> extra) throws IOException {
        CallCaptures c = new CallCaptures(PHONE, wan, algRewrites)
                .phoneSends(T0, request("INVITE", ID, 1, false, sdp("PHONE", 40000, null)))
                .remoteSends(T0 + 100 * MS, response(200, "OK", "INVITE", ID, 1, sdp(REMOTE, 30000, null)))
                .phoneSends(T0 + 150 * MS, request("ACK", ID, 1, true, null))
                .rtp(T0 + 200 * MS, T0 + 5 * S, 40000, 30000, true, true)
                .phoneSends(T0 + 5 * S, request("BYE", ID, 2, true, null))
                .remoteSends(T0 + 5 * S + 50 * MS, response(200, "OK", "BYE", ID, 2, null));
        extra.accept(c);
        c.write(tmp);
        return Analysis.run(AnalysisInputs.pair(tmp.resolve("lan.pcap"), tmp.resolve("wan.pcap"))
                .withModel(ModelSettings.defaults()), List.of());
    }

    private static List<String> ids(RunResult r) {
        return r.findings().stream().map(Finding::id).toList();
    }

    @Test
    void aRouterBehindACarrierNatIsNotFlaggedForItsOwnWanAddress() throws IOException {
        RunResult r = call(CARRIER_WAN, true, c -> {
            // the carrier's gateway talks to the router's WAN address (NTP), and answers it
            for (int i = 0; i < 4; i++) {
                c.wanOnly(T0 + i * S + 300 * MS, Frames.udp(CARRIER_GW, 123, CARRIER_WAN, 123, 9000 + i, 64, new byte[48]));
            }
        });
        List<String> ids = ids(r);
        assertFalse(ids.contains("nat.private_source_leak"), ids.toString());
        assertFalse(ids.contains("alg.private_address_on_wan"), ids.toString());
        assertFalse(ids.contains("rtp.sdp_private_address_on_wan"), ids.toString());
        assertEquals(0, r.outcome(Side.WAN, Outcome.LEAKED));
        assertTrue(r.findings().stream().noneMatch(f -> f.severity() == Severity.ERROR), r.findings().toString());
    }

    /** The provider is the carrier's own SBC in the shared space, on the router's WAN side. */
    @Test
    void aProviderInTheCarriersSharedSpaceIsOnTheWanSide() throws IOException {
        CallCaptures c = new CallCaptures(PHONE, CARRIER_WAN, CARRIER_GW, true)
                .phoneSends(T0, request("INVITE", ID, 1, false, sdp("PHONE", 40000, null)))
                .remoteSends(T0 + 100 * MS, response(200, "OK", "INVITE", ID, 1, sdp(CARRIER_GW, 30000, null)))
                .phoneSends(T0 + 150 * MS, request("ACK", ID, 1, true, null))
                .rtp(T0 + 200 * MS, T0 + 5 * S, 40000, 30000, true, true)
                .phoneSends(T0 + 5 * S, request("BYE", ID, 2, true, null))
                .remoteSends(T0 + 5 * S + 50 * MS, response(200, "OK", "BYE", ID, 2, null))
                // one packet of the phone to the SBC that the router did not forward: a drop, not LAN-local traffic
                .lanOnly(T0 + 3 * S + 7 * MS, Frames.udp(PHONE, 40010, CARRIER_GW, 30010, 4242, 64, new byte[32]));
        c.write(tmp);
        RunResult r = Analysis.run(AnalysisInputs.pair(tmp.resolve("lan.pcap"), tmp.resolve("wan.pcap"))
                .withModel(ModelSettings.defaults()), List.of());
        assertEquals(0, r.outcome(Side.WAN, Outcome.LEAKED));
        assertEquals(0, r.outcome(Side.LAN, Outcome.LOCAL), "the phone's packets to the carrier's SBC cross the router");
        assertEquals(1, r.outcome(Side.LAN, Outcome.NO_COUNTERPART), "the one not forwarded has no WAN copy");
        assertTrue(r.findings().stream().noneMatch(f -> f.severity() != Severity.INFO), r.findings().toString());
    }

    /**
     * A carrier NAT that gives its subscribers RFC 1918 WAN addresses: an SDP on the WAN advertising the address its
     * own (translated, not leaked) packet comes from is as reachable as the signalling, no private media address.
     */
    @Test
    void anSdpWithTheRoutersOwnPrivateWanAddressIsNotAPrivateMediaAddress() throws IOException {
        RunResult r = call("10.64.0.2", true, c -> { });
        List<String> ids = ids(r);
        assertFalse(ids.contains("rtp.sdp_private_address_on_wan"), ids.toString());
        assertFalse(ids.contains("nat.private_source_leak"), ids.toString());
        // control: without the helper the phone's 192.168.1.10 is still left on the WAN
        RunResult off = call("10.64.0.2", false, c -> { });
        assertTrue(ids(off).contains("rtp.sdp_private_address_on_wan"), ids(off).toString());
    }

    @Test
    void thePhonesOwnPrivateAddressOnACarrierNatWanIsStillFlagged() throws IOException {
        RunResult r = call(CARRIER_WAN, false, c -> { });
        List<Finding> sdp = r.findings().stream().filter(f -> f.id().equals("rtp.sdp_private_address_on_wan")).toList();
        assertEquals(1, sdp.size(), ids(r).toString());
        assertTrue(sdp.get(0).message().contains(PHONE) && !sdp.get(0).message().contains(CARRIER_WAN), sdp.get(0).message());
        assertTrue(ids(r).contains("alg.private_address_on_wan"), ids(r).toString());
    }

    @Test
    void loopbackAndLinkLocalAreNeverALeakButAPrivateSourceIs() throws IOException {
        RunResult r = call("203.0.113.2", true, c -> {
            for (int i = 0; i < 3; i++) {
                long t = T0 + i * S + 400 * MS;
                c.wanOnly(t, Frames.udp("127.0.0.1", 5000, "127.0.0.1", 5001, 100 + i, 64, new byte[20]));
                c.wanOnly(t + MS, Frames.udp("169.254.7.1", 5353, "169.254.7.2", 5353, 200 + i, 255, new byte[20]));
                c.lanOnly(t + 2 * MS, Frames.udp("127.0.0.1", 5000, "127.0.0.1", 5001, 300 + i, 64, new byte[20]));
            }
            // control: a private source the router did not translate
            c.wanOnly(T0 + 2 * S, Frames.udp("10.20.30.40", 5060, REMOTE, 5060, 400, 63, new byte[20]));
        });
        assertEquals(1, r.outcome(Side.WAN, Outcome.LEAKED), "only the 10.20.30.40 packet leaked");
        List<Finding> leaks = r.findings().stream().filter(f -> f.id().equals("nat.private_source_leak")).toList();
        assertEquals(1, leaks.size(), leaks.toString());
        assertTrue(leaks.get(0).message().contains("10.20.30.40"), leaks.get(0).message());
        assertEquals(6, r.outcome(Side.WAN, Outcome.LOCAL), "loopback and link-local are the capturing host's own");
    }

    /**
     * The public corpus's pcapng with an {@code any} (SLL) and an Ethernet interface, given alone: the {@code any}
     * interface holds loopback ICMP (127.0.0.1), which is neither a second side of a router nor a private source leak.
     * (Given as {@code --router} it is refused: no interface has a WAN face; PublicCorpusAnalyzeTest.)
     */
    @Test
    void theAnyInterfacesLoopbackTrafficIsNotALeak() throws IOException {
        Path file = Path.of("src/test/resources/public/format/pcapng_sll_eth_2if.pcapng");
        AnalysisInputs lone = LoneCapture.inputs(file, null);
        assertTrue(lone.singleCapture(), "one side's capture, not a router's: " + lone);
        RunResult r = Analysis.run(lone.withModel(ModelSettings.defaults()), List.of());
        assertFalse(ids(r).contains("nat.private_source_leak"), ids(r).toString());
        assertEquals(0, r.outcome(Side.WAN, Outcome.LEAKED) + r.outcome(Side.LAN, Outcome.LEAKED));
        assertTrue(r.findings().stream().noneMatch(f -> f.severity() == Severity.ERROR), r.findings().toString());
    }
}
