package dev.natrecon.media;

/**
 * One RTP stream in one direction across the router, seen on both of its captures: what it looked like where it
 * entered the router (the ingress capture), what the router did with each packet (forwarded, with how much delay, or
 * lost), and in which order the copies left. Constant memory: counters, sums and a few evidence frames, no
 * per-packet list.
 *
 * <p>Sequence numbers are extended to 32 bits as RFC 3550 A.1 does (a jump back of up to 32767 is a late packet, not
 * a wrap). "Lost before the router" is RFC 3550 A.3's cumulative loss on the ingress capture: expected (highest
 * extended sequence - first + 1) minus received. "Lost at the router" counts arriving copies the matcher found no copy
 * of on the other capture although it was running ({@code Outcome.NO_COUNTERPART}).
 */
public final class HopLedger {
    /** Evidence frames kept per kind (the finding lists a few; the counts are exact). */
    public static final int KEEP = 8;
    /** RFC 3550 A.1: a sequence number more than this behind the highest is taken as a restart, not a late packet. */
    private static final int MAX_MISORDER = 32767;

    private final long ssrc;
    private final boolean outbound;
    private final String ingressCapture;
    private final String egressCapture;
    private final String src, dst;

    private long packets, baseExt = -1, maxExt;
    private long reorderedIn, duplicatesIn, gapEvents;
    private long firstNanos, lastNanos, firstFrame;
    private final long[] gapFrames = new long[KEEP];

    private long matched, lostAtRouter, notJudged;
    private final long[] lostFrames = new long[KEEP];
    private long delaySum, delayMin = Long.MAX_VALUE, delayMax = Long.MIN_VALUE;
    private double delaySumSquares;
    private long delayMinFrame, delayMaxFrame;

    private long egressPackets, egressMaxExt = -1, reorderedOut;
    private final long[] reorderedOutFrames = new long[KEEP];

    /**
     * @param ssrc           the stream's SSRC (unsigned 32 bits)
     * @param outbound       from the inside to the outside
     * @param ingressCapture the capture where it enters the router ("lan", "wan")
     * @param egressCapture  the capture where it leaves
     * @param src            its source where it enters the router, as {@code Addresses.endpoint} writes it
     * @param dst            its destination there
     */
    public HopLedger(long ssrc, boolean outbound, String ingressCapture, String egressCapture, String src, String dst) {
        this.src = src;
        this.dst = dst;
        this.ssrc = ssrc;
        this.outbound = outbound;
        this.ingressCapture = ingressCapture;
        this.egressCapture = egressCapture;
    }

    /**
     * The copy arriving at the router.
     *
     * @param seq          RTP sequence number (16 bits)
     * @param frame        its frame number on the ingress capture
     * @param nanos        its corrected time
     * @param forwarded    whether the matcher found its copy on the egress capture
     * @param lost         whether the egress capture was running and shows no copy (false when it cannot tell)
     * @param delayNanos   for a forwarded packet: egress time minus ingress time after the clock-offset correction
     */
    public void arriving(int seq, long frame, long nanos, boolean forwarded, boolean lost, long delayNanos) {
        if (packets == 0) {
            firstNanos = nanos;
            firstFrame = frame;
        }
        lastNanos = nanos;
        packets++;
        if (baseExt < 0) {
            baseExt = maxExt = seq & 0xffff;
        } else {
            long ext = extend(seq, maxExt);
            if (ext > maxExt) {
                if (ext > maxExt + 1) {
                    if (gapEvents < KEEP) gapFrames[(int) gapEvents] = frame;
                    gapEvents++;
                }
                maxExt = ext;
            } else if (ext == maxExt) {
                duplicatesIn++;
            } else {
                reorderedIn++;
            }
        }
        if (forwarded) {
            matched++;
            delaySum += delayNanos;
            delaySumSquares += (double) delayNanos * delayNanos;
            if (delayNanos < delayMin) {
                delayMin = delayNanos;
                delayMinFrame = frame;
            }
            if (delayNanos > delayMax) {
                delayMax = delayNanos;
                delayMaxFrame = frame;
            }
        } else if (lost) {
            if (lostAtRouter < KEEP) lostFrames[(int) lostAtRouter] = frame;
            lostAtRouter++;
        } else {
            notJudged++;
        }
    }

