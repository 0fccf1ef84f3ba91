package dev.natrecon.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link HopLedger}'s counting and {@link HopVerdicts}' hop and noise thresholds, on made-up streams. */
class HopVerdictsTest {
    private static final long MS = 1_000_000L;

    /** A stream of {@code n} packets from sequence {@code first}; {@code fate} says per index what happened. */
    interface Fate {
        /** 0 forwarded, 1 lost at the router, 2 never reached the ingress capture (lost before). */
        int of(int i);
    }

    static HopLedger stream(int n, int first, Fate fate, long delayNanos) {
        HopLedger l = new HopLedger(0x4e520a01L, true, "lan", "wan", "192.168.1.10:40000", "203.0.113.5:30000");
        long frame = 1;
        for (int i = 0; i < n; i++) {
            int f = fate.of(i);
            if (f == 2) continue;
            int seq = (first + i) & 0xffff;
            l.arriving(seq, frame, i * 20 * MS, f == 0, f == 1, delayNanos);
            if (f == 0) l.leaving(seq, frame + 1);
            frame += 2;
        }
        return l;
    }

    @Test
    void aCleanStreamHasNoVerdict() {
        HopLedger l = stream(1500, 1000, i -> 0, 30_000);
        assertEquals(1500, l.expected());
        assertEquals(0, l.lostBefore());
        assertEquals(0, l.lostAtRouter());
        assertEquals(List.of(), HopVerdicts.judge(l));
    }

    @Test
    void packetsMissingOnTheEgressCaptureAreLostAtTheRouterAcrossASequenceWrap() {
        // every 20th packet dropped by the router, from sequence 65000 through the wrap to 0
        HopLedger l = stream(1500, 65000, i -> i % 20 == 10 ? 1 : 0, 40 * MS);
        assertEquals(1500, l.expected(), "the wrap is no jump");
        assertEquals(75, l.lostAtRouter());
        List<HopVerdict> v = HopVerdicts.judge(l);
        assertEquals(2, v.size(), v.toString());
        assertEquals(HopVerdict.Hop.AT_ROUTER, v.get(0).hop());
        assertEquals(HopVerdict.Impairment.LOSS, v.get(0).impairment());
        assertEquals(5.0, v.get(0).percent(), 1e-9);
        assertEquals(HopVerdict.Impairment.DELAY, v.get(1).impairment());
        assertEquals(40.0, v.get(1).percent(), 1e-9);
        assertEquals(HopVerdict.Hop.AT_ROUTER, v.get(1).hop());
    }

    @Test
    void gapsOnTheIngressCaptureAreLostBeforeTheRouter() {
        HopLedger l = stream(1000, 100, i -> i % 25 == 3 ? 2 : 0, 50_000);
        assertEquals(1000, l.expected());
        assertEquals(40, l.lostBefore());
        assertEquals(40, l.gapEvents());
        List<HopVerdict> v = HopVerdicts.judge(l);
        assertEquals(1, v.size(), v.toString());
        assertEquals(HopVerdict.Hop.BEFORE_ROUTER, v.get(0).hop());
        assertEquals(4.0, v.get(0).percent(), 1e-9);
        assertEquals(HopLedger.KEEP, v.get(0).frames().length, "a few evidence frames, not all");
    }

    @Test
    void lossWithinNoiseIsNoVerdict() {
        // 4 of 1000 at the router: under 1 % and under 5 packets
        assertEquals(List.of(), HopVerdicts.judge(stream(1000, 0, i -> i % 250 == 7 ? 1 : 0, 30_000)));
        // 9 of 1000: 5 packets or more but under 1 %
        assertEquals(List.of(), HopVerdicts.judge(stream(1000, 0, i -> i % 111 == 7 ? 1 : 0, 30_000)));
        // 10 of 50: a high share of too short a stream
        assertEquals(List.of(), HopVerdicts.judge(stream(50, 0, i -> i % 5 == 1 ? 1 : 0, 30_000)));
    }

