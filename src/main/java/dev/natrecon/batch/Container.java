package dev.natrecon.batch;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a batch's files live: a folder, a zip, or a tar (optionally gzip-compressed), read in place. Member names are
 * relative paths with '/' separators.
 */
interface Container extends Closeable {
    /** What the user named ("captures/", "tickets.tgz"). */
    String label();

    /** Every regular file, in a stable order (name order for folders, archive order otherwise). */
    List<String> members() throws IOException;

    /** Whether {@link #open} can reach any member at any time (folder, zip); otherwise {@link #stream} only. */
    boolean randomAccess();

    /**
     * The members as files: a folder's own files, or copies written under {@code scratch} (the caller deletes them).
     * Only for {@link #randomAccess()} containers.
     */
    Map<String, Path> open(Set<String> members, Path scratch) throws IOException;

    /** Reads the archive once from the start, copying each wanted member under {@code scratch} and reporting it. */
    void stream(Set<String> wanted, Path scratch, Extracted sink) throws IOException;

    interface Extracted {
        void member(String name, Path file) throws IOException;
    }

    /** The container for a path: a folder, a zip, a tar, a tar.gz/tgz; null for anything else. */
    static Container of(Path path) throws IOException {
        String n = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (java.nio.file.Files.isDirectory(path)) return new FolderContainer(path);
        if (n.endsWith(".zip")) return new ZipContainer(path);
        if (n.endsWith(".tar") || n.endsWith(".tar.gz") || n.endsWith(".tgz")) return new TarContainer(path);
        return null;
    }
}
