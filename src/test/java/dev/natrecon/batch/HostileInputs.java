package dev.natrecon.batch;

import dev.natrecon.testing.FileListing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Hostile archive members written in the test (nothing big is committed): plain files, runs of zeros that compress
 * to almost nothing (bombs), symbolic and hard links; and a listing of a folder tree to prove nothing changed.
 */
final class HostileInputs {
    private HostileInputs() {
    }

    /** One archive member: bytes, {@code zeros} zero bytes (a bomb), or a link. */
    record Member(String name, byte[] bytes, long zeros, String symlink, String hardlink) {
        static Member file(String name, byte[] bytes) {
            return new Member(name, bytes, 0, null, null);
        }

        static Member text(String name, String text) {
            return file(name, text.getBytes(StandardCharsets.UTF_8));
        }

        static Member bomb(String name, long zeros) {
            return new Member(name, null, zeros, null, null);
        }

        static Member symlink(String name, String target) {
            return new Member(name, null, 0, target, null);
        }

        static Member hardlink(String name, String target) {
            return new Member(name, null, 0, null, target);
        }
    }

    static List<Member> files(Map<String, byte[]> plain) {
        List<Member> out = new ArrayList<>();
        plain.forEach((k, v) -> out.add(Member.file(k, v)));
        return out;
    }

    private static void zeros(OutputStream out, long n) throws IOException {
        byte[] block = new byte[1 << 20];
        for (long left = n; left > 0; left -= block.length) out.write(block, 0, (int) Math.min(block.length, left));
    }

    static void tar(Path file, List<Member> members, boolean gzip) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip ? new GzipCompressorOutputStream(raw) : raw)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Member m : members) {
                TarArchiveEntry t;
                if (m.symlink() != null) {
                    t = new TarArchiveEntry(m.name(), TarConstants.LF_SYMLINK);
                    t.setLinkName(m.symlink());
                } else if (m.hardlink() != null) {
                    t = new TarArchiveEntry(m.name(), TarConstants.LF_LINK);
                    t.setLinkName(m.hardlink());
                } else {
                    t = new TarArchiveEntry(m.name(), true); // names kept as given ("/abs", "../x")
                    t.setSize(m.bytes() != null ? m.bytes().length : m.zeros());
                }
                tar.putArchiveEntry(t);
                if (m.bytes() != null) tar.write(m.bytes());
                else if (m.zeros() > 0) zeros(tar, m.zeros());
                tar.closeArchiveEntry();
            }
        }
    }

    static void zip(Path file, List<Member> members) throws IOException {
        try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(file)) {
            for (Member m : members) {
                if (m.hardlink() != null) continue; // zip has no hard links
                ZipArchiveEntry e = new ZipArchiveEntry(m.name());
                if (m.symlink() != null) e.setUnixMode(UnixStat.LINK_FLAG | 0777);
                z.putArchiveEntry(e);
                if (m.symlink() != null) z.write(m.symlink().getBytes(StandardCharsets.UTF_8));
                else if (m.bytes() != null) z.write(m.bytes());
                else zeros(z, m.zeros());
                z.closeArchiveEntry();
            }
        }
    }

    /** {@link FileListing#of}. */
    static Map<String, String> listing(Path root, Path... except) throws IOException {
        return FileListing.of(root, except);
    }

    /** The bytes of every file under {@code dir}. */
    static long bytesUnder(Path dir) {
        if (!Files.exists(dir)) return 0;
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // removed while walked
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0; // a folder removed while walked
        }
    }
}
