package dev.natrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** analyze writes report.html and summary.md with SIP credentials redacted, shown with --no-redact. */
class NoRedactOptionTest {
    @TempDir
    Path tmp;

    @Test
    void redactedByDefaultShownWithNoRedact() throws Exception {
        String props = "src/test/resources/cases/html-injection/case.properties";
        MainTest.Run red = MainTest.run("analyze", "--case", props, "-o", tmp.resolve("a").toString());
        assertEquals(0, red.code(), red.err());
        assertTrue(red.out().contains("report.html, summary.md"), red.out());
        String html = Files.readString(tmp.resolve("a/report.html"));
        assertFalse(html.contains("RESPONSE-SECRET-1"));
        assertFalse(Files.readString(tmp.resolve("a/summary.md")).contains("SECRET"));
        MainTest.Run open = MainTest.run("analyze", "--case", props, "-o", tmp.resolve("b").toString(), "--no-redact");
        assertEquals(0, open.code(), open.err());
        String shown = Files.readString(tmp.resolve("b/report.html"));
        assertTrue(shown.contains("RESPONSE-SECRET-1") && shown.contains("RESPONSE-SECRET-2"));
        assertTrue(Files.isRegularFile(tmp.resolve("b/charts/table.svg")));
    }
}
