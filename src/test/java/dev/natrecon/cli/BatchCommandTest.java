package dev.natrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code natrecon batch} on the command line: statuses and what reaches the terminal. */
class BatchCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aFailedCaseIsStatusThreeAndNamesFromTheInputCannotDriveTheTerminal() throws IOException {
        Path dir = tmp.resolve("in/call\u001b]0;pwned\u0007");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("lan.pcap"), "not a capture \u001b[2J");
        Files.copy(Path.of("samples/baseline/wan.pcap"), dir.resolve("wan.pcap"));
        MainTest.Run r = MainTest.run("batch", tmp.resolve("in").toString(), "-o", tmp.resolve("out").toString(), "-j", "1");
        assertEquals(3, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("FAILED") && r.out().contains("not a pcap or pcapng file"), r.out());
        assertFalse(r.out().contains("\u001b") || r.out().contains("\u0007"), r.out());
        assertTrue(r.out().contains("call\\e]0;pwned\\x07/lan.pcap"), r.out());
        assertTrue(Files.isRegularFile(tmp.resolve("out/summary.csv")));
    }
}
