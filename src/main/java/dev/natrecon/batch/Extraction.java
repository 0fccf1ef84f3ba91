package dev.natrecon.batch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Bounded unpacking of archive members: a member may expand to at most {@link Limits#ratio} times its compressed size
 * (but always to {@link Limits#floor}), and a case's members together to at most {@link Limits#perCase}. The bytes are
 * counted while they are copied (a zip's or tar's declared size is never trusted); a member that goes over is deleted
 * and the cases that need it fail with a message naming the member and the bound.
 */
final class Extraction {
    /**
     * Expansion ratio allowed: deflate cannot exceed about 1032:1 (runs of zeros), while real captures compress 2:1 to
     * 20:1 (SIP text and RTP silence at the top end); 200:1 leaves a tenfold margin for any real capture and stops a
     * bomb after 200 times what it weighs.
     */
    static final long DEFAULT_RATIO = 200;
    /**
     * What any member may expand to whatever its ratio: small members of very regular captures (a sparse keepalive
     * trace) can exceed 200:1, and 64 MiB costs a disk nothing.
     */
    static final long DEFAULT_FLOOR = 64L << 20;
    /**
     * Bytes a case's members may unpack to in all: 4 GiB is more than the captures of any support ticket (tcpdump
     * ring buffers of a few hundred MB each) and still leaves room on a lab disk with several workers at once.
     */
    static final long DEFAULT_PER_CASE = 4L << 30;

    /** The bounds of one batch (settable for tests). */
    record Limits(long ratio, long floor, long perCase) {
        static final Limits DEFAULT = new Limits(DEFAULT_RATIO, DEFAULT_FLOOR, DEFAULT_PER_CASE);

        /** What a member of {@code compressed} bytes may expand to, with {@code caseLeft} bytes left to its case. */
        long allowed(long compressed, long caseLeft) {
            long byRatio = compressed > Long.MAX_VALUE / ratio ? Long.MAX_VALUE : compressed * ratio;
            return Math.min(caseLeft, Math.max(floor, byRatio));
        }

        String describe() {
            return ratio + " times its compressed size, at least " + size(floor) + ", at most " + size(perCase)
                    + " per case";
        }
    }

    /** A member that unpacks to more than its bound. */
    static final class TooLarge extends IOException {
        TooLarge(String member, long allowed, Limits l) {
            super(member + ": unpacks to more than " + size(allowed) + " (the bound: " + l.describe()
                    + "); not unpacked further, the partial copy deleted");
        }
    }

    private static final int BUFFER = 1 << 16;

    private Extraction() {
    }

    /**
     * Copies {@code in} to a new {@code target}, checking after every block that the bytes written stay within
     * {@code limits.allowed(compressed.getAsLong(), caseLeft)}; returns the bytes written. {@code compressed}: the
     * member's compressed bytes so far (fixed for a zip entry, growing while a tar.gz is read). On {@link TooLarge} or
     * any failure the partial copy is deleted.
     */
    static long copy(InputStream in, Path target, String member, LongSupplier compressed, long caseLeft, Limits limits)
            throws IOException {
        byte[] buf = new byte[BUFFER];
        long written = 0;
        boolean done = false;
        // a new file, never through a link: the scratch folder holds only what this run unpacked
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                written += n;
                long allowed = limits.allowed(compressed.getAsLong(), caseLeft);
                if (written > allowed) throw new TooLarge(member, allowed, limits);
                out.write(buf, 0, n);
            }
            done = true;
        } finally {
            if (!done) Files.deleteIfExists(target);
        }
        return written;
    }

    static String size(long bytes) {
        if (bytes < 1024) return bytes + " bytes";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v)) + " " + units[u];
    }
}
