package dev.natrecon.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.batch.BatchListener;
import dev.natrecon.batch.BatchRunTest;
import dev.natrecon.batch.BatchRunner;
import dev.natrecon.batch.CaseOutcome;
import dev.natrecon.bench.SyntheticNatCaptures;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job in local mode against {@code natrecon batch} on the same inputs (lab samples in a folder, and a tar.gz
 * and a zip mixing two lab cases with a corrupt capture, a truncated gzip and an unpaired file): the same summary.csv
 * rows (timing aside) and byte-identical case folders; a rerun skips every finished case; a job killed mid-run and
 * restarted completes without touching the finished case folders; a case past its time limit is a failed row.
 */
class SparkBatchTest {
    static JavaSparkContext sc;

    @TempDir
    Path tmp;

    /** Spark for a test: no UI, no network beyond loopback, few partitions. */
    static SparkConf conf(String master) {
        return new SparkConf().setMaster(master).setAppName("natrecon-spark-test")
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.default.parallelism", "2")
                .set("spark.sql.shuffle.partitions", "2");
    }

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(conf("local[2]"));
    }

    @AfterAll
    static void stop() {
        if (sc != null) sc.stop();
    }

    /** A folder of two lab samples (their expected/ left out), and a tar.gz and a zip of the mixed members. */
    List<Path> inputs() throws IOException {
        Path lab = tmp.resolve("lab");
        for (Map.Entry<String, byte[]> e : BatchRunTest.sampleMembers("").entrySet()) {
            Path f = lab.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.write(f, e.getValue());
        }
        Map<String, byte[]> mixed = BatchRunTest.mixedMembers();
        Path tgz = tmp.resolve("mixed.tgz"), zip = tmp.resolve("mixedzip.zip");
        BatchRunTest.tgz(tgz, mixed);
        BatchRunTest.zip(zip, mixed);
        return List.of(lab, tgz, zip);
    }

    static SparkBatch.Options options(List<Path> inputs, Path out) {
        return new SparkBatch.Options(inputs.stream().map(Path::toString).toList(), out.toString(), false, true,
                SparkBatch.DEFAULT_CASE_SECONDS);
    }

    @Test
    void theSameRowsAndByteIdenticalCaseFoldersAsBatchAndARerunSkipsEveryFinishedCase() throws IOException {
        List<Path> in = inputs();
        Path out = tmp.resolve("out"), batchOut = tmp.resolve("out-batch");
        // the same output path for both runs: the reports name the unpacked copies under OUT/.scratch
        BatchRunner.Result batch = BatchRunner.run(in, new BatchRunner.Options(out, 2, false), BatchListener.NONE);
        Files.move(out, batchOut);
        BatchRunner.Result spark = SparkBatch.run(sc, options(in, out));

        assertEquals(12, spark.cases().size(), spark.cases().toString());
        assertEquals(4, spark.cases().stream().filter(CaseOutcome::failed).count(), "junk and call7, in each archive");
        assertEquals(batch.exitStatus(dev.natrecon.detect.Severity.ERROR), spark.exitStatus(dev.natrecon.detect.Severity.ERROR));
        assertEquals(rows(batchOut.resolve("summary.csv")), rows(out.resolve("summary.csv")));
        assertEquals(untimed(Files.readString(batchOut.resolve("index.html"))), untimed(Files.readString(out.resolve("index.html"))));
        Map<String, String> expected = tree(batchOut.resolve("cases")), got = tree(out.resolve("cases"));
        assertEquals(expected.keySet(), got.keySet(), "the same files");
        assertTrue(expected.size() > 8 * 10, "every case folder compared: " + expected.size());
        for (String f : expected.keySet()) assertEquals(expected.get(f), got.get(f), f);
        assertFalse(Files.exists(out.resolve(".scratch")), "unpacked copies removed");

        Map<String, FileTime> before = finishedSummaries(out);
        BatchRunner.Result again = SparkBatch.run(sc, options(in, out));
        for (CaseOutcome c : again.cases()) assertEquals(!c.failed(), c.resumed(), c.name() + ": finished cases skipped, failed ones rerun");
        assertEquals(before, finishedSummaries(out), "finished case folders untouched");
        assertEquals(rows(batchOut.resolve("summary.csv")).stream().map(r -> r.replaceAll(",false$", ",?")).toList(),
                rows(out.resolve("summary.csv")).stream().map(r -> r.replaceAll(",(true|false)$", ",?")).toList());
    }

    @Test
    void remoteInputsThroughTheHadoopFileSystemApiGiveTheSameJudgements() throws IOException {
        List<Path> in = inputs();
        Path local = tmp.resolve("out-local"), remote = tmp.resolve("out-remote");
        BatchRunner.Result expected = SparkBatch.run(sc, options(in, local));
        sc.hadoopConfiguration().set("fs." + RemoteTestFileSystem.SCHEME + ".impl", RemoteTestFileSystem.class.getName());
        sc.hadoopConfiguration().set("fs." + RemoteTestFileSystem.SCHEME + ".impl.disable.cache", "true");
        List<String> uris = in.stream().map(p -> RemoteTestFileSystem.SCHEME + "://" + p.toAbsolutePath()).toList();
        // the output folder on the "remote" file system too: each case written locally, copied there, renamed
        String remoteOut = RemoteTestFileSystem.SCHEME + "://" + remote.toAbsolutePath();
        SparkBatch.Options remotely = new SparkBatch.Options(uris, remoteOut, false, true, SparkBatch.DEFAULT_CASE_SECONDS);
        BatchRunner.Result got = SparkBatch.run(sc, remotely);
        assertEquals(expected.cases().size(), got.cases().size());
        for (int i = 0; i < expected.cases().size(); i++) {
            CaseOutcome e = expected.cases().get(i), g = got.cases().get(i);
            assertEquals(List.of(e.name(), e.status(), e.verdict(), e.reasons(), e.rule(), e.inputsSha256(), e.packets(), e.counts()),
                    List.of(g.name(), g.status(), g.verdict(), g.reasons(), g.rule(), g.inputsSha256(), g.packets(), g.counts()));
            // named as the remote files they are: testfs:/tmp/.../mixed.tgz!tickets/junk.pcap
            assertEquals(e.origin(), g.origin().replace(RemoteTestFileSystem.SCHEME + ":", ""), g.origin());
            assertTrue(g.origin().startsWith(RemoteTestFileSystem.SCHEME + ":/"), g.origin());
            assertEquals(e.error(), g.error().replace(RemoteTestFileSystem.SCHEME + ":", ""));
        }
        assertEquals(expected.unmatched(), got.unmatched());
        assertEquals(tree(local.resolve("cases")).keySet(), tree(remote.resolve("cases")).keySet(), "the same case files");
        assertEquals(rows(local.resolve("summary.csv")).size(), rows(remote.resolve("summary.csv")).size());
        assertTrue(Files.isRegularFile(remote.resolve("index.html")));
        try (Stream<Path> s = Files.list(remote.resolve("cases"))) {
            assertEquals(List.of(), s.filter(x -> x.getFileName().toString().startsWith(".")).toList(), "no temporary folders");
        }

        Map<String, FileTime> before = finishedSummaries(remote);
        BatchRunner.Result again = SparkBatch.run(sc, remotely);
        for (CaseOutcome c : again.cases()) assertEquals(!c.failed(), c.resumed(), c.name());
        assertEquals(before, finishedSummaries(remote), "finished case folders untouched");
    }

    @Test
    void aJobKilledMidRunIsCompletedByARestartWithoutTouchingFinishedCases() throws Exception {
        Path in = tmp.resolve("in");
        Files.createDirectories(in.resolve("a-small"));
        for (String f : List.of("lan.pcap", "wan.pcap")) {
            Files.copy(Path.of("samples/baseline").resolve(f), in.resolve("a-small").resolve(f));
        }
        Files.createDirectories(in.resolve("b-big"));
        SyntheticNatCaptures.write(SyntheticNatCaptures.Config.of(40, 90), in.resolve("b-big/lan.pcap"),
                in.resolve("b-big/wan.pcap"));
        Path out = tmp.resolve("out");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(System.getProperty("spark.java17.options", "").trim().split("\\s+")));
        cmd.addAll(List.of("-Dspark.ui.enabled=false", "-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1",
                "-cp", System.getProperty("java.class.path"), "dev.natrecon.cli.SparkBatchCommand", in.toString(),
                "-o", out.toString(), "--master", "local[1]"));
        cmd.removeIf(String::isEmpty);
        Path log = tmp.resolve("log.txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path smallDone = out.resolve("cases/a-small/case-summary.csv");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!Files.exists(smallDone) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(Files.exists(smallDone), "the first case completed: " + Files.readString(log));
        Thread.sleep(300);
        p.destroyForcibly().waitFor();
        assertFalse(Files.exists(out.resolve("cases/b-big/case-summary.csv")),
                "the big case was still running when the job was killed: " + Files.readString(log));
        assertFalse(Files.exists(out.resolve("summary.csv")), "a killed job leaves no summary that looks whole");
        Map<String, FileTime> before = finishedSummaries(out);
        String smallBefore = Files.readString(smallDone);

        BatchRunner.Result r = SparkBatch.run(sc, options(List.of(in), out));
        Map<String, CaseOutcome> c = r.cases().stream().collect(Collectors.toMap(CaseOutcome::name, x -> x));
        assertTrue(c.get("a-small").resumed(), "finished case not redone");
        assertEquals("ok", c.get("b-big").status(), c.get("b-big").error());
        assertFalse(c.get("b-big").resumed());
        assertEquals(smallBefore, Files.readString(smallDone), "the finished case's folder is untouched");
        assertEquals(before.get("a-small"), finishedSummaries(out).get("a-small"));
        try (Stream<Path> s = Files.list(out.resolve("cases"))) {
            assertEquals(List.of(), s.filter(x -> x.getFileName().toString().startsWith(".")).toList(), "no temporary folders");
        }
        assertTrue(Files.isRegularFile(out.resolve("summary.csv")) && Files.isRegularFile(out.resolve("index.html")));
    }

    @Test
    void aCasePastItsTimeLimitIsAFailedRowAndTheOthersFinish() throws IOException {
        Path in = tmp.resolve("in");
        Files.createDirectories(in.resolve("a-small"));
        for (String f : List.of("lan.pcap", "wan.pcap")) {
            Files.copy(Path.of("samples/baseline").resolve(f), in.resolve("a-small").resolve(f));
        }
        Files.createDirectories(in.resolve("b-long"));
        SyntheticNatCaptures.write(SyntheticNatCaptures.Config.of(60, 120), in.resolve("b-long/lan.pcap"),
                in.resolve("b-long/wan.pcap"));
        Path out = tmp.resolve("out");
        BatchRunner.Result r = SparkBatch.run(sc, new SparkBatch.Options(List.of(in.toString()), out.toString(), false,
                true, 1));
        Map<String, CaseOutcome> c = r.cases().stream().collect(Collectors.toMap(CaseOutcome::name, x -> x));
        assertEquals("ok", c.get("a-small").status(), c.get("a-small").error());
        assertTrue(c.get("b-long").failed());
        assertTrue(c.get("b-long").error().startsWith("ran past the per-case time limit of 1 s"), c.get("b-long").error());
        assertEquals(3, r.exitStatus(dev.natrecon.detect.Severity.ERROR));
    }

    @Test
    void attemptsPerTaskFollowSparksRules() {
        assertEquals(1, SparkBatch.maxAttempts(new SparkConf().setMaster("local[2]")));
        assertEquals(3, SparkBatch.maxAttempts(new SparkConf().setMaster("local[2,3]")));
        assertEquals(1, SparkBatch.maxAttempts(new SparkConf().setMaster("local")));
        assertEquals(4, SparkBatch.maxAttempts(new SparkConf().setMaster("yarn")));
        assertEquals(8, SparkBatch.maxAttempts(new SparkConf().setMaster("k8s://https://x:6443").set("spark.task.maxFailures", "8")));
    }

    /** summary.csv's rows with the timing column blanked. */
    static List<String> rows(Path csv) throws IOException {
        List<String> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(csv)) {
            for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(false).build().parse(r)) {
                Map<String, String> m = new java.util.LinkedHashMap<>(rec.toMap());
                m.put("duration_seconds", "");
                out.add(String.join(",", m.values()));
            }
        }
        return out;
    }

    /** index.html with its seconds column blanked. */
    static String untimed(String html) {
        return html.replaceAll("<td>[0-9]+\\.[0-9]</td><td class=\"mono\">", "<td>T</td><td class=\"mono\">");
    }

    /** Every file under {@code dir} by relative name: its bytes as text (case-summary.csv: its row, timing blanked). */
    static Map<String, String> tree(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                String name = dir.relativize(f).toString();
                m.put(name, f.getFileName().toString().equals("case-summary.csv") ? String.join("\n", rows(f))
                        : java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(Files.readAllBytes(f))));
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return m;
    }

    /** The modification time of case-summary.csv of every case folder that holds a finished (ok) case. */
    static Map<String, FileTime> finishedSummaries(Path out) throws IOException {
        Map<String, FileTime> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(out.resolve("cases"))) {
            for (Path d : s.toList()) {
                Path f = d.resolve("case-summary.csv");
                if (Files.isRegularFile(f) && rows(f).get(0).contains(",ok,")) m.put(d.getFileName().toString(), Files.getLastModifiedTime(f));
            }
        }
        return m;
    }
}
