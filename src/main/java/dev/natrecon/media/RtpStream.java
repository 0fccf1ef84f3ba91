package dev.natrecon.media;

/**
 * The running statistics of one RTP stream on one capture side: constant memory (primitives only, no per-packet
 * list) and no allocation per packet.
 *
 * <p>{@link #packet} follows Wireshark's {@code rtppacket_analyse} ({@code ui/tap-rtp-analysis.c}) step for step, so
 * packets, expected, lost, sequence errors, deltas and jitter agree with {@code tshark -z rtp,streams}: arrival times
 * in ms of the capture's clock; a packet is "in time sequence" when its extended RTP timestamp is not before the last
 * in-sequence one; the sequence cycle count goes up when a sequence number below the first one arrives in time
 * sequence; jitter is RFC 3550 A.8's {@code J += (|D| - J) / 16} with D the difference between the arrival gap and
 * the timestamp gap (in ms of the payload clock), measured against the last in-sequence packet; min/mean/max of delta
 * and jitter skip the first packet, marker packets, comfort noise (PT 13 and 19) and the packet after one, and
 * packets out of time sequence. On top of that: duplicates and late packets (RFC 3550 A.1's highest sequence with a
 * 64-packet window of the ones received), marker bits, silence gaps, clock drift (Wireshark's least-squares fit
 * of media time against arrival time, {@link DriftFit}), RFC 4733 events and what RTCP reports about the stream.
 */
final class RtpStream extends RtpStreamRare {
    /** The most DTMF digits kept per stream (a dial string or PIN is far shorter). */
    static final int MAX_DIGITS = 64;
    /** RFC 3550 A.1: the receiver's window of recently received sequence numbers for telling duplicates. */
    private static final int WINDOW = 64;

    // identity: side and SSRC (with the flow) are checked on every packet, the rest is in RtpStreamRare
    final int side;
    final long ssrc;
    /**
     * The flow number ({@link dev.natrecon.correlate.FlowId}) of the frame that last found this stream through the
     * index, NONE before: equal numbers mean this stream's tuple ({@link MediaStreams}'s per-flow slots).
     */
    long flow = dev.natrecon.correlate.FlowId.NONE;

    // Wireshark's tap_rtp_stat_t, the fields the streams table reads (sequenceErrors in RtpStreamRare)
    private boolean first = true;
    private int startSeq, stopSeq, seqNum, seqCycles;
    private boolean under;
    /** The first packet's RTP timestamp, the last in-sequence audio one (extended), the last nominal time (ms). */
    private long firstTs, seqTimestamp;
    private double lastNominal;
    private double time;
    private int pt;
    private double delta, jitter;
    private double maxDelta, minDelta = -1, meanDelta;
    private double maxJitter, minJitter = -1, meanJitter;
    private long totalNr;
    private int clockRate;
    // own additions
    private long ptMaskLo, ptMaskHi;
    long lastFrame, lastNanos;
    private long originNanos;
    private long extTs;
    private int highestSeq;
    private long window;
    private long lastTsStep;
    private double firstInSeqTime, lastInSeqTime;
    private long firstInSeqTs;
    /** The payload clock the drift is measured in (the first known one; a change of clock ends the measure). */
    private int driftClock;
    /** Media time against arrival time over every in-sequence packet, fitted by least squares (running sums). */
    private final DriftFit drift = new DriftFit();
    /** Packets that followed their predecessor by sequence number: how a heuristic stream shows it is RTP. */
    long inSequence;
    /** Jitter and loss over time for the stream's chart (constant size, allocated with the stream). */
    private final SeriesBuckets series = new SeriesBuckets();
    /**
     * The payload type of the packet before and what {@link #clockOf} and {@link #isEvent} say of it (and the clock in
     * whole kHz, Wireshark's divisor): a pure function of the type and of the SDP names fixed at the stream's start, so
     * a packet of the same type as the one before (nearly all) asks nothing again. -1: no packet yet.
     */
    private int lastPt = -1, lastRate, lastKhz;
    private boolean lastEvent;

