package dev.natrecon.engine;

import dev.natrecon.capture.RawFrame;
import dev.natrecon.correlate.MatchKeys;
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
    /** The packet's {@link MatchKeys} key (0: none, or not decoded), computed where the bytes were decoded. */
    long key;
    /** The rule that gave {@link #key}, or {@link MatchKeys.Kind#NONE}. */
    MatchKeys.Kind keyKind = MatchKeys.Kind.NONE;
    /**
     * Where this frame's {@link FrameRecord} is written: its batch's array (or its own), at {@link #base}; set again by
     * a stream that moves slots between positions ({@link DecodeAheadStream}).
     */
    long[] records;
    int base;

    /**
     * Keys the decoded packet with {@code keys} (a pure function of the packet's bytes) and writes its
     * {@link FrameRecord} with its flow's count from {@code flows} (the file's), then counts the frame into its capture's statistics when there are any ({@code counter}
     * null: a router capture, counted by its survey).
     */
    void keyAndCount(MatchKeys keys, FlowIds flows, Analysis.StatsCounter counter) {
        key(keys);
        FrameRecord.write(records, base, this, flows);
        if (counter != null) counter.frame(frame, packet, disposition, key != 0 ? keyKind : null);
    }

    private void key(MatchKeys keys) {
        if (disposition == Disposition.DECODED) {
            key = keys.key(packet);
            keyKind = keys.lastKind();
        } else {
            key = 0;
            keyKind = MatchKeys.Kind.NONE;
        }
    }

    /** A slot with a record of its own. */
    DecodedFrame(Packet packet) {
        this(packet, new long[FrameRecord.STRIDE], 0);
    }

    /** A slot whose record is {@code records[base]} onwards ({@link FrameRecord#STRIDE} longs). */
    DecodedFrame(Packet packet, long[] records, int base) {
        this.packet = packet;
        this.records = records;
        this.base = base;
    }
}
