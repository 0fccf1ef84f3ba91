package dev.natrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.bench.ChildRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench --whole} on a tiny pair: analyze runs as a child process and its rate and memory are reported. */
class WholeBenchTest {
    @TempDir
    Path tmp;

    @Test
    void wholeProcessModeRunsAnalyzeAsAChildAndReportsRatesAndRss() {
        MainTest.Run r = MainTest.run("bench", "--whole", "--calls", "2", "--seconds", "3", "--skip-timing", "--dir",
                tmp.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().matches("(?s).*natrecon analyze, default outputs +[0-9,]+ frames in +[0-9.]+ s wall.*"), r.out());
        assertTrue(r.out().matches("(?s).*analyze peak RSS [0-9]+ MiB \\(target <= 512 MiB.*"), r.out());
        // the same analyze decoding inline (bytes read ahead) and reading inline, in the same run
        assertTrue(r.out().matches("(?s).*the same, decoding inline +[0-9,]+ frames in .*"), r.out());
        assertTrue(r.out().matches("(?s).*the same, reading inline +[0-9,]+ frames in .*"), r.out());
        if (Files.isDirectory(Path.of("/proc/self/task"))) {
            assertTrue(r.out().matches("(?s).*CPU by thread: analysis thread [0-9]+\\.[0-9] s, capture threads .*"), r.out());
        }
        // with tshark installed the ratio is printed, without it the line says so
        assertTrue(r.out().contains("natrecon/tshark packets per second:") || r.out().contains("tshark not installed"), r.out());
    }

    @Test
    void aChildsCpuAndPeakMemoryAreReadFromProc() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // a child that lives well past a few /proc polls even on an idle machine (java -version can exit before the
        // first poll under load, and then nothing was read)
        Path sleeper = tmp.resolve("Sleeper.java");
        Files.writeString(sleeper, "class Sleeper { public static void main(String[] a) throws Exception { "
                + "Thread.sleep(400); System.err.println(\"slept\"); } }");
        ChildRun.Measured m = ChildRun.run(List.of(java.toString(), sleeper.toString()), null, tmp.resolve("err"));
        assertEquals(0, m.exit(), Files.readString(tmp.resolve("err")));
        assertTrue(m.wallSeconds() >= 0.4, "wall " + m.wallSeconds());
        assertTrue(Files.readString(tmp.resolve("err")).contains("slept"));
        if (Files.isDirectory(Path.of("/proc/self"))) {
            assertTrue(m.peakRssBytes() > 1 << 20, "a JVM takes more than 1 MiB: " + m.peakRssBytes());
            assertTrue(m.cpuSeconds() >= 0, "cpu " + m.cpuSeconds());
        }
    }
}
