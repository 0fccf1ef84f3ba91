package dev.natrecon.batch;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * A tar archive, optionally gzip-compressed: read as a stream, once to list the members and once to copy out each
 * wanted member as it passes (a case runs as soon as its last member is out).
 */
final class TarContainer implements Container {
    private final Path path;
    private final boolean gzip;

    TarContainer(Path path) {
        this.path = path;
        String n = path.getFileName().toString().toLowerCase(Locale.ROOT);
        this.gzip = n.endsWith(".gz") || n.endsWith(".tgz");
    }

    @Override
    public String label() {
        return path.toString();
    }

    private TarArchiveInputStream open() throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        try {
            return new TarArchiveInputStream(gzip ? new GzipCompressorInputStream(in, true) : in);
        } catch (IOException e) {
            in.close();
            throw new IOException(path + ": not a readable " + (gzip ? "tar.gz" : "tar") + " archive (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public List<String> members() throws IOException {
        List<String> out = new ArrayList<>();
        try (TarArchiveInputStream tar = open()) {
            for (TarArchiveEntry e = next(tar); e != null; e = next(tar)) {
                String name = Archives.normal(e.getName());
                if (e.isFile() && Archives.safeName(name)) out.add(name);
            }
        }
        return out;
    }

    private TarArchiveEntry next(TarArchiveInputStream tar) throws IOException {
        try {
            return tar.getNextEntry();
        } catch (IOException e) {
            throw new IOException(path + ": archive is damaged after " + tar.getBytesRead() + " bytes (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public boolean randomAccess() {
        return false;
    }

    @Override
    public Map<String, Path> open(Set<String> members, Path scratch) {
        throw new UnsupportedOperationException("a tar archive is read as a stream");
    }

    @Override
    public void stream(Set<String> wanted, Path scratch, Extracted sink) throws IOException {
        try (TarArchiveInputStream tar = open()) {
            for (TarArchiveEntry e = next(tar); e != null; e = next(tar)) {
                String name = Archives.normal(e.getName());
                if (!e.isFile() || !wanted.contains(name)) continue;
                Path target = Archives.target(scratch, name);
                try {
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException x) {
                    throw new IOException(path + "!" + name + ": cannot be extracted (" + x.getMessage() + ")", x);
                }
                sink.member(name, target);
            }
        }
    }

    @Override
    public void close() {
    }
}
