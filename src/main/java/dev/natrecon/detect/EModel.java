package dev.natrecon.detect;

/**
 * The ITU-T G.107 (06/2015) E-model, transmission rating R and its estimated MOS (Annex B), for one direction of a
 * call's media. Every parameter other than delay and the codec's equipment impairment is the recommendation's default
 * (G.107 Table 2: SLR 8 dB, RLR 2 dB, STMR 15 dB, LSTR 18 dB, Ds = Dr = 3, TELR 65 dB, WEPL 110 dB, qdu 1,
 * Nc -70 dBm0p, Nfor -64 dBmp, Ps = Pr = 35 dB(A), A = 0), which gives R = 93.2 with no delay and no loss.
 *
 * <p>R = Ro - Is - Id - Ie,eff + A (G.107 §7.1, formula 7-1), with
 * <ul>
 * <li>Ro, the basic signal-to-noise ratio (§7.2, formulas 7-2 to 7-8);</li>
 * <li>Is, the simultaneous impairments: Iolr + Ist + Iq (§7.3, formulas 7-9 to 7-18);</li>
 * <li>Id, the delay impairments: Idte (talker echo) + Idle (listener echo) + Idd (absolute delay Ta) (§7.4,
 * formulas 7-19 to 7-28), with the echo path T = Ta and the round trip Tr = 2 Ta, the usual reading when one
 * one-way delay is known (G.107 Appendix I's planning examples do the same);</li>
 * <li>Ie,eff = Ie + (95 - Ie) · Ppl / (Ppl / BurstR + Bpl) (§7.5, formula 7-29), Ie and Bpl of the codec from ITU-T
 * G.113 Appendix I ({@link Codec}), Ppl the packet loss in percent, BurstR 1 (random loss: without per-packet loss
 * patterns the burst ratio is not known, and 1 is G.107's default).</li>
 * </ul>
 */
public final class EModel {
    private EModel() {
    }

    // G.107 Table 2 defaults
    private static final double SLR = 8, RLR = 2, STMR = 15, LSTR = 18, DS = 3, TELR = 65, WEPL = 110, QDU = 1,
            NC = -70, NFOR = -64, PS = 35, PR = 35;
    /** The R of the defaults with no delay and no loss (G.107 §7.7 note: "R = 93.2"). */
    public static final double DEFAULT_R = 93.2;
    private static final double RO, IS, NO;

    static {
        double olr = SLR + RLR;
        double nfo = NFOR + RLR; // 7-6
        double pre = PR + 10 * Math.log10(1 + Math.pow(10, (10 - LSTR) / 10)); // 7-5
        double nor = RLR - 121 + pre + 0.008 * sq(pre - 35); // 7-4
        double nos = PS - SLR - DS - 100 + 0.004 * sq(PS - olr - DS - 14); // 7-3
        NO = 10 * Math.log10(Math.pow(10, NC / 10) + Math.pow(10, nos / 10) + Math.pow(10, nor / 10)
                + Math.pow(10, nfo / 10)); // 7-2
        RO = 15 - 1.5 * (SLR + NO); // 7-1
        double xolr = olr + 0.2 * (64 + NO - RLR); // 7-10
        double iolr = 20 * (Math.pow(1 + Math.pow(xolr / 8, 8), 1 / 8.0) - xolr / 8); // 7-9
        double stmro = -10 * Math.log10(Math.pow(10, -STMR / 10) + Math.pow(10, -TELR / 10)); // 7-12, T = 0 for Is
        double ist = 12 * Math.pow(1 + Math.pow((stmro - 13) / 6, 8), 1 / 8.0)
                - 28 * Math.pow(1 + Math.pow((stmro + 1) / 19.4, 35), 1 / 35.0)
                - 13 * Math.pow(1 + Math.pow((stmro - 3) / 33, 13), 1 / 13.0) + 29; // 7-11
        double q = 37 - 15 * Math.log10(QDU); // 7-17
        double g = 1.07 + 0.258 * q + 0.0602 * q * q; // 7-16
        double y = (RO - 100) / 15 + 46 / 8.4 - g / 9, z = 46 / 30.0 - g / 40; // 7-14, 7-15
        double iq = 15 * Math.log10(1 + Math.pow(10, y) + Math.pow(10, z)); // 7-13
        IS = iolr + ist + iq;
    }

