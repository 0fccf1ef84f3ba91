package dev.natrecon.cli;

import dev.natrecon.correlate.Crossing;
import dev.natrecon.engine.AnalysisSink;
import dev.natrecon.engine.RunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code analyze}'s progress on a terminal (stderr): frames replayed, the rate, and an ETA from the bytes of the
 * capture files when none is compressed (a compressed file's size says nothing of its frames: no ETA then). Redrawn
 * in place through {@link ProgressLine}, cleared when the replay ends; nothing at all when stderr is not a terminal.
 * The per-frame work is a count and a sum; the clock is looked at every {@link #CHECK_MASK}+1 frames.
 */
final class AnalyzeProgress implements AnalysisSink {
    /** Frames between two looks at the clock. */
    static final int CHECK_MASK = 4095;
    /**
     * Bytes a frame takes in a capture file besides its IP packet: a pcap record header (16) and an Ethernet header
     * (14); a pcapng block adds 12 more, so the ETA is a little early there.
     */
    static final int FRAME_OVERHEAD = 30;

    private final ProgressLine line;
    private final long totalBytes;
    private final int checkMask;
    private long frames;
    private long bytes;

    /** {@code checkMask}: frames between looks at the clock, minus one, a power of two minus one. */
    AnalyzeProgress(PrintWriter err, long totalBytes, int checkMask) {
        this.line = new ProgressLine(err);
        this.totalBytes = totalBytes;
        this.checkMask = checkMask;
    }

    /** The progress sink for these capture files, or none when {@code terminal} is false. */
    static List<AnalysisSink> forTerminal(boolean terminal, PrintWriter err, List<Path> files) {
        if (!terminal) return List.of();
        long total = 0;
        for (Path f : files) {
            try {
                if (compressed(f)) {
                    total = -1;
                    break;
                }
                total += Files.size(f);
            } catch (IOException e) {
                total = -1;
                break;
            }
        }
        return List.of(new AnalyzeProgress(err, total, CHECK_MASK));
    }

    /** gzip, xz, zstd, bzip2 or LZ4 frame magic at the start of the file. */
    private static boolean compressed(Path f) throws IOException {
        byte[] head = new byte[4];
        try (var in = Files.newInputStream(f)) {
            int n = in.readNBytes(head, 0, 4);
            if (n < 2) return false;
        }
        int b0 = head[0] & 0xff, b1 = head[1] & 0xff;
        return b0 == 0x1f && b1 == 0x8b || b0 == 0xfd && b1 == 0x37 || b0 == 0x28 && b1 == 0xb5
                || b0 == 'B' && b1 == 'Z' || b0 == 0x04 && b1 == 0x22;
    }

    @Override
    public void packet(Crossing c) {
        frames++;
        bytes += c.seen().length + FRAME_OVERHEAD;
        if ((frames & checkMask) == 0 && line.due()) draw();
    }

    private void draw() {
        double seconds = line.seconds();
        double rate = seconds > 0 ? frames / seconds : 0;
        String eta = "";
        if (totalBytes > 0 && bytes > 0) {
            double done = Math.min(1.0, (double) bytes / totalBytes);
            eta = String.format(Locale.ROOT, ", about %.0f %%, ETA %s", done * 100,
                    ProgressLine.eta(seconds / done * (1 - done)));
        }
        line.draw(String.format(Locale.ROOT, "analyzing: %d frames, %.0f frames/s%s", frames, rate, eta));
    }

    @Override
    public void finish(RunResult result) {
        line.clear();
    }
}