    @Test
    void lateCopiesOnTheEgressCaptureAreReorderingAtTheRouter() {
        HopLedger l = new HopLedger(7, false, "wan", "lan", "203.0.113.5:30000", "203.0.113.2:40000");
        for (int i = 0; i < 500; i++) l.arriving(i, i + 1, i * 20 * MS, true, false, 100_000);
        // the router swaps every 25th pair on the way out
        for (int i = 0; i < 500; i++) {
            int seq = i % 25 == 0 && i + 1 < 500 ? i + 1 : i % 25 == 1 ? i - 1 : i;
            l.leaving(seq, 1000 + i);
        }
        assertEquals(0, l.reorderedBefore());
        assertEquals(20, l.reorderedAtRouter());
        List<HopVerdict> v = HopVerdicts.judge(l);
        assertEquals(1, v.size(), v.toString());
        assertEquals(HopVerdict.Impairment.REORDERING, v.get(0).impairment());
        assertEquals(HopVerdict.Hop.AT_ROUTER, v.get(0).hop());
    }

    @Test
    void theFarEndsReceiverReportShowsLossAfterTheRouter() {
        HopLedger l = stream(1000, 0, i -> i % 50 == 5 ? 1 : 0, 30_000); // 20 lost at the router (2 %)
        StreamSummary report = summary("wan", 0x4e520a01L, 1000, 0, 3, 70);
        assertEquals(50, HopVerdicts.lostAfter(l, null, report), "70 reported, 20 explained");
        List<HopVerdict> v = HopVerdicts.judge(l, null, report);
        assertEquals(List.of(HopVerdict.Hop.AT_ROUTER, HopVerdict.Hop.AFTER_ROUTER), v.stream().map(HopVerdict::hop).toList());
        assertEquals(50, v.get(1).count());
        assertTrue(HopVerdicts.afterTheRouter(l, null, report).startsWith("50 at least"));
        // no report: cannot tell, and no verdict after the router
        assertEquals(-1, HopVerdicts.lostAfter(l, null, null));
        assertTrue(HopVerdicts.afterTheRouter(l, null, null).startsWith("cannot tell"));
        // a report that the router's captures explain entirely: nothing after it
        assertEquals(0, HopVerdicts.lostAfter(l, null, summary("wan", 0x4e520a01L, 1000, 0, 2, 18)));
    }

    @Test
    void theIngressSidesStatisticsGiveTheLossBeforeTheRouter() {
        HopLedger l = stream(1000, 0, i -> 0, 30_000);
        StreamSummary ingress = summary("lan", 0x4e520a01L, 1030, 30, 0, 0);
        List<HopVerdict> v = HopVerdicts.judge(l, ingress, null);
        assertEquals(1, v.size(), v.toString());
        assertEquals(HopVerdict.Hop.BEFORE_ROUTER, v.get(0).hop());
        assertEquals(30, v.get(0).count());
        assertEquals(1030, v.get(0).outOf());
    }

    static StreamSummary summary(String side, long ssrc, long expected, long lost, long reports, long cumulativeLost) {
        return new StreamSummary(side, "", "", ssrc, 0, "PCMU", "0", 8000, "192.168.1.10:40000", "203.0.113.5:30000",
                false, 1, 2, 0, 0, expected - lost, expected, lost, 0, 0, 0, 0, 0, 20, 20, 20, 0, 0, 0, 0, 0, reports,
                0, cumulativeLost, 0, Double.NaN, 0, "");
    }

    @Test
    void sequenceNumbersExtendAsRfc3550Does() {
        assertEquals(65536, HopLedger.extend(0, 65535));
        assertEquals(99, HopLedger.extend(99, 100), "a late packet");
        assertEquals(65535, HopLedger.extend(65535, 65536), "late across the wrap");
    }
}
