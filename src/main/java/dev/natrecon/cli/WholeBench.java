package dev.natrecon.cli;

import dev.natrecon.bench.ChildRun;
import dev.natrecon.capture.CaptureReader;
import dev.natrecon.bench.SyntheticNatCaptures;
import dev.natrecon.bench.Throughput;
import dev.natrecon.bench.WholeProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code bench --whole}: runs {@code natrecon analyze} on the generated pair as one child process with its default
 * outputs (as a user does), {@code tshark -q -z sip,stat} on the WAN side in the same run when tshark is installed,
 * and prints both rates, their ratio (wall clock and CPU time: the CPU ratio holds on a machine busy with other work)
 * and the peak resident memory; with {@code --gzip}, the same on the pair compressed against {@code zcat}. Each
 * analyze runs twice, reading and decoding ahead (the default) and inline, to show what the capture threads save, with
 * its CPU time by kind of thread.
 */
final class WholeBench {
    /** Issue 18's target: whole-process analyze at least this many times tshark's packets per second. */
    static final double TSHARK_RATIO_TARGET = 5;
    /** Issue 18's target: peak resident memory of analyze with no option given. */
    static final long RSS_TARGET_BYTES = 512L << 20;
    /** Issue 18's target: .pcap.gz analyze at least this share of zcat's speed on the same files. */
    static final double ZCAT_SHARE_TARGET = 0.8;

    /** {@code engine.DecodeAheadStream.PROPERTY}: {@code off} decodes inline, the bytes still read ahead. */
    static final String DECODE_AHEAD_PROPERTY = "natrecon.decodeAhead";

    private final PrintWriter out;

    WholeBench(PrintWriter out) {
        this.out = out;
    }

    void run(SyntheticNatCaptures.Result gen, Path base, boolean gzip, List<Path> created)
            throws IOException, InterruptedException {
        Path scratch = base.resolve("scratch");
        Files.createDirectories(scratch);
        out.printf(Locale.ROOT, "%nWhole process (each a child process on the same files, in this run):%n");
        WholeProcess.prepareLauncher();
        ChildRun.Measured a = analyze(gen.lan(), gen.wan(), scratch, "whole", List.of());
        line("natrecon analyze, default outputs", gen.totalFrames(), a);
        threads(a);
        inline(gen.lan(), gen.wan(), scratch, "whole-inline", gen.totalFrames(), a);
        Optional<Path> tshark = WholeProcess.onPath("tshark");
        if (tshark.isEmpty()) {
            out.println("  tshark not installed: no comparison (apt-get install tshark)");
        } else {
            ChildRun.Measured t = ChildRun.run(WholeProcess.tsharkCommand(tshark.get(), gen.wan()), null,
                    scratch.resolve("tshark.err"));
            line("tshark -q -z sip,stat (WAN only)", gen.wanFrames(), t);
            double wall = rate(gen.totalFrames(), a.wallSeconds()) / rate(gen.wanFrames(), t.wallSeconds());
            double cpu = a.cpuSeconds() > 0 && t.cpuSeconds() > 0
                    ? rate(gen.totalFrames(), a.cpuSeconds()) / rate(gen.wanFrames(), t.cpuSeconds()) : Double.NaN;
            out.printf(Locale.ROOT, "  natrecon/tshark packets per second: %.2f wall clock, %.2f CPU time (target >= %.0f: %s)%n",
                    wall, cpu, TSHARK_RATIO_TARGET, wall >= TSHARK_RATIO_TARGET ? "met" : "NOT met");
        }
        out.printf(Locale.ROOT, "  analyze peak RSS %s (target <= %d MiB with no option: %s)%n", mib(a.peakRssBytes()),
                RSS_TARGET_BYTES >> 20, a.peakRssBytes() >= 0 && a.peakRssBytes() <= RSS_TARGET_BYTES ? "met" : "NOT met");
        if (gzip) gzip(gen, scratch, created);
        out.flush();
    }

