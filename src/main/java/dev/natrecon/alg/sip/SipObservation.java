package dev.natrecon.alg.sip;

import dev.natrecon.decode.sip.SipParse;
import dev.natrecon.decode.sip.SipParser;
import java.util.List;

/**
 * One SIP message as one capture point saw it: where (capture point, the frames that carried it — several for a
 * message over TCP segments —, time of the last one in ns), how (transport, source and destination from the packet's
 * own IP and UDP/TCP headers) and its bytes. Parsed once, lazily, for its {@link SipPairKey}.
 */
public final class SipObservation {
    public enum Transport { UDP, TCP }

    private final CapturePoint capture;
    private final List<Long> frames;
    private final long nanos;
    private final Transport transport;
    private final Endpoint source;
    private final Endpoint destination;
    private final byte[] bytes;
    private SipParse parse;

    public SipObservation(CapturePoint capture, List<Long> frames, long nanos, Transport transport, Endpoint source,
            Endpoint destination, byte[] bytes) {
        if (frames.isEmpty()) throw new IllegalArgumentException("a message needs a frame");
        this.capture = capture;
        this.frames = List.copyOf(frames);
        this.nanos = nanos;
        this.transport = transport;
        this.source = source;
        this.destination = destination;
        this.bytes = bytes.clone();
    }

    public CapturePoint capture() {
        return capture;
    }

    /** The frames that carried the message, first to last. */
    public List<Long> frames() {
        return frames;
    }

    /** The frame that completed the message (Wireshark shows a reassembled message there). */
    public long frame() {
        return frames.get(frames.size() - 1);
    }

    public FrameRef frameRef() {
        return new FrameRef(capture, frame());
    }

    /** Time of {@link #frame()} in ns since the epoch, on the caller's (corrected) clock. */
    public long nanos() {
        return nanos;
    }

    public Transport transport() {
        return transport;
    }

    public Endpoint source() {
        return source;
    }

    public Endpoint destination() {
        return destination;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    byte[] raw() {
        return bytes;
    }

    public synchronized SipParse parse() {
        if (parse == null) parse = SipParser.parse(bytes, 0, bytes.length);
        return parse;
    }

    /** Drops the cached parse (it is made again when asked for): for holding many observations cheaply. */
    public synchronized void release() {
        parse = null;
    }

    /** The pairing key, or null when the bytes are no SIP message. */
    public SipPairKey key() {
        return SipPairKey.of(parse());
    }

    @Override
    public String toString() {
        SipPairKey k = key();
        return capture.label() + " frame " + frame() + " " + transport + " " + source + " > " + destination + " "
                + (k == null ? "(no key)" : k.label());
    }
}
