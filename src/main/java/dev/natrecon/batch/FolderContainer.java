package dev.natrecon.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** A folder, walked recursively; its files are used where they are (nothing is copied). */
final class FolderContainer implements Container {
    private final Path root;

    FolderContainer(Path root) {
        this.root = root;
    }

    @Override
    public String label() {
        return root.toString();
    }

    @Override
    public List<String> members() throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(n -> !n.startsWith(".") && !n.contains("/.")).sorted().toList();
        }
    }

    @Override
    public boolean randomAccess() {
        return true;
    }

    @Override
    public Map<String, Path> open(Set<String> members, Path scratch) {
        Map<String, Path> out = new LinkedHashMap<>();
        for (String m : members) out.put(m, root.resolve(m));
        return out;
    }

    @Override
    public void stream(Set<String> wanted, Path scratch, Extracted sink) throws IOException {
        for (String m : members()) if (wanted.contains(m)) sink.member(m, root.resolve(m));
    }

    @Override
    public void close() {
    }
}