    private void gzip(SyntheticNatCaptures.Result gen, Path scratch, List<Path> created)
            throws IOException, InterruptedException {
        Path lan = scratch.resolve("whole-lan.pcap.gz"), wan = scratch.resolve("whole-wan.pcap.gz");
        created.add(lan);
        created.add(wan);
        WholeProcess.gzip(gen.lan(), lan);
        WholeProcess.gzip(gen.wan(), wan);
        out.printf(Locale.ROOT, "  compressed: %.0f MB -> %.0f MB%n", gen.totalBytes() / 1e6,
                (Files.size(lan) + Files.size(wan)) / 1e6);
        ChildRun.Measured a = analyze(lan, wan, scratch, "whole-gz", List.of());
        line("natrecon analyze, .pcap.gz pair", gen.totalFrames(), a);
        threads(a);
        inline(lan, wan, scratch, "whole-gz-inline", gen.totalFrames(), a);
        Optional<Path> zcat = WholeProcess.onPath("zcat");
        if (zcat.isEmpty()) {
            out.println("  zcat not installed: no comparison");
            return;
        }
        ChildRun.Measured z = ChildRun.run(List.of(zcat.get().toString(), lan.toString(), wan.toString()), null,
                scratch.resolve("zcat.err"));
        line("zcat of both files > /dev/null", gen.totalFrames(), z);
        double share = z.wallSeconds() / a.wallSeconds();
        double cpuShare = a.cpuSeconds() > 0 ? z.cpuSeconds() / a.cpuSeconds() : Double.NaN;
        out.printf(Locale.ROOT, "  .pcap.gz analyze at %.0f %% of zcat's speed (wall clock), %.0f %% by CPU time (target >= %.0f %%: %s)%n",
                100 * share, 100 * cpuShare, 100 * ZCAT_SHARE_TARGET, share >= ZCAT_SHARE_TARGET ? "met" : "NOT met");
    }

    /**
     * The same analyze decoding on the analysis thread with the bytes read ahead ({@code natrecon.decodeAhead=off}),
     * then with every capture read and decoded on the analysis thread ({@code natrecon.readAhead=off}): what
     * overlapping decoding, and reading and decompression, with the analysis save, in the same run.
     */
    private void inline(Path lan, Path wan, Path scratch, String name, long frames, ChildRun.Measured ahead)
            throws IOException, InterruptedException {
        ChildRun.Measured bytes = analyze(lan, wan, scratch, name + "-bytes",
                List.of("-D" + DECODE_AHEAD_PROPERTY + "=off"));
        line("  the same, decoding inline", frames, bytes);
        threads(bytes);
        ChildRun.Measured m = analyze(lan, wan, scratch, name,
                List.of("-D" + CaptureReader.READ_AHEAD_PROPERTY + "=off"));
        line("  the same, reading inline", frames, m);
        threads(m);
        out.printf(Locale.ROOT, "  reading and decoding ahead saves %.1f s wall (%.0f %%), costs %+.1f s CPU%n",
                m.wallSeconds() - ahead.wallSeconds(), 100 * (1 - ahead.wallSeconds() / m.wallSeconds()),
                ahead.cpuSeconds() - m.cpuSeconds());
    }

    private ChildRun.Measured analyze(Path lan, Path wan, Path scratch, String name, List<String> jvmOptions)
            throws IOException, InterruptedException {
        Path dir = scratch.resolve(name + "-out");
        Throughput.deleteTree(dir);
        List<String> cmd = new ArrayList<>(WholeProcess.analyzeCommand(lan, wan, dir, jvmOptions));
        out.printf(Locale.ROOT, "  running: %s%n", String.join(" ", cmd));
        out.flush();
        ChildRun.Measured m = ChildRun.run(cmd, scratch.resolve(name + ".out"), scratch.resolve(name + ".err"));
        // 0, 1 (findings at --fail-on) and 4 (inconclusive) are completed analyses
        if (m.exit() != 0 && m.exit() != 1 && m.exit() != 4) {
            List<String> err = Files.readAllLines(m.errors());
            throw new IOException("analyze exited " + m.exit() + ": "
                    + (err.isEmpty() ? "(no message)" : err.get(err.size() - 1)));
        }
        return m;
    }

    private void line(String what, long frames, ChildRun.Measured m) {
        out.printf(Locale.ROOT, "  %-36s %,12d frames in %6.1f s wall (%,9.0f packets/s), CPU %6.1f s (%,9.0f packets/s), "
                        + "peak RSS %s%n", what, frames, m.wallSeconds(), rate(frames, m.wallSeconds()), m.cpuSeconds(),
                rate(frames, m.cpuSeconds()), mib(m.peakRssBytes()));
        out.flush();
    }

    /** The CPU time by kind of thread, when /proc could be read. */
    private void threads(ChildRun.Measured m) {
        if (m.threadCpu().known()) out.printf(Locale.ROOT, "    CPU by thread: %s%n", m.threadCpu().describe());
    }

    private static double rate(long frames, double seconds) {
        return seconds > 0 ? frames / seconds : Double.NaN;
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "unknown" : String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }
}
