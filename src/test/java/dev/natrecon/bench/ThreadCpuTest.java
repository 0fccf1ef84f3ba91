package dev.natrecon.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The CPU time of a child JVM by kind of thread: names as the kernel keeps them, and a reading of a live process. */
class ThreadCpuTest {
    @Test
    void threadsAreKindedByTheirKernelNames() {
        assertEquals(ThreadCpu.Kind.ANALYSIS, ThreadCpu.kind("java"));
        assertEquals(ThreadCpu.Kind.CAPTURE, ThreadCpu.kind("natrecon-decode"));
        assertEquals(ThreadCpu.Kind.CAPTURE, ThreadCpu.kind("natrecon-read b"));
        assertEquals(ThreadCpu.Kind.CAPTURE, ThreadCpu.kind("natrecon-survey"));
        assertEquals(ThreadCpu.Kind.REPORT, ThreadCpu.kind("natrecon-render"));
        assertEquals(ThreadCpu.Kind.JIT, ThreadCpu.kind("C1 CompilerThre"));
        assertEquals(ThreadCpu.Kind.JIT, ThreadCpu.kind("C2 CompilerThre"));
        assertEquals(ThreadCpu.Kind.GC_VM, ThreadCpu.kind("GC Thread#0"));
        assertEquals(ThreadCpu.Kind.GC_VM, ThreadCpu.kind("VM Thread"));
        assertEquals(ThreadCpu.Kind.OTHER, ThreadCpu.kind("Signal Dispatch"));
    }

    @Test
    void readsEveryThreadOfALiveProcess() {
        Path self = Path.of("/proc/self");
        if (!Files.isDirectory(self.resolve("task"))) return; // not Linux: nothing to read, nothing claimed
        long spin = System.nanoTime();
        double x = 0;
        while (System.nanoTime() - spin < 300_000_000L) x += Math.sqrt(x + 1); // some CPU time on this thread
        ThreadCpu t = new ThreadCpu();
        t.read(self);
        assertTrue(t.known(), "threads read");
        double total = 0;
        for (ThreadCpu.Kind k : ThreadCpu.Kind.values()) total += t.seconds(k);
        assertTrue(total >= 0.1 && x > 0, "the CPU time spent shows: " + t.describe());
        assertTrue(t.seconds(ThreadCpu.Kind.JIT) > 0, "this JVM compiled something: " + t.describe());
    }
}
