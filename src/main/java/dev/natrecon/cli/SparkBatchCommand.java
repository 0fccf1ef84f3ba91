package dev.natrecon.cli;

import dev.natrecon.batch.BatchRunner;
import dev.natrecon.batch.CaseOutcome;
import dev.natrecon.detect.Severity;
import dev.natrecon.spark.SparkBatch;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The Spark job's entry point: {@code spark-submit --class dev.natrecon.cli.SparkBatchCommand natrecon.jar INPUT...
 * --output OUT}. The same inputs, outputs and exit statuses as {@code natrecon batch}; Spark (3.5, provided by the
 * cluster) runs one task per case.
 */
@Command(name = "natrecon-spark-batch", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"natrecon batch as an Apache Spark job: one task per case, the same summary.csv, index.html and "
                + "cases/ as 'natrecon batch'. Run it with spark-submit (README, Batch on Apache Spark)."},
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"0:every case judged, none with a finding at --fail-on", "1:a case has a finding at --fail-on",
                "2:usage, or an input or output that cannot be used", "3:a case failed or an input could not be read",
                "4:some cases inconclusive", "70:internal error"})
public final class SparkBatchCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "INPUT",
            description = "folders, .zip, .tar, .tar.gz/.tgz archives, manifest CSVs or captures: paths or Hadoop "
                    + "file-system URIs (file:, hdfs:, s3a:, ...)")
    List<String> inputs;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR",
            description = "output folder: a path every executor can write (local mode: this machine; a cluster: a shared mount)")
    String output;

    @Option(names = "--force", description = "run every case again, even when its outputs are complete and its inputs unchanged")
    boolean force;

    @Option(names = "--no-redact", description = "show SIP Authorization and Proxy-Authorization credentials in the reports")
    boolean noRedact;

    @Option(names = "--case-time-limit", paramLabel = "SECONDS", defaultValue = "" + SparkBatch.DEFAULT_CASE_SECONDS,
            description = "a case still running after this is stopped and retried as Spark retries tasks, then "
                    + "recorded as failed (default: ${DEFAULT-VALUE})")
    long caseSeconds;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master when not started by spark-submit (local[2] on one machine)")
    String master;

    @Option(names = "--fail-on", paramLabel = "SEVERITY", defaultValue = "error",
            description = "exit with status 1 when a case has a finding at least this severe: warning, error (default), or never")
    String failOn;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(Main.execute(new CommandLine(new SparkBatchCommand()), new PrintWriter(System.out, true),
                new PrintWriter(System.err, true), args));
    }

    @Override
    public Integer call() throws IOException {
        Severity threshold = AnalyzeCommand.threshold(failOn, spec.commandLine());
        try {
            Class.forName("org.apache.spark.SparkConf", false, SparkBatchCommand.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IOException("Apache Spark 3.5 is not on the class path: run this class with spark-submit "
                    + "(README, Batch on Apache Spark)", e);
        }
        if (caseSeconds < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--case-time-limit must be at least 1");
        SparkConf conf = new SparkConf().setAppName("natrecon batch");
        if (master != null) conf.setMaster(master);
        if (!conf.contains("spark.master")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "no Spark master: run it with spark-submit, or give --master local[2]");
        }
        BatchRunner.Result r;
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            r = SparkBatch.run(sc, new SparkBatch.Options(inputs, output, force, !noRedact, caseSeconds));
        }
        PrintWriter out = spec.commandLine().getOut();
        long failed = r.cases().stream().filter(CaseOutcome::failed).count();
        long resumed = r.cases().stream().filter(CaseOutcome::resumed).count();
        out.printf(Locale.ROOT, "%d cases (%d failed, %d unchanged and not rerun), %d files fit no case; written: %s "
                + "(summary.csv, index.html, cases/)%n", r.cases().size(), failed, resumed, r.unmatched().size(), output);
        out.flush();
        return r.exitStatus(threshold);
    }
}
