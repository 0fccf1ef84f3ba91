package dev.natrecon.batch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * A zip archive: its central directory lists the members, and each case's members are copied out when it runs,
 * within the bounds of {@link Extraction}. Symbolic links (a Unix zip's link entries) and unsafe names are never
 * unpacked but listed as rejected.
 */
final class ZipContainer extends ListingContainer {
    private final Path path;
    private final String label;
    private final ZipFile zip;
    private final long archiveBytes;

    ZipContainer(Path path) throws IOException {
        this(path, path.toString());
    }

    /** A zip read at {@code path} but named {@code label} (a local copy of an archive kept elsewhere). */
    ZipContainer(Path path, String label) throws IOException {
        this.path = path;
        this.label = label;
        try {
            this.zip = ZipFile.builder().setPath(path).get();
            this.archiveBytes = Files.size(path);
        } catch (IOException | RuntimeException e) {
            throw new IOException(label + ": not a readable zip archive (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public List<String> members() {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        newListing();
        for (ZipArchiveEntry e : Collections.list(zip.getEntries())) {
            if (e.isDirectory()) continue;
            String why = e.isUnixSymlink() ? "a symbolic link: links are not followed" : Archives.unsafe(e.getName());
            if (why == null && !seen.add(e.getName())) why = SECOND_MEMBER;
            if (why != null) reject(e.getName(), why);
            else out.add(e.getName());
        }
        return out;
    }

    @Override
    public boolean randomAccess() {
        return true;
    }

    @Override
    public synchronized Map<String, Path> open(Set<String> members, Path scratch, Extraction.Limits limits) throws IOException {
        Map<String, Path> out = new LinkedHashMap<>();
        long used = 0;
        for (String m : members) {
            ZipArchiveEntry e = zip.getEntry(m);
            if (e == null) throw new IOException(label + ": no member " + m);
            Path target = Archives.target(scratch, m);
            // the declared compressed size can lie too: never more than the archive weighs
            long compressed = e.getCompressedSize() < 0 ? archiveBytes : Math.min(e.getCompressedSize(), archiveBytes);
            try (InputStream in = zip.getInputStream(e)) {
                used += Extraction.copy(in, target, label + "!" + m, () -> compressed, limits.perCase() - used, limits);
            } catch (Extraction.TooLarge x) {
                throw x;
            } catch (IOException | RuntimeException x) {
                throw new IOException(label + "!" + m + ": cannot be extracted (" + x.getMessage() + ")", x);
            }
            out.put(m, target);
        }
        return out;
    }

    @Override
    public void stream(Set<String> wanted, Path scratch, Extraction.Limits limits, Extracted sink) throws IOException {
        for (String m : members()) {
            if (wanted.contains(m)) sink.member(m, open(Set.of(m), scratch, limits).get(m));
        }
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