    /** Draws this stream's full chart series from {@code budget} (the case's, {@link MediaStreams}). */
    void seriesBudget(SeriesBudget budget) {
        series.budget = budget;
    }
    /** The extended last sequence number ({@code stopSeq} with its cycles) after the previous packet. */
    private long lastExtStop;

    RtpStream(int side, long ssrc, long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort,
              boolean announced, String[] dynamicNames, int[] dynamicClocks) {
        super(srcHi, srcLo, srcPort, dstHi, dstLo, dstPort, announced, dynamicNames, dynamicClocks);
        this.side = side;
        this.ssrc = ssrc;
    }

    /** The clock rate of payload type {@code p}: static, else the rtpmap's (0 for telephone-event, as Wireshark). */
    private int clockOf(int p) {
        if (p < PayloadTypes.FIRST_DYNAMIC) return PayloadTypes.staticClock(p);
        String name = dynamicNames == null ? null : dynamicNames[p - PayloadTypes.FIRST_DYNAMIC];
        if (name == null) return 0;
        // RFC 4733 section 2.2.1: the timestamp of an event does not advance, so it says nothing about jitter
        if (isEvent(p)) return 0;
        int c = dynamicClocks[p - PayloadTypes.FIRST_DYNAMIC];
        return c != 0 ? c : PayloadTypes.dynamicClock(name);
    }

    boolean isEvent(int p) {
        if (p < PayloadTypes.FIRST_DYNAMIC || dynamicNames == null) return false;
        String name = dynamicNames[p - PayloadTypes.FIRST_DYNAMIC];
        return name != null && name.regionMatches(true, 0, "telephone-event", 0, 15);
    }

    /** The codec name of {@code p}: static (RFC 3551), else the SDP's rtpmap name, else "". */
    String codecOf(int p) {
        String s = PayloadTypes.staticName(p);
        if (s != null) return s;
        if (p >= PayloadTypes.FIRST_DYNAMIC && dynamicNames != null) {
            String n = dynamicNames[p - PayloadTypes.FIRST_DYNAMIC];
            if (n != null) return n;
        }
        return "";
    }

    /**
     * One RTP packet: {@code captureNanos} on the capture's own clock (deltas, jitter), {@code nanos} corrected (first
     * and last times). {@code b}/{@code o}/{@code len}: the UDP payload. Allocation-free.
     */
    void packet(long frame, long nanos, long captureNanos, byte[] b, int o, int len) {
        int seq = (b[o + 2] & 0xff) << 8 | b[o + 3] & 0xff;
        long ts = ((b[o + 4] & 0xffL) << 24) | ((b[o + 5] & 0xff) << 16) | ((b[o + 6] & 0xff) << 8) | (b[o + 7] & 0xff);
        boolean marker = (b[o + 1] & 0x80) != 0;
        int p = b[o + 1] & 0x7f;
        lastFrame = frame;
        lastNanos = nanos;
        if (marker) markers++;
        if (p < 64) ptMaskLo |= 1L << p;
        else ptMaskHi |= 1L << (p - 64);
        if (p != lastPt) payloadType(p);
        if (lastEvent) event(b, o, len, ts);
        if (first) {
            firstFrame = frame;
            firstNanos = nanos;
            originNanos = captureNanos;
            firstPt = p;
            extTs = ts;
            highestSeq = seq;
            window = 1;
            if (lastRate != 0) { // an event's clock is 0 (clockOf)
                driftClock = lastRate;
                firstInSeqTs = extTs;
                drift.add(0, 0);
            }
            analyseFirst(seq, p);
            series.at(0);
            lastExtStop = startSeq - 1L;
            countExpected();
            return;
        }
        extTs = extend(ts);
        double currentTime = (captureNanos - originNanos) / 1e6;
        order(seq);
        if (marker && p != PayloadTypes.CN && extTs - seqTimestamp > 2 * Math.max(lastTsStep, 1) && lastTsStep > 0) {
            silenceGaps++;
        }
        series.at(captureNanos - originNanos);
        analyse(seq, p, marker, currentTime);
        countExpected();
    }

    /** The bucket's share of expected: how far the extended last sequence number moved (sums to {@code expected}). */
    private void countExpected() {
        long ext = stopSeq + (long) seqCycles * 0x10000;
        series.packet(ext - lastExtStop);
        lastExtStop = ext;
    }

