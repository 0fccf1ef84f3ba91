package dev.natrecon.media;

import java.util.Locale;

/**
 * RTP payload types: the static assignments of RFC 3551 section 6 (table 4 audio, table 5 video) with their clock
 * rates as Wireshark's RTP analysis uses them ({@code ui/tap-rtp-analysis.c clock_map}: G.722 at 8000 Hz, RFC 3551
 * section 4.5.2's historical error kept for compatibility), and the clock rate of a dynamic payload type from its
 * SDP {@code a=rtpmap} encoding name (RFC 4566 section 6).
 */
public final class PayloadTypes {
    /** RFC 3551 section 6: comfort noise (RFC 3389) and its old number 19 (reserved, used as CN by old devices). */
    public static final int CN = 13, CN_OLD = 19;
    /** RFC 3551 section 6: payload types 96-127 are dynamic, bound by the signalling (SDP a=rtpmap). */
    public static final int FIRST_DYNAMIC = 96;

    private static final String[] NAMES = new String[128];
    private static final int[] CLOCKS = new int[128];

    static {
        put(0, "PCMU", 8000);
        put(1, "1016", 8000);
        put(2, "G721", 8000);
        put(3, "GSM", 8000);
        put(4, "G723", 8000);
        put(5, "DVI4", 8000);
        put(6, "DVI4", 16000);
        put(7, "LPC", 8000);
        put(8, "PCMA", 8000);
        put(9, "G722", 8000);
        put(10, "L16", 44100);
        put(11, "L16", 44100);
        put(12, "QCELP", 8000);
        put(13, "CN", 8000);
        put(14, "MPA", 90000);
        put(15, "G728", 8000);
        put(16, "DVI4", 11025);
        put(17, "DVI4", 22050);
        put(18, "G729", 8000);
        put(19, "CN", 8000);
        put(25, "CelB", 90000);
        put(26, "JPEG", 90000);
        put(28, "nv", 90000);
        put(31, "H261", 90000);
        put(32, "MPV", 90000);
        put(33, "MP2T", 90000);
        put(34, "H263", 90000);
    }

    private PayloadTypes() {
    }

    private static void put(int pt, String name, int clock) {
        NAMES[pt] = name;
        CLOCKS[pt] = clock;
    }

    /** The static name of {@code pt} (RFC 3551), or null for unassigned and dynamic types. */
    public static String staticName(int pt) {
        return pt >= 0 && pt < 128 ? NAMES[pt] : null;
    }

    /** The static clock rate of {@code pt} in Hz, 0 when it has none. */
    public static int staticClock(int pt) {
        return pt >= 0 && pt < 128 ? CLOCKS[pt] : 0;
    }

    /** Whether {@code pt} is assigned statically (0-34 of RFC 3551 with a name) or dynamic (96-127). */
    public static boolean plausible(int pt) {
        return pt >= FIRST_DYNAMIC && pt <= 127 || staticName(pt) != null;
    }

    /**
     * The clock rate a dynamic encoding name implies when its rtpmap gives none (Wireshark's
     * {@code mimetype_and_clock_map}, from the IANA RTP parameters registry), 0 when unknown.
     */
    public static int dynamicClock(String encoding) {
        String e = encoding.toLowerCase(Locale.ROOT);
        if (e.startsWith("telephone-event")) return 8000; // RFC 4733 section 7.1.1
        if (e.startsWith("amr-wb") || e.startsWith("evrcwb") || e.startsWith("evs") || e.startsWith("g7221")) return 16000;
        if (e.startsWith("opus")) return 48000; // RFC 7587 section 4.1
        if (e.startsWith("amr") || e.startsWith("evrc") || e.startsWith("g726") || e.startsWith("g729")
                || e.startsWith("gsm-efr") || e.startsWith("smv") || e.startsWith("ilbc") || e.startsWith("speex")) return 8000;
        if (e.startsWith("h26") || e.startsWith("vp8") || e.startsWith("vp9") || e.startsWith("mp4v")) return 90000;
        return 0;
    }
}
