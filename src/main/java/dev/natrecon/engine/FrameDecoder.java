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
    private final PacketDecoder decoder = new PacketDecoder();
    private final Defragmenter defragmenter = new Defragmenter();
    final Packet packet = new Packet();
    final AnomalyCounts anomalies;

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

    void finish() {
        defragmenter.finish(anomalies);
    }
}