    /** RFC 3550 section 5.1: the timestamp wraps at 2^32; extended by the signed difference from the last one. */
    private long extend(long ts) {
        int d = (int) (ts - (extTs & 0xffffffffL));
        return extTs + d;
    }

    private void analyseFirst(int seq, int p) {
        startSeq = stopSeq = seqNum = seq;
        firstTs = extTs;
        seqTimestamp = extTs;
        time = 0;
        pt = p;
        totalNr++;
        first = false;
    }

    /** Wireshark's rtppacket_analyse after the first packet (see the class comment). */
    private void analyse(int seq, int p, boolean marker, double currentTime) {
        // in time sequence: the extended timestamp (RFC 3550 5.1 wraps at 2^32) not before the first one's
        long sinceFirst = extTs - firstTs;
        boolean inTimeSequence = sinceFirst >= 0;
        boolean wrongTimestamp = !inTimeSequence;
        if (seq < startSeq && inTimeSequence && !under) {
            seqCycles++;
            under = true;
        } else if (seq == 0 && stopSeq == 65535 && inTimeSequence && !under) {
            seqCycles++;
            under = true;
        } else if (seq > startSeq && inTimeSequence && under) {
            under = false;
        }
        boolean followed = false;
        if (inTimeSequence && seqNum + 1 == seq) {
            seqNum = seq;
            followed = true;
        } else if (inTimeSequence && seqNum == 65535 && seq == 0) {
            seqNum = seq;
            followed = true;
        } else if (inTimeSequence && (seqNum + 1 < seq || seqNum - seq > 0xFF00)) {
            seqNum = seq;
            sequenceErrors++;
        } else if (seqNum + 1 > seq) {
            sequenceErrors++;
        }
        if (followed) inSequence++;
        boolean cn = p == PayloadTypes.CN || p == PayloadTypes.CN_OLD;
        boolean followCn = pt == PayloadTypes.CN || pt == PayloadTypes.CN_OLD;
        pt = p;
        int rate = lastRate;
        double currentJitter = 0;
        if (inTimeSequence) {
            if (rate != 0) {
                clockRate = rate;
                // Wireshark divides by the integer clock_rate / 1000 (44100 Hz counts as 44 per ms)
                double nominal = (double) sinceFirst / lastKhz;
                double expectedTime = time + (nominal - lastNominal);
                double currentDiff = Math.abs(currentTime - expectedTime);
                currentJitter = (15 * jitter + currentDiff) / 16;
                delta = currentTime - time;
                jitter = currentJitter;
                lastNominal = nominal;
            } else {
                delta = currentTime - time;
            }
        }
        if (!marker && !cn && !wrongTimestamp && !followCn) {
            if (delta > maxDelta) maxDelta = delta;
            if (minDelta == -1 || delta < minDelta) minDelta = delta;
            meanDelta = (meanDelta * (totalNr - 1) + delta) / totalNr;
            if (rate != 0) {
                if (jitter > maxJitter) maxJitter = jitter;
                meanJitter = (meanJitter * (totalNr - 1) + currentJitter) / totalNr;
                series.jitter(currentJitter);
                if (minJitter == -1 || jitter < minJitter) minJitter = jitter;
            }
        }
        if (inTimeSequence) {
            if (rate != 0) { // never an event's (clockOf)
                long step = extTs - seqTimestamp;
                if (step > 0 && followed) lastTsStep = step;
                if (driftClock == 0) {
                    driftClock = rate;
                    firstInSeqTime = lastInSeqTime = currentTime;
                    firstInSeqTs = extTs;
                    drift.add(0, 0);
                } else if (driftClock == rate) {
                    lastInSeqTime = currentTime;
                    drift.add(currentTime - firstInSeqTime, (extTs - firstInSeqTs) * 1000.0 / driftClock);
                } else {
                    driftValid = false;
                }
                seqTimestamp = extTs;
            }
            time = currentTime;
        }
        stopSeq = seq;
        totalNr++;
    }

