package dev.natrecon.engine;

import java.io.IOException;

/**
 * One capture of the replay as a stream of {@link DecodedFrame}s, in file order: read and decoded on the replay's
 * thread ({@link InlineDecodedStream}) or ahead of it on a thread of its own ({@link DecodeAheadStream}), with the
 * same frames, packets, anomalies and errors either way.
 */
interface DecodedStream extends AutoCloseable {
    /**
     * Moves to the next frame; false at the end of the capture. A read error (a {@code CaptureException} naming the
     * file) is thrown when the stream reaches the point where it occurred, after every frame before it.
     */
    boolean next() throws IOException;

    /** The current frame, valid until the next call to {@link #next()}. */
    DecodedFrame current();

    /**
     * The array holding the current frame's {@link FrameRecord} (at {@link #recordBase()}): what the replay reads of
     * most frames without touching the {@link DecodedFrame}.
     */
    long[] records();

    /** Where the current frame's record starts in {@link #records()}. */
    int recordBase();

    /** Stops reading (ending any thread of the stream's own) and closes the capture. */
    @Override
    void close() throws IOException;
}
