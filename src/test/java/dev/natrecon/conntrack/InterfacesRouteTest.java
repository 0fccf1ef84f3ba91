package dev.natrecon.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Routing with a backup uplink: the WAN's connected route first, the default route's interface once it is gone. */
class InterfacesRouteTest {
    @Test
    void theDefaultRouteTakesOverWhenTheWansConnectedRouteGoesAndHandsBackWhenItReturns() {
        Interfaces ifs = Interfaces.of("lan0", "wan0").address("lan0", "192.168.1.1/24").address("wan0", "203.0.113.2/24")
                .add("wan1", Interfaces.Role.WAN).address("wan1", "198.51.100.2/32").defaultRoute("wan1");
        long[] provider = ConntrackTuple.address("203.0.113.5"), elsewhere = ConntrackTuple.address("192.0.2.77");
        assertEquals("wan0", ifs.route(provider[0], provider[1]), "connected");
        assertEquals("wan1", ifs.route(elsewhere[0], elsewhere[1]), "default route");
        long[] wan = ConntrackTuple.address("203.0.113.2");
        ifs.removeAddress("wan0", wan[0], wan[1]);
        assertEquals("wan1", ifs.route(provider[0], provider[1]), "the connected route went with the address");
        ifs.addAddress("wan0", Interfaces.Address.parse("203.0.113.2/24"));
        assertEquals("wan0", ifs.route(provider[0], provider[1]), "back");
        Interfaces plain = Interfaces.of("lan0", "wan0").add("wan1", Interfaces.Role.WAN);
        assertEquals("wan0", plain.route(elsewhere[0], elsewhere[1]), "no default route given: the first WAN up");
        assertEquals("wan1", ifs.copy().route(elsewhere[0], elsewhere[1]), "copied with the default route");
    }
}
