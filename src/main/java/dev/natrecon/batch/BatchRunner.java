package dev.natrecon.batch;

import dev.natrecon.correlate.Seen;
import dev.natrecon.detect.Detection;
import dev.natrecon.detect.Finding;
import dev.natrecon.detect.Severity;
import dev.natrecon.engine.AnalysisInputs;
import dev.natrecon.engine.AnalysisSink;
import dev.natrecon.engine.CaseSettings;
import dev.natrecon.engine.ModelSettings;
import dev.natrecon.engine.RunResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import java.util.stream.Stream;

/**
 * Runs a batch: every case found in the inputs, {@code jobs} at a time (parallel across cases, never within one), each
 * into {@code OUT/cases/NAME/}; then {@code OUT/summary.csv} and {@code OUT/index.html}.
 *
 * <p>Failure isolation: a case whose files cannot be read fails alone, with a one-line reason. Atomicity: a case is
 * written into a hidden temporary folder and renamed into place complete, its {@code case-summary.csv} last inside it; a
 * killed batch leaves only temporary folders, removed by the next run. Resumption: a case whose folder holds a
 * case-summary.csv of a successful run over the same input bytes (SHA-256) is not run again unless {@code force}.
 */
public final class BatchRunner {
    /** Where each case's batch record lives inside its folder. */
    static final String CASE_SUMMARY = "case-summary.csv";

    /** {@code redact}: SIP credentials in each case's report (on unless --no-redact). */
    public record Options(Path out, int jobs, boolean force, boolean redact) {
        public Options(Path out, int jobs, boolean force) {
            this(out, jobs, force, true);
        }
    }

    public record Result(List<CaseOutcome> cases, List<CaseDiscovery.Unmatched> unmatched) {
        /** 3 when a case failed or an input could not be read, else 1 when a case's worst finding reaches {@code failOn}, else 0. */
        public int exitStatus(Severity failOn) {
            if (cases.stream().anyMatch(CaseOutcome::failed) || unmatched.stream().anyMatch(CaseDiscovery.Unmatched::broken)) return 3;
            for (CaseOutcome c : cases) {
                Severity v = Severity.parse(c.verdict());
                if (failOn != null && v != null && v.compareTo(failOn) >= 0) return 1;
            }
            return 0;
        }
    }

    private BatchRunner() {
    }

