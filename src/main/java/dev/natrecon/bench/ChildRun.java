package dev.natrecon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a command as a child process, as a user would from a shell, and measures it from {@code /proc/PID}: wall time,
 * CPU time (user + system, {@code stat}) and peak resident memory ({@code VmHWM} in {@code status}), read every
 * {@link #POLL_MILLIS} ms while it runs; the last reading before it exits is kept (both only grow). A command run
 * through a script that {@code exec}s its program (the {@code natrecon} launcher) keeps its process id, so the
 * program is what is measured. Linux only: elsewhere CPU and memory read as -1.
 */
public final class ChildRun {
    /** Between two readings of /proc: short against any run worth measuring, cheap for the child. */
    static final long POLL_MILLIS = 20;
    /**
     * Clock ticks per second of the times in /proc/PID/stat: USER_HZ, 100 on every Linux architecture natrecon runs on
     * (proc(5): "utime ... measured in clock ticks (divide by sysconf(_SC_CLK_TCK))").
     */
    static final double USER_HZ = 100;

    private ChildRun() {
    }

    /** Polls between two readings of the threads' CPU times (more files to read; they change slowly). */
    static final int THREAD_POLLS = 5;

    /**
     * What one child run took. {@code cpuSeconds} and {@code peakRssBytes} are -1 when /proc could not be read;
     * {@code threadCpu} is the CPU time by kind of thread ({@link ThreadCpu}), as last read before each thread ended.
     */
    public record Measured(int exit, double wallSeconds, double cpuSeconds, long peakRssBytes, Path errors,
                           ThreadCpu threadCpu) {
    }

    /** Runs {@code command}; its stdout goes to {@code stdout} (null: discarded), its stderr to {@code stderr}. */
    public static Measured run(List<String> command, Path stdout, Path stderr) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectOutput(stdout == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(stdout.toFile()));
        pb.redirectError(ProcessBuilder.Redirect.to(stderr.toFile()));
        long t0 = System.nanoTime();
        Process p = pb.start();
        Path proc = Path.of("/proc", Long.toString(p.pid()));
        double cpu = -1;
        long rss = -1;
        ThreadCpu threads = new ThreadCpu();
        for (int polls = 0; !p.waitFor(POLL_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS); polls++) {
            double c = cpuSeconds(proc);
            long r = peakRss(proc);
            if (c >= 0) cpu = c;
            if (r >= 0) rss = r;
            if (polls % THREAD_POLLS == 0) threads.read(proc);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        return new Measured(p.exitValue(), wall, cpu, rss, stderr, threads);
    }

    /** utime + stime of {@code proc}, in seconds; -1 when unreadable (the process has gone, or not Linux). */
    static double cpuSeconds(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            // the command name (field 2) is in parentheses and may hold spaces: count fields after its ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14 and 15 of proc(5) are the 12th and 13th after the name
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / USER_HZ;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** VmHWM of {@code proc} in bytes; -1 when unreadable. */
    static long peakRss(Path proc) {
        try {
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
