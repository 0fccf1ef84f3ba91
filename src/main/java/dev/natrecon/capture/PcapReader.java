package dev.natrecon.capture;

import java.io.IOException;

/**
 * Classic libpcap format: a 24-byte file header, then records of a 16-byte header plus the captured bytes. The magic
 * gives both the byte order and the timestamp unit (a1b2c3d4 microseconds, a1b23c4d nanoseconds).
 */
final class PcapReader extends CaptureReader {
    private final boolean little;
    private final boolean nanos;
    private final int linkType;
    private final int snapLength;
    private boolean done;

    PcapReader(String source, ByteInput in, Compression compression) throws IOException {
        super(source, in, compression);
        if (!in.ensure(24)) throw new CaptureException(source + ": pcap file header is truncated");
        byte[] b = in.buf;
        int p = in.pos;
        int magic = Endian.i32(b, p, false);
        little = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
        nanos = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
        snapLength = Endian.i32(b, p + 16, little);
        // The upper bits of the link-type field carry FCS information (pcap-linktype(7)); the type is the low 16.
        linkType = Endian.i32(b, p + 20, little) & 0xffff;
        in.pos += 24;
        interfaces.add(new CaptureInterface(0, linkType, snapLength, null, null, nanos ? 1_000_000_000L : 1_000_000L));
    }

    @Override
    public CaptureFormat format() {
        return nanos ? CaptureFormat.PCAP_NANOSECONDS : CaptureFormat.PCAP_MICROSECONDS;
    }

    @Override
    protected boolean readNext(RawFrame f) throws IOException {
        if (done) return false;
        if (!in.ensure(16)) {
            if (in.available() > 0) anomalies.add(CaptureAnomaly.TRUNCATED_RECORD, frames + 1);
            done = true;
            return false;
        }
        byte[] b = in.buf;
        int p = in.pos;
        // the record header: ts_sec, ts_usec (or ts_nsec), incl_len, orig_len; two fields per read
        long time = Endian.u32Pair(b, p, little);
        long lengths = Endian.u32Pair(b, p + 8, little);
        long seconds = Endian.low(time);
        long fraction = Endian.high(time);
        long incl = Endian.low(lengths);
        long orig = Endian.high(lengths);
        if (incl > MAX_CAPTURED_LENGTH) {
            // A lying header: past libpcap's maximum no record boundary after it can be trusted.
            anomalies.add(CaptureAnomaly.RECORD_TOO_LARGE, frames + 1);
            stopDamaged(frames + 1);
            done = true;
            return false;
        }
        if (snapLength > 0 && incl > snapLength) anomalies.add(CaptureAnomaly.OVER_SNAPLEN, frames + 1);
        int caplen = (int) incl;
        if (!in.ensure(16 + caplen)) {
            anomalies.add(CaptureAnomaly.TRUNCATED_RECORD, frames + 1);
            done = true;
            return false;
        }
        frames++;
        if (orig < incl) anomalies.add(CaptureAnomaly.CAPTURED_LONGER_THAN_ORIGINAL, frames);
        f.data = in.buf;
        f.offset = in.pos + 16;
        f.capturedLength = caplen;
        f.originalLength = (int) Math.min(Integer.MAX_VALUE, Math.max(orig, incl));
        f.timestampNanos = seconds * 1_000_000_000L + (nanos ? fraction : fraction * 1000L);
        f.linkType = linkType;
        f.interfaceId = 0;
        f.frameNumber = frames;
        in.pos += 16 + caplen;
        return true;
    }
}
