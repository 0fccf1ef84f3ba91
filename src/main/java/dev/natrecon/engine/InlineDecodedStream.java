package dev.natrecon.engine;

import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.ClockCorrection;
import dev.natrecon.capture.FileClock;
import dev.natrecon.correlate.MatchKeys;
import java.io.IOException;

/**
 * A capture read, decoded, keyed and counted ({@link DecodedFrame#keyAndCount}) and fed to its media statistics
 * ({@link MediaTap}, when its decoder has one) on the replay's own thread, one frame at a time into one reused slot.
 */
final class InlineDecodedStream implements DecodedStream {
    private final CaptureReader reader;
    private final ClockCorrection clock;
    private final FileClock fileClock = new FileClock();
    private final FrameDecoder decoder;
    private final DecodedFrame slot;
    /** The run {@link #nextRun()} gives: the one slot. */
    private final DecodedFrame[] run;
    private final MatchKeys keys = new MatchKeys();
    private final FlowIds flows = FlowIds.forStream();
    private final Analysis.StatsCounter counter;

    InlineDecodedStream(CaptureReader reader, ClockCorrection clock, FrameDecoder decoder,
                        Analysis.StatsCounter counter) {
        this.reader = reader;
        this.counter = counter;
        this.clock = clock;
        this.decoder = decoder;
        this.slot = new DecodedFrame(decoder.packet);
        this.run = new DecodedFrame[] {slot};
    }

    @Override
    public boolean next() throws IOException {
        if (!reader.next(slot.frame)) return false;
        slot.orderNanos = clock.apply(fileClock.order(slot.frame.timestampNanos, slot.frame.frameNumber,
                reader.anomalies()));
        slot.disposition = decoder.decode(slot.frame, slot.orderNanos);
        slot.keyAndCount(keys, flows, counter);
        if (decoder.media != null) decoder.media.frame(slot);
        return true;
    }

    @Override
    public int nextRun() throws IOException {
        return next() ? 1 : 0;
    }

    @Override
    public DecodedFrame[] runFrames() {
        return run;
    }

    @Override
    public long[] runRecords() {
        return slot.records;
    }

    @Override
    public DecodedFrame current() {
        return slot;
    }

    @Override
    public long[] records() {
        return slot.records;
    }

    @Override
    public int recordBase() {
        return slot.base;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
