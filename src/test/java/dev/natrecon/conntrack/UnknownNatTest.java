package dev.natrecon.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An entry whose NAT no capture shows: compared with the kernel's address in its place, counted apart unless revealed. */
class UnknownNatTest {
    private static final String KEY = "udp src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060";
    private static final String NEW = "[NEW] ipv4     2 udp      17 3600 src=192.168.1.10 dst=203.0.113.5 sport=5060 "
            + "dport=5060 [UNREPLIED] src=203.0.113.5 dst=%s sport=5060 dport=5060 helper=sip";
    private static final String ASSURED = "[UPDATE] ipv4     2 udp      17 3600 src=192.168.1.10 dst=203.0.113.5 "
            + "sport=5060 dport=5060 src=203.0.113.5 dst=%s sport=5060 dport=5060 [ASSURED] helper=sip";
    private static final String DESTROY = "[DESTROY] ipv4     2 udp      17 120 src=192.168.1.10 dst=203.0.113.5 "
            + "sport=5060 dport=5060 packets=4 bytes=%d src=203.0.113.5 dst=%s sport=5060 dport=5060 packets=2 "
            + "bytes=%d [ASSURED] delta-time=6";
    private static final String BACKUP = "198.51.100.2";

    private static KernelComparison.Life life(String address, int bytes, long t0) {
        KernelComparison.Life l = new KernelComparison.Life(KEY);
        l.start = t0;
        l.newBody = String.format(NEW, address);
        l.updates.add(String.format(ASSURED, address));
        l.updateTimes.add(t0 + 2_500_000_000L);
        l.updateEarliest.add(t0 + 2_500_000_000L);
        l.assuredAt = t0 + 2_500_000_000L;
        l.end = t0 + 6_000_000_000L;
        l.destroyBody = String.format(DESTROY, bytes, address, bytes / 2);
        l.id = 2;
        return l;
    }

    private static List<KernelComparison.EntryResult> compared(KernelComparison.Life kernel, KernelComparison.Life model) {
        List<String> d = KernelComparison.differences(kernel, model, 0, 0, KernelComparison.Options.DEFAULT);
        List<KernelComparison.EntryResult> r = new ArrayList<>(List.of(new KernelComparison.EntryResult(
                d.isEmpty() ? KernelComparison.Verdict.MATCHED : KernelComparison.Verdict.DIFFERS, kernel, model, d)));
        UnknownNat.reclassify(r, 0, 0, KernelComparison.Options.DEFAULT);
        return r;
    }

    @Test
    void theStandInMarksOnlyItsOwnAddress() {
        assertTrue(UnknownNat.is(ConntrackTuple.of(17, "203.0.113.5", 5060, UnknownNat.ADDRESS, 5060)));
        assertFalse(UnknownNat.is(ConntrackTuple.of(17, "203.0.113.5", 5060, BACKUP, 5060)));
    }

    @Test
    void anAddressNoCaptureShowsIsNotObservableAndItsLinesCountApart() {
        KernelComparison.EntryResult r = compared(life(BACKUP, 1542, 0), life(UnknownNat.ADDRESS, 1522, 0)).get(0);
        assertEquals(KernelComparison.Verdict.UNOBSERVABLE, r.verdict(), r.differences().toString());
        assertTrue(UnknownNat.is(r));
        assertTrue(r.differences().get(0).contains(BACKUP), r.differences().toString());
        assertEquals(3, UnknownNat.lines(r));
        assertEquals(3, UnobservableKill.lines(List.of(r)));
        assertTrue(UnobservableKill.kills(List.of(r)).isEmpty(), "not a kill no packet made");
    }

    @Test
    void revealedLaterItMatches() {
        KernelComparison.Life model = life(UnknownNat.ADDRESS, 1522, 0);
        model.destroyBody = String.format(DESTROY, 1522, BACKUP, 761); // after the reveal the model's lines show it
        KernelComparison.EntryResult r = compared(life(BACKUP, 1542, 0), model).get(0);
        assertEquals(KernelComparison.Verdict.MATCHED, r.verdict(), r.differences().toString());
    }

    @Test
    void anyOtherDifferenceStays() {
        KernelComparison.Life model = life(UnknownNat.ADDRESS, 1522, 0);
        model.newBody = model.newBody.replace("helper=sip", "");
        assertEquals(KernelComparison.Verdict.DIFFERS, compared(life(BACKUP, 1542, 0), model).get(0).verdict());
        KernelComparison.Life late = life(UnknownNat.ADDRESS, 1522, -3_000_000_000L);
        assertEquals(KernelComparison.Verdict.DIFFERS, compared(life(BACKUP, 1542, 0), late).get(0).verdict());
    }

    @Test
    void expectationLinesNameTheExpectedAddressFirst() {
        String line = "180 proto=17 src=203.0.113.5 dst=0.0.0.0 sport=0 dport=5060 mask-src=255.255.255.255 "
                + "mask-dst=255.255.255.255 sport=0 dport=65535 master-src=192.168.1.10 master-dst=203.0.113.5";
        assertEquals(UnknownNat.ADDRESS, UnknownNat.expectedDst(line));
        assertEquals(line.replace("dst=0.0.0.0", "dst=" + BACKUP), UnknownNat.expectedWith(line, BACKUP));
    }

    @Test
    void aListedEntryEqualButForTheAddressIsNotObservable() {
        String listed = "ipv4     2 udp      17 3599 src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060 packets=2 "
                + "bytes=766 src=203.0.113.5 dst=%s sport=%d dport=5060 packets=2 bytes=734 [ASSURED] mark=0 "
                + "helper=sip use=1";
        List<KernelEntry> kernel = List.of(ConntrackText.entry(String.format(listed, BACKUP, 5060)));
        KernelTableComparison.Result same = UnknownNat.listing(KernelTableComparison.compare(kernel,
                List.of(ConntrackText.entry(String.format(listed, UnknownNat.ADDRESS, 5060)).view()), 0, true, 2));
        assertEquals(1, same.unobservable(), same.toString());
        assertTrue(same.agreesButUnobservable());
        KernelTableComparison.Result port = UnknownNat.listing(KernelTableComparison.compare(kernel,
                List.of(ConntrackText.entry(String.format(listed, UnknownNat.ADDRESS, 5061)).view()), 0, true, 2));
        assertEquals(1, port.differs(), port.toString());
    }
}
