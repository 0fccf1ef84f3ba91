package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.decode.Disposition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every public capture (src/test/resources/public, copied from shared/captures/public with its MANIFEST) reads to the
 * end with exactly the frame count capinfos gave, every frame in exactly one disposition, and no exception.
 */
class PublicCorpusTest {
    static final Path CORPUS = Path.of("src/test/resources/public");

    record Entry(String file, long frames) {
        @Override
        public String toString() {
            return file;
        }
    }

    static List<Entry> manifest() throws IOException {
        List<Entry> entries = new ArrayList<>();
        // Rows: | `sip/x.pcap` | ... | 195 | ...   or   | `a.pcap` + `b.pcap` | ... | 244 / 246 | ...
        Pattern row = Pattern.compile("^\\| (`[^|]+`) \\|(.*)$");
        for (String line : Files.readAllLines(CORPUS.resolve("MANIFEST.md"))) {
            Matcher m = row.matcher(line);
            if (!m.matches()) continue;
            List<String> files = new ArrayList<>();
            Matcher f = Pattern.compile("`([^`]+\\.pcap(?:ng)?)`").matcher(m.group(1));
            while (f.find()) files.add(f.group(1));
            String[] cells = m.group(2).split("\\|");
            String counts = cells[cells.length - 2].trim();
            String[] parts = counts.split("/");
            for (int i = 0; i < files.size(); i++) entries.add(new Entry(files.get(i), Long.parseLong(parts[i].trim())));
        }
        return entries;
    }

    static Stream<Entry> entries() throws IOException {
        List<Entry> e = manifest();
        assertEquals(41, e.size(), "MANIFEST lists 41 captures");
        return e.stream();
    }

    @ParameterizedTest
    @MethodSource("entries")
    void readsToTheEndWithTheManifestFrameCount(Entry e) throws IOException {
        CaptureStats s = Analysis.survey(CORPUS.resolve(e.file()));
        assertEquals(e.frames(), s.frames, "frames of " + e.file());
        long sum = 0;
        for (Disposition d : Disposition.values()) sum += s.disposition(d);
        assertEquals(s.frames, sum, "every frame ends in exactly one disposition");
        assertTrue(s.anomalies.count("capture.truncated_record") == 0, "no truncation in " + e.file());
        assertEquals(0, s.disposition(Disposition.UNSUPPORTED_LINK), "every link type is known");
    }
}
