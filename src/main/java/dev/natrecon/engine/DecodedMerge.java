package dev.natrecon.engine;

import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.MergedFrameSource;
import java.io.IOException;
import java.util.List;

/**
 * The replay's k-way merge of its captures' decoded frames into one time-ordered stream, in the order of
 * {@link MergedFrameSource} (by corrected time; ties to the input listed first; one file's frames never reordered).
 * Each capture is a {@link DecodedStream}: decoded ahead on a thread of its own when its reader asks for one
 * ({@link CaptureReader#ownThread()}), else inline on the replay's thread.
 *
 * <p>Pitfall: the current frame is valid until the next call to {@link #next()}.
 */
final class DecodedMerge implements AutoCloseable {
    private final DecodedStream[] streams;
    private final boolean[] exhausted;
    /**
     * Per input, its current run of frames ({@link DecodedStream#nextRun()}): the frames, their records, how many and
     * which is the input's head; the merge steps through a run with array reads, one stream call per run.
     */
    private final DecodedFrame[][] frames;
    private final long[][] records;
    private final int[] counts;
    private final int[] heads;
    /** Each ready input's head's ordering time, read from its record once. */
    private final long[] times;
    private boolean started;
    private int current = -1;
    private int exhaustedCount;

    /**
     * The merge of {@code inputs}, each decoded by its own {@code decoders} entry and counted into its own
     * {@code counters} entry (same index; {@code counters} null: none).
     */
    DecodedMerge(List<MergedFrameSource.Input> inputs, List<FrameDecoder> decoders,
                 List<Analysis.StatsCounter> counters) {
        streams = new DecodedStream[inputs.size()];
        for (int i = 0; i < streams.length; i++) {
            MergedFrameSource.Input in = inputs.get(i);
            CaptureReader reader = in.reader();
            Analysis.StatsCounter counter = counters == null ? null : counters.get(i);
            streams[i] = reader.ownThread() ? new DecodeAheadStream(reader, in.clock(), decoders.get(i), counter)
                    : new InlineDecodedStream(reader, in.clock(), decoders.get(i), counter);
        }
        exhausted = new boolean[streams.length];
        frames = new DecodedFrame[streams.length][];
        records = new long[streams.length][];
        counts = new int[streams.length];
        heads = new int[streams.length];
        times = new long[streams.length];
    }

    /** Advances to the next frame of the merged stream; false when every input is exhausted. */
    boolean next() throws IOException {
        if (!started) {
            started = true;
            for (int i = 0; i < streams.length; i++) run(i);
        } else if (current >= 0) {
            int i = current;
            int h = ++heads[i];
            if (h < counts[i]) times[i] = records[i][h * FrameRecord.STRIDE + FrameRecord.ORDER];
            else run(i);
        }
        int best = -1;
        long bestTime = Long.MAX_VALUE;
        for (int i = 0; i < streams.length; i++) {
            if (!exhausted[i] && (best < 0 || times[i] < bestTime)) {
                best = i;
                bestTime = times[i];
            }
        }
        current = best;
        return best >= 0;
    }

    /** Input {@code i}'s next run, its first frame the input's head; or the input marked exhausted. */
    private void run(int i) throws IOException {
        DecodedStream s = streams[i];
        int n = s.nextRun();
        if (n == 0) {
            exhausted[i] = true;
            exhaustedCount++;
            return;
        }
        frames[i] = s.runFrames();
        long[] r = s.runRecords();
        records[i] = r;
        counts[i] = n;
        heads[i] = 0;
        times[i] = r[FrameRecord.ORDER];
    }

    /**
     * The current frame, decoded; its packet and raw frame hold this frame only when the replay reads more of it than
     * its {@link FrameRecord} ({@link MediaTap#replayReads}).
     */
    DecodedFrame frame() {
        return frames[current][heads[current]];
    }

    /** The array holding the current frame's {@link FrameRecord}, at {@link #recordBase()}. */
    long[] records() {
        return records[current];
    }

    /** Where the current frame's record starts in {@link #records()}. */
    int recordBase() {
        return heads[current] * FrameRecord.STRIDE;
    }

    /** Index (in the list given to the constructor) of the input the current frame came from. */
    int inputIndex() {
        return current;
    }

    /** How many inputs have no frame left (a cheap per-frame check for {@link #exhausted(int)}). */
    int exhaustedInputs() {
        return exhaustedCount;
    }

    /** Whether input {@code index} has no frame left; its last frame may still be the current one. */
    boolean exhausted(int index) {
        return exhausted[index];
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (DecodedStream s : streams) {
            try {
                s.close();
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }
}
