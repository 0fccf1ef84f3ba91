package dev.natrecon.batch;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An output folder written whole under a temporary name, then put in place of the old one: {@code analyze}'s folder and
 * each of a batch's case folders. So a folder is either the old run's or the new run's, never a mix; a killed run
 * leaves the old folder and a hidden sibling {@code .NAME.partial-HEX}, removed by the next run into the same place.
 *
 * <p>What is replaced or deleted: only a folder natrecon wrote (it holds the {@code marker} file: summary.json for
 * analyze, case-summary.csv for a batch case), or an empty one, and the hidden temporary siblings of this naming.
 * Anything else in the way (a folder of the user's, a symbolic link, a file) is left alone and the write fails with a
 * one-line reason. Deleting never follows a symbolic link: a link is removed as a link, never its target's contents.
 */
public final class FolderSwap {
    private static final Pattern TEMPORARY = Pattern.compile("\\.(.+)\\.(partial|old)-[0-9a-f]+");

    private FolderSwap() {
    }

    /**
     * A new empty temporary folder beside {@code target}, after checking that {@code target} may be replaced and
     * removing the temporary siblings a killed run left for it.
     */
    public static Path begin(Path target, String marker) throws IOException {
        return begin(target, marker, true);
    }

    /** {@link #begin(Path, String)}, the leftovers left to the caller when {@code clean} is false (a batch clears them once). */
    static Path begin(Path target, String marker, boolean clean) throws IOException {
        Path t = target.toAbsolutePath().normalize();
        Path parent = t.getParent();
        if (parent == null || t.getFileName() == null) throw new IOException(target + ": cannot be an output folder (the file system's root)");
        if (Files.isSymbolicLink(t)) {
            throw new IOException(target + ": is a symbolic link; natrecon replaces only folders it wrote, never a link");
        }
        if (Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(t, LinkOption.NOFOLLOW_LINKS)) throw new IOException(target + ": exists and is not a folder");
            if (!Files.isRegularFile(t.resolve(marker), LinkOption.NOFOLLOW_LINKS) && !empty(t)) {
                throw new IOException(target + ": exists and natrecon did not write it (no " + marker
                        + " in it); natrecon replaces only its own output folders: give a new or empty folder");
            }
        }
        try {
            Files.createDirectories(parent);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(parent + ": exists and is not a folder", e);
        } catch (AccessDeniedException e) {
            throw new IOException(parent + ": cannot be written (permission denied)", e);
        } catch (java.nio.file.FileSystemException e) {
            throw new IOException(parent + ": cannot be made (" + e.getClass().getSimpleName()
                    + (e.getReason() == null ? "" : ": " + e.getReason()) + ")", e);
        }
        if (clean) removeLeftovers(parent, t.getFileName().toString());
        Path partial = parent.resolve("." + t.getFileName() + ".partial-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
        try {
            Files.createDirectory(partial);
        } catch (AccessDeniedException e) {
            throw new IOException(parent + ": cannot be written (permission denied)", e);
        } catch (IOException e) {
            throw new IOException(parent + ": cannot be written (" + e.getClass().getSimpleName() + ")", e);
        }
        return partial;
    }

    /** Puts the complete {@code partial} folder in place of {@code target}: the old one is moved aside, then removed. */
    public static void commit(Path partial, Path target) throws IOException {
        Path t = target.toAbsolutePath().normalize();
        Path old = null;
        if (Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
            old = t.resolveSibling("." + t.getFileName() + ".old-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
            Files.move(t, old, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.move(partial, t, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (old != null) Files.move(old, t, StandardCopyOption.ATOMIC_MOVE);
            throw e;
        }
        if (old != null) deleteQuietly(old);
    }

    /** Removes a temporary folder of this run (a failed write). */
    public static void abandon(Path partial) {
        deleteQuietly(partial);
    }

    /**
     * The temporary siblings of {@code name} in {@code parent} (all of them when {@code name} is null) a killed run
     * left: partial folders removed; an old folder moved back when the run died between its two renames, else removed.
     */
    static void removeLeftovers(Path parent, String name) throws IOException {
        try (Stream<Path> s = Files.list(parent)) {
            for (Path p : s.toList()) {
                var m = TEMPORARY.matcher(p.getFileName().toString());
                if (!m.matches() || name != null && !m.group(1).equals(name)) continue;
                Path target = parent.resolve(m.group(1));
                if (m.group(2).equals("old") && !Files.exists(target, LinkOption.NOFOLLOW_LINKS)
                        && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    deleteQuietly(p);
                }
            }
        }
    }

    private static boolean empty(Path dir) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        }
    }

    static void deleteQuietly(Path p) {
        try {
            deleteTree(p);
        } catch (IOException ignored) {
            // a scratch or temporary file that cannot be removed is left behind; the next run tries again
        }
    }

    /** Deletes {@code p} and, when it is a real folder, everything in it; a symbolic link is deleted as a link. */
    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.list(p)) {
                for (Path c : s.toList()) deleteTree(c);
            }
        }
        Files.delete(p);
    }
}
