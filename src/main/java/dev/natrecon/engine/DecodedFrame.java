package dev.natrecon.engine;

import dev.natrecon.capture.RawFrame;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.Packet;

/**
 * One frame of a capture as the replay consumes it: read, placed on the reference timeline, decoded (and reassembled
 * when it completes a datagram). A reused slot: valid until its stream moves past it.
 */
final class DecodedFrame {
    /** The frame; its bytes belong to the stream's buffer. */
    final RawFrame frame = new RawFrame();
    /** The decoded view of {@link #frame} (or of the datagram the frame completed). */
    final Packet packet;
    Disposition disposition;
    /** The frame's ordering time on the reference timeline: the file's clamped clock, then the clock correction. */
    long orderNanos;

    DecodedFrame(Packet packet) {
        this.packet = packet;
    }
}
