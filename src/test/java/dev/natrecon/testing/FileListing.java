package dev.natrecon.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A folder tree as "path size mtime" lines, to prove that a run wrote nothing outside its output folder. */
public final class FileListing {
    private FileListing() {
    }

    /**
     * Every path under {@code root} but those under {@code except}: "path size mtime" (links as links); the root
     * itself left out (its mtime changes when the output folders are made in it).
     */
    public static Map<String, String> of(Path root, Path... except) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                boolean skip = p.equals(root);
                for (Path e : except) skip |= p.startsWith(e);
                if (skip) continue;
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                out.put(root.relativize(p).toString(), (a.isDirectory() ? "dir" : a.size() + " bytes") + " "
                        + a.lastModifiedTime().toMillis() + (a.isSymbolicLink() ? " -> " + Files.readSymbolicLink(p) : ""));
            }
        }
        return out;
    }

}
