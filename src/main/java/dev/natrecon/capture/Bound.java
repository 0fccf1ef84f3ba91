package dev.natrecon.capture;

import java.util.Locale;

/**
 * A resource bound an input reached: the named anomaly a case reports when a capture (or what it describes) would have
 * made natrecon read, hold or write more than the bound allows. The analysis goes on with what fitted; the report
 * says which bound was hit ({@code limits} in summary.json, a note in report.html and summary.md). Each bound's value
 * lives next to the code that enforces it; the description names it for the person reading the report.
 */
public enum Bound implements Anomaly {
    DECOMPRESSION_LIMIT("capture.decompression_limit", "the compressed capture expands beyond the decompression bound "
            + "(1000:1 of the compressed size above 64 MiB, at most 64 GiB); reading stopped there and the frames before it were analysed"),
    TOO_MANY_INTERFACES("capture.pcapng.too_many_interfaces", "a pcapng file describes more interfaces than the "
            + "bound (4096); further Interface Description Blocks were ignored and their packets count as unknown interface"),
    BINDINGS("correlate.too_many_bindings", "the captures show more bindings at once than the bound (100,000 live or "
            + "ended and not yet retired); packets of "
            + "further flows were counted in the outcomes but not kept for mappings.csv and the detectors"),
    CALLS("detect.too_many_calls", "the detectors followed more SIP calls than their bounds (20,000 live calls for "
            + "media, 100,000 calls and 250,000 SIP frames per side for the rewrite findings); the oldest live call was "
            + "judged early, or later messages were left out of the findings' call attribution"),
    ONE_SIDE_ENDPOINTS("detect.too_many_endpoints", "one capture: more internal endpoints or senders than the "
            + "one-sided detectors follow (4,096 each for nat.far_side_mapping, sip.private_address_sent, "
            + "alg.reply_mapped_back and alg.external_address_written); the further ones were counted, not reported"),
    KEEPALIVE_ROWS("detect.too_many_keepalive_rows", "more refresh gaps of SIP-carrying UDP bindings than the bound "
            + "(200,000 keepalive.csv rows); later gaps were counted but neither written to keepalive.csv nor judged"),
    SIP_ROWS("sip.too_many_rows", "more SIP messages were seen on both sides than the sip.csv bound (200,000 rows); "
            + "later messages were classified and counted in the SIP ALG verdict but have no sip.csv row"),
    FINDINGS_PER_RULE("detect.too_many_findings", "a rule found more findings or instances than listed (500 findings "
            + "per rule, 500 instances per finding); the first were listed, the rest counted (a finding's instances "
            + "count them all)"),
    REPORT_SIZE("report.size_limit", "the findings would have made a report file larger than its bound (findings "
            + "sections of report.html 12 MiB, summary.md 1 MiB, summary.json 12 MiB); the list was cut with \"N more "
            + "findings not listed here, see findings.csv\" (the CSV files are never cut)");

    private final String id;
    private final String description;

    Bound(String id, String description) {
        this.id = id;
        this.description = description;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public boolean bound() {
        return true;
    }

    /** A byte count as "64 MiB", "256 KiB", "1234 bytes". */
    public static String size(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) return (bytes >> 30) + " GiB";
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) return (bytes >> 20) + " MiB";
        if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) return (bytes >> 10) + " KiB";
        return String.format(Locale.ROOT, "%d bytes", bytes);
    }
}
