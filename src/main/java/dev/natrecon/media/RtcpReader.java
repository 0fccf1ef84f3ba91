package dev.natrecon.media;

/**
 * Reads RTCP datagrams (RFC 3550 section 6, compound packets of section 6.1) for what they say about the RTP streams:
 * sender reports (SR, PT 200) are remembered on their sender's stream for the round trip, and every report block
 * (section 6.4.1, in SR and RR, PT 201) is put on the stream it is about (its SSRC, on the same capture side): fraction
 * lost, cumulative lost, interarrival jitter, and the round trip from the capture point when its LSR names an SR seen
 * here. Other packet types (SDES, BYE, APP, feedback) are skipped by their length. Allocation-free.
 */
final class RtcpReader {
    /** RFC 3550 6.4.1: SR and RR packet types. */
    static final int SR = 200, RR = 201;
    /** RFC 3550 6.4.1: a report block is 24 bytes. */
    static final int BLOCK = 24;

    private final MediaStreams streams;

    RtcpReader(MediaStreams streams) {
        this.streams = streams;
    }

    /** One RTCP datagram of {@code side}, seen at {@code captureNanos} on that capture's clock. */
    void read(int side, long captureNanos, byte[] b, int o, int len) {
        int end = o + len;
        int at = o;
        while (at + 8 <= end) {
            if ((b[at] & 0xc0) != 0x80) return; // RFC 3550 6.4.1: version 2 in every packet of the compound
            int rc = b[at] & 0x1f;
            int pt = b[at + 1] & 0xff;
            int bytes = 4 * (((b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff) + 1);
            if (at + bytes > end) return; // truncated: what is complete was read
            long sender = u32(b, at + 4);
            int blocks = at + 8;
            if (pt == SR) {
                if (bytes < 28) return;
                RtpStream own = streams.stream(side, sender);
                if (own != null) {
                    // RFC 3550 6.4.1: LSR is the middle 32 bits of the 64-bit NTP timestamp of the last SR
                    own.lastSrMiddle = (u32(b, at + 8) & 0xffff) << 16 | u32(b, at + 12) >>> 16;
                    own.lastSrCaptureNanos = captureNanos;
                }
                blocks = at + 28;
            }
            if (pt == SR || pt == RR) {
                for (int i = 0; i < rc && blocks + BLOCK <= at + bytes; i++, blocks += BLOCK) {
                    block(side, captureNanos, b, blocks);
                }
            }
            at += bytes;
        }
    }

    private void block(int side, long captureNanos, byte[] b, int o) {
        RtpStream about = streams.stream(side, u32(b, o));
        if (about == null) return;
        about.rtcpReports++;
        about.rtcpFractionLost = (b[o + 4] & 0xff) * 100.0 / 256;
        int cum = (b[o + 5] & 0xff) << 16 | (b[o + 6] & 0xff) << 8 | b[o + 7] & 0xff;
        about.rtcpCumulativeLost = cum >= 0x800000 ? cum - 0x1000000 : cum; // 24-bit signed (RFC 3550 6.4.1)
        long jitter = u32(b, o + 12);
        int clock = about.clockRate();
        about.rtcpJitterMs = clock == 0 ? Double.NaN : jitter * 1000.0 / clock;
        long lsr = u32(b, o + 16), dlsr = u32(b, o + 20);
        if (lsr != 0 && about.lastSrMiddle == lsr) {
            // DLSR in units of 1/65536 s; the report's arrival minus the SR's, minus the receiver's hold time
            double rtt = (captureNanos - about.lastSrCaptureNanos) / 1e6 - dlsr * 1000.0 / 65536;
            if (rtt >= 0) about.rtcpRttMs = rtt;
        }
    }

    private static long u32(byte[] b, int o) {
        return ((b[o] & 0xffL) << 24) | ((b[o + 1] & 0xff) << 16) | ((b[o + 2] & 0xff) << 8) | (b[o + 3] & 0xff);
    }
}
