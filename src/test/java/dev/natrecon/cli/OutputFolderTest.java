package dev.natrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.engine.AnalysisInputs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** analyze's default output folder (unique to the case, never another case's) and the modes of what it writes. */
class OutputFolderTest {
    @TempDir
    Path tmp;

    @Test
    void theDefaultFolderIsNamedAfterTheCapturesOrTheCase() {
        AnalysisInputs pair = AnalysisInputs.pair(Path.of("samples/baseline/lan.pcap"), Path.of("samples/baseline/wan-shifted.pcap"));
        assertEquals("baseline-lan+wan-shifted", OutputFolder.name(pair, null));
        AnalysisInputs other = AnalysisInputs.pair(Path.of("samples/alg-off/lan.pcap"), Path.of("samples/alg-off/wan.pcap"));
        assertNotEquals(OutputFolder.name(pair, null), OutputFolder.name(other, null), "two samples, two folders");
        AnalysisInputs router = new AnalysisInputs(null, null, Path.of("/cases/site7/router.pcapng.gz"), null, null, null, 1.0);
        assertEquals("site7-router", OutputFolder.name(router, null));
        assertEquals("stale-mapping", OutputFolder.name(pair, Path.of("samples/stale-mapping/case.properties")));
        assertEquals("wan", OutputFolder.stem(Path.of("x/wan.pcapng.gz")));
    }

    @Test
    void aRerunReplacesItsOwnFolderWholeAndNeverAnotherCasesFolder() throws IOException {
        Path reports = tmp.resolve("reports");
        AnalysisInputs baseline = AnalysisInputs.pair(Path.of("samples/baseline/lan.pcap"), Path.of("samples/baseline/wan-shifted.pcap"));
        Path first = OutputFolder.choose(reports, baseline, null);
        assertEquals(reports.resolve("baseline-lan-wan-shifted"), first);
        assertEquals(0, MainTest.run("analyze", "--lan", "samples/baseline/lan.pcap", "--wan",
                "samples/baseline/wan-shifted.pcap", "-o", first.toString()).code());
        Files.writeString(first.resolve("left-over-from-an-old-run.txt"), "x");
        assertEquals(first, OutputFolder.choose(reports, baseline, null), "the same captures: the same folder");
        assertEquals(0, MainTest.run("analyze", "--lan", "samples/baseline/lan.pcap", "--wan",
                "samples/baseline/wan-shifted.pcap", "-o", first.toString()).code());
        assertFalse(Files.exists(first.resolve("left-over-from-an-old-run.txt")), "the folder is replaced whole, not mixed");
        assertTrue(Files.isRegularFile(first.resolve("summary.json")));

        // the same names in another folder of the same name: another case, so a new folder
        Path copy = Files.createDirectories(tmp.resolve("elsewhere/baseline"));
        Files.copy(Path.of("samples/baseline/lan.pcap"), copy.resolve("lan.pcap"));
        Files.copy(Path.of("samples/baseline/wan-shifted.pcap"), copy.resolve("wan-shifted.pcap"));
        AnalysisInputs elsewhere = AnalysisInputs.pair(copy.resolve("lan.pcap"), copy.resolve("wan-shifted.pcap"));
        assertEquals(reports.resolve("baseline-lan-wan-shifted-2"), OutputFolder.choose(reports, elsewhere, null));
        // a folder of that name that natrecon did not write (no summary.json) is not replaced either
        AnalysisInputs alg = AnalysisInputs.pair(Path.of("samples/alg-off/lan.pcap"), Path.of("samples/alg-off/wan.pcap"));
        Files.createDirectories(reports.resolve("alg-off-lan-wan"));
        assertEquals(reports.resolve("alg-off-lan-wan-2"), OutputFolder.choose(reports, alg, null));
    }

    @Test
    void outputFilesFollowTheUmaskLikeAnyOtherFile() throws IOException {
        Path out = tmp.resolve("case");
        MainTest.Run r = MainTest.run("analyze", "--lan", "samples/baseline/lan.pcap", "--wan",
                "samples/baseline/wan-shifted.pcap", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        // a file and a folder made the ordinary way, in the same JVM (same umask)
        Path reference = tmp.resolve("reference.txt");
        try (OutputStream o = Files.newOutputStream(reference)) {
            o.write('x');
        }
        Path referenceDir = Files.createDirectory(tmp.resolve("reference-dir"));
        Set<PosixFilePermission> file = Files.getPosixFilePermissions(reference);
        Set<PosixFilePermission> dir = Files.getPosixFilePermissions(referenceDir);
        for (String name : new String[] {"summary.json", "summary.md", "report.html", "findings.csv", "packets.csv"}) {
            assertEquals(PosixFilePermissions.toString(file), PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve(name))), name);
        }
        try (var charts = Files.list(out.resolve("charts"))) {
            Path chart = charts.filter(p -> p.toString().endsWith(".png")).findFirst().orElseThrow();
            assertEquals(PosixFilePermissions.toString(file), PosixFilePermissions.toString(Files.getPosixFilePermissions(chart)), chart.toString());
        }
        assertEquals(PosixFilePermissions.toString(dir), PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        assertEquals(PosixFilePermissions.toString(dir), PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("charts"))));
        // under the usual umask 022 that is rw-r--r--, not createTempFile's rw-------
        if (file.contains(PosixFilePermission.GROUP_READ)) {
            assertNotEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("summary.json"))));
        }
    }
}
