package dev.natrecon.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file whose name is a spreadsheet formula fits no case: summary.csv shows it neutralised, index.html escaped; the
 * case beside it is read back from its case-summary.csv on a rerun (not run again).
 */
class BatchFormulaTest {
    @TempDir
    Path tmp;

    @Test
    void formulaTextFromFileNamesIsNeutralisedAndReadBack() throws Exception {
        String lonely = "@SUM(1+1)<b>x-lan.pcap";
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path md = Path.of("src/test/resources/cases/markdown-injection");
        Path c = Files.createDirectories(in.resolve("case1"));
        Files.copy(md.resolve("lan.pcap"), c.resolve("lan.pcap"));
        Files.copy(md.resolve("wan.pcap"), c.resolve("wan.pcap"));
        Files.copy(md.resolve("lan.pcap"), in.resolve(lonely));
        Path out = tmp.resolve("out");
        BatchRunner.Result r = BatchRunner.run(List.of(in), new BatchRunner.Options(out, 1, false, true), BatchListener.NONE);
        // the lonely LAN capture is a one-sided case of its own (issue 17), its file name in the origin column
        assertEquals(2, r.cases().size(), r.toString());
        assertEquals(0, r.unmatched().size(), r.toString());
        boolean neutralised = false;
        List<Path> summaries;
        try (var s = Files.walk(out)) {
            summaries = s.filter(p -> p.getFileName().toString().endsWith(".csv") && p.toString().contains("summary")).toList();
        }
        assertEquals(3, summaries.size(), summaries.toString());
        for (Path f : summaries) {
            try (Reader rd = Files.newBufferedReader(f)) {
                for (CSVRecord row : CSVFormat.DEFAULT.parse(rd)) {
                    for (String cell : row) {
                        assertFalse(!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0
                                && !cell.matches("[-+]?[0-9.]+"), f + ": " + cell);
                        neutralised |= cell.endsWith("!" + lonely);
                    }
                }
            }
        }
        assertTrue(neutralised, "the lonely file has its row");
        String index = Files.readString(out.resolve("index.html"));
        assertTrue(index.contains("@SUM(1+1)&lt;b&gt;x-lan.pcap"), index);
        assertFalse(index.contains("<b>x"), index);
        BatchRunner.Result again = BatchRunner.run(List.of(in), new BatchRunner.Options(out, 1, false, true), BatchListener.NONE);
        for (int i = 0; i < again.cases().size(); i++) {
            assertTrue(again.cases().get(i).resumed(), "the case-summary.csv record reads back: not rerun");
            assertEquals(r.cases().get(i).origin(), again.cases().get(i).origin());
        }
    }
}
