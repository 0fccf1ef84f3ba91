package dev.natrecon.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A child JVM's CPU time by kind of thread, read from {@code /proc/PID/task/TID/stat} and {@code comm}: the analysis
 * (the JVM's main thread), the capture threads that read, decompress and decode ahead of it ({@code natrecon-decode},
 * {@code natrecon-read}), the JIT compilers, and the garbage collector with the VM's own threads. It shows what bounds
 * a run: the single-threaded analysis, or the reading and decompression beside it. A thread's last reading before it
 * ends is kept, so short threads may be under-counted by one polling interval.
 */
public final class ThreadCpu {
    /** Kinds of thread, in the order printed. */
    public enum Kind { ANALYSIS, CAPTURE, REPORT, JIT, GC_VM, OTHER }

    private final Map<String, double[]> byThread = new HashMap<>();
    private final Map<String, Kind> kinds = new HashMap<>();

    /** Reads every thread of {@code proc} once; silently nothing when /proc cannot be read (not Linux). */
    void read(Path proc) {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
            for (Path t : tasks) {
                double cpu = ChildRun.cpuSeconds(t);
                if (cpu < 0) continue;
                String id = t.getFileName().toString();
                if (!kinds.containsKey(id)) {
                    String comm = Files.readString(t.resolve("comm")).strip();
                    kinds.put(id, kind(comm));
                }
                byThread.computeIfAbsent(id, k -> new double[1])[0] = cpu;
            }
        } catch (IOException | RuntimeException e) {
            // the process ended between two reads, or no /proc: what was read stands
        }
    }

    /**
     * The kind of a thread by its name as the kernel keeps it (15 characters): the launcher's main thread is
     * {@code java}, HotSpot's compiler threads {@code C1 CompilerThre}/{@code C2 CompilerThre}.
     */
    static Kind kind(String comm) {
        if (comm.equals("java") || comm.equals("main")) return Kind.ANALYSIS;
        // the end-of-run chart pool (report.RenderPool)
        if (comm.startsWith("natrecon-render")) return Kind.REPORT;
        if (comm.startsWith("natrecon-")) return Kind.CAPTURE;
        if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) return Kind.JIT;
        if (comm.startsWith("GC Thread") || comm.startsWith("VM ") || comm.startsWith("ParGC")
                || comm.startsWith("G1 ")) return Kind.GC_VM;
        return Kind.OTHER;
    }

    /** CPU seconds of the threads of {@code kind} (0 when none was seen). */
    public double seconds(Kind kind) {
        double s = 0;
        for (Map.Entry<String, double[]> e : byThread.entrySet()) if (kinds.get(e.getKey()) == kind) s += e.getValue()[0];
        return s;
    }

    /** Whether any thread was read. */
    public boolean known() {
        return !byThread.isEmpty();
    }

    /** "analysis thread 7.4 s, capture threads (read, decompress, decode) 0.8 s, chart threads 0.3 s, JIT 0.9 s, ...". */
    public String describe() {
        return String.format(Locale.ROOT, "analysis thread %.1f s, capture threads (read, decompress, decode) %.1f s, "
                        + "chart threads %.1f s, JIT %.1f s, GC+VM %.1f s, other %.1f s", seconds(Kind.ANALYSIS),
                seconds(Kind.CAPTURE), seconds(Kind.REPORT), seconds(Kind.JIT), seconds(Kind.GC_VM), seconds(Kind.OTHER));
    }
}