    /** RFC 3550 A.1: the highest sequence number with a window of the ones received below it. */
    private void order(int seq) {
        int d = (short) (seq - highestSeq);
        if (d > 0) {
            window = d >= WINDOW ? 1 : window << d | 1;
            highestSeq = seq;
        } else if (d == 0) {
            duplicates++;
        } else if (-d < WINDOW) {
            long bit = 1L << -d;
            if ((window & bit) != 0) {
                duplicates++;
            } else {
                window |= bit;
                outOfOrder++;
            }
        } else {
            outOfOrder++;
        }
    }

    /**
     * RFC 4733 section 2.3: event (8 bits), E, R, volume (6), duration (16). All packets of one event carry its
     * start timestamp (section 2.5.1.3): a new timestamp is a new event.
     */
    private void event(byte[] b, int o, int len, long ts) {
        int hl = headerLength(b, o, len);
        if (hl < 0 || len - hl < 4 || ts == lastEventTs) return;
        lastEventTs = ts;
        events++;
        int code = b[o + hl] & 0xff;
        if (digits.length() < MAX_DIGITS && code <= 15) digits.append("0123456789*#ABCD".charAt(code));
    }

    /** RFC 3550 5.1/5.3.1: fixed header, CSRCs, the extension header and its words; -1 when it does not fit. */
    static int headerLength(byte[] b, int o, int len) {
        int cc = b[o] & 0x0f;
        int hl = 12 + 4 * cc;
        if ((b[o] & 0x10) != 0) {
            if (len < hl + 4) return -1;
            hl += 4 + 4 * ((b[o + hl + 2] & 0xff) << 8 | b[o + hl + 3] & 0xff);
        }
        return hl <= len ? hl : -1;
    }

    /** Takes payload type {@code p} as the current one ({@link #lastPt}). */
    private void payloadType(int p) {
        lastPt = p;
        lastRate = clockOf(p);
        lastKhz = lastRate / 1000;
        lastEvent = isEvent(p);
    }

    /** The summary of this stream. */
    StreamSummary summary(String sideLabel) {
        long expected = (stopSeq + (long) seqCycles * 0x10000) - startSeq + 1;
        long packets = totalNr;
        boolean two = packets > 1 && minDelta != -1;
        boolean jit = two && clockRate != 0 && minJitter != -1;
        // Wireshark (ui/tap-rtp-common.c rtpstream_info_calculate): the least-squares slope of media time against
        // arrival time; drift = duration * (slope - 1)
        double arrival = lastInSeqTime - firstInSeqTime;
        double slope = driftClock != 0 && driftValid && arrival > 0 ? this.drift.slope() : Double.NaN;
        double drift = Double.isNaN(slope) ? Double.NaN : arrival * (slope - 1);
        double ppm = Double.isNaN(slope) ? Double.NaN : (slope - 1) * 1e6;
        return new StreamSummary(sideLabel, callId, tiedBy, ssrc, firstPt, codecOf(firstPt), payloadTypeList(),
                clockRate, dev.natrecon.decode.Addresses.endpoint(srcHi, srcLo, srcPort),
                dev.natrecon.decode.Addresses.endpoint(dstHi, dstLo, dstPort), !announced, firstFrame, lastFrame,
                firstNanos, lastNanos, packets, expected, expected - packets, duplicates, outOfOrder, sequenceErrors,
                markers, silenceGaps, two ? minDelta : Double.NaN, two ? meanDelta : Double.NaN,
                two ? maxDelta : Double.NaN, jit ? minJitter : Double.NaN, jit ? meanJitter : Double.NaN,
                jit ? maxJitter : Double.NaN, drift, ppm, rtcpReports, rtcpFractionLost, rtcpCumulativeLost,
                rtcpJitterMs, rtcpRttMs, events, digits.toString(), series.snapshot(firstNanos));
    }

    private String payloadTypeList() {
        StringBuilder sb = new StringBuilder();
        for (int p = 0; p < 128; p++) {
            long bit = p < 64 ? ptMaskLo & 1L << p : ptMaskHi & 1L << (p - 64);
            if (bit != 0) sb.append(sb.length() == 0 ? "" : ",").append(p);
        }
        return sb.toString();
    }

    long packets() {
        return totalNr;
    }

    int clockRate() {
        return clockRate != 0 ? clockRate : clockOf(firstPt);
    }
}
