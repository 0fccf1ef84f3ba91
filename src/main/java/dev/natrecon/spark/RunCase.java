package dev.natrecon.spark;

import dev.natrecon.batch.BatchRunner;
import dev.natrecon.batch.CaseOutcome;
import dev.natrecon.batch.CaseRunner;
import dev.natrecon.batch.CaseTask;
import dev.natrecon.engine.AnalysisSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;

/**
 * The Spark task of one case: fetch its files, run it with batch's own code into {@code OUT/cases/NAME} (skipped when
 * a finished run over the same input bytes is there), return its summary row. Whatever goes wrong inside the case is
 * a failed row, never a failed task, with two exceptions that Spark retries: a case that ran past the per-case time
 * limit, and (by nature) a case that took its executor JVM down. On the task's last attempt such a case is not run
 * again but recorded as failed, so a case can never fail the job.
 */
final class RunCase implements Function<CaseTask, CaseOutcome> {
    private static final long serialVersionUID = 1L;

    private final String out;
    private final boolean remoteOut;
    private final boolean force;
    private final boolean redact;
    private final long limitSeconds;
    private final int maxAttempts;
    private final Map<String, String> hadoopConf;

    /**
     * {@code out}: the batch's output folder, a local path every executor writes, or a Hadoop URI
     * ({@code remoteOut}: each case is written locally, then copied there and renamed into place, {@link RemoteOutput});
     * {@code maxAttempts}: Spark's attempts per task ({@code spark.task.maxFailures}, 1 in plain local mode).
     */
    RunCase(String out, boolean remoteOut, boolean force, boolean redact, long limitSeconds, int maxAttempts, Map<String, String> hadoopConf) {
        this.out = out;
        this.remoteOut = remoteOut;
        this.force = force;
        this.redact = redact;
        this.limitSeconds = limitSeconds;
        this.maxAttempts = maxAttempts;
        this.hadoopConf = hadoopConf;
    }

    /** Thrown to have Spark run the case again: it ran past its time limit on an attempt that is not the last. */
    static final class RetryCase extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RetryCase(String message) {
            super(message);
        }
    }

    @Override
    public CaseOutcome call(CaseTask t) {
        TaskContext ctx = TaskContext.get();
        int attempt = ctx == null ? 0 : ctx.attemptNumber();
        boolean last = attempt >= maxAttempts - 1;
        if (last && attempt > 0) {
            return t.failed("did not finish in " + attempt + " attempts: each ran past the per-case time limit of "
                    + limitSeconds + " s or took its executor down (the executor logs say which); not run again", 0);
        }
        if (!remoteOut) return runIn(t, Path.of(out), last);
        Path work = null;
        try {
            work = Files.createTempDirectory("natrecon-case");
            FileSystem fs = RemoteOutput.fs(out, hadoopConf);
            Path cases = work.resolve("cases");
            Files.createDirectories(cases);
            String refused = RemoteOutput.mirror(fs, out, t.name(), cases);
            if (refused != null) return t.failed(refused, 0);
            CaseOutcome o = runIn(t, work, last);
            Path folder = cases.resolve(t.name());
            if (!o.resumed() && Files.isRegularFile(folder.resolve(RemoteOutput.CASE_SUMMARY))) {
                try {
                    RemoteOutput.commit(fs, out, t.name(), folder);
                } catch (IOException e) {
                    return t.failed(RemoteOutput.casePath(out, t.name()) + ": cannot write the case's outputs ("
                            + e.getMessage() + ")", o.durationSeconds());
                }
            }
            return o;
        } catch (IOException e) {
            return t.failed(e);
        } finally {
            if (work != null) deleteTree(work);
        }
    }

    /** Runs {@code t} into {@code outDir/cases/NAME} with batch's code, its archive members unpacked under outDir. */
    private CaseOutcome runIn(CaseTask t, Path outDir, boolean last) {
        Path scratch = BatchRunner.scratchFolder(outDir);
        Path fetched = scratch.resolve("." + t.name() + ".fetch");
        try {
            Path local = HadoopFiles.fetch(t, hadoopConf, fetched);
            try (CaseTask.Prepared p = t.prepare(local, scratch)) {
                CaseDeadline deadline = new CaseDeadline(limitSeconds);
                CaseOutcome o = p.run(outDir.resolve("cases"), force, redact, (in, dir, r, extra) -> {
                    List<AnalysisSink> sinks = new ArrayList<>(extra);
                    sinks.add(deadline);
                    return CaseRunner.analyze(in, dir, r, sinks);
                });
                if (deadline.expired() && !last) throw new RetryCase(t.name() + ": " + o.error());
                return o;
            }
        } catch (RetryCase e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            return t.failed(e);
        } finally {
            if (Files.exists(fetched)) deleteTree(fetched);
        }
    }

    private static void deleteTree(Path p) {
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        } catch (IOException ignored) {
            // a fetched copy left behind goes with the scratch folder at the end of the job
        }
    }
}
