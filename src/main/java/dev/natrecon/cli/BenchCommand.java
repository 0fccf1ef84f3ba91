package dev.natrecon.cli;

import dev.natrecon.bench.HeapMonitor;
import dev.natrecon.bench.SyntheticNatCaptures;
import dev.natrecon.bench.Throughput;
import dev.natrecon.bench.Throughput.Measurement;
import dev.natrecon.bench.Throughput.Phase;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code natrecon bench}: generates an RTP-heavy LAN/WAN capture pair through a simulated NAT and measures, on one
 * thread, read+decode and whole-analysis throughput and heap use. Not a unit test: run it on a quiet machine.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Generate an RTP-heavy capture pair (N concurrent G.711 calls plus SIP through a simulated NAT) and "
                + "measure packets/s for read+decode and for the whole analyze path, plus peak heap.",
            "Packets are the frames of both files together. Each phase runs --repeat times; best and median are shown. "
                + "Targets (one core): read+decode >= 10 M packets/s, analyze >= 5 M packets/s, memory flat as the capture grows.",
            "For a strict one-core figure run it under 'taskset -c 0'; use NATRECON_JAVA_OPTS=-Xmx256m to show the "
                + "analysis needs no more heap for a longer capture (or --memory-check)."})
final class BenchCommand implements Callable<Integer> {
    static final double READ_DECODE_TARGET = 10e6;
    static final double ANALYZE_TARGET = 5e6;

    @Option(names = "--calls", defaultValue = "100", description = "concurrent calls (default: ${DEFAULT-VALUE})")
    int calls;

    @Option(names = "--seconds", defaultValue = "120",
            description = "capture length; ~200 frames per call-second across both files (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--dir", paramLabel = "DIR", description = "where to write the captures (default: a temporary folder)")
    Path dir;

    @Option(names = "--keep", description = "keep the generated captures")
    boolean keep;

    @Option(names = "--repeat", defaultValue = "3", description = "runs per phase (default: ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--warmup", defaultValue = "2",
            description = "untimed runs per phase before the timed ones, so the JIT has compiled the hot path "
                    + "(default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--seed", defaultValue = "1", description = "generator seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--nanosecond-pcap", description = "write nanosecond-resolution pcap instead of microsecond")
    boolean nanos;

    @Option(names = "--phases", split = ",", paramLabel = "PHASE",
            defaultValue = "read,read+decode,analyze,analyze+csv",
            description = "phases to time, in order: read, read+decode, read+decode+key, read+decode+media, survey, analyze, analyze+csv, "
                    + "or 'all' (default: ${DEFAULT-VALUE})")
    List<String> phases;

    @Option(names = "--memory-check",
            description = "after the timed phases, generate a capture of each --check-seconds size and measure the live "
                    + "heap (System.gc() every 250 ms) of read+decode and analyze on each, to show memory stays flat")
    boolean memoryCheck;

    @Option(names = "--check-seconds", split = ",", defaultValue = "60,240", paramLabel = "S",
            description = "capture lengths for --memory-check (default: ${DEFAULT-VALUE})")
    List<Double> checkSeconds;

    @Option(names = "--batch", paramLabel = "CASES", defaultValue = "0",
            description = "also time 'batch' over CASES generated cases (each --calls x --batch-seconds) at -j 1 and -j 2: "
                    + "cases per minute, packets/s and the scaling from one worker to two")
    int batchCases;

    @Option(names = "--batch-seconds", defaultValue = "20", paramLabel = "S",
            description = "capture length of each --batch case (default: ${DEFAULT-VALUE})")
    double batchSeconds;

    @Option(names = "--whole", description = "run 'analyze' on the generated pair as a child process with its default "
            + "outputs, as a user does, and 'tshark -q -z sip,stat' on the WAN side in the same run when tshark is "
            + "installed: both rates, their ratio and analyze's peak RSS; then the in-process phases (per stage) once "
            + "each unless --skip-timing")
    boolean whole;

    @Option(names = "--gzip", description = "with --whole: also analyze the pair compressed (.pcap.gz) against 'zcat' "
            + "of the same files")
    boolean gzip;

    @Option(names = "--skip-timing", description = "skip the timed phases (with --memory-check: only the memory check)")
    boolean skipTiming;

    @Spec
    CommandSpec spec;

    private PrintWriter out;

