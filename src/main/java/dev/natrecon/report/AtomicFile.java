package dev.natrecon.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A text file written under a temporary name beside its target and renamed over it on {@link #commit()}; closing
 * without committing deletes the temporary file. The temporary file is created the way any program creates a file
 * (open with O_CREAT|O_EXCL, mode 0666 less the user's umask), not with {@code Files.createTempFile}, whose 0600
 * would make every report readable by its owner only: the output follows the user's umask.
 */
public final class AtomicFile implements AutoCloseable {
    private final Path target;
    private final Path temporary;
    private final OutputStream stream;
    private Writer writer;
    private boolean committed;

    public AtomicFile(Path target) throws IOException {
        this.target = target;
        Path dir = directoryOf(target);
        this.temporary = temporaryBeside(dir, target);
        this.stream = Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** The file as UTF-8 text, buffered (use this or {@link #stream()}, not both). */
    public Writer writer() {
        if (writer == null) writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
        return writer;
    }

    /** The file as bytes, unbuffered: for writers with their own buffer ({@link CsvRowWriter}). */
    public OutputStream stream() {
        return stream;
    }

    public void commit() throws IOException {
        closeOutput();
        try {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
    }

    /**
     * Writes {@code text} to {@code target} atomically, as UTF-8: encoded in one call (the same bytes as
     * {@link #writer()}, an unpaired surrogate becoming {@code ?} either way), not copied through a writer's buffer a
     * chunk at a time; the charts, ladders, summary.md and report.html are written this way.
     */
    public static void write(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} to {@code target} atomically (a temporary file beside it, renamed over it). */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * Writes {@code parts} one after the other to {@code target} atomically, each encoded as UTF-8 on its own: a page
     * built in parts (report.html) is written without first joining it into one string. The bytes are those of the
     * joined text as long as no part ends inside a surrogate pair (the parts end and start with markup).
     */
    public static void write(Path target, java.util.List<String> parts) throws IOException {
        write(target, out -> {
            for (String part : parts) out.write(part.getBytes(StandardCharsets.UTF_8));
        });
    }

    /** What a file holds, written to its stream. */
    private interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private static void write(Path target, Content content) throws IOException {
        Path tmp = temporaryBeside(directoryOf(target), target);
        boolean moved = false;
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                content.writeTo(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            // not after a move: deleting a name that is gone throws (and catches) an exception inside the JDK
            if (!moved) Files.deleteIfExists(tmp);
        }
    }

    /**
     * {@code target}'s folder, created when missing. {@code Files.createDirectories} on a folder that exists throws
     * and catches two exceptions inside the JDK (about 70 per run of analyze), so it is asked only when the folder is
     * not there.
     */
    private static Path directoryOf(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) Files.createDirectories(dir);
        return dir;
    }

    /** A fresh hidden name {@code .NAME.HEX.tmp} beside {@code target}, not yet created (CREATE_NEW creates it). */
    private static Path temporaryBeside(Path dir, Path target) {
        return dir.resolve("." + target.getFileName() + "."
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + ".tmp");
    }

    private void closeOutput() throws IOException {
        if (writer != null) writer.close();
        else stream.close();
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            try {
                closeOutput();
            } finally {
                Files.deleteIfExists(temporary);
            }
        }
    }
}
