package dev.natrecon.batch;

import dev.natrecon.correlate.Crossing;
import dev.natrecon.detect.Detection;
import dev.natrecon.detect.Finding;
import dev.natrecon.detect.Severity;
import dev.natrecon.engine.AnalysisInputs;
import dev.natrecon.engine.AnalysisSink;
import dev.natrecon.engine.CaseSettings;
import dev.natrecon.engine.ModelSettings;
import dev.natrecon.engine.RunResult;
import dev.natrecon.engine.RunVerdict;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a batch: every case found in the inputs, {@code jobs} at a time (parallel across cases, never within one), each
 * into {@code OUT/cases/NAME/}; then {@code OUT/summary.csv} and {@code OUT/index.html}.
 *
 * <p>Failure isolation: whatever goes wrong inside a case (unreadable or damaged files, a member over its unpacking
 * bound, settings naming files outside the case's archive, out of memory, a bug) fails that case alone with a one-line
 * reason; the batch goes on and summary.csv is always written. Atomicity: a case is written into a hidden temporary
 * folder and renamed into place complete ({@link FolderSwap}), its {@code case-summary.csv} last inside it; a killed
 * batch leaves only temporary folders, removed by the next run. A folder {@code OUT/cases/NAME} that natrecon did not
 * write (no case-summary.csv in it), or a symbolic link there, is never replaced: that case fails saying so.
 * Resumption: a case whose folder holds a case-summary.csv of a successful run over the same input bytes (SHA-256) is
 * not run again unless {@code force}.
 */
public final class BatchRunner {
    /** Where each case's batch record lives inside its folder. */
    static final String CASE_SUMMARY = "case-summary.csv";

    /**
     * {@code redact}: SIP credentials in each case's report (on unless --no-redact); {@code limits}: the bounds on
     * unpacking archive members; {@code analyzer}: how one case is analysed (tests inject failures there).
     */
    public record Options(Path out, int jobs, boolean force, boolean redact, Extraction.Limits limits,
                          CaseAnalyzer analyzer) {
        public Options(Path out, int jobs, boolean force, boolean redact) {
            this(out, jobs, force, redact, Extraction.Limits.DEFAULT, CaseRunner::analyze);
        }

        public Options(Path out, int jobs, boolean force) {
            this(out, jobs, force, true);
        }

        Options with(Extraction.Limits l) {
            return new Options(out, jobs, force, redact, l, analyzer);
        }

        /** These options with {@code a} analysing each case (batch --packets: every frame in packets.csv). */
        public Options with(CaseAnalyzer a) {
            return new Options(out, jobs, force, redact, limits, a);
        }
    }

    /** Analyses one case into a folder: {@link CaseRunner#analyze}, or a test's stand-in. */
    @FunctionalInterface
    public interface CaseAnalyzer {
        RunResult analyze(AnalysisInputs in, Path dir, boolean redact, List<AnalysisSink> extra) throws IOException;
    }

    public record Result(List<CaseOutcome> cases, List<CaseDiscovery.Unmatched> unmatched) {
        /**
         * 3 when a case failed or an input could not be read, else 1 when a case's worst finding reaches
         * {@code failOn} (inconclusive or not), else 4 when a case is inconclusive, else 0; {@code failOn} null
         * ({@code --fail-on never}) gives 0 unless a case failed.
         */
        public int exitStatus(Severity failOn) {
            if (cases.stream().anyMatch(CaseOutcome::failed) || unmatched.stream().anyMatch(CaseDiscovery.Unmatched::broken)) return 3;
            if (failOn == null) return 0;
            boolean inconclusive = false;
            for (CaseOutcome c : cases) {
                Severity v = Severity.parse(c.worstFinding());
                if (v != null && v.compareTo(failOn) >= 0) return 1;
                inconclusive |= c.verdict().equals(RunVerdict.Kind.INCONCLUSIVE.label());
            }
            return inconclusive ? 4 : 0;
        }
    }

    private BatchRunner() {
    }

    public static Result run(List<Path> inputs, Options o, BatchListener listener) throws IOException {
        CaseDiscovery.Found found = CaseDiscovery.find(inputs);
        Path cases = prepareOutput(o.out());
        Path scratch = scratchFolder(o.out());
        Run run = new Run(cases, o, listener, found.cases().size());
        try {
            Map<Container, List<CaseSpec>> streamed = new LinkedHashMap<>();
            for (CaseSpec c : found.cases()) {
                if (c.container().randomAccess()) {
                    Path dir = scratch.resolve(c.name());
                    run.submit(c, () -> c.container().open(c.members(), dir, o.limits()), files -> FolderSwap.deleteQuietly(dir));
                } else {
                    streamed.computeIfAbsent(c.container(), k -> new ArrayList<>()).add(c);
                }
            }
            for (Map.Entry<Container, List<CaseSpec>> e : streamed.entrySet()) run.stream(e.getKey(), e.getValue(), scratch);
            run.await();
        } finally {
            run.pool.shutdownNow();
            for (Container c : new HashSet<>(found.cases().stream().map(CaseSpec::container).toList())) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // an archive that cannot be closed was read already
                }
            }
            FolderSwap.deleteQuietly(scratch);
        }
        List<CaseOutcome> ordered = new ArrayList<>();
        for (CaseSpec c : found.cases()) {
            CaseOutcome out = run.outcomes.get(c.name());
            ordered.add(out != null ? out : failed(c, "", "the case did not finish (internal error; please report this)", 0));
        }
        Result result = new Result(ordered, found.unmatched());
        writeOutputs(o.out(), result);
        return result;
    }

    /**
     * Makes {@code OUT/cases} ready for a run: created (see {@link #casesFolder}), the temporary folders a killed run
     * left there removed, and the scratch folder of unpacked members ({@link #scratchFolder}) emptied; returns
     * {@code OUT/cases}. Whatever runs the cases (this runner, the Spark job) starts with this.
     */
    public static Path prepareOutput(Path out) throws IOException {
        Path cases = casesFolder(out);
        FolderSwap.removeLeftovers(cases, null);
        FolderSwap.deleteTree(scratchFolder(out));
        return cases;
    }

    /** Where a run over {@code out} unpacks archive members: {@code OUT/.scratch}, a case's under its name. */
    public static Path scratchFolder(Path out) {
        return out.resolve(".scratch");
    }

    /** Removes the scratch folder of a finished run. */
    public static void removeScratch(Path out) {
        FolderSwap.deleteQuietly(scratchFolder(out));
    }

    /** Writes {@code OUT/summary.csv} and {@code OUT/index.html} for {@code r} (each written whole, then renamed). */
    public static void writeOutputs(Path out, Result r) throws IOException {
        BatchOutputs.write(out, r);
    }

    /**
     * {@code OUT/cases}, created: OUT must be a folder (or not exist yet), and cases/ a real folder, never a symbolic
     * link (what a batch replaces and deletes in it must be inside OUT).
     */
    static Path casesFolder(Path out) throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) throw new IOException(out + ": exists and is not a folder");
        Path cases = out.resolve("cases");
        if (Files.isSymbolicLink(cases)) {
            throw new IOException(cases + ": is a symbolic link; a batch writes its cases only into a folder of its own");
        }
        if (Files.exists(cases) && !Files.isDirectory(cases)) throw new IOException(cases + ": exists and is not a folder");
        try {
            Files.createDirectories(cases);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException(out + ": cannot be written (permission denied)", e);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new IOException(e.getFile() + ": exists and is not a folder", e);
        }
        return cases;
    }

    /** One batch's workers and what they share: the outcomes so far and the progress count. */
    private static final class Run {
        final Path cases;
        final Options options;
        final BatchListener listener;
        final int total;
        final AtomicInteger done = new AtomicInteger();
        final Map<String, CaseOutcome> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
        final ExecutorService pool;
        final List<Future<?>> futures = new ArrayList<>();

        Run(Path cases, Options options, BatchListener listener, int total) {
            this.cases = cases;
            this.options = options;
            this.listener = listener;
            this.total = total;
            this.pool = Executors.newFixedThreadPool(Math.max(1, options.jobs()), r -> {
                Thread t = new Thread(r, "natrecon-batch");
                t.setDaemon(true);
                return t;
            });
        }

        interface Files {
            Map<String, Path> get() throws IOException;
        }

        /**
         * Runs {@code c} on a worker: its files, the case, then {@code cleanup} of the files, whatever happened. Any
         * Throwable (out of memory, stack overflow, a bug) fails this case alone: the worker records the reason and
         * drops its references, so the heap recovers and the next case runs.
         */
        void submit(CaseSpec c, Files files, java.util.function.Consumer<Map<String, Path>> cleanup) {
            futures.add(pool.submit(() -> {
                Map<String, Path> got = null;
                CaseOutcome out;
                try {
                    got = files.get();
                    out = runCase(c, got, cases, options, listener);
                } catch (Throwable e) {
                    out = failed(c, "", e, 0);
                } finally {
                    try {
                        cleanup.accept(got);
                    } catch (RuntimeException ignored) {
                        // scratch copies left behind are removed with the scratch folder at the end
                    }
                }
                finish(out);
            }));
        }

        void finish(CaseOutcome out) {
            outcomes.put(out.name(), out);
            try {
                listener.finished(out, done.incrementAndGet(), total);
            } catch (RuntimeException ignored) {
                // progress display only
            }
        }

        /**
         * A tar: one pass, each case submitted when its last member is out; a member over its unpacking bound fails
         * the cases that need it, a failed pass fails the cases left.
         */
        void stream(Container c, List<CaseSpec> specs, Path scratch) {
            Map<String, List<CaseSpec>> byMember = new HashMap<>();
            Map<CaseSpec, Map<String, Path>> got = new HashMap<>();
            Map<CaseSpec, Long> used = new HashMap<>();
            for (CaseSpec s : specs) {
                got.put(s, new TreeMap<>());
                for (String m : s.members()) byMember.computeIfAbsent(m, k -> new ArrayList<>()).add(s);
            }
            // hidden: a case name never starts with '.', so this cannot meet a case's own scratch folder
            Path dir = scratch.resolve(".stream-" + Integer.toHexString(System.identityHashCode(c)));
            Throwable failure = null;
            try {
                c.stream(byMember.keySet(), dir, options.limits(), new Container.Extracted() {
                    @Override
                    public void member(String member, Path file) throws IOException {
                        long size = java.nio.file.Files.size(file);
                        if (byMember.get(member).stream().noneMatch(got::containsKey)) {
                            FolderSwap.deleteQuietly(file); // every case that needed it has failed already
                            return;
                        }
                        boolean shared = byMember.get(member).size() > 1;
                        for (CaseSpec s : byMember.get(member)) {
                            Map<String, Path> files = got.get(s);
                            if (files == null) continue; // failed already
                            // at SCRATCH/NAME/member, as a zip's member is: a case's report names the same copy
                            // whichever runner unpacked it (CaseTask)
                            files.put(member, shared ? file : moveInto(file, scratch.resolve(s.name()), member));
                            used.merge(s, size, Long::sum);
                            if (files.size() < s.members().size()) continue;
                            got.remove(s);
                            // a member two cases share is left for the other one
                            submit(s, () -> files, done -> {
                                files.forEach((m, p) -> {
                                    if (byMember.get(m).size() == 1) FolderSwap.deleteQuietly(p);
                                });
                                FolderSwap.deleteQuietly(scratch.resolve(s.name()));
                            });
                        }
                    }

                    @Override
                    public void failed(String member, IOException why) {
                        for (CaseSpec s : byMember.get(member)) {
                            Map<String, Path> files = got.remove(s);
                            if (files == null) continue;
                            files.forEach((m, p) -> {
                                if (byMember.get(m).size() == 1) FolderSwap.deleteQuietly(p);
                            });
                            finish(BatchRunner.failed(s, "", why, 0));
                        }
                    }

                    @Override
                    public long budget(String member) {
                        long left = options.limits().perCase();
                        for (CaseSpec s : byMember.get(member)) left = Math.min(left, options.limits().perCase() - used.getOrDefault(s, 0L));
                        return left;
                    }
                });
            } catch (Throwable e) {
                failure = e;
            }
            for (CaseSpec s : got.keySet()) {
                finish(failure != null ? failed(s, "", failure, 0)
                        : failed(s, "", c.label() + ": members missing from the archive", 0));
            }
        }

        void await() throws IOException {
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                    throw new IOException("batch interrupted", x);
                } catch (java.util.concurrent.ExecutionException x) {
                    // the worker body catches everything; a case without an outcome is reported as not finished
                }
            }
        }
    }

    /** {@code file} moved to {@code dir/member} (the member's folders made). */
    static Path moveInto(Path file, Path dir, String member) throws IOException {
        Path target = Archives.target(dir, member);
        Files.move(file, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** Runs one case whose files are at hand (or skips it when its report is complete and its inputs unchanged). */
    static CaseOutcome runCase(CaseSpec c, Map<String, Path> files, Path cases, Options o, BatchListener listener) {
        String hash;
        try {
            hash = sha256(files);
        } catch (IOException e) {
            return failed(c, "", e, 0);
        }
        Path target = cases.resolve(c.name());
        if (!o.force()) {
            CaseOutcome previous = BatchOutputs.readCaseSummary(target.resolve(CASE_SUMMARY));
            if (previous != null && !previous.failed() && previous.inputsSha256().equals(hash)) return previous.asResumed();
        }
        listener.started(c);
        long start = System.nanoTime();
        Path tmp;
        try {
            tmp = FolderSwap.begin(target, CASE_SUMMARY, false);
        } catch (IOException e) {
            return failed(c, hash, e, 0);
        }
        CaseOutcome out;
        try {
            RunResult r = o.analyzer().analyze(inputs(c, files), tmp, o.redact(), List.of(new Progress(listener)));
            out = ok(c, hash, r, (System.nanoTime() - start) / 1e9, tmp);
        } catch (Throwable e) {
            FolderSwap.deleteQuietly(tmp);
            out = failed(c, hash, inArchiveTerms(reason(e), c, files), (System.nanoTime() - start) / 1e9);
        }
        try {
            Files.createDirectories(tmp);
            BatchOutputs.writeCaseSummary(tmp.resolve(CASE_SUMMARY), out);
            FolderSwap.commit(tmp, target);
        } catch (IOException e) {
            FolderSwap.deleteQuietly(tmp);
            return failed(c, hash, target + ": cannot write the case's outputs (" + e.getMessage() + ")", 0);
        }
        return out;
    }

    /** The analysis inputs of a case from its files. */
    static AnalysisInputs inputs(CaseSpec c, Map<String, Path> files) throws IOException {
        AnalysisInputs in;
        if (c.settings() != null) {
            CaseSettings s = CaseSettings.load(files.get(c.settings()));
            if (c.container() != null && c.rule().equals(CaseDiscovery.SETTINGS_RULE)) {
                insideContainer(s, c, files.get(c.settings()));
            }
            in = s.inputs(ModelSettings.defaults());
        } else if (c.router() != null) {
            // a lone capture: a router capture when it holds several interfaces, else one side's capture
            in = dev.natrecon.engine.LoneCapture.inputs(files.get(c.router()), null);
        } else if (c.lan() == null || c.wan() == null) {
            in = AnalysisInputs.single(files.get(c.lan() != null ? c.lan() : c.wan()), c.lan() != null ? "lan" : "wan");
        } else {
            in = AnalysisInputs.pair(files.get(c.lan()), files.get(c.wan()));
        }
        return in.withName(c.name());
    }

    /**
     * Fails unless every file the settings of a case found in a folder or archive name ({@code *.file} keys) is
     * inside that folder or archive: relative, and not climbing out with "..". The settings come with the untrusted
     * input, so they must not make natrecon read (or report on) the engineer's own files.
     */
    static void insideContainer(CaseSettings s, CaseSpec c, Path settingsFile) throws IOException {
        Path root = settingsFile.toAbsolutePath().normalize();
        for (int i = c.settings().split("/").length; i > 0 && root != null; i--) root = root.getParent();
        for (String key : new java.util.TreeSet<>(s.properties().stringPropertyNames())) {
            String v = s.get(key);
            if (!key.endsWith(".file") || v == null) continue;
            Path p;
            try {
                p = Path.of(v);
            } catch (java.nio.file.InvalidPathException e) {
                throw new IOException(c.settings() + ": " + key + " is not a file name", e);
            }
            if (p.isAbsolute() || root == null || !s.dir().toAbsolutePath().resolve(p).normalize().startsWith(root)) {
                throw new IOException(c.settings() + ": " + key + "=" + v + " names a file outside the case's "
                        + (c.container() instanceof FolderContainer ? "folder" : "archive")
                        + "; the settings in a batch's input may name only files inside it");
            }
        }
    }

    private static CaseOutcome ok(CaseSpec c, String hash, RunResult r, double seconds, Path dir) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Finding f : r.findings()) counts.merge(f.id(), 1, Integer::sum);
        Severity worst = r.verdict().worst();
        String verdict = r.verdict().label();
        List<String> top = new ArrayList<>(); // the first three findings (one per rule and cause), not their instances
        for (dev.natrecon.detect.FindingGroup g : dev.natrecon.detect.Causes.group(r.findings())) {
            if (top.size() == 3 || g.severity() == Severity.INFO) break;
            top.add(g.id() + (g.count() > 1 ? " (" + g.count() + " instances)" : "") + ": " + g.first().message());
        }
        String report = Files.exists(dir.resolve("report.html")) ? "cases/" + c.name() + "/report.html"
                : "cases/" + c.name() + "/summary.json";
        return new CaseOutcome(c.name(), "ok", verdict, r.verdict().reasonText(),
                worst == null ? "" : worst.label(), c.rule(), c.origin(), hash, seconds, r.packetsReplayed(),
                r.findings().size(), counts, String.join(" | ", top), "", report, false);
    }

    /** The message with scratch copies named as the archive members they are ("x.tgz!4711/lan.pcap"). */
    private static String inArchiveTerms(String msg, CaseSpec c, Map<String, Path> files) {
        if (c.container() instanceof FolderContainer || files == null) return msg;
        for (Map.Entry<String, Path> f : files.entrySet()) {
            msg = msg.replace(f.getValue().toString(), c.container().label() + "!" + f.getKey());
        }
        return msg;
    }

    /**
     * Why a case failed, on one line: the message of bad input (an IOException, a parser's IllegalArgumentException),
     * else what went wrong inside natrecon (out of memory, stack overflow, a bug).
     */
    static String reason(Throwable e) {
        String msg = e.getMessage();
        if (e instanceof OutOfMemoryError oom) return outOfMemory(oom, " while analysing the case");
        if (e instanceof StackOverflowError) return "stack overflow while analysing the case";
        if (e instanceof java.io.UncheckedIOException && e.getCause() != null) return reason(e.getCause());
        if (msg != null && (e instanceof IOException || e instanceof IllegalArgumentException)) return msg;
        return "internal error: " + e.getClass().getName() + (msg == null ? "" : ": " + msg) + " (please report this)";
    }

    /**
     * An OutOfMemoryError as a support engineer can act on it: the heap it ran out of and how to give the JVM more
     * (the launcher's {@code -Xmx384m} is overridden by {@code NATRECON_JAVA_OPTS}; README, Performance). Every input
     * should fit that heap (issue 18), so it stays an internal error to report.
     */
    public static String outOfMemory(OutOfMemoryError e, String where) {
        return "out of memory" + where + " (" + e.getMessage() + ", in a heap of " + (Runtime.getRuntime().maxMemory() >> 20)
                + " MiB); to finish it, rerun with a larger heap (NATRECON_JAVA_OPTS=-Xmx2g ./natrecon ..., or java -Xmx2g -jar ...)";
    }

    static CaseOutcome failed(CaseSpec c, String hash, Throwable e, double seconds) {
        return failed(c, hash, reason(e), seconds);
    }

    static CaseOutcome failed(CaseSpec c, String hash, String msg, double seconds) {
        return failed(c.name(), c.rule(), c.origin(), hash, msg, seconds);
    }

    static CaseOutcome failed(String name, String rule, String origin, String hash, String msg, double seconds) {
        return new CaseOutcome(name, "failed", "", "", "", rule, origin, hash, seconds, 0, 0, Map.of(), "",
                msg.replace('\n', ' ').replace('\r', ' '), "", false);
    }

    /** Counts replayed packets for the progress display, in blocks. */
    private static final class Progress implements AnalysisSink {
        private final BatchListener listener;
        private long pending;

        Progress(BatchListener listener) {
            this.listener = listener;
        }

        @Override
        public void packet(Crossing c) {
            if (++pending == 8192) {
                listener.packets(pending);
                pending = 0;
            }
        }

        @Override
        public void finish(RunResult result) {
            listener.packets(pending);
            pending = 0;
        }
    }

    static String sha256(Map<String, Path> files) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        for (Map.Entry<String, Path> e : new TreeMap<>(files).entrySet()) {
            md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            md.update((byte) 0);
            try (InputStream in = Files.newInputStream(e.getValue())) {
                for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            } catch (IOException x) {
                throw new IOException(e.getValue() + ": cannot be read (" + x.getMessage() + ")", x);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Cases run at once unless told: the number of cores. */
    public static int defaultJobs() {
        return Runtime.getRuntime().availableProcessors();
    }
}