    @Override
    public Integer call() throws IOException {
        out = spec.commandLine().getOut();
        if (calls < 1 || calls > SyntheticNatCaptures.MAX_CALLS) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--calls must be 1.." + SyntheticNatCaptures.MAX_CALLS);
        }
        if (!(seconds > 0)) throw new CommandLine.ParameterException(spec.commandLine(), "--seconds must be positive");
        if (repeat < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--repeat must be at least 1");
        if (warmup < 0) throw new CommandLine.ParameterException(spec.commandLine(), "--warmup must not be negative");
        List<Phase> order = new ArrayList<>();
        for (String p : phases) {
            if (p.equals("all")) {
                order.clear();
                order.addAll(List.of(Phase.values()));
                break;
            }
            try {
                order.add(Phase.byId(p));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--phases: " + e.getMessage());
            }
        }
        boolean tempDir = dir == null;
        Path base = tempDir ? Files.createTempDirectory("natrecon-bench-") : dir;
        Files.createDirectories(base);
        printEnvironment();
        List<Path> created = new ArrayList<>();
        try {
            if (whole) {
                SyntheticNatCaptures.Result gen = generate(base, seconds, "bench", created);
                try {
                    new WholeBench(out).run(gen, base, gzip, created);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                if (!skipTiming) timed(gen, base, order);
            } else if (!skipTiming) {
                timed(generate(base, seconds, "bench", created), base, order);
            }
            if (memoryCheck) memoryCheck(base, created);
            if (batchCases > 0) batchBench(base, created);
        } finally {
            if (!keep) {
                for (Path p : created) Files.deleteIfExists(p);
                Throughput.deleteTree(base.resolve("scratch"));
                if (tempDir) Throughput.deleteTree(base);
            } else {
                out.printf(Locale.ROOT, "kept: %s%n", base);
            }
            out.flush();
        }
        return Main.OK;
    }

    /**
     * The batch's throughput: the same generated pair as CASES case folders (hard links), run with --force at -j 1 and
     * -j 2 after one untimed run; best of --repeat.
     */
    private void batchBench(Path base, List<Path> created) throws IOException {
        SyntheticNatCaptures.Result gen = generate(base, batchSeconds, "batch", created);
        Path in = base.resolve("scratch/batch-in"), outDir = base.resolve("scratch/batch-out");
        for (int i = 1; i <= batchCases; i++) {
            Path d = in.resolve(String.format(Locale.ROOT, "case%03d", i));
            Files.createDirectories(d);
            Files.createLink(d.resolve("lan.pcap"), gen.lan());
            Files.createLink(d.resolve("wan.pcap"), gen.wan());
        }
        dev.natrecon.batch.BatchRunner.run(List.of(in), new dev.natrecon.batch.BatchRunner.Options(outDir, 2, true),
                dev.natrecon.batch.BatchListener.NONE);
        Map<Integer, Double> best = new java.util.TreeMap<>();
        for (int jobs : new int[] {1, 2}) {
            for (int i = 1; i <= repeat; i++) {
                long t0 = System.nanoTime();
                dev.natrecon.batch.BatchRunner.Result r = dev.natrecon.batch.BatchRunner.run(List.of(in),
                        new dev.natrecon.batch.BatchRunner.Options(outDir, jobs, true), dev.natrecon.batch.BatchListener.NONE);
                double secs = (System.nanoTime() - t0) / 1e9;
                long packets = r.cases().stream().mapToLong(dev.natrecon.batch.CaseOutcome::packets).sum();
                double perMinute = r.cases().size() / secs * 60;
                best.merge(jobs, perMinute, Math::max);
                out.printf(Locale.ROOT, "  batch -j %d run %d/%d: %d cases in %.2f s = %.1f cases/min, %.2f M pkt/s%s%n",
                        jobs, i, repeat, r.cases().size(), secs, perMinute, packets / secs / 1e6,
                        r.cases().stream().anyMatch(dev.natrecon.batch.CaseOutcome::failed) ? " (SOME CASES FAILED)" : "");
                out.flush();
            }
        }
        out.printf(Locale.ROOT, "Batch: %d cases of %s frames each; best cases/min: -j 1 %.1f, -j 2 %.1f; scaling %.2fx "
                        + "(2.00x would be perfect on 2 free cores)%n", batchCases, count(gen.totalFrames()), best.get(1),
                best.get(2), best.get(2) / best.get(1));
        out.flush();
    }

    private void printEnvironment() {
        Runtime rt = Runtime.getRuntime();
        List<String> gcs = new ArrayList<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) gcs.add(gc.getName());
        out.printf(Locale.ROOT, "natrecon bench: Java %s, %d CPUs available, max heap %s, GC %s; JVM args %s%n",
                System.getProperty("java.version"), rt.availableProcessors(), mib(rt.maxMemory()), String.join(" + ", gcs),
                ManagementFactory.getRuntimeMXBean().getInputArguments());
        out.flush();
    }

