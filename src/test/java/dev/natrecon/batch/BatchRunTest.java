package dev.natrecon.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.bench.SyntheticNatCaptures;
import dev.natrecon.detect.Severity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch over an archive that mixes good cases with a corrupt capture, a truncated gzip and an unpaired file; the
 * same as a zip; a rerun that skips what is done; and a batch killed midway that a rerun finishes.
 */
public class BatchRunTest {
    @TempDir
    Path tmp;

    static final Path SAMPLES = Path.of("samples");

    /** Archive members: two lab sample folders (their expected/ outputs left out) and the troublemakers. */
    public static Map<String, byte[]> mixedMembers() throws IOException {
        Map<String, byte[]> m = sampleMembers("tickets/");
        m.put("tickets/junk.pcap", "this is no capture".repeat(50).getBytes());
        byte[] gz = gzip(Files.readAllBytes(SAMPLES.resolve("baseline/lan.pcap")));
        m.put("tickets/call7/call7-lan.pcap.gz", java.util.Arrays.copyOf(gz, gz.length / 2));
        m.put("tickets/call7/call7-wan.pcap.gz", gzip(Files.readAllBytes(SAMPLES.resolve("baseline/wan.pcap"))));
        m.put("tickets/lonely-lan.pcap", Files.readAllBytes(SAMPLES.resolve("port-clash/lan.pcap")));
        return m;
    }

