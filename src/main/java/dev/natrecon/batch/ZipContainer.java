package dev.natrecon.batch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** A zip archive: its central directory lists the members, and each case's members are copied out when it runs. */
final class ZipContainer implements Container {
    private final Path path;
    private final ZipFile zip;

    ZipContainer(Path path) throws IOException {
        this.path = path;
        try {
            this.zip = new ZipFile(path.toFile());
        } catch (IOException e) {
            throw new IOException(path + ": not a readable zip archive (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public String label() {
        return path.toString();
    }

    @Override
    public List<String> members() {
        List<String> out = new ArrayList<>();
        for (ZipEntry e : Collections.list(zip.entries())) {
            if (!e.isDirectory() && Archives.safeName(e.getName())) out.add(e.getName());
        }
        return out;
    }

    @Override
    public boolean randomAccess() {
        return true;
    }

    @Override
    public synchronized Map<String, Path> open(Set<String> members, Path scratch) throws IOException {
        Map<String, Path> out = new LinkedHashMap<>();
        for (String m : members) {
            ZipEntry e = zip.getEntry(m);
            if (e == null) throw new IOException(path + ": no member " + m);
            Path target = Archives.target(scratch, m);
            try (InputStream in = zip.getInputStream(e)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException x) {
                throw new IOException(path + "!" + m + ": cannot be extracted (" + x.getMessage() + ")", x);
            }
            out.put(m, target);
        }
        return out;
    }

    @Override
    public void stream(Set<String> wanted, Path scratch, Extracted sink) throws IOException {
        for (String m : members()) {
            if (wanted.contains(m)) sink.member(m, open(Set.of(m), scratch).get(m));
        }
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
