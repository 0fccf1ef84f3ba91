package dev.natrecon.batch;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A folder, walked recursively; its files are used where they are (nothing is copied). A subfolder or file that
 * cannot be read (permissions, vanished while walked) becomes a broken row and the walk goes on. Hidden files and
 * folders are skipped; symbolic links to files are read where they point (only read, never written), links to
 * folders are not followed.
 */
class FolderContainer extends ListingContainer {
    private final Path root;
    private final String label;

    FolderContainer(Path root) {
        this(root, root.toString());
    }

    /** A folder read at {@code root} but named {@code label} (a copy of a folder kept elsewhere). */
    FolderContainer(Path root, String label) {
        this.root = root;
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public Path path() {
        return root;
    }

    @Override
    public List<String> members() throws IOException {
        List<String> out = new ArrayList<>();
        newListing();
        IOException[] rootFailed = {null};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(root) && hidden(dir)) return FileVisitResult.SKIP_SUBTREE;
                try {
                    check(dir);
                } catch (IOException e) {
                    return visitFileFailed(dir, e);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (!hidden(file) && (attrs.isRegularFile() || attrs.isSymbolicLink() && Files.isRegularFile(file))) {
                    out.add(name(file));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                if (file.equals(root)) {
                    rootFailed[0] = e;
                    return FileVisitResult.TERMINATE;
                }
                rejectBroken(name(file), "cannot be read (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); the rest of the folder is used");
                return FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                if (e != null) visitFileFailed(dir, e);
                return FileVisitResult.CONTINUE;
            }
        });
        if (rootFailed[0] != null) {
            throw new IOException(root + ": cannot be read (" + rootFailed[0].getClass().getSimpleName() + ")", rootFailed[0]);
        }
        out.sort(null);
        return out;
    }

    /**
     * Called for every folder before it is walked; throwing fails that folder alone. The file system's own refusals
     * arrive through the walk; tests override this to refuse a folder as the system would (tests run as root, whom
     * permissions do not stop).
     */
    void check(Path dir) throws IOException {
    }

    private String name(Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    private boolean hidden(Path p) {
        return p.getFileName() != null && p.getFileName().toString().startsWith(".");
    }

    @Override
    public boolean randomAccess() {
        return true;
    }

    @Override
    public Map<String, Path> open(Set<String> members, Path scratch, Extraction.Limits limits) {
        Map<String, Path> out = new LinkedHashMap<>();
        for (String m : members) out.put(m, root.resolve(m));
        return out;
    }

    @Override
    public void stream(Set<String> wanted, Path scratch, Extraction.Limits limits, Extracted sink) throws IOException {
        for (String m : members()) if (wanted.contains(m)) sink.member(m, root.resolve(m));
    }

    @Override
    public void close() {
    }
}
