package dev.natrecon.capture;

/** Compression wrapped around a capture file, detected by magic bytes, never by the file name. */
public enum Compression {
    NONE("none"),
    /** RFC 1952 magic 1f 8b. */
    GZIP("gzip"),
    /** RFC 8878 frame magic 28 b5 2f fd. */
    ZSTD("zstd"),
    /** .xz stream magic fd 37 7a 58 5a 00. */
    XZ("xz");

    private final String label;

    Compression(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Recognises the compression from the first bytes of a file (at least 6 should be given). */
    public static Compression sniff(byte[] head, int length) {
        if (length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) return GZIP;
        if (length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) return ZSTD;
        if (length >= 6 && (head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z' && head[3] == 'X'
                && head[4] == 'Z' && head[5] == 0) return XZ;
        return NONE;
    }
}
