package dev.natrecon.reassembly;

import dev.natrecon.decode.sip.SipParse;
import dev.natrecon.decode.sip.SipParser;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One thing the {@link SipStreamFramer} delimited: a SIP message (start line, headers, Content-Length bytes of body)
 * or a CRLF keep-alive, with its bytes and the frame numbers of the segments it was carried in, in order.
 * Parsing is left to the caller ({@link #parse()}), so framing costs no parsing.
 */
public final class SipStreamItem {
    public enum Kind { MESSAGE, KEEPALIVE }

    private final Kind kind;
    private final byte[] bytes;
    private final List<Long> frames;
    private final long firstSeq;

    SipStreamItem(Kind kind, byte[] bytes, List<Long> frames, long firstSeq) {
        this.kind = kind;
        this.bytes = bytes;
        this.frames = List.copyOf(frames);
        this.firstSeq = firstSeq;
    }

    public Kind kind() {
        return kind;
    }

    /** A copy of the item's bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** Frame numbers of the segments that carried the item's bytes, first to last, without repeats. */
    public List<Long> frames() {
        return frames;
    }

    /** TCP sequence number of the item's first byte, or -1 when the framer was fed without sequence numbers. */
    public long firstSeq() {
        return firstSeq;
    }

    /** Parses the item: a message gives a message (or a rejection); a keep-alive gives the keep-alive. */
    public SipParse parse() {
        return SipParser.parse(bytes, 0, bytes.length);
    }

    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        int nl = text().indexOf('\r');
        return kind + " " + (kind == Kind.MESSAGE ? text().substring(0, nl < 0 ? text().length() : nl) : length() + " bytes")
                + " frames " + frames;
    }
}