    /**
     * A codec's equipment impairment factor Ie and packet-loss robustness factor Bpl, from ITU-T G.113 Appendix I
     * (Tables I.1 and I.3) unless {@code assumed} says why not.
     */
    public record Codec(String name, double ie, double bpl, String source, boolean assumed) {
        /** G.711 with packet loss concealment (G.711 Appendix I): Ie 0, Bpl 25.1 (G.113 Table I.3, random loss). */
        public static final Codec G711_PLC = new Codec("G.711", 0, 25.1, "G.113 App. I: Ie 0, Bpl 25.1 (with PLC)", false);
        /** G.711 without concealment: Ie 0, Bpl 4.3 (G.113 Table I.3). */
        public static final Codec G711 = new Codec("G.711", 0, 4.3, "G.113 App. I: Ie 0, Bpl 4.3 (no PLC)", false);
        /** G.729A with VAD: Ie 11, Bpl 19.0 (G.113 Tables I.1, I.3). */
        public static final Codec G729 = new Codec("G.729", 11, 19.0, "G.113 App. I: Ie 11, Bpl 19.0 (G.729A+VAD)", false);
        /** G.723.1 at 6.3 kbit/s with VAD: Ie 15, Bpl 16.1 (G.113 Tables I.1, I.3). */
        public static final Codec G723 = new Codec("G.723.1", 15, 16.1, "G.113 App. I: Ie 15, Bpl 16.1 (6.3 kbit/s+VAD)", false);
        /** GSM enhanced full rate: Ie 5, Bpl 10.0 (G.113 Tables I.1, I.3). */
        public static final Codec GSM_EFR = new Codec("GSM-EFR", 5, 10.0, "G.113 App. I: Ie 5, Bpl 10.0", false);
        /**
         * G.722: G.113 rates it on the wideband scale only (Ie,wb), which this narrowband model does not use; assumed no
         * worse than G.711 with PLC.
         */
        public static final Codec G722 = new Codec("G.722", 0, 25.1,
                "assumed as G.711 with PLC (G.113 rates G.722 on the wideband scale only)", true);

        /**
         * The codec an SDP rtpmap encoding name (or a static payload type's, RFC 3551 Table 4) stands for, or null when
         * G.113 gives it no narrowband values (Opus, iLBC, GSM full rate, AMR…): no score is made up for those.
         */
        public static Codec of(String encoding) {
            if (encoding == null) return null;
            String e = encoding.toUpperCase(java.util.Locale.ROOT);
            int slash = e.indexOf('/');
            if (slash >= 0) e = e.substring(0, slash);
            return switch (e) {
                case "PCMU", "PCMA", "G711", "G711U", "G711A" -> G711_PLC;
                case "G729", "G729A", "G729AB", "G729B" -> G729;
                case "G723", "G7231" -> G723;
                case "GSM-EFR" -> GSM_EFR;
                case "G722" -> G722;
                default -> null;
            };
        }
    }

    /**
     * R for one direction. {@code lossPercent}: Ppl, packets lost of those expected, in percent (0-100);
     * {@code delayMs}: Ta, the one-way mouth-to-ear delay in milliseconds (0 or more).
     */
    public static double r(Codec codec, double lossPercent, double delayMs) {
        double ppl = Math.max(0, Math.min(100, lossPercent));
        double ta = Math.max(0, delayMs);
        return RO - IS - id(ta) - ieEff(codec.ie(), codec.bpl(), ppl, 1);
    }

    /** Ie,eff = Ie + (95 - Ie) · Ppl / (Ppl / BurstR + Bpl) (G.107 formula 7-29). */
    public static double ieEff(double ie, double bpl, double ppl, double burstR) {
        return ie + (95 - ie) * ppl / (ppl / burstR + bpl);
    }

