package dev.natrecon.spark;

import dev.natrecon.batch.BatchRunner;
import dev.natrecon.batch.CaseDiscovery;
import dev.natrecon.batch.CaseOutcome;
import dev.natrecon.batch.CaseTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code natrecon batch} as a Spark job: the driver finds the cases with batch's discovery (remote inputs through a
 * local stand-in, {@link HadoopFiles#stage}), runs one Spark task per case ({@link RunCase}: parallel across cases,
 * never within one, so an executor core needs one case's memory), collects the rows in discovery order and writes
 * summary.csv and index.html with batch's code. The case folders, rows, resumption and exit status are batch's.
 */
public final class SparkBatch {
    /** Default per-case time limit: 30 min, some 100 times what a long support capture (4 M frames) takes (README). */
    public static final long DEFAULT_CASE_SECONDS = 1800;

    /**
     * {@code inputs}: paths or Hadoop URIs of folders, archives, manifests, captures; {@code output}: the batch's
     * folder, a local path (or {@code file:} URI) that the driver and every executor see (local mode: this machine's
     * disk; a cluster: a shared mount), or a Hadoop URI ({@code hdfs:}, {@code s3a:}: {@link RemoteOutput});
     * {@code caseSeconds}: the per-case time limit.
     */
    public record Options(List<String> inputs, String output, boolean force, boolean redact, long caseSeconds) {
        public Options {
            inputs = List.copyOf(inputs);
            if (caseSeconds < 1) throw new IllegalArgumentException("the per-case time limit must be at least 1 s");
        }
    }

    private SparkBatch() {
    }

    /** Runs the batch on {@code sc}; returns batch's result (its {@code exitStatus} is the job's). */
    public static BatchRunner.Result run(JavaSparkContext sc, Options o) throws IOException {
        boolean remoteOut = !HadoopFiles.local(o.output());
        java.util.Map<String, String> hadoop = HadoopFiles.settings(sc.hadoopConfiguration());
        String out;
        org.apache.hadoop.fs.FileSystem outFs = null;
        if (remoteOut) {
            out = o.output();
            outFs = RemoteOutput.fs(out, hadoop);
            RemoteOutput.prepare(outFs, out);
        } else {
            Path local = HadoopFiles.localPath(o.output()).toAbsolutePath().normalize();
            BatchRunner.prepareOutput(local);
            out = local.toString();
        }
        Path staging = Files.createTempDirectory("natrecon-staging");
        try {
            HadoopFiles.Staged staged = HadoopFiles.stage(o.inputs(), sc.hadoopConfiguration(), staging);
            CaseTask.Discovery found = CaseTask.discover(staged.local());
            List<CaseTask> tasks = found.tasks().stream().map(staged::remote).toList();
            List<CaseDiscovery.Unmatched> unmatched = found.unmatched().stream()
                    .map(u -> new CaseDiscovery.Unmatched(staged.remote(u.file()), u.reason(), u.broken())).toList();
            List<CaseOutcome> rows = tasks.isEmpty() ? List.of()
                    : sc.parallelize(tasks, tasks.size())
                    .map(new RunCase(out, remoteOut, o.force(), o.redact(), o.caseSeconds(), maxAttempts(sc.getConf()), hadoop))
                    .collect();
            BatchRunner.Result r = new BatchRunner.Result(new ArrayList<>(rows), unmatched);
            if (remoteOut) {
                Path written = staging.resolve("outputs");
                Files.createDirectories(written);
                BatchRunner.writeOutputs(written, r);
                RemoteOutput.put(outFs, out, written.resolve("summary.csv"));
                RemoteOutput.put(outFs, out, written.resolve("index.html"));
            } else {
                BatchRunner.writeOutputs(Path.of(out), r);
            }
            return r;
        } finally {
            deleteTree(staging);
            if (!remoteOut) BatchRunner.removeScratch(Path.of(out));
        }
    }

    private static final Pattern LOCAL = Pattern.compile("local(?:\\[([^,\\]]+)(?:,\\s*(\\d+))?\\])?");

    /**
     * Attempts Spark makes per task: {@code local[N,F]} gives F, plain local mode 1 (Spark's LocalSchedulerBackend),
     * a cluster {@code spark.task.maxFailures} (default 4, Spark's configuration docs).
     */
    static int maxAttempts(SparkConf conf) {
        Matcher m = LOCAL.matcher(conf.get("spark.master", "local"));
        if (m.matches()) return m.group(2) == null ? 1 : Math.max(1, Integer.parseInt(m.group(2)));
        return Math.max(1, conf.getInt("spark.task.maxFailures", 4));
    }

    private static void deleteTree(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        } catch (IOException ignored) {
            // a temporary stand-in left behind is harmless
        }
    }
}