    /** The two lab sample folders baseline and leaked-private-source under {@code prefix} (their expected/ left out). */
    public static Map<String, byte[]> sampleMembers(String prefix) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (String sample : List.of("baseline", "leaked-private-source")) {
            try (Stream<Path> s = Files.list(SAMPLES.resolve(sample))) {
                for (Path p : s.sorted().toList()) {
                    if (Files.isRegularFile(p)) m.put(prefix + sample + "/" + p.getFileName(), Files.readAllBytes(p));
                }
            }
        }
        return m;
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(data);
        }
        return b.toByteArray();
    }

    public static void tgz(Path file, Map<String, byte[]> members) throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : members.entrySet()) {
                TarArchiveEntry t = new TarArchiveEntry(e.getKey());
                t.setSize(e.getValue().length);
                tar.putArchiveEntry(t);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
    }

    public static void zip(Path file, Map<String, byte[]> members) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : members.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
    }

    static Map<String, CaseOutcome> byName(BatchRunner.Result r) {
        return r.cases().stream().collect(Collectors.toMap(CaseOutcome::name, c -> c));
    }

    void assertMixed(BatchRunner.Result r, String prefix, Path out) throws IOException {
        Map<String, CaseOutcome> c = byName(r);
        assertEquals(5, r.cases().size(), r.cases().toString());
        assertEquals("clean", c.get(prefix + "_tickets_baseline").verdict());
        assertEquals("error", c.get(prefix + "_tickets_leaked-private-source").verdict());
        assertEquals(2, c.get(prefix + "_tickets_leaked-private-source").counts().get("nat.private_source_leak"));
        CaseOutcome junk = c.get(prefix + "_tickets_junk");
        assertTrue(junk.failed());
        assertEquals("lone capture", junk.rule());
        assertTrue(junk.error().contains(prefix + ".") && junk.error().contains("!tickets/junk.pcap: not a pcap or pcapng file"),
                junk.error());
        CaseOutcome call7 = c.get(prefix + "_tickets_call7");
        assertTrue(call7.failed());
        assertTrue(call7.error().contains("!tickets/call7/call7-lan.pcap.gz: gzip stream ends early"), call7.error());
        // a LAN capture without its WAN partner is a case of its own, analysed as the LAN side alone (issue 17)
        CaseOutcome lonely = c.get(prefix + "_tickets_lonely");
        assertFalse(lonely.failed(), lonely.toString());
        assertEquals("one side by name: lan (no wan-side partner)", lonely.rule());
        assertTrue(lonely.origin().endsWith("!tickets/lonely-lan.pcap"), lonely.origin());
        assertEquals(List.of(), r.unmatched());
        assertEquals(3, r.exitStatus(Severity.ERROR));
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals(1 + 5, summary.size(), String.join("\n", summary));
        String index = Files.readString(out.resolve("index.html"));
        assertTrue(index.contains("cases/" + prefix + "_tickets_leaked-private-source/report.html") && index.contains("lonely-lan.pcap"), index);
        assertTrue(Files.isRegularFile(out.resolve("cases/" + prefix + "_tickets_baseline/summary.json")));
        try (Stream<Path> s = Files.list(out.resolve("cases"))) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".")).toList(), "no temporary folders left");
        }
        assertFalse(Files.exists(out.resolve(".scratch")), "extracted copies removed");
    }

    @Test
    void aMixedTarGzAndZipCompleteWithTheRightStatusesAndARerunSkipsWhatIsDone() throws IOException {
        Map<String, byte[]> members = mixedMembers();
        Path tgz = tmp.resolve("mixed.tgz"), zip = tmp.resolve("mixedzip.zip");
        tgz(tgz, members);
        zip(zip, members);
        Path out = tmp.resolve("out");
        assertMixed(BatchRunner.run(List.of(tgz), new BatchRunner.Options(out, 2, false), BatchListener.NONE), "mixed", out);
        Path outZip = tmp.resolve("outzip");
        assertMixed(BatchRunner.run(List.of(zip), new BatchRunner.Options(outZip, 1, false), BatchListener.NONE), "mixedzip", outZip);

        BatchRunner.Result again = BatchRunner.run(List.of(tgz), new BatchRunner.Options(out, 2, false), BatchListener.NONE);
        Map<String, CaseOutcome> c = byName(again);
        assertTrue(c.get("mixed_tickets_baseline").resumed() && c.get("mixed_tickets_leaked-private-source").resumed());
        assertEquals("error", c.get("mixed_tickets_leaked-private-source").verdict(), "the verdict survives the skip");
        assertFalse(c.get("mixed_tickets_junk").resumed(), "failed cases run again");
        BatchRunner.Result forced = BatchRunner.run(List.of(tgz), new BatchRunner.Options(out, 2, true), BatchListener.NONE);
        assertTrue(forced.cases().stream().noneMatch(CaseOutcome::resumed));
    }

    @Test
    void aBatchKilledMidwayIsFinishedByARerunWithoutRedoingFinishedCases() throws Exception {
        Path in = tmp.resolve("in");
        Files.createDirectories(in.resolve("a-small"));
        for (String f : List.of("lan.pcap", "wan.pcap")) {
            Files.copy(SAMPLES.resolve("baseline").resolve(f), in.resolve("a-small").resolve(f));
        }
        // a case big enough to be still running when the batch is killed
        Files.createDirectories(in.resolve("b-big"));
        SyntheticNatCaptures.write(SyntheticNatCaptures.Config.of(40, 90), in.resolve("b-big/lan.pcap"),
                in.resolve("b-big/wan.pcap"));
        Path out = tmp.resolve("out");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "dev.natrecon.cli.Main", "batch", in.toString(), "-o",
                out.toString(), "-j", "1").redirectErrorStream(true).redirectOutput(tmp.resolve("log.txt").toFile()).start();
        Path smallDone = out.resolve("cases/a-small").resolve(BatchRunner.CASE_SUMMARY);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(smallDone) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(Files.exists(smallDone), "the first case completed: " + Files.readString(tmp.resolve("log.txt")));
        Thread.sleep(300);
        p.destroyForcibly().waitFor();
        assertFalse(Files.exists(out.resolve("cases/b-big").resolve(BatchRunner.CASE_SUMMARY)),
                "the big case was still running when killed: " + Files.readString(tmp.resolve("log.txt")));
        assertFalse(Files.exists(out.resolve("summary.csv")), "a killed batch leaves no summary that looks whole");
        String smallBefore = Files.readString(smallDone);

        BatchRunner.Result r = BatchRunner.run(List.of(in), new BatchRunner.Options(out, 1, false), BatchListener.NONE);
        Map<String, CaseOutcome> c = byName(r);
        assertTrue(c.get("a-small").resumed(), "finished case not redone");
        assertFalse(c.get("b-big").resumed());
        assertEquals("ok", c.get("b-big").status(), c.get("b-big").error());
        assertEquals(smallBefore, Files.readString(smallDone), "the finished case's folder is untouched");
        try (Stream<Path> s = Files.list(out.resolve("cases"))) {
            assertEquals(List.of(), s.filter(x -> x.getFileName().toString().startsWith(".")).toList());
        }
        assertTrue(Files.isRegularFile(out.resolve("summary.csv")) && Files.isRegularFile(out.resolve("index.html")));
    }

    @Test
    void fileNamesAreEscapedInTheIndex() throws IOException {
        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        Files.writeString(in.resolve("<img src=x onerror=alert(1)>.txt"), "x");
        Path out = tmp.resolve("out");
        BatchRunner.Result r = BatchRunner.run(List.of(in), new BatchRunner.Options(out, 1, false), BatchListener.NONE);
        assertEquals(0, r.exitStatus(Severity.ERROR), "no case, nothing failed");
        String index = Files.readString(out.resolve("index.html"));
        assertFalse(index.contains("<img"), index);
        assertTrue(index.contains("&lt;img src=x onerror=alert(1)&gt;.txt"), index);
    }
}
