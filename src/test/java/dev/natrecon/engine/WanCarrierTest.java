package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.conntrack.Arrival;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAN's carrier from the case settings: no flush, and a LAN packet without a WAN copy meanwhile leaves through
 * the WAN as far as conntrack goes, unless the sysctl dump says routes with link down are ignored.
 */
class WanCarrierTest {
    static Seen lanPacket() {
        Seen s = new Seen();
        s.side = Side.LAN;
        return s;
    }

    static Arrival dropped() {
        Arrival a = new Arrival();
        a.ingress = Arrival.Ingress.LAN;
        a.egress = Arrival.Egress.DROPPED;
        return a;
    }

    @Test
    void withTheRouteKeptAPacketWithoutWanCopyLeftThroughTheWan() {
        List<String> decisions = new ArrayList<>();
        WanCarrier c = new WanCarrier("wan0", "net.netfilter.nf_conntrack_acct = 1\n"
                + "net.ipv4.conf.wan0.ignore_routes_with_linkdown = 0\n", decisions);
        Arrival before = dropped();
        c.beforeArrival(lanPacket(), before);
        assertEquals(Arrival.Egress.DROPPED, before.egress, "carrier up: a drop is a drop");
        assertTrue(c.apply(WanCarrier.DOWN, 3_000_000_000L));
        Arrival during = dropped();
        c.beforeArrival(lanPacket(), during);
        assertEquals(Arrival.Egress.WAN, during.egress);
        assertTrue(c.apply(WanCarrier.UP, 8_000_000_000L));
        Arrival after = dropped();
        c.beforeArrival(lanPacket(), after);
        assertEquals(Arrival.Egress.DROPPED, after.egress);
        assertEquals(false, c.apply("remove", 9_000_000_000L), "not a carrier change");
        assertEquals(2, decisions.size(), decisions.toString());
        assertTrue(decisions.get(1).contains("1 LAN packet(s)"), decisions.get(1));
    }

    @Test
    void withRoutesIgnoredOnLinkDownThePacketDiedInRouting() {
        for (String key : List.of("all", "wan0")) {
            WanCarrier c = new WanCarrier("wan0", "net.ipv4.conf." + key + ".ignore_routes_with_linkdown = 1\n", new ArrayList<>());
            c.apply(WanCarrier.DOWN, 0);
            Arrival a = dropped();
            c.beforeArrival(lanPacket(), a);
            assertEquals(Arrival.Egress.DROPPED, a.egress, key);
        }
        // another interface's setting does not apply to the WAN
        WanCarrier other = new WanCarrier("wan0", "net.ipv4.conf.lan0.ignore_routes_with_linkdown = 1\n", new ArrayList<>());
        other.apply(WanCarrier.DOWN, 0);
        Arrival a = dropped();
        other.beforeArrival(lanPacket(), a);
        assertEquals(Arrival.Egress.WAN, a.egress);
    }

    @Test
    void caseSettingsReadTheCarrierKeysAsCarrierChanges(@TempDir Path dir) throws IOException {
        Path props = dir.resolve("case.properties");
        Files.writeString(props, "router.wan.address=203.0.113.2\nevent.wan.carrier.down.t=3.2\nevent.wan.carrier.up.t=8.5\n");
        // "3.2" is written to a tenth of a second: the change happened within ±0.05 s of it
        ModelSettings m = CaseSettings.load(props).apply(ModelSettings.defaults());
        assertEquals(List.of(new ModelSettings.LinkChange(3_200_000_000L, true, WanCarrier.DOWN, null, 50_000_000L),
                new ModelSettings.LinkChange(8_500_000_000L, true, WanCarrier.UP, null, 50_000_000L)), m.linkChanges());
    }
}
