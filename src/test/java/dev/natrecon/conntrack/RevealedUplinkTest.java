package dev.natrecon.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An uplink no capture shows, its address unknown ({@link UnknownNat}) until a WAN copy reveals it: masquerade on it
 * translates later entries to the revealed address (devinet.c:inet_select_addr), and the reveal flushes nothing.
 */
class RevealedUplinkTest {
    private static final long S = 1_000_000_000L;
    private static final String BACKUP = "198.51.100.2";

    @Test
    void entriesAfterTheRevealGetTheRevealedAddress() {
        Interfaces ifs = Interfaces.of("lan0", "wan0").address("lan0", "192.168.1.1/24").address("wan0", "203.0.113.2/24");
        ConntrackModel m = new ConntrackModel(Timeouts.linux6(), List.of(NatRule.masquerade("203.0.113.2",
                "192.168.1.0/24")), t -> null, ifs);
        List<ConntrackEvent> out = new ArrayList<>();
        m.addUplink("uncaptured", UnknownNat.ADDRESS + "/32");
        ConntrackTuple first = ConntrackTuple.of(17, "192.168.1.10", 5060, "198.18.0.5", 5060);
        m.onPacket(1 * S, new FrameRef("lan", 1), first, 0, 100, -1, out::add);
        ConntrackEntry e = m.find(first);
        assertTrue(UnknownNat.is(e.reply()), "made out of the uplink whose address no capture shows: " + e.reply().text());

        long[] a = ConntrackTuple.address(BACKUP);
        m.revealNat(e, a[0], a[1], 5060);
        int before = out.size();
        m.revealUplinkAddress(2 * S, "uncaptured", BACKUP, out::add);
        assertEquals(before, out.size(), "the reveal is the model's knowledge, not a kernel event: " + out);
        assertTrue(e.inTable, "nothing is flushed");

        ConntrackTuple second = ConntrackTuple.of(17, "192.168.1.11", 5060, "198.18.0.5", 5060);
        m.onPacket(3 * S, new FrameRef("lan", 2), second, 0, 100, -1, out::add);
        ConntrackTuple reply = m.find(second).reply();
        assertFalse(UnknownNat.is(reply), "a later entry on the uplink: " + reply.text());
        assertEquals(a[1], reply.dstLo(), reply.text());
        assertEquals(List.of(Interfaces.Address.parse(BACKUP + "/32")), m.interfaces().addresses("uncaptured"));
    }
}