    /** The copy leaving the router, in the egress capture's order. */
    public void leaving(int seq, long frame) {
        egressPackets++;
        if (egressMaxExt < 0) {
            egressMaxExt = seq & 0xffff;
            return;
        }
        long ext = extend(seq, egressMaxExt);
        if (ext > egressMaxExt) {
            egressMaxExt = ext;
        } else if (ext < egressMaxExt) {
            if (reorderedOut < KEEP) reorderedOutFrames[(int) reorderedOut] = frame;
            reorderedOut++;
        }
    }

    /** RFC 3550 A.1: {@code seq} extended against the highest extended sequence number so far. */
    static long extend(int seq, long highest) {
        int delta = (short) ((seq & 0xffff) - (int) (highest & 0xffff));
        if (delta < -MAX_MISORDER) delta += 65536;
        return highest + delta;
    }

    public long ssrc() {
        return ssrc;
    }

    /** Its addresses and ports where it enters the router ("192.168.1.10:40000 -> 203.0.113.5:30000"). */
    public String flow() {
        return src + " -> " + dst;
    }

    /** Its source endpoint where it enters the router. */
    public String src() {
        return src;
    }

    /** Its destination endpoint where it enters the router. */
    public String dst() {
        return dst;
    }

    /** From the inside to the outside. */
    public boolean outbound() {
        return outbound;
    }

    public String ingressCapture() {
        return ingressCapture;
    }

    public String egressCapture() {
        return egressCapture;
    }

    /** Packets on the ingress capture (duplicates and late ones included). */
    public long packets() {
        return packets;
    }

    /** RFC 3550 A.3: highest extended sequence - first + 1 on the ingress capture. */
    public long expected() {
        return packets == 0 ? 0 : maxExt - baseExt + 1;
    }

    /** RFC 3550 A.3 cumulative loss on the ingress capture (never below 0): lost before the router. */
    public long lostBefore() {
        return Math.max(0, expected() - packets);
    }

    /** Places on the ingress capture where the sequence jumped (the first packet after each gap). */
    public long gapEvents() {
        return gapEvents;
    }

    public long[] gapFrames() {
        return java.util.Arrays.copyOf(gapFrames, (int) Math.min(gapEvents, KEEP));
    }

    /** Arriving copies with a copy on the egress capture. */
    public long forwarded() {
        return matched;
    }

    /** Arriving copies the router did not send on although the egress capture was running. */
    public long lostAtRouter() {
        return lostAtRouter;
    }

    public long[] lostAtRouterFrames() {
        return java.util.Arrays.copyOf(lostFrames, (int) Math.min(lostAtRouter, KEEP));
    }

    /** Arriving copies without a copy while the egress capture was not running (not judged). */
    public long notJudged() {
        return notJudged;
    }

    /** Late packets on the ingress capture (sequence below the highest so far). */
    public long reorderedBefore() {
        return reorderedIn;
    }

    public long duplicatesBefore() {
        return duplicatesIn;
    }

    /** Late packets on the egress capture. */
    public long reorderedAfter() {
        return reorderedOut;
    }

    public long[] reorderedAfterFrames() {
        return java.util.Arrays.copyOf(reorderedOutFrames, (int) Math.min(reorderedOut, KEEP));
    }

    /** Late packets the router added: late on the egress capture beyond those already late on the ingress one. */
    public long reorderedAtRouter() {
        return Math.max(0, reorderedOut - reorderedIn);
    }

    public long egressPackets() {
        return egressPackets;
    }

    /** Mean router delay in ns (0 without a forwarded packet). */
    public double delayMeanNanos() {
        return matched == 0 ? 0 : (double) delaySum / matched;
    }

    /** Standard deviation of the router delay in ns (population). */
    public double delaySpreadNanos() {
        if (matched == 0) return 0;
        double mean = delayMeanNanos();
        return Math.sqrt(Math.max(0, delaySumSquares / matched - mean * mean));
    }

    public long delayMinNanos() {
        return matched == 0 ? 0 : delayMin;
    }

    public long delayMaxNanos() {
        return matched == 0 ? 0 : delayMax;
    }

    /** Ingress frames of the fastest and the slowest forwarded packet. */
    public long delayMinFrame() {
        return delayMinFrame;
    }

    public long delayMaxFrame() {
        return delayMaxFrame;
    }

    public long firstNanos() {
        return firstNanos;
    }

    public long lastNanos() {
        return lastNanos;
    }

    public long firstFrame() {
        return firstFrame;
    }
}