    /** Id = Idte + Idle + Idd for a one-way delay {@code ta} ms, echo path T = Ta, round trip Tr = 2 Ta. */
    static double id(double ta) {
        double t = ta, tr = 2 * ta;
        double roe = -1.5 * (NO - RLR); // 7-20
        double terv = TELR - 40 * Math.log10((1 + t / 10) / (1 + t / 150)) + 6 * Math.exp(-0.3 * t * t); // 7-22
        double re = 80 + 2.5 * (terv - 14); // 7-21
        double idte = ((roe - re) / 2 + Math.sqrt(sq(roe - re) / 4 + 100) - 1) * (1 - Math.exp(-t)); // 7-19
        double rle = 10.5 * (WEPL + 7) * Math.pow(tr + 1, -0.25); // 7-26
        double idle = (RO - rle) / 2 + Math.sqrt(sq(RO - rle) / 4 + 169); // 7-25
        return idte + idle + idd(ta);
    }

    /** Idd, the impairment of the absolute delay Ta (formulas 7-27, 7-28 with the defaults mT = 100 ms, sT = 1). */
    static double idd(double ta) {
        if (ta <= 100) return 0;
        double x = Math.log10(ta / 100) / Math.log10(2);
        return 25 * (Math.pow(1 + Math.pow(x, 6), 1 / 6.0) - 3 * Math.pow(1 + Math.pow(x / 3, 6), 1 / 6.0) + 2);
    }

    /** MOS (conversational quality estimate) from R, G.107 Annex B formula B-4. */
    public static double mos(double r) {
        if (r <= 0) return 1;
        if (r >= 100) return 4.5;
        return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
    }

    /**
     * The jitter buffer assumed: a fixed buffer of four times the mean RFC 3550 interarrival jitter. J estimates the
     * mean of |D|, D the difference of two transit times, which for normally spread transits is about 1.13 times
     * their standard deviation σ; 4 J is then about 4.5 σ of delay, enough to hold more than 99.9 % of the packets
     * in time. The mean, not the largest J, because the largest is set by single events that are not network jitter
     * (an RFC 4733 event's packets share one timestamp; a pause without a timestamp jump) and would inflate the buffer.
     */
    public static final double JITTER_BUFFER_FACTOR = 4;
    /** Packetization delay when the SDP names no a=ptime: 20 ms, RFC 3551 §4.5's default for audio. */
    public static final double DEFAULT_PTIME_MS = 20;

    /**
     * One direction's score with its inputs: {@code delayMs} = packetization + jitter buffer + {@code networkMs}
     * (the network's one-way delay when known, else 0 and {@code networkKnown} false: the score is then an upper bound).
     */
    public record Score(double r, double mos, Codec codec, double lossPercent, double delayMs, double jitterBufferMs,
                        double networkMs, boolean networkKnown) {
        /** The inputs next to the score: "R 92.1 (G.711, Ie 0, Bpl 25.1; loss 0.00 %; delay 24.0 ms: …)". */
        public String inputs() {
            return String.format(java.util.Locale.ROOT, "R %.1f from %s; loss %.2f %%; one-way delay %.1f ms (%.0f ms "
                            + "packetization + %.1f ms jitter buffer, 4 x mean jitter + %s)", r, codec.source(),
                    lossPercent, delayMs, delayMs - jitterBufferMs - networkMs, jitterBufferMs,
                    networkKnown ? String.format(java.util.Locale.ROOT, "%.1f ms network", networkMs)
                            : "network delay unknown, not counted: an upper bound");
        }
    }

    /**
     * Scores one direction: {@code expected} and {@code lost} packets (RFC 3550 A.3), {@code meanJitterMs} the mean
     * interarrival jitter, {@code ptimeMs} the packetization interval (0 or less: {@link #DEFAULT_PTIME_MS}),
     * {@code networkMs} the network's one-way delay (negative: unknown). Null when the codec has no values or nothing
     * was expected.
     */
    public static Score score(Codec codec, long expected, long lost, double meanJitterMs, double ptimeMs, double networkMs) {
        if (codec == null || expected <= 0) return null;
        double loss = 100.0 * Math.max(0, lost) / expected;
        double buffer = JITTER_BUFFER_FACTOR * Math.max(0, meanJitterMs);
        boolean known = networkMs >= 0;
        double net = known ? networkMs : 0;
        double delay = (ptimeMs > 0 ? ptimeMs : DEFAULT_PTIME_MS) + buffer + net;
        double r = r(codec, loss, delay);
        return new Score(r, mos(r), codec, loss, delay, buffer, net, known);
    }

    private static double sq(double x) {
        return x * x;
    }
}