    private SyntheticNatCaptures.Result generate(Path base, double secs, String name, List<Path> created) throws IOException {
        SyntheticNatCaptures.Config cfg = SyntheticNatCaptures.Config.of(calls, secs).withSeed(seed)
                .withNanosecondTimestamps(nanos);
        Path lan = base.resolve(name + "-lan.pcap"), wan = base.resolve(name + "-wan.pcap");
        created.add(lan);
        created.add(wan);
        out.printf(Locale.ROOT, "generating %d calls x %.0f s into %s ... ", calls, secs, base);
        out.flush();
        long t0 = System.nanoTime();
        SyntheticNatCaptures.Result r = SyntheticNatCaptures.write(cfg, lan, wan);
        double s = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "%s frames (%s per side), %.0f MB, %d calls, %d SIP, %d RTP, %d REGISTER; %.1f s (%.2f M frames/s)%n",
                count(r.totalFrames()), count(r.lanFrames()), r.totalBytes() / 1e6, r.callsStarted(), r.sipMessages(),
                r.rtpPackets(), r.registrations(), s, r.totalFrames() / s / 1e6);
        out.flush();
        return r;
    }

    private void timed(SyntheticNatCaptures.Result gen, Path base, List<Phase> order) throws IOException {
        Path scratch = base.resolve("scratch");
        Map<Phase, List<Measurement>> results = new EnumMap<>(Phase.class);
        for (Phase phase : order) {
            List<Measurement> runs = new ArrayList<>();
            for (int i = 1; i <= warmup; i++) {
                Measurement m = Throughput.measure(phase, gen.lan(), gen.wan(), scratch, false);
                out.printf(Locale.ROOT, "  %-28s warm-up %d/%d: %6.2f M pkt/s (not counted)%n", phase.title(), i, warmup,
                        m.packetsPerSecond() / 1e6);
                out.flush();
            }
            for (int i = 1; i <= repeat; i++) {
                Measurement m = Throughput.measure(phase, gen.lan(), gen.wan(), scratch, false);
                runs.add(m);
                out.printf(Locale.ROOT, "  %-28s run %d/%d: %s frames in %7.3f s = %6.2f M pkt/s, %5.0f MB/s, peak heap %s, "
                                + "after GC %s, %d GCs; %s%n",
                        phase.title(), i, repeat, count(m.frames()), m.nanos() / 1e9, m.packetsPerSecond() / 1e6,
                        m.megabytesPerSecond(), mib(m.heap().peakUsed()), mibOrNone(m.heap().maxAfterGc()),
                        m.heap().collections(), m.check());
                out.flush();
            }
            results.put(phase, runs);
        }
        table(gen, results);
    }

    private void table(SyntheticNatCaptures.Result gen, Map<Phase, List<Measurement>> results) {
        out.println();
        out.printf(Locale.ROOT, "Results: %d calls x %.0f s, %s frames across both files (%.0f MB); best and median of %d "
                        + "after %d warm-up runs; one thread%n", calls, seconds, count(gen.totalFrames()), gen.totalBytes() / 1e6,
                repeat, warmup);
        String fmt = "  %-28s %12s %14s %10s %11s %13s %6s  %s%n";
        out.printf(Locale.ROOT, fmt, "phase", "best Mpkt/s", "median Mpkt/s", "best MB/s", "peak heap", "max after GC",
                "GCs", "target");
        Map<Phase, Double> best = new EnumMap<>(Phase.class);
        for (Map.Entry<Phase, List<Measurement>> e : results.entrySet()) {
            List<Measurement> runs = e.getValue();
            double[] pps = runs.stream().mapToDouble(Measurement::packetsPerSecond).sorted().toArray();
            double b = pps[pps.length - 1];
            best.put(e.getKey(), b);
            double mbs = runs.stream().mapToDouble(Measurement::megabytesPerSecond).max().orElse(0);
            long peak = runs.stream().mapToLong(m -> m.heap().peakUsed()).max().orElse(0);
            long afterGc = runs.stream().mapToLong(m -> m.heap().maxAfterGc()).max().orElse(-1);
            long gcs = runs.stream().mapToLong(m -> m.heap().collections()).max().orElse(0);
            String target = switch (e.getKey()) {
                case READ_DECODE -> String.format(Locale.ROOT, ">= 10 M/s: %s", b >= READ_DECODE_TARGET ? "met" : "NOT met");
                case ANALYZE -> String.format(Locale.ROOT, ">= 5 M/s: %s", b >= ANALYZE_TARGET ? "met" : "NOT met");
                default -> "";
            };
            out.printf(Locale.ROOT, fmt, e.getKey().title(), String.format(Locale.ROOT, "%.2f", b / 1e6),
                    String.format(Locale.ROOT, "%.2f", median(pps) / 1e6), String.format(Locale.ROOT, "%.0f", mbs),
                    mib(peak), mibOrNone(afterGc), gcs, target);
        }
        List<String> ratios = new ArrayList<>();
        ratio(ratios, best, Phase.ANALYZE, Phase.READ_DECODE, "analyze/read+decode");
        ratio(ratios, best, Phase.ANALYZE_CSV, Phase.ANALYZE, "with-CSV/without");
        ratio(ratios, best, Phase.READ_DECODE, Phase.READ, "read+decode/read");
        ratio(ratios, best, Phase.ANALYZE, Phase.SURVEY, "analyze/survey");
        ratio(ratios, best, Phase.READ_DECODE_MEDIA, Phase.READ_DECODE, "media/read+decode");
        if (!ratios.isEmpty()) out.printf(Locale.ROOT, "  ratios of best throughput: %s%n", String.join(", ", ratios));
        if (best.containsKey(Phase.READ_DECODE_MEDIA) && best.containsKey(Phase.READ_DECODE)
                && Throughput.lastMediaPackets() > 0) {
            // time per frame with the media analysis minus without, over the RTP packets it analysed
            double perFrame = 1 / best.get(Phase.READ_DECODE_MEDIA) - 1 / best.get(Phase.READ_DECODE);
            out.printf(Locale.ROOT, "  media analysis: %.0f ns per RTP packet (read+decode+media minus read+decode, "
                    + "best runs, %d RTP packets)%n", perFrame * gen.totalFrames() / Throughput.lastMediaPackets() * 1e9,
                    Throughput.lastMediaPackets());
        }
        out.println("  MB/s is over the files' size once; analyze reads the first 262,144 frames of each file for the clock sample, then all of it in the replay.");
        out.println("  peak heap = sampled used heap incl. uncollected garbage; max after GC = largest occupancy after a"
                + " collection during the phase ('-' when none ran). See --memory-check for the live set.");
        out.flush();
    }

    private static void ratio(List<String> ratios, Map<Phase, Double> best, Phase a, Phase b, String label) {
        if (best.containsKey(a) && best.containsKey(b)) {
            ratios.add(String.format(Locale.ROOT, "%s = %.2f", label, best.get(a) / best.get(b)));
        }
    }

    private void memoryCheck(Path base, List<Path> created) throws IOException {
        out.println();
        out.printf(Locale.ROOT, "Memory check: live heap (System.gc() every 250 ms, so these runs are not timed) for %s s%n",
                checkSeconds);
        out.flush();
        Path scratch = base.resolve("scratch");
        Phase[] phases = {Phase.READ_DECODE, Phase.ANALYZE, Phase.ANALYZE_CSV};
        List<long[]> rows = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (double s : checkSeconds) {
            String name = String.format(Locale.ROOT, "check-%.0fs", s);
            SyntheticNatCaptures.Result gen = generate(base, s, name, created);
            long[] live = new long[phases.length + 1];
            live[0] = gen.totalFrames();
            for (int i = 0; i < phases.length; i++) {
                Measurement m = Throughput.measure(phases[i], gen.lan(), gen.wan(), scratch, true);
                HeapMonitor.Usage u = m.heap();
                live[i + 1] = u.peakLive();
                lines.add(String.format(Locale.ROOT, "  %8.0f s %12s  %-26s peak live %10s  (baseline %s, peak used %s, max after GC %s)",
                        s, count(gen.totalFrames()), phases[i].title(), mib(u.peakLive()), mib(u.baseline()),
                        mib(u.peakUsed()), mibOrNone(u.maxAfterGc())));
                out.println(lines.get(lines.size() - 1) + "; " + m.check());
                out.flush();
            }
            rows.add(live);
            Files.deleteIfExists(gen.lan());
            Files.deleteIfExists(gen.wan());
        }
        if (rows.size() >= 2) {
            long[] first = rows.get(0), last = rows.get(rows.size() - 1);
            List<String> growth = new ArrayList<>();
            for (int i = 0; i < phases.length; i++) {
                growth.add(String.format(Locale.ROOT, "%s %s -> %s (x%.2f)", phases[i].title(), mib(first[i + 1]),
                        mib(last[i + 1]), (double) last[i + 1] / first[i + 1]));
            }
            out.printf(Locale.ROOT, "  peak live heap from %.0f s to %.0f s (frames x%.2f): %s%n",
                    checkSeconds.get(0), checkSeconds.get(checkSeconds.size() - 1), (double) last[0] / first[0],
                    String.join("; ", growth));
            out.println("  (the live heap includes the JVM's own baseline, the 'baseline' above, of a few MiB)");
        }
        out.flush();
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    static String mibOrNone(long bytes) {
        return bytes < 0 ? "-" : mib(bytes);
    }
}
