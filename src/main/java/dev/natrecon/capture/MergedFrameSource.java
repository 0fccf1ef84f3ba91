package dev.natrecon.capture;

import java.io.IOException;
import java.util.List;

/**
 * The k-way merge of several captures into one time-ordered stream on the corrected timeline.
 *
 * <p><b>Order.</b> Frames come out by corrected time; ties go to the input listed first (the LAN capture is listed
 * before the WAN capture, so a packet and its forwarded copy stamped with the same instant come out in forwarding
 * order for outbound traffic), then by frame number.
 *
 * <p><b>Time that goes backwards or jumps.</b> Within one file the order time comes from {@link FileClock}: a frame
 * older than its predecessors is clamped, a wild jump forward is not followed unless confirmed; its own timestamp is
 * kept in {@link RawFrame#timestampNanos} for display. The merge never reorders frames of one file.
 *
 * <p>Pitfall: the returned frame is the reader's view and is valid until the next call to {@link #next()}.
 */
public final class MergedFrameSource implements AutoCloseable {
    /** One input of the merge. */
    public static final class Input {
        final CaptureReader reader;
        final ClockCorrection clock;
        final RawFrame frame = new RawFrame();
        boolean ready;
        boolean exhausted;
        final FileClock fileClock = new FileClock();
        long orderNanos;

        public Input(CaptureReader reader, ClockCorrection clock) {
            this.reader = reader;
            this.clock = clock;
        }

        public CaptureReader reader() {
            return reader;
        }

        /** The correction that puts this input's times on the reference timeline. */
        public ClockCorrection clock() {
            return clock;
        }
    }

    private final Input[] inputs;
    private int current = -1;
    private int exhausted;

    public MergedFrameSource(List<Input> inputs) {
        this.inputs = inputs.toArray(new Input[0]);
    }

    /** Advances to the next frame of the merged stream; false when every input is exhausted. */
    public boolean next() throws IOException {
        if (current >= 0) inputs[current].ready = false;
        int best = -1;
        long bestTime = Long.MAX_VALUE;
        for (int i = 0; i < inputs.length; i++) {
            Input in = inputs[i];
            if (!in.ready && !in.exhausted) fill(in);
            if (in.ready && (best < 0 || in.orderNanos < bestTime)) {
                best = i;
                bestTime = in.orderNanos;
            }
        }
        current = best;
        return best >= 0;
    }

    private void fill(Input in) throws IOException {
        if (!in.reader.next(in.frame)) {
            in.exhausted = true;
            exhausted++;
            return;
        }
        long t = in.fileClock.order(in.frame.timestampNanos, in.frame.frameNumber, in.reader.anomalies);
        in.orderNanos = in.clock.apply(t);
        in.ready = true;
    }

    /** How many inputs have no frame left (a cheap per-frame check for {@link #exhausted(int)}). */
    public int exhaustedInputs() {
        return exhausted;
    }

    /** Whether input {@code index} has no frame left; its last frame may still be the current one. */
    public boolean exhausted(int index) {
        return inputs[index].exhausted;
    }

    /** Index (in the list given to the constructor) of the input the current frame came from. */
    public int inputIndex() {
        return current;
    }

    public RawFrame frame() {
        return inputs[current].frame;
    }

    /** Corrected (and clamped) time of the current frame, on the reference timeline. */
    public long correctedNanos() {
        return inputs[current].orderNanos;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Input in : inputs) {
            try {
                in.reader.close();
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }
}
