package dev.natrecon.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.natrecon.correlate.Crossing;
import dev.natrecon.correlate.CrossingClassifier;
import dev.natrecon.correlate.Inside;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.LinkEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** {@link Detection} calls a detector only for the frames it declares ({@link Detector#interest}). */
class DetectionInterestTest {
    private final CrossingClassifier classifier = new CrossingClassifier(Inside.privateRanges(), List.of(), List.of());
    private final Crossing crossing = new Crossing();

    /** Records the frames it is given; its interest is whatever the test sets, read only when Detection asks. */
    private static final class Recorder implements Detector {
        int interest;
        final List<Long> frames = new ArrayList<>();
        int asked;

        Recorder(int interest) {
            this.interest = interest;
        }

        @Override
        public List<Rule> rules() {
            return List.of();
        }

        @Override
        public int interest() {
            asked++;
            return interest;
        }

        @Override
        public void packet(Crossing c) {
            frames.add(c.seen().frame);
        }

        @Override
        public void finish(DetectionContext context, Consumer<Finding> findings) {
        }
    }

    /** A forwarded UDP frame (LAN, matched) numbered {@code frame}; RTP-shaped when {@code ssrc >= 0}. */
    private Seen rtp(long frame, long ssrc) {
        Seen s = new Seen();
        long[] src = new long[2], dst = new long[2];
        Addresses.parse("192.168.1.10", src);
        Addresses.parse("203.0.113.5", dst);
        s.side = Side.LAN;
        s.frame = s.sequence = frame;
        s.nanos = 1_000_000L * frame;
        s.disposition = Disposition.DECODED;
        s.protocol = 17;
        s.srcHi = src[0];
        s.srcLo = src[1];
        s.dstHi = dst[0];
        s.dstLo = dst[1];
        s.srcPort = 40000;
        s.dstPort = 30000;
        s.hasPorts = true;
        s.rtpSsrc = ssrc;
        s.outcome = Outcome.TRANSLATED;
        s.counterpartFrame = frame;
        return s;
    }

    private void offer(Detection d, Seen s) {
        classifier.classify(s, crossing);
        d.packet(crossing);
    }

    @Test
    void eachDetectorGetsOnlyTheKindsItReads() {
        Recorder any = new Recorder(PacketKinds.ANY), sip = new Recorder(PacketKinds.PAYLOAD),
                media = new Recorder(PacketKinds.RTP), none = new Recorder(PacketKinds.NONE),
                unmatched = new Recorder(PacketKinds.UNMATCHED | PacketKinds.LEAKED);
        Detection d = new Detection(new LiveEntries(), List.of(any, sip, media, none, unmatched));
        offer(d, rtp(1, 7));
        Seen message = rtp(2, -1);
        message.payload = "OPTIONS sip:x SIP/2.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        offer(d, message);
        Seen dropped = rtp(3, 7);
        dropped.counterpartFrame = 0;
        dropped.outcome = Outcome.NO_COUNTERPART;
        offer(d, dropped);
        Seen leaked = rtp(4, -1);
        leaked.side = Side.WAN;
        leaked.outcome = Outcome.LEAKED;
        offer(d, leaked);
        assertEquals(List.of(1L, 2L, 3L, 4L), any.frames);
        assertEquals(List.of(2L), sip.frames);
        assertEquals(List.of(1L, 3L), media.frames);
        assertEquals(List.of(), none.frames);
        assertEquals(List.of(3L, 4L), unmatched.frames);
    }

    @Test
    void anInterestIsAskedAgainAfterEventsAndUnusualFramesNotAfterOrdinaryOnes() {
        Recorder r = new Recorder(PacketKinds.LINK_EVENT);
        Detection d = new Detection(new LiveEntries(), List.of(r));
        int asked = r.asked;
        r.interest = PacketKinds.ANY; // not asked yet: ordinary frames still pass it by
        offer(d, rtp(1, 7));
        offer(d, rtp(2, -1));
        assertEquals(List.of(), r.frames);
        assertEquals(asked, r.asked);
        Seen arp = rtp(3, -1);
        arp.linkEvent = LinkEvent.ARP;
        offer(d, arp); // read with the old interest, then asked again
        assertEquals(asked + 1, r.asked);
        offer(d, rtp(4, 7));
        assertEquals(List.of(3L, 4L), r.frames);
        r.interest = PacketKinds.NONE;
        d.uplink(new UplinkChange(5, UplinkChange.Kind.DOWN, null, "test"));
        offer(d, rtp(6, 7));
        assertEquals(List.of(3L, 4L), r.frames);
    }

    @Test
    void kindsOfAFrame() {
        Seen s = rtp(1, 7);
        assertEquals(PacketKinds.ANY | PacketKinds.RTP, PacketKinds.of(s));
        s.rtpSsrc = -1;
        s.cpPayload = new byte[1];
        s.outcome = Outcome.ROUTED_BACK;
        assertEquals(PacketKinds.ANY | PacketKinds.COUNTERPART_PAYLOAD | PacketKinds.UNMATCHED, PacketKinds.of(s));
    }
}
