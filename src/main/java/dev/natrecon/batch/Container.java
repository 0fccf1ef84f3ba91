package dev.natrecon.batch;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a batch's files live: a folder, a zip, or a tar (optionally gzip-compressed), read in place. Member names are
 * relative paths with '/' separators, checked by {@link Archives#unsafe} before anything is written; members are
 * unpacked within the bounds of {@link Extraction}.
 */
interface Container extends Closeable {
    /** What the user named ("captures/", "tickets.tgz"). */
    String label();

    /** Where the folder or archive is read from on this machine. */
    Path path();

    /** Every regular file with a safe name, in a stable order (name order for folders, archive order otherwise). */
    List<String> members() throws IOException;

    /**
     * What {@link #members()} left out and why, as rows for summary.csv: unsafe names, links, devices, folders that
     * could not be read, the damage that ended an archive's listing. Complete after {@link #members()}.
     */
    default List<CaseDiscovery.Unmatched> rejected() {
        return List.of();
    }

    /** Whether {@link #open} can reach any member at any time (folder, zip); otherwise {@link #stream} only. */
    boolean randomAccess();

    /**
     * The members as files: a folder's own files, or copies written under {@code scratch} (the caller deletes them),
     * together at most {@code limits.perCase()} bytes. Only for {@link #randomAccess()} containers.
     */
    Map<String, Path> open(Set<String> members, Path scratch, Extraction.Limits limits) throws IOException;

    /** Reads the archive once from the start, copying each wanted member under {@code scratch} and reporting it. */
    void stream(Set<String> wanted, Path scratch, Extraction.Limits limits, Extracted sink) throws IOException;

    /** Where a streamed archive's members go. */
    interface Extracted {
        /** {@code name} is unpacked to {@code file}. */
        void member(String name, Path file) throws IOException;

        /** {@code name} could not be unpacked (over its bound); the archive is read on. */
        default void failed(String name, IOException why) {
        }

        /** Bytes {@code name} may unpack to: what its cases have left of their bound. */
        default long budget(String name) {
            return Extraction.DEFAULT_PER_CASE;
        }
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
