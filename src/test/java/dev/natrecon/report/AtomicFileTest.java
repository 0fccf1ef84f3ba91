package dev.natrecon.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AtomicFile#write(Path, String)} gives the bytes its writer gives, and leaves no temporary file behind. */
class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void textIsWrittenAsTheWriterWouldWriteIt() throws Exception {
        // Latin-1, a character beyond it (a chart title's arrow), one beyond the BMP, and an unpaired surrogate
        String text = "caf\u00e9 a \u2192 b \ud83d\udcde lone \ud800 end\n".repeat(5000);
        AtomicFile.write(dir.resolve("one.txt"), text);
        try (AtomicFile f = new AtomicFile(dir.resolve("two.txt"))) {
            f.writer().write(text);
            f.commit();
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("two.txt")), Files.readAllBytes(dir.resolve("one.txt")));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file is left");
        }
    }
}
