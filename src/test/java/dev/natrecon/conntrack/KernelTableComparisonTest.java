package dev.natrecon.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A table listing against the model's entries: verdicts per entry, and finding the listing's instant. */
class KernelTableComparisonTest {
    private static final String SIP = "ipv4     2 udp      17 3597 src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060 "
            + "packets=3 bytes=1372 src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060 packets=4 bytes=1635 mark=0 helper=sip use=1";
    private static final String RTP = "ipv4     2 udp      17 119 src=192.168.1.10 dst=203.0.113.5 sport=40000 dport=30000 "
            + "packets=145 bytes=29000 src=203.0.113.5 dst=203.0.113.2 sport=30000 dport=40000 packets=135 bytes=27000 [ASSURED] mark=0 use=1";

    private static EntryView view(String line) {
        return ConntrackText.entry(line).view();
    }

    private static EntryView with(EntryView v, ConntrackTuple reply, int status, long timeout, long origPackets) {
        return new EntryView(7, v.original(), reply, status, v.state(), timeout, v.helper(), origPackets, v.origBytes(),
                v.replyPackets(), v.replyBytes(), -1);
    }

    @Test
    void verdictsPerEntry() {
        List<KernelEntry> listing = List.of(ConntrackText.entry(SIP), ConntrackText.entry(RTP));
        EntryView sip = view(SIP), rtp = view(RTP);
        EntryView otherPort = with(rtp, ConntrackTuple.of(17, "203.0.113.5", 30000, "203.0.113.2", 1024), rtp.status(), 119, 145);
        EntryView extra = with(view(SIP.replace("sport=5060 dport=5060 packets=3", "sport=5062 dport=5060 packets=3")
                .replace("dport=5060 packets=4", "dport=5062 packets=4")), view(SIP.replace("dport=5060 packets=4",
                "dport=5062 packets=4")).reply(), sip.status(), 10, 1);
        KernelTableComparison.Result r = KernelTableComparison.compare(listing, List.of(with(sip, sip.reply(), sip.status(),
                3595, 3), otherPort, extra), 42, false, 2);
        assertEquals(1, r.matched(), r.toString());
        assertEquals(1, r.differs());
        assertEquals(0, r.missing());
        assertEquals(1, r.extra());
        assertEquals(2, r.maxTimeoutDifferenceSeconds());
        assertFalse(r.agrees());
        KernelTableComparison.EntryResult d = r.entries().get(1);
        assertEquals(KernelTableComparison.Verdict.DIFFERS, d.verdict());
        assertEquals(List.of("reply tuple: kernel src=203.0.113.5 dst=203.0.113.2 sport=30000 dport=40000, model "
                + "src=203.0.113.5 dst=203.0.113.2 sport=30000 dport=1024"), d.differences());

        KernelTableComparison.Result late = KernelTableComparison.compare(listing, List.of(with(sip, sip.reply(), sip.status(),
                3594, 3)), 42, false, 2);
        assertEquals(1, late.missing());
        assertEquals(List.of("timeout: kernel 3597 s, model 3594 s"), late.entries().get(0).differences());
        assertEquals(List.of("ASSURED: kernel yes, model no"), KernelTableComparison.compare(List.of(ConntrackText.entry(RTP)),
                List.of(with(rtp, rtp.reply(), Status.CONFIRMED | Status.SEEN_REPLY, 119, 145)), 0, false, 2).entries().get(0)
                .differences());
    }

    @Test
    void theProbeKeepsTheInstantTheTableFitsBest() {
        List<KernelEntry> listing = List.of(ConntrackText.entry(RTP));
        EntryView rtp = view(RTP);
        KernelTableComparison.Probe probe = new KernelTableComparison.Probe(listing, 2);
        List<Long> asked = new ArrayList<>();
        // the flow counts 7 packets a second each way; the listing shows 145 originals: the instant at 145
        for (long t = 0; t <= 30; t++) {
            long at = t, packets = 7 * t;
            EntryView model = with(rtp, rtp.reply(), rtp.status(), 120 - (t % 2), packets);
            probe.offer(at, 1, tuple -> tuple.equals(rtp.original()) ? model : null, () -> {
                asked.add(at);
                return List.of(model);
            });
        }
        KernelTableComparison.Result r = probe.result();
        assertTrue(r.estimated());
        assertEquals(21, r.atNanos(), "7 × 21 = 147 is the nearest count to 145");
        assertTrue(r.agrees());
        assertTrue(asked.size() < 31, "the whole table is only built for a better instant: " + asked);
    }
}
