package dev.natrecon.batch;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * A tar archive, optionally gzip-compressed: read as a stream, once to list the members and once to copy out each
 * wanted member as it passes (a case runs as soon as its last member is out). Links (symbolic and hard), devices and
 * unsafe names are never unpacked but listed as rejected; an archive damaged part-way lists the members complete
 * before the damage, and the damage as a broken row.
 */
final class TarContainer extends ListingContainer {
    private final Path path;
    private final String label;
    private final boolean gzip;

    TarContainer(Path path) {
        this(path, path.toString());
    }

    /** A tar read at {@code path} but named {@code label} (a local copy of an archive kept elsewhere). */
    TarContainer(Path path, String label) {
        this.path = path;
        this.label = label;
        String n = path.getFileName().toString().toLowerCase(Locale.ROOT);
        this.gzip = n.endsWith(".gz") || n.endsWith(".tgz");
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public Path path() {
        return path;
    }

    /** Counts the archive's bytes read, so a member's expansion can be measured against what it weighs. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }
    }

    private record Opened(TarArchiveInputStream tar, Counting raw) {
    }

    private Opened open() throws IOException {
        Counting raw = new Counting(Files.newInputStream(path));
        InputStream in = new BufferedInputStream(raw, 1 << 16);
        try {
            return new Opened(new TarArchiveInputStream(gzip ? new GzipCompressorInputStream(in, true) : in), raw);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw new IOException(label + ": not a readable " + (gzip ? "tar.gz" : "tar") + " archive (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public List<String> members() throws IOException {
        List<String> out = new ArrayList<>();
        newListing();
        Set<String> seen = new HashSet<>();
        byte[] skip = new byte[1 << 16];
        Opened o = open();
        try (TarArchiveInputStream tar = o.tar()) {
            for (TarArchiveEntry e = next(tar); e != null; e = next(tar)) {
                String name = Archives.normal(e.getName());
                String why = reject(e, name);
                if (why != null) {
                    if (!e.isDirectory()) reject(name, why);
                    continue;
                }
                try {
                    // read the member through, so damage inside it shows here and not in the next header
                    while (tar.read(skip) > 0) {
                        // counting nothing: only that the bytes are there
                    }
                } catch (IOException | RuntimeException x) {
                    rejectBroken(name, "incomplete: " + damage(tar, x));
                    return out;
                }
                if (seen.add(name)) out.add(name);
                else reject(name, SECOND_MEMBER);
            }
        } catch (Damaged d) {
            rejectRest(d.getMessage() + "; the members before it are used");
        }
        return out;
    }

    /** Why an entry is not a member, or null: links are never followed, only plain files with safe names unpacked. */
    private static String reject(TarArchiveEntry e, String name) {
        if (e.isSymbolicLink()) return "a symbolic link (to " + e.getLinkName() + "): links are not followed";
        if (e.isLink()) return "a hard link (to " + e.getLinkName() + "): links are not followed";
        if (e.isDirectory()) return "folder";
        if (!e.isFile()) return "not a plain file (a device, pipe or other special entry); not unpacked";
        return Archives.unsafe(name);
    }

    /** The archive cannot be read on from here. */
    private static final class Damaged extends IOException {
        Damaged(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private String damage(TarArchiveInputStream tar, Exception e) {
        return label + ": archive is damaged after " + tar.getBytesRead() + " bytes (" + e.getMessage() + ")";
    }

    private TarArchiveEntry next(TarArchiveInputStream tar) throws Damaged {
        try {
            return tar.getNextEntry();
        } catch (IOException | RuntimeException e) {
            throw new Damaged(damage(tar, e), e);
        }
    }

    @Override
    public boolean randomAccess() {
        return false;
    }

    @Override
    public Map<String, Path> open(Set<String> members, Path scratch, Extraction.Limits limits) {
        throw new UnsupportedOperationException("a tar archive is read as a stream");
    }

    @Override
    public void stream(Set<String> wanted, Path scratch, Extraction.Limits limits, Extracted sink) throws IOException {
        Set<String> left = new HashSet<>(wanted);
        Opened o = open();
        try (TarArchiveInputStream tar = o.tar()) {
            // stops after the last wanted member: damage further on concerns no case
            while (!left.isEmpty()) {
                TarArchiveEntry e = next(tar);
                if (e == null) break;
                String name = Archives.normal(e.getName());
                if (reject(e, name) != null || !left.remove(name)) continue;
                Path target = Archives.target(scratch, name);
                long start = o.raw().count;
                try {
                    Extraction.copy(tar, target, label + "!" + name, () -> o.raw().count - start, sink.budget(name), limits);
                } catch (Extraction.TooLarge x) {
                    sink.failed(name, x);
                    continue;
                } catch (IOException | RuntimeException x) {
                    throw new IOException(label + "!" + name + ": cannot be extracted (" + x.getMessage() + ")", x);
                }
                sink.member(name, target);
            }
        }
    }

    @Override
    public void close() {
    }
}
