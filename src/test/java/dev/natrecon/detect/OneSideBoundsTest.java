package dev.natrecon.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.natrecon.capture.Bound;
import dev.natrecon.correlate.Crossing;
import dev.natrecon.correlate.CrossingClassifier;
import dev.natrecon.correlate.Inside;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.Disposition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one-sided detectors' endpoint bounds are not silent: past {@link FarSideMappingDetector#MAX_INTERNALS} (and
 * {@link AlgMappedBackDetector#MAX_ENDPOINTS}) the further endpoints are counted once each and reported as
 * {@code detect.too_many_endpoints}, while the followed ones still make their findings.
 */
class OneSideBoundsTest {
    private static final long T0 = 1_700_000_000_000_000_000L;
    /** More phones than the bound: 4 past it. */
    private static final int PHONES = FarSideMappingDetector.MAX_INTERNALS + 4;

    private final CrossingClassifier classifier = new CrossingClassifier(Inside.privateRanges(), List.of(), List.of());
    private final Crossing crossing = new Crossing();

    /** A registrar's 200 OK to phone {@code i} behind a NAT whose ALG mapped received=/rport= back (LAN side). */
    private void answer(List<Detector> detectors, int i, long frame) {
        String phone = "10." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "." + (i & 0xff);
        String text = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP " + phone + ":5060;branch=z9hG4bK-" + i + ";received=" + phone
                + ";rport=5060\r\nFrom: <sip:" + i + "@203.0.113.5>;tag=a\r\nTo: <sip:" + i + "@203.0.113.5>;tag=b\r\n"
                + "Call-ID: c" + i + "@" + phone + "\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n";
        Seen s = new Seen();
        long[] src = new long[2], dst = new long[2];
        Addresses.parse("203.0.113.5", src);
        Addresses.parse(phone, dst);
        s.side = Side.LAN;
        s.frame = frame;
        s.sequence = frame;
        s.nanos = T0 + frame * 1_000_000L;
        s.disposition = Disposition.DECODED;
        s.protocol = 17;
        s.srcHi = src[0];
        s.srcLo = src[1];
        s.dstHi = dst[0];
        s.dstLo = dst[1];
        s.srcPort = s.dstPort = 5060;
        s.hasPorts = true;
        s.payload = text.getBytes(StandardCharsets.ISO_8859_1);
        s.payloadLength = s.payload.length;
        s.length = s.payloadLength + 28;
        s.outcome = Outcome.OUTSIDE_SPAN;
        classifier.classify(s, crossing);
        for (Detector d : detectors) d.packet(crossing);
    }

    @Test
    void endpointsPastTheBoundAreCountedAndNoticed() {
        SipFacts.Memo memo = new SipFacts.Memo(Inside.privateRanges());
        FarSideMappingDetector far = new FarSideMappingDetector(memo);
        AlgMappedBackDetector back = new AlgMappedBackDetector(memo);
        List<Detector> detectors = List.of(far, back);
        long frame = 1;
        for (int i = 0; i < PHONES; i++) answer(detectors, i, frame++);
        for (int i = PHONES - 4; i < PHONES; i++) answer(detectors, i, frame++); // the same phones again: counted once
        DetectionContext ctx = new DetectionContext("t", List.of(), null, List.of(), false, () -> null,
                new long[] {T0, T0 + frame * 1_000_000L}, new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
        List<Finding> farFindings = new ArrayList<>(), backFindings = new ArrayList<>();
        far.finish(ctx, farFindings::add);
        back.finish(ctx, backFindings::add);
        assertEquals(FarSideMappingDetector.MAX_INTERNALS,
                farFindings.stream().filter(f -> f.id().equals("nat.far_side_mapping")).count());
        assertEquals(AlgMappedBackDetector.MAX_ENDPOINTS, backFindings.size());
        assertEquals(Map.of(Bound.ONE_SIDE_ENDPOINTS, 4L), far.boundsHit());
        assertEquals(Map.of(Bound.ONE_SIDE_ENDPOINTS, 4L), back.boundsHit());
        assertEquals("alg.reply_mapped_back", backFindings.get(0).id());
        assertEquals(List.of(1L), backFindings.get(0).frames("lan"));
    }
}
