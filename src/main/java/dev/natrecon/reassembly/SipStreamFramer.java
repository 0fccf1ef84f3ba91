package dev.natrecon.reassembly;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.decode.sip.SipFraming;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SIP over TCP, one direction of one connection: takes the payload of each segment in arrival order and emits
 * complete messages (header block up to the empty line, then Content-Length bytes of body) and CRLF keep-alives, with
 * the frames each spanned. Several messages in one segment, one message over many segments, keep-alives between
 * messages: all give the same items whatever the segment boundaries are.
 *
 * <p>With sequence numbers ({@link #offer(long, byte[], int, int, long, AnomalyCounts)}): bytes already consumed are
 * ignored (a retransmission, or the old part of a partly overlapping segment); a segment that starts beyond the next
 * expected byte is a gap: the partial message is dropped and the framer resyncs at the next start line. Segments
 * that arrive out of order after a gap are treated as retransmissions: the framer does not reorder.
 *
 * <p>Memory is bounded: a message longer than the cap ({@link #DEFAULT_MAX_BUFFER}, 64 KiB) is dropped with
 * {@link SipStreamAnomaly#SIP_STREAM_OVERFLOW} (when its Content-Length is known, exactly its bytes are skipped and the
 * next message follows; a header block or line that never ends makes the framer resync at the next start line); the
 * buffer holds at most the cap plus one segment. Keep-alives: a CRLFCRLF ping is emitted as soon as its four bytes are in; any other run
 * of CR/LF (a single CRLF pong) once the next byte shows the run has ended, or at {@link #finish}.
 */
public final class SipStreamFramer {
    /**
     * The largest SIP message framed (64 KiB): as large as a UDP datagram can carry, and as much as the servers on the
     * other end accept: Kamailio's receive buffer (BUF_SIZE in config.h) is 64 KiB, Asterisk's bundled PJSIP takes at
     * most 6000 bytes (PJSIP_MAX_PKT_LEN in third-party/pjproject/patches/config_site.h). A larger message would have
     * been refused by either, so dropping it loses nothing a call depended on.
     */
    public static final int DEFAULT_MAX_BUFFER = 64 * 1024;

    private final int maxBuffer;
    private byte[] buf = new byte[2048];
    private int len;
    /** (buffer offset, frame) for each appended segment, oldest first; the first offset is clamped to 0. */
    private long[] marks = new long[16];
    private int markCount;
    /** Sequence number of buf[0] when {@link #seqKnown}. */
    private long seq;
    private boolean seqKnown;
    private boolean skipping;
    /** Body bytes of an oversized message still to drop before the next message starts. */
    private long toDrop;
    private boolean atLineStart = true;
    private long skippedBytes;
    private long messages;

    public SipStreamFramer() {
        this(DEFAULT_MAX_BUFFER);
    }

    public SipStreamFramer(int maxBuffer) {
        if (maxBuffer < 64) throw new IllegalArgumentException("buffer cap too small: " + maxBuffer);
        this.maxBuffer = maxBuffer;
    }

    /** Adds a segment's payload whose first byte has TCP sequence number {@code tcpSeq} (32-bit, wraps). */
    public List<SipStreamItem> offer(long tcpSeq, byte[] b, int off, int length, long frame, AnomalyCounts anomalies) {
        List<SipStreamItem> out = new ArrayList<>();
        if (length <= 0) return out;
        tcpSeq &= 0xffffffffL;
        if (!seqKnown) {
            seqKnown = true;
            seq = (tcpSeq - len) & 0xffffffffL;
        }
        long next = (seq + len) & 0xffffffffL;
        int rel = (int) (tcpSeq - next);
        if (rel < 0) {
            long old = -(long) rel;
            anomalies.add(SipStreamAnomaly.SIP_STREAM_RETRANSMISSION, frame);
            if (old >= length) return out;
            off += (int) old;
            length -= (int) old;
        } else if (rel > 0) {
            anomalies.add(SipStreamAnomaly.SIP_STREAM_GAP, frame);
            skippedBytes += len;
            discard(len);
            seq = tcpSeq;
            toDrop = 0;
            skipping = true;
            atLineStart = true;
        }
        append(b, off, length, frame);
        extract(out, anomalies);
        return out;
    }

    /** Adds a segment's payload when sequence numbers are not known: every segment follows the previous one. */
    public List<SipStreamItem> offer(byte[] b, int off, int length, long frame, AnomalyCounts anomalies) {
        List<SipStreamItem> out = new ArrayList<>();
        if (length <= 0) return out;
        append(b, off, length, frame);
        extract(out, anomalies);
        return out;
    }

    /** The stream ended: emits a pending keep-alive and reports a message left incomplete. */
    public List<SipStreamItem> finish(AnomalyCounts anomalies) {
        List<SipStreamItem> out = new ArrayList<>();
        if (toDrop > 0) anomalies.add(SipStreamAnomaly.SIP_STREAM_INCOMPLETE_AT_END, frameAt(0));
        toDrop = 0;
        if (len > 0 && !skipping) {
            int run = crlfRun();
            if (run == len) {
                out.add(item(SipStreamItem.Kind.KEEPALIVE, run));
            } else {
                anomalies.add(SipStreamAnomaly.SIP_STREAM_INCOMPLETE_AT_END, frameAt(0));
                discard(len);
            }
        }
        skippedBytes += skipping ? len : 0;
        discard(len);
        skipping = false;
        atLineStart = true;
        seqKnown = false;
        return out;
    }

    /**
     * The SIP messages one TCP segment's payload carries whole, in order (CRLF keep-alives between them left out), or
     * null when the payload is not made of whole messages and keep-alives only (a message continued in another
     * segment, bytes that are not SIP).
     */
    public static List<byte[]> wholeMessages(byte[] payload) {
        SipStreamFramer framer = new SipStreamFramer(Math.max(64, payload.length));
        AnomalyCounts ignored = new AnomalyCounts();
        List<SipStreamItem> items = new ArrayList<>(framer.offer(payload, 0, payload.length, 0, ignored));
        items.addAll(framer.finish(ignored));
        if (ignored.total() > 0 || framer.skippedBytes() > 0) return null;
        List<byte[]> messages = new ArrayList<>(items.size());
        int covered = 0;
        for (SipStreamItem i : items) {
            covered += i.length();
            if (i.kind() == SipStreamItem.Kind.MESSAGE) messages.add(i.bytes());
        }
        return covered == payload.length ? messages : null;
    }

    /** Bytes held for an incomplete message. */
    public int buffered() {
        return len;
    }

    /** Bytes dropped so far (garbage, overflow, partial messages before a gap). */
    public long skippedBytes() {
        return skippedBytes;
    }

    /** Messages emitted so far. */
    public long messages() {
        return messages;
    }

    // ---- internals

    private void append(byte[] b, int off, int length, long frame) {
        if (len + length > buf.length) buf = Arrays.copyOf(buf, Math.max(len + length, buf.length * 2));
        System.arraycopy(b, off, buf, len, length);
        if (markCount == 0 || marks[2 * markCount - 1] != frame) {
            if (2 * markCount + 2 > marks.length) marks = Arrays.copyOf(marks, marks.length * 2);
            marks[2 * markCount] = len;
            marks[2 * markCount + 1] = frame;
            markCount++;
        }
        len += length;
    }

    private void extract(List<SipStreamItem> out, AnomalyCounts anomalies) {
        while (len > 0) {
            if (toDrop > 0) {
                int n = (int) Math.min(len, toDrop);
                skippedBytes += n;
                discard(n);
                toDrop -= n;
                continue;
            }
            if (skipping) {
                if (!resync(anomalies)) return;
                continue;
            }
            if (buf[0] == '\r' || buf[0] == '\n') {
                int run = crlfRun();
                if (run >= 4 && buf[0] == '\r' && buf[1] == '\n' && buf[2] == '\r' && buf[3] == '\n') {
                    out.add(item(SipStreamItem.Kind.KEEPALIVE, 4));
                    continue;
                }
                if (run == len) return; // the run may go on in the next segment
                out.add(item(SipStreamItem.Kind.KEEPALIVE, run));
                continue;
            }
            int lf = indexOf((byte) '\n', 0);
            boolean plausible = plausibleStart(lf < 0 ? len : lf);
            if (plausible && lf < 0) {
                if (len > maxBuffer) overflow(anomalies);
                return;
            }
            if (!plausible || !SipFraming.isStartLine(buf, 0, SipFraming.lineEnd(buf, 0, len))) {
                anomalies.add(SipStreamAnomaly.SIP_STREAM_GARBAGE, frameAt(0));
                skipping = true;
                int n = lf < 0 ? len : lf + 1;
                atLineStart = lf >= 0;
                skippedBytes += n;
                discard(n);
                continue;
            }
            int headerEnd = SipFraming.headerEnd(buf, 0, len);
            if (headerEnd < 0) {
                if (len > maxBuffer) overflow(anomalies);
                return;
            }
            long cl = SipFraming.contentLength(buf, 0, headerEnd);
            if (cl == SipFraming.ABSENT || cl == SipFraming.INVALID) {
                anomalies.add(cl == SipFraming.ABSENT ? SipStreamAnomaly.SIP_STREAM_NO_CONTENT_LENGTH
                        : SipStreamAnomaly.SIP_STREAM_BAD_CONTENT_LENGTH, frameAt(0));
                cl = 0;
            }
            if (headerEnd + cl > maxBuffer) {
                // Too big to hold, but its end is known: drop it and go on with the message after it.
                anomalies.add(SipStreamAnomaly.SIP_STREAM_OVERFLOW, frameAt(0));
                toDrop = headerEnd + cl;
                continue;
            }
            if (len < headerEnd + cl) return;
            out.add(item(SipStreamItem.Kind.MESSAGE, (int) (headerEnd + cl)));
            messages++;
        }
    }

    /**
     * Skips to the next line that is a SIP start line; returns true when one is at buf[0] (framing resumes), false
     * when more bytes are needed.
     */
    private boolean resync(AnomalyCounts anomalies) {
        while (len > 0) {
            int lf = indexOf((byte) '\n', 0);
            if (!atLineStart) {
                if (lf < 0) {
                    skippedBytes += len;
                    discard(len);
                    return false;
                }
                skippedBytes += lf + 1;
                discard(lf + 1);
                atLineStart = true;
                continue;
            }
            if (buf[0] == '\r' || buf[0] == '\n') {
                // An empty line (or keep-alive) between messages: a start line may follow it.
                int run = crlfRun();
                if (run == len) return false;
                skippedBytes += run;
                discard(run);
                continue;
            }
            if (lf < 0) {
                if (len > maxBuffer || !plausibleStart(len)) {
                    skippedBytes += len;
                    discard(len);
                    atLineStart = false;
                }
                return false;
            }
            if (plausibleStart(lf) && SipFraming.isStartLine(buf, 0, SipFraming.lineEnd(buf, 0, len))) {
                skipping = false;
                return true;
            }
            skippedBytes += lf + 1;
            discard(lf + 1);
        }
        return false;
    }

    /**
     * Whether buf[0, n) (part of a first line) can still become a start line: it begins with a token character and
     * has no control characters. Lets binary data (TLS, say) be skipped without waiting for a line end.
     */
    private boolean plausibleStart(int n) {
        int c0 = buf[0] & 0xff;
        if (!(c0 >= 'A' && c0 <= 'Z' || c0 >= 'a' && c0 <= 'z' || c0 >= '0' && c0 <= '9' || "-.!%*_+`'~".indexOf(c0) >= 0)) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            int c = buf[i] & 0xff;
            if (c < 0x20 && c != '\r' && c != '\t' || c == 0x7f) return false;
        }
        return true;
    }

    private void overflow(AnomalyCounts anomalies) {
        anomalies.add(SipStreamAnomaly.SIP_STREAM_OVERFLOW, frameAt(0));
        skippedBytes += len;
        discard(len);
        skipping = true;
        atLineStart = false;
    }

    private int crlfRun() {
        int r = 0;
        while (r < len && (buf[r] == '\r' || buf[r] == '\n')) r++;
        return r;
    }

    private int indexOf(byte c, int from) {
        for (int i = from; i < len; i++) if (buf[i] == c) return i;
        return -1;
    }

    private long frameAt(int pos) {
        long f = 0;
        for (int m = 0; m < markCount && marks[2 * m] <= pos; m++) f = marks[2 * m + 1];
        return f;
    }

    /** Emits buf[0, n) as an item and consumes it. */
    private SipStreamItem item(SipStreamItem.Kind kind, int n) {
        List<Long> frames = new ArrayList<>();
        for (int m = 0; m < markCount && marks[2 * m] < n; m++) {
            long f = marks[2 * m + 1];
            if (frames.isEmpty() || frames.get(frames.size() - 1) != f) frames.add(f);
        }
        SipStreamItem it = new SipStreamItem(kind, Arrays.copyOf(buf, n), frames, seqKnown ? seq : -1);
        discard(n);
        return it;
    }

    /** Drops buf[0, n), keeping sequence numbers and frame marks in step. */
    private void discard(int n) {
        if (n <= 0) return;
        System.arraycopy(buf, n, buf, 0, len - n);
        len -= n;
        if (seqKnown) seq = (seq + n) & 0xffffffffL;
        int keep = 0;
        for (int m = 0; m < markCount; m++) {
            boolean last = m == markCount - 1;
            long nextStart = last ? Long.MAX_VALUE : marks[2 * (m + 1)];
            if (nextStart <= n) continue; // every byte of this segment is gone
            marks[2 * keep] = Math.max(0, marks[2 * m] - n);
            marks[2 * keep + 1] = marks[2 * m + 1];
            keep++;
        }
        markCount = len == 0 ? 0 : keep;
    }
}