    public static Result run(List<Path> inputs, Options o, BatchListener listener) throws IOException {
        CaseDiscovery.Found found = CaseDiscovery.find(inputs);
        Path cases = o.out().resolve("cases");
        Files.createDirectories(cases);
        removeLeftovers(cases);
        Path scratch = o.out().resolve(".scratch");
        deleteTree(scratch);
        Run run = new Run(cases, o, listener, found.cases().size());
        try {
            Map<Container, List<CaseSpec>> streamed = new LinkedHashMap<>();
            for (CaseSpec c : found.cases()) {
                if (c.container().randomAccess()) {
                    Path dir = scratch.resolve(c.name());
                    run.submit(c, () -> c.container().open(c.members(), dir), files -> deleteQuietly(dir));
                } else {
                    streamed.computeIfAbsent(c.container(), k -> new ArrayList<>()).add(c);
                }
            }
            for (Map.Entry<Container, List<CaseSpec>> e : streamed.entrySet()) run.stream(e.getKey(), e.getValue(), scratch);
            run.await();
        } finally {
            run.pool.shutdownNow();
            for (Container c : new HashSet<>(found.cases().stream().map(CaseSpec::container).toList())) c.close();
            deleteQuietly(scratch);
        }
        List<CaseOutcome> ordered = new ArrayList<>();
        for (CaseSpec c : found.cases()) ordered.add(run.outcomes.get(c.name()));
        Result result = new Result(ordered, found.unmatched());
        BatchOutputs.write(o.out(), result);
        return result;
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

        /** Runs {@code c} on a worker: its files, the case, then {@code cleanup} of the files, whatever happened. */
        void submit(CaseSpec c, Files files, java.util.function.Consumer<Map<String, Path>> cleanup) {
            futures.add(pool.submit(() -> {
                Map<String, Path> got = null;
                CaseOutcome out;
                try {
                    got = files.get();
                    out = runCase(c, got, cases, options, listener);
                } catch (IOException | RuntimeException e) {
                    out = failed(c, "", e, 0);
                } finally {
                    cleanup.accept(got);
                }
                finish(out);
            }));
        }

        void finish(CaseOutcome out) {
            outcomes.put(out.name(), out);
            listener.finished(out, done.incrementAndGet(), total);
        }

        /** A tar: one pass, each case submitted when its last member is out; a failed pass fails the cases left. */
        void stream(Container c, List<CaseSpec> specs, Path scratch) {
            Map<String, List<CaseSpec>> byMember = new HashMap<>();
            Map<CaseSpec, Map<String, Path>> got = new HashMap<>();
            for (CaseSpec s : specs) {
                got.put(s, new TreeMap<>());
                for (String m : s.members()) byMember.computeIfAbsent(m, k -> new ArrayList<>()).add(s);
            }
            Path dir = scratch.resolve("stream-" + Integer.toHexString(System.identityHashCode(c)));
            IOException failure = null;
            try {
                c.stream(byMember.keySet(), dir, (member, file) -> {
                    for (CaseSpec s : byMember.get(member)) {
                        Map<String, Path> files = got.get(s);
                        files.put(member, file);
                        if (files.size() < s.members().size()) continue;
                        got.remove(s);
                        // a member two cases share is left for the other one
                        submit(s, () -> files, done -> files.forEach((m, p) -> {
                            if (byMember.get(m).size() == 1) deleteQuietly(p);
                        }));
                    }
                });
            } catch (IOException e) {
                failure = e;
            }
            for (CaseSpec s : got.keySet()) {
                finish(failed(s, "", failure != null ? failure
                        : new IOException(c.label() + ": members missing from the archive"), 0));
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
                    throw new IllegalStateException("batch worker failed", x.getCause());
                }
            }
        }
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
        Path tmp = cases.resolve("." + c.name() + ".partial-" + Long.toHexString(start));
        CaseOutcome out;
        try {
            Files.createDirectories(tmp);
            RunResult r = CaseRunner.analyze(inputs(c, files), tmp, o.redact(), List.of(new Progress(listener)));
            out = ok(c, hash, r, (System.nanoTime() - start) / 1e9, tmp);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            out = failed(c, hash, new IOException(inArchiveTerms(e, c, files), e), (System.nanoTime() - start) / 1e9);
        }
        try {
            Files.createDirectories(tmp);
            BatchOutputs.writeCaseSummary(tmp.resolve(CASE_SUMMARY), out);
            replace(tmp, target);
        } catch (IOException e) {
            deleteQuietly(tmp);
            return failed(c, hash, new IOException(target + ": cannot write the case's outputs (" + e.getMessage() + ")", e), 0);
        }
        return out;
    }

    /** The analysis inputs of a case from its files. */
    static AnalysisInputs inputs(CaseSpec c, Map<String, Path> files) throws IOException {
        AnalysisInputs in;
        if (c.settings() != null) {
            CaseSettings s = CaseSettings.load(files.get(c.settings()));
            in = s.inputs(ModelSettings.defaults());
        } else if (c.router() != null) {
            in = new AnalysisInputs(null, null, files.get(c.router()), null, null, null,
                    AnalysisInputs.DEFAULT_MATCH_WINDOW_SECONDS);
        } else {
            in = AnalysisInputs.pair(files.get(c.lan()), files.get(c.wan()));
        }
        return in.withName(c.name());
    }

    private static CaseOutcome ok(CaseSpec c, String hash, RunResult r, double seconds, Path dir) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Finding f : r.findings()) counts.merge(f.id(), 1, Integer::sum);
        Severity worst = Detection.worst(r.findings());
        String verdict = worst == null || worst == Severity.INFO ? "clean" : worst.label();
        List<String> top = new ArrayList<>();
        for (Finding f : r.findings()) {
            if (top.size() == 3 || f.severity() == Severity.INFO) break;
            top.add(f.id() + ": " + f.message());
        }
        String report = Files.exists(dir.resolve("report.html")) ? "cases/" + c.name() + "/report.html"
                : "cases/" + c.name() + "/summary.json";
        return new CaseOutcome(c.name(), "ok", verdict, c.rule(), c.origin(), hash, seconds, r.packetsReplayed(),
                r.findings().size(), counts, String.join(" | ", top), "", report, false);
    }

    /** The error's message with scratch copies named as the archive members they are ("x.tgz!4711/lan.pcap"). */
    private static String inArchiveTerms(Exception e, CaseSpec c, Map<String, Path> files) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (c.container() instanceof FolderContainer) return msg;
        for (Map.Entry<String, Path> f : files.entrySet()) {
            msg = msg.replace(f.getValue().toString(), c.container().label() + "!" + f.getKey());
        }
        return msg;
    }

    static CaseOutcome failed(CaseSpec c, String hash, Exception e, double seconds) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new CaseOutcome(c.name(), "failed", "", c.rule(), c.origin(), hash, seconds, 0, 0, Map.of(), "",
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
        public void packet(Seen s, String capture) {
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

    /** Puts a complete folder in place of {@code target}: the old one is moved aside first, then removed. */
    static void replace(Path complete, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + ".old-" + Long.toHexString(System.nanoTime()));
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(complete, target, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) deleteQuietly(old);
    }

    /** Temporary folders of a killed run. */
    private static void removeLeftovers(Path cases) throws IOException {
        try (Stream<Path> s = Files.list(cases)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(".") && (n.contains(".partial-") || n.contains(".old-"))) deleteQuietly(p);
            }
        }
    }

    static void deleteQuietly(Path p) {
        try {
            deleteTree(p);
        } catch (IOException ignored) {
            // a scratch or temporary file that cannot be removed is left behind; the next run tries again
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.list(p)) {
                for (Path c : s.toList()) deleteTree(c);
            }
        }
        Files.delete(p);
    }

    /** Cases run at once unless told: the number of cores. */
    public static int defaultJobs() {
        return Runtime.getRuntime().availableProcessors();
    }
}
