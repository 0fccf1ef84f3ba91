package dev.natrecon.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18's check that memory stays flat: {@code analyze} with its default outputs, in a child JVM limited to
 * {@value ChildJvm#HEAP} of heap, completes on a generated capture four times longer than the default bench (480 s
 * against 120 s). Fewer concurrent calls than the bench keep the file small enough for a unit test: what must not
 * grow with the capture's length is the memory, whatever the call rate. Not timed.
 */
class MemoryFlatTest {
    /** {@code natrecon bench}'s default capture length (BenchCommand: --seconds 120), four times. */
    static final double SECONDS = 4 * 120;
    /** Concurrent calls: few, so the capture is some 100 MB, not the bench's 2 GB at this length. */
    static final int CALLS = 6;

    @TempDir
    Path tmp;

    @Test
    void analyzeWithASmallHeapCompletesOnACaptureFourTimesTheBenchLength() throws Exception {
        Path lan = tmp.resolve("lan.pcap"), wan = tmp.resolve("wan.pcap");
        SyntheticNatCaptures.Result gen = SyntheticNatCaptures.write(SyntheticNatCaptures.Config.of(CALLS, SECONDS), lan, wan);
        assertTrue(gen.totalFrames() > 500_000, "a long capture: " + gen.totalFrames() + " frames");
        Path out = tmp.resolve("out");
        ChildJvm.Result r = ChildJvm.run(tmp.resolve("jvm"), List.of(), "analyze", "--lan", lan.toString(), "--wan",
                wan.toString(), "-o", out.toString());
        assertFalse(r.outOfMemory(), "ran out of its " + ChildJvm.HEAP + " heap: " + r.err());
        assertTrue(r.code() == 0 || r.code() == 1 || r.code() == 4, "exit " + r.code() + ": " + r.err());
        // every frame of both files was replayed
        String summary = Files.readString(out.resolve("summary.json"));
        Matcher m = Pattern.compile("\"frames\": (\\d+)").matcher(summary);
        long frames = 0;
        while (m.find() && frames < gen.totalFrames()) frames += Long.parseLong(m.group(1));
        assertEquals(gen.totalFrames(), frames, "the frames of both captures");
    }
}
