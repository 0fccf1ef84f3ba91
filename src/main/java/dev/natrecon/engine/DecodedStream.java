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

    /**
     * The current frame, valid until the next call to {@link #next()}; as in {@link #runFrames()}, it holds the frame's
     * packet only when the replay reads more than the frame's record (or the stream has no media tap).
     */
    DecodedFrame current();

    /**
     * The array holding the current frame's {@link FrameRecord} (at {@link #recordBase()}): what the replay reads of
     * most frames without touching the {@link DecodedFrame}.
     */
    long[] records();

    /** Where the current frame's record starts in {@link #records()}. */
    int recordBase();

    /**
     * Moves past the current run of frames to the next one and returns how many frames it holds (0: the end of the
     * capture; errors as {@link #next()}): the merge's way through the stream, one call per run rather than several
     * per frame. Frame {@code k} of the run is {@link #runFrames()}{@code [k]}, its record at
     * {@link #runRecords()}{@code [k * FrameRecord.STRIDE]}. A stream is read either by runs or by {@link #next()}.
     */
    int nextRun() throws IOException;

    /**
     * The current run's frames, valid until the next {@link #nextRun()}. A frame's {@link DecodedFrame} holds its
     * packet only when the replay reads more than its record ({@link MediaTap#replayReads}); otherwise the slot may
     * hold an older frame.
     */
    DecodedFrame[] runFrames();

    /** The current run's {@link FrameRecord}s, one after the other from index 0. */
    long[] runRecords();

    /** Stops reading (ending any thread of the stream's own) and closes the capture. */
    @Override
    void close() throws IOException;
}
