package dev.natrecon.capture;

/**
 * How many bytes a compressed capture may expand to: at most {@link #ratio} times the compressed bytes read so far
 * (never less than {@link #floorBytes}), and never more than {@link #maxBytes} in all. Reading stops at the bound with
 * {@link Bound#DECOMPRESSION_LIMIT}; the frames before it are analysed.
 *
 * <p>Why these defaults: a pcap of RTP compresses about 3-10:1 with gzip, zstd or xz, SIP text maybe 20:1, and only
 * long runs of identical bytes pass 1000:1 (deflate cannot exceed about 1032:1 at all, so for gzip the absolute bound
 * is the one that holds; zstd and xz reach 10^4-10^6:1 on zeros). Below {@link #DEFAULT_FLOOR} (64 MiB) the ratio is
 * not applied, so a small capture of padding-heavy frames never trips it. {@link #DEFAULT_MAX} (64 GiB) is far beyond
 * any capture attached to a ticket (and about ten minutes of {@code analyze} at the measured throughput), yet stops a
 * bomb before it burns hours of CPU. The system property {@value #PROPERTY} overrides the absolute bound (bytes), for
 * the rare larger capture and for tests.
 *
 * @param ratio      decompressed bytes allowed per compressed byte read
 * @param floorBytes decompressed bytes always allowed, whatever the ratio
 * @param maxBytes   decompressed bytes never exceeded
 */
public record DecompressionLimit(long ratio, long floorBytes, long maxBytes) {
    public static final long DEFAULT_RATIO = 1000;
    public static final long DEFAULT_FLOOR = 64L << 20;
    public static final long DEFAULT_MAX = 64L << 30;
    /** System property overriding {@link #maxBytes} (a byte count). */
    public static final String PROPERTY = "natrecon.maxDecompressedBytes";
    public static final DecompressionLimit DEFAULT = new DecompressionLimit(DEFAULT_RATIO, DEFAULT_FLOOR, DEFAULT_MAX);

    /** The default, with {@value #PROPERTY} applied when set to a positive number. */
    public static DecompressionLimit configured() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) return DEFAULT;
        try {
            long max = Long.parseLong(v.strip());
            return max > 0 ? new DecompressionLimit(DEFAULT_RATIO, Math.min(DEFAULT_FLOOR, max), max) : DEFAULT;
        } catch (NumberFormatException e) {
            return DEFAULT;
        }
    }

    /** Decompressed bytes allowed once {@code compressed} bytes have been read. */
    public long allowed(long compressed) {
        long byRatio = compressed > Long.MAX_VALUE / ratio ? Long.MAX_VALUE : compressed * ratio;
        return Math.min(maxBytes, Math.max(floorBytes, byRatio));
    }

    /** The bound as a person reads it: "1000:1 above 64 MiB, at most 64 GiB". */
    public String describe() {
        return ratio + ":1 of the compressed size above " + Bound.size(floorBytes) + ", at most " + Bound.size(maxBytes);
    }
}
