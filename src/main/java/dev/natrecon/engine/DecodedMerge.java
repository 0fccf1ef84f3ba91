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
    private final boolean[] ready;
    private final boolean[] exhausted;
    /** Each ready input's current frame and its ordering time, kept here: one interface call per frame, not three. */
    private final DecodedFrame[] heads;
    /** Each ready input's current {@link FrameRecord} (array and start): the time is read there, not in the frame. */
    private final long[][] records;
    private final int[] bases;
    private final long[] times;
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
        ready = new boolean[streams.length];
        exhausted = new boolean[streams.length];
        heads = new DecodedFrame[streams.length];
        records = new long[streams.length][];
        bases = new int[streams.length];
        times = new long[streams.length];
    }

    /** Advances to the next frame of the merged stream; false when every input is exhausted. */
    boolean next() throws IOException {
        if (current >= 0) ready[current] = false;
        int best = -1;
        long bestTime = Long.MAX_VALUE;
        for (int i = 0; i < streams.length; i++) {
            if (!ready[i] && !exhausted[i]) {
                if (streams[i].next()) {
                    ready[i] = true;
                    DecodedStream s = streams[i];
                    heads[i] = s.current();
                    long[] r = s.records();
                    int b = s.recordBase();
                    records[i] = r;
                    bases[i] = b;
                    times[i] = r[b + FrameRecord.ORDER];
                } else {
                    exhausted[i] = true;
                    exhaustedCount++;
                }
            }
            if (ready[i] && (best < 0 || times[i] < bestTime)) {
                best = i;
                bestTime = times[i];
            }
        }
        current = best;
        return best >= 0;
    }

    /** The current frame, decoded. */
    DecodedFrame frame() {
        return heads[current];
    }

    /** The array holding the current frame's {@link FrameRecord}, at {@link #recordBase()}. */
    long[] records() {
        return records[current];
    }

    /** Where the current frame's record starts in {@link #records()}. */
    int recordBase() {
        return bases[current];
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
