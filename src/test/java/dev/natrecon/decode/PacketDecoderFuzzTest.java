package dev.natrecon.decode;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.natrecon.FuzzContract;
import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.capture.RawFrame;

/**
 * Fuzz target for the L2-L4 decoder over every link type it knows (and, now and then, one it does not): one frame
 * from fuzz bytes, cut by a fuzz-chosen snaplen, decoded; a decoded packet's payload must lie inside the frame, and a
 * fragment's reassembled form is decoded again with {@link PacketDecoder#decodeDatagram}.
 */
class PacketDecoderFuzzTest {
    /** Every LINKTYPE_* the decoder handles ({@link LinkType}). */
    static final int[] LINK_TYPES = {LinkType.NULL, LinkType.ETHERNET, LinkType.PPP, LinkType.RAW_12, LinkType.RAW_14,
            LinkType.RAW, LinkType.LOOP, LinkType.LINUX_SLL, LinkType.NETLINK, LinkType.IPV4, LinkType.IPV6,
            LinkType.LINUX_SLL2};

    private final PacketDecoder decoder = new PacketDecoder();
    private final Packet packet = new Packet();

    @FuzzTest(maxDuration = "30s")
    void frame(FuzzedDataProvider fuzz) {
        int linkType = fuzz.consumeBoolean() ? fuzz.pickValue(LINK_TYPES) : fuzz.consumeInt();
        int cut = fuzz.consumeInt(0, 64);
        byte[] data = fuzz.consumeRemainingAsBytes();
        RawFrame f = new RawFrame();
        f.data = data;
        f.capturedLength = data.length;
        f.originalLength = data.length + cut;
        f.linkType = linkType;
        f.frameNumber = 1;
        FuzzContract.run(() -> decode(f));
    }

    private void decode(RawFrame f) {
        AnomalyCounts counts = new AnomalyCounts();
        Disposition d = decoder.decode(f, packet, counts);
        if (d == Disposition.DECODED) checkPayload(f.data.length);
        if (packet.isIp() && packet.ipEnd > packet.ipOffset && packet.ipEnd <= f.data.length) {
            // the IP part again as a datagram, as the reassembler hands it over
            decoder.decodeDatagram(f.data, packet.ipOffset, packet.ipEnd - packet.ipOffset, packet, counts, 1);
        }
    }

    private void checkPayload(int frameLength) {
        if (packet.payloadOffset < 0 || packet.payloadLength < 0
                || (long) packet.payloadOffset + packet.payloadLength > frameLength) {
            throw new AssertionError("payload [" + packet.payloadOffset + ", +" + packet.payloadLength
                    + ") outside the frame of " + frameLength + " bytes");
        }
    }
}
