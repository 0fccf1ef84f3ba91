package dev.natrecon.capture;

/**
 * One captured frame as a mutable view over a reader's buffer.
 *
 * <p>Readers fill the same instance again on every call, so the bytes in {@link #data} between {@link #offset} and
 * {@code offset + capturedLength} are valid only until the next read from the same reader. Anything that must outlive
 * that (a fragment waiting for reassembly, a packet waiting for its counterpart) copies what it needs.
 */
public final class RawFrame {
    /** Backing array; shared with the reader. */
    public byte[] data;
    /** Start of the frame in {@link #data}. */
    public int offset;
    /** Bytes present in the capture (pcap incl_len). */
    public int capturedLength;
    /** Bytes on the wire (pcap orig_len); larger than {@link #capturedLength} when the snaplen cut the frame. */
    public int originalLength;
    /** Capture time in nanoseconds since the Unix epoch, as written in the file. */
    public long timestampNanos;
    /** Link-layer header type (LINKTYPE_* value). */
    public int linkType;
    /** pcapng interface id (0 for classic pcap). */
    public int interfaceId;
    /** Frame number as Wireshark shows it: 1-based, counting every packet record of the file. */
    public long frameNumber;

    /** Copies the frame (bytes included) into a new, independent instance. */
    public RawFrame copy() {
        RawFrame c = new RawFrame();
        c.data = java.util.Arrays.copyOfRange(data, offset, offset + capturedLength);
        c.offset = 0;
        c.capturedLength = capturedLength;
        c.originalLength = originalLength;
        c.timestampNanos = timestampNanos;
        c.linkType = linkType;
        c.interfaceId = interfaceId;
        c.frameNumber = frameNumber;
        return c;
    }
}
