package dev.natrecon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.correlate.Side;
import dev.natrecon.detect.CallRecord;
import dev.natrecon.detect.EModel;
import dev.natrecon.media.StreamSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** summary.json's {@code streams} (bounded, per-stream E-model) and summary.md's media line per call. */
class MediaSummariesTest {
    private static StreamSummary stream(long ssrc, String codec, long packets, long expected, double jitter) {
        return new StreamSummary("wan", "call-1", "sdp-destination", ssrc, 0, codec, "0", 8000, "203.0.113.5:30000",
                "203.0.113.2:40000", false, 10, 20, 1_000_000_000L, 2_000_000_000L, packets, expected,
                expected - packets, 0, 0, 0, 1, 0, 19.0, 20.0, 21.0, 0.1, jitter, 2.0, 0.5, 25, 0, Double.NaN, 0,
                Double.NaN, Double.NaN, 0, "");
    }

    private static CallRecord call(List<CallRecord.Leg> legs) {
        return new CallRecord("call-1", "a@x", "b@y", true, 0, 100, 1_000, "BYE from the phone (caller)", "", "PCMU",
                legs, 20);
    }

    @Test
    void aStreamCarriesItsFiguresAndItsOwnScore() {
        StreamSummary s = stream(0x4e520a01L, "PCMU", 1423, 1500, 0.5);
        Map<String, Object> m = StreamsJson.stream(s, call(List.of()));
        assertEquals("0x4E520A01", m.get("ssrc"));
        assertEquals(77L, m.get("lost"));
        assertEquals(5.13, (Double) m.get("lost_percent"), 1e-9);
        assertEquals(0.5, (Double) m.get("jitter_mean_ms"), 1e-9);
        EModel.Score want = EModel.score(EModel.Codec.of("PCMU"), 1500, 77, 0.5, 20, -1);
        assertEquals(Math.round(want.mos() * 100) / 100.0, (Double) m.get("mos"), 1e-9);
        assertTrue((Double) m.get("mos") < 4.0, "5 % loss costs MOS: " + m.get("mos"));
        assertEquals(null, m.get("rtcp"), "no report block seen: no rtcp key");
        // a codec without G.113 values is not scored
        Map<String, Object> h263 = StreamsJson.stream(stream(7, "H263", 100, 100, 1.0), null);
        assertNull(h263.get("r"));
        assertNull(h263.get("mos"));
    }

    @Test
    void theListIsBoundedAndTheRestCounted() {
        List<StreamSummary> many = new ArrayList<>();
        for (int i = 0; i < StreamsJson.MAX_STREAMS + 3; i++) many.add(stream(i, "PCMU", 10, 10, 0.1));
        assertEquals(StreamsJson.MAX_STREAMS, StreamsJson.streams(many, List.of()).size());
        assertEquals(3, StreamsJson.notListed(many));
        assertEquals(0, StreamsJson.notListed(many.subList(0, 5)));
    }

    @Test
    void oneMediaLinePerCallWithEachCapturedSide() {
        EModel.Score score = EModel.score(EModel.Codec.of("PCMU"), 1500, 77, 0.5, 20, -1);
        List<CallRecord.Leg> legs = List.of(
                new CallRecord.Leg(Side.LAN, false, true, 1500, 1, 2, 0, 1500, 0.2, 3.4, null, 21, List.of()),
                new CallRecord.Leg(Side.WAN, false, true, 1423, 1, 2, 77, 1500, 0.5, 5.6, score, 60, List.of()),
                new CallRecord.Leg(Side.LAN, true, true, 0, -1, -1, -1, -1, -1, -1, null, -1, List.of()),
                new CallRecord.Leg(Side.WAN, true, false, 0, -1, -1, -1, -1, -1, -1, null, -1, List.of()));
        CallRecord c = call(legs);
        String remote = MarkdownMedia.direction(c, false);
        assertEquals(String.format(java.util.Locale.ROOT, "to the remote: LAN 1500 packets, 0 lost, jitter mean/max "
                + "0.2/3.4 ms / WAN 1423 packets, 77 lost (5.1 %%), jitter mean/max 0.5/5.6 ms, MOS %.2f", score.mos()),
                remote);
        // no RTP on the LAN, the WAN not captured: said, not left out
        assertEquals("to the phone: LAN no RTP", MarkdownMedia.direction(c, true));
        SafeBuilder m = new SafeBuilder(true, Escape::mdPlain);
        List<CallRecord> calls = new ArrayList<>();
        for (int i = 0; i < MarkdownMedia.MAX_CALLS + 2; i++) calls.add(c);
        MarkdownMedia.render(m, calls, true);
        String md = m.toString();
        assertEquals(MarkdownMedia.MAX_CALLS, md.lines().filter(l -> l.startsWith("- `call-1`")).count(), md);
        assertTrue(md.contains("2 more calls in calls.csv"), md);
    }
}
