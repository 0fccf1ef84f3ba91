package dev.natrecon.media;

/**
 * The fields of an {@link RtpStream} that a steady packet (same payload type, in sequence, no marker, no event) does
 * not touch: the stream's ends, its SDP facts, what happens rarely (errors, duplicates, gaps, events) and what RTCP
 * reports. They are only here so that the JVM lays them out before the subclass's fields (a superclass's fields come
 * first), which leaves the fields {@link RtpStream#packet} reads and writes on every packet side by side: a packet
 * touches five or six of the object's cache lines instead of seven or eight. No behaviour of its own.
 */
abstract class RtpStreamRare {
    final long srcHi, srcLo, dstHi, dstLo;
    final int srcPort, dstPort;
    final boolean announced;
    String callId = "";
    String tiedBy = "";
    /** Payload names of the dynamic types from the SDP (index pt - 96), null when none; shared, read-only. */
    final String[] dynamicNames;
    final int[] dynamicClocks;
    /** Wireshark's tap_rtp_stat_t sequence errors. */
    long sequenceErrors;
    int firstPt = -1;
    long firstFrame, firstNanos;
    long duplicates, outOfOrder, markers, silenceGaps;
    boolean driftValid = true;
    // RFC 4733
    long events;
    long lastEventTs = -1;
    final StringBuilder digits = new StringBuilder();
    // RTCP about this stream (from its receiver) and from its sender
    long rtcpReports;
    double rtcpFractionLost = Double.NaN, rtcpJitterMs = Double.NaN, rtcpRttMs = Double.NaN;
    long rtcpCumulativeLost;
    /** The middle 32 bits of the NTP time of this stream's sender's last SR and when it was seen (capture clock). */
    long lastSrMiddle = -1, lastSrCaptureNanos;

    RtpStreamRare(long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort, boolean announced,
                  String[] dynamicNames, int[] dynamicClocks) {
        this.srcHi = srcHi;
        this.srcLo = srcLo;
        this.srcPort = srcPort;
        this.dstHi = dstHi;
        this.dstLo = dstLo;
        this.dstPort = dstPort;
        this.announced = announced;
        this.dynamicNames = dynamicNames;
        this.dynamicClocks = dynamicClocks;
    }
}
