package dev.natrecon.engine;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.capture.RawFrame;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.Packet;
import dev.natrecon.decode.PacketDecoder;
import dev.natrecon.reassembly.Defragmenter;

/**
 * Decode plus fragment reassembly for one capture: a fragment that completes its datagram turns its frame into the
 * decoded datagram (Wireshark shows reassembled data in the last fragment's frame too). Used identically by the
 * survey and the replay so both passes see the same packets.
 */
final class FrameDecoder {
    /**
     * The most bytes a reassembled datagram takes: its payload is at most 65535 bytes (the IP length field; larger
     * ones are discarded as oversized) and its header comes from the first fragment's frame, at most
     * {@link dev.natrecon.capture.CaptureReader#MAX_CAPTURED_LENGTH}.
     */
    static final int DATAGRAM_ROOM = dev.natrecon.capture.CaptureReader.MAX_CAPTURED_LENGTH + 65535;
    private final PacketDecoder decoder = new PacketDecoder();
    private final Defragmenter defragmenter = new Defragmenter();
    final Packet packet = new Packet();
    final AnomalyCounts anomalies;
    /**
     * What else reads each decoded, keyed frame of this capture where it is decoded (the replay's media statistics),
     * or null. Set before the capture's stream starts; called by the stream after {@link DecodedFrame#keyAndCount}.
     */
    MediaTap media;
    private int copied;

    FrameDecoder(AnomalyCounts anomalies) {
        this.anomalies = anomalies;
    }

    Disposition decode(RawFrame f, long nanos) {
        Disposition d = decoder.decode(f, packet, anomalies);
        if (d == Disposition.FRAGMENT) {
            if (defragmenter.offer(packet, nanos, f.frameNumber, anomalies)) {
                d = decoder.decodeDatagram(defragmenter.datagram(), 0, defragmenter.datagramLength(), packet, anomalies,
                        f.frameNumber);
            }
        }
        return d;
    }

    /**
     * {@link #decode(RawFrame, long)} into {@code p} rather than this decoder's own packet, for a packet that must
     * outlive the next frame (a slot of {@link DecodeAheadStream}): a datagram the frame completes is copied to
     * {@code room} at {@code at} (the defragmenter reuses its buffer) and decoded there; {@link #copied()} says how many
     * bytes that took. {@code room} must have {@link #DATAGRAM_ROOM} bytes free at {@code at}.
     */
    Disposition decode(RawFrame f, long nanos, Packet p, byte[] room, int at) {
        copied = 0;
        Disposition d = decoder.decode(f, p, anomalies);
        if (d == Disposition.FRAGMENT && defragmenter.offer(p, nanos, f.frameNumber, anomalies)) {
            copied = defragmenter.datagramLength();
            System.arraycopy(defragmenter.datagram(), 0, room, at, copied);
            d = decoder.decodeDatagram(room, at, copied, p, anomalies, f.frameNumber);
        }
        return d;
    }

    /** Bytes of {@code room} the last {@link #decode(RawFrame, long, Packet, byte[], int)} used (0: no datagram). */
    int copied() {
        return copied;
    }

    void finish() {
        defragmenter.finish(anomalies);
    }
}
