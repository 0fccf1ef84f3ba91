package dev.natrecon.engine;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.RawFrame;
import dev.natrecon.correlate.MatchKeys;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.Packet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The SIP messages one capture point showed, recognised by their content on any port and transport (a start line and
 * a Call-ID or CSeq: {@link MatchKeys.Kind#SIP}), kept with their text and NAT-invariant match key so that
 * {@link SipHelperDecision} can compare each message with its copy on the other side of the router before the replay.
 *
 * <p>Pass 1 fills it as it surveys the first frames; {@link #scan} reads further, SIP only, when those held no
 * message seen on both sides. Bounded: the first {@link #MAX_MESSAGES} messages are kept, the rest only counted.
 */
final class SipHelperEvidence {
    /** SIP messages kept per capture point (signalling is rare next to media; a few hundred decide the helper). */
    static final int MAX_MESSAGES = 512;

    /** One SIP message as a capture point saw it. */
    record Message(long key, long frame, int protocol, long srcHi, long srcLo, int srcPort, long dstHi, long dstLo,
                   int dstPort, boolean request, String text) {
    }

    private final List<Message> messages = new ArrayList<>();
    private long notKept;

    /** A decoded packet whose match key is of kind SIP ({@code key} that key). */
    void add(long key, long frame, Packet p) {
        if (messages.size() >= MAX_MESSAGES) {
            notKept++;
            return;
        }
        String text = new String(p.data, p.payloadOffset, p.payloadLength, StandardCharsets.ISO_8859_1);
        add(new Message(key, frame, p.protocol, p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort,
                !text.startsWith("SIP/2.0 "), text));
    }

    /** One message, within the bound. */
    void add(Message m) {
        if (full()) notKept++;
        else messages.add(m);
    }

    List<Message> messages() {
        return messages;
    }

    /** Messages seen past the bound (counted, not kept). */
    long notKept() {
        return notKept;
    }

    boolean full() {
        return messages.size() >= MAX_MESSAGES;
    }

    /** Several collectors (the interfaces of one capture file) as one, in order. */
    static SipHelperEvidence merged(List<SipHelperEvidence> parts) {
        SipHelperEvidence all = new SipHelperEvidence();
        for (SipHelperEvidence e : parts) {
            for (Message m : e.messages) {
                if (all.full()) all.notKept++;
                else all.messages.add(m);
            }
            all.notKept += e.notKept;
        }
        return all;
    }

    /**
     * Reads {@code file} again for SIP only: frames {@code skip} and on, up to frame {@code limit}, into a new
     * collector holding {@code already}'s messages first. Used when pass 1's first frames held no SIP message seen on
     * both sides.
     */
    static SipHelperEvidence scan(Path file, SipHelperEvidence already, long skip, long limit) throws IOException {
        SipHelperEvidence out = merged(List.of(already));
        MatchKeys keys = new MatchKeys();
        try (CaptureReader reader = CaptureReader.open(file)) {
            FrameDecoder dec = new FrameDecoder(new AnomalyCounts());
            RawFrame f = new RawFrame();
            long read = 0;
            while (read < limit && !out.full() && reader.next(f)) {
                read++;
                if (read <= skip) continue;
                if (dec.decode(f, f.timestampNanos) != Disposition.DECODED) continue;
                long key = keys.key(dec.packet);
                if (key != 0 && keys.lastKind() == MatchKeys.Kind.SIP) out.add(key, f.frameNumber, dec.packet);
            }
        }
        return out;
    }
}
