package dev.natrecon.engine;

import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.ClockCorrection;
import dev.natrecon.capture.FileClock;
import dev.natrecon.capture.RawFrame;
import dev.natrecon.capture.Switches;
import dev.natrecon.correlate.MatchKeys;
import dev.natrecon.decode.Packet;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A capture read, decompressed, placed on the timeline and decoded (L2-L4, reassembly) on a thread of its own, ahead
 * of the single-threaded replay that consumes the frames in file order, with each packet's match key
 * ({@link MatchKeys}, computed while its bytes are in this core's cache), counted into the capture's statistics and
 * fed to the capture's RTP/RTCP statistics ({@link MediaTap}, when its decoder has one): the reading, decoding and
 * media statistics overlap with the analysis on a second core.
 *
 * <p><b>Same frames, same errors, same order.</b> The thread does exactly what {@link InlineDecodedStream} does on the
 * replay's thread, with the same reader, file clock and {@link FrameDecoder} (whose anomaly counts only it writes
 * until the end); nothing it does depends on the other captures or on the replay, so the replay's results are
 * byte-identical. A read error (a {@code CaptureException} naming the file and frame) reaches the replay, as the same
 * object, when it asks for the frame after the last good one.
 *
 * <p><b>Bounded, no allocation per frame.</b> Frames are handed over in {@link #BATCHES} reusable batches of at most
 * {@link #BATCH_FRAMES} frames; the thread blocks when every batch is full. A batch goes back to the thread only once
 * the replay has moved past its last frame.
 *
 * <p><b>Few bytes written per frame.</b> Each frame is decoded from the reader's buffer into one slot that stays in
 * this core's cache, and its {@link FrameRecord} written into the batch: that record is all the replay reads of most
 * frames. Only a frame the replay reads more of ({@link MediaTap#replayReads}: a kept payload, a link event, TCP or
 * ICMP error details, a router capture's interface) has its bytes copied into the batch's buffer of
 * {@link #BATCH_BYTES} and its slot swapped into the batch; the other slots of a batch hold older frames, which nobody
 * reads. Writing every frame's bytes, packet and slot into memory the other core reads cost the decoding thread a
 * cache miss per line written.
 *
 * <p><b>No leak.</b> The thread starts at the first {@link #next()}; {@link #close()} interrupts it, waits for it to
 * end and then closes the reader, so the reader is never used by two threads at once. It is a daemon thread.
 */
final class DecodeAheadStream implements DecodedStream {
    /** Frames per hand-over: the queue's cost per frame vanishes, and the first frames arrive at once. */
    static final int BATCH_FRAMES = 1024;
    /**
     * Bytes per batch: the largest frame ({@link CaptureReader#MAX_CAPTURED_LENGTH}) plus the largest reassembled
     * datagram ({@link FrameDecoder#DATAGRAM_ROOM}) always fit in an empty batch; at about 200 bytes a frame, a batch
     * of RTP fills its {@link #BATCH_FRAMES} before its bytes.
     */
    static final int BATCH_BYTES = CaptureReader.MAX_CAPTURED_LENGTH + FrameDecoder.DATAGRAM_ROOM + (64 << 10);
    /** Batches per capture: one being consumed, one being filled, one ready (about 2 MiB per capture). */
    static final int BATCHES = 3;
    /**
     * System property: {@code off} decodes on the replay's thread while the bytes are still read ahead (the way before
     * decoding ahead, for comparisons); {@code natrecon.readAhead=off} reads and decodes everything inline.
     */
    static final String PROPERTY = "natrecon.decodeAhead";

    /** One hand-over: decoded frames, then possibly the end of the capture or the failure that ended it. */
    private static final class Batch {
        final byte[] bytes = new byte[BATCH_BYTES];
        final DecodedFrame[] frames = new DecodedFrame[BATCH_FRAMES];
        /** The frames' {@link FrameRecord}s, one after the other: what the replay reads of most frames. */
        final long[] records = new long[BATCH_FRAMES * FrameRecord.STRIDE];
        int count;
        int used;
        boolean end;
        Throwable failure;

        Batch() {
            for (int i = 0; i < frames.length; i++) {
                frames[i] = new DecodedFrame(new Packet(), records, i * FrameRecord.STRIDE);
            }
        }

        void reset() {
            count = 0;
            used = 0;
            end = false;
            failure = null;
        }
    }

    private final CaptureReader reader;
    private final ClockCorrection clock;
    private final FrameDecoder decoder;
    /** The capture's statistics, which only this thread writes until the end (null: none kept here). */
    private final Analysis.StatsCounter counter;
    private final BlockingQueue<Batch> filled = new ArrayBlockingQueue<>(BATCHES);
    private final BlockingQueue<Batch> empty = new ArrayBlockingQueue<>(BATCHES);
    private final Thread thread;
    private volatile boolean closing;
    private boolean started;
    private Batch batch;
    private int index;
    private DecodedFrame current;
    private int currentBase;
    /** The sum {@link #warm} returns (never read: it only keeps the warming reads). */
    private long warmed;

    DecodeAheadStream(CaptureReader reader, ClockCorrection clock, FrameDecoder decoder,
                      Analysis.StatsCounter counter) {
        this.reader = reader;
        this.counter = counter;
        this.clock = clock;
        this.decoder = decoder;
        for (int i = 0; i < BATCHES; i++) empty.add(new Batch());
        this.thread = new Thread(this::produce, "natrecon-decode " + reader.source());
        thread.setDaemon(true);
    }

    /**
     * The thread: reads and decodes frames into batches until the end, a failure or {@link #close()}.
     *
     * <p>Per frame it reads nothing of this object, whose cache line the replay's core writes on every frame
     * ({@link #next()}): the fields it needs are copied into locals, and {@link #closing} is read once per batch
     * (after an interrupt the next hand-over throws anyway). Reading them per frame cost the replay's core a
     * cache-line transfer per frame (false sharing).
     */
    private void produce() {
        RawFrame f = new RawFrame();
        FileClock fileClock = new FileClock();
        MatchKeys keys = new MatchKeys();
        FlowIds flows = FlowIds.forStream();
        // every frame is decoded into this slot, which stays in this core's cache; it goes into the batch (swapped
        // with the batch's slot there) only when the replay reads more of the frame than its record
        DecodedFrame hot = new DecodedFrame(new Packet());
        CaptureReader reader = this.reader;
        ClockCorrection clock = this.clock;
        FrameDecoder decoder = this.decoder;
        Analysis.StatsCounter counter = this.counter;
        BlockingQueue<Batch> filled = this.filled;
        BlockingQueue<Batch> empty = this.empty;
        try {
            Batch b = empty.take();
            b.reset();
            while (true) {
                try {
                    if (!reader.next(f)) {
                        b.end = true;
                        filled.put(b);
                        return;
                    }
                    if (b.count == BATCH_FRAMES || BATCH_BYTES - b.used < f.capturedLength + FrameDecoder.DATAGRAM_ROOM) {
                        filled.put(b);
                        b = empty.take();
                        b.reset();
                        if (closing) return;
                    }
                    int slot = b.count;
                    DecodedFrame d = hot;
                    d.records = b.records;
                    d.base = slot * FrameRecord.STRIDE;
                    view(f, d.frame);
                    d.orderNanos = clock.apply(fileClock.order(f.timestampNanos, f.frameNumber, reader.anomalies()));
                    d.disposition = decoder.decode(d.frame, d.orderNanos, d.packet, b.bytes, b.used);
                    b.used += decoder.copied();
                    d.keyAndCount(keys, flows, counter);
                    MediaTap media = decoder.media;
                    if (media == null || media.frame(d)) { // fed to the media statistics; read beyond the record
                        keep(d, b);
                        hot = b.frames[slot];
                        b.frames[slot] = d;
                    } else {
                        FrameRecord.markRecordOnly(d.records, d.base); // the slot's frame is not this one
                    }
                    b.count++;
                } catch (IOException | RuntimeException | Error e) {
                    b.failure = e;
                    filled.put(b);
                    return;
                }
            }
        } catch (InterruptedException e) {
            // close(): nothing more is wanted
        }
    }

    /** Makes {@code to} the reader's frame {@code f} (its bytes the reader's, valid until its next read). */
    private static void view(RawFrame f, RawFrame to) {
        to.data = f.data;
        to.offset = f.offset;
        to.capturedLength = f.capturedLength;
        to.originalLength = f.originalLength;
        to.timestampNanos = f.timestampNanos;
        to.linkType = f.linkType;
        to.interfaceId = f.interfaceId;
        to.frameNumber = f.frameNumber;
    }

    /**
     * Copies the bytes of frame {@code d}, still the reader's (valid until its next read), into the batch's buffer, the
     * frame and its packet (unless it was decoded from a datagram already in the buffer) moved with them.
     */
    private static void keep(DecodedFrame d, Batch b) {
        RawFrame f = d.frame;
        int at = b.used;
        System.arraycopy(f.data, f.offset, b.bytes, at, f.capturedLength);
        if (d.packet.data == f.data) d.packet.moveBytes(f.offset, b.bytes, at);
        f.data = b.bytes;
        f.offset = at;
        b.used += f.capturedLength;
    }

    @Override
    public boolean next() throws IOException {
        if (batch == null || index == batch.count) {
            if (nextRun() == 0) return false;
        }
        currentBase = index * FrameRecord.STRIDE;
        current = batch.frames[index++];
        return true;
    }

    @Override
    public int nextRun() throws IOException {
        if (closing) throw new IOException(reader.source() + ": read after close");
        if (!started) {
            started = true;
            thread.start();
        }
        while (true) {
            if (batch != null) {
                if (batch.failure != null) throw dev.natrecon.capture.ReaderThreads.rethrow(batch.failure);
                if (batch.end) return 0;
                empty.add(batch);
                batch = null;
            }
            try {
                batch = filled.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(reader.source() + ": interrupted while decoding ahead");
            }
            index = 0;
            warmed += warm(batch.records, batch.count);
            if (batch.count > 0) return batch.count;
        }
    }

    @Override
    public DecodedFrame[] runFrames() {
        return batch.frames;
    }

    @Override
    public long[] runRecords() {
        return batch.records;
    }

    /**
     * Opens {@code file} for the replay: to be decoded ahead on a thread of its own when it is long enough
     * ({@link CaptureReader#openForThread}), or, with {@value #PROPERTY} {@code off}, read ahead by the reader itself
     * and decoded inline ({@link CaptureReader#open(java.nio.file.Path)}).
     */
    static CaptureReader openForReplay(java.nio.file.Path file) throws IOException {
        boolean off = Switches.off(PROPERTY);
        return off ? CaptureReader.open(file) : CaptureReader.openForThread(file);
    }

    /**
     * {@link #openForReplay(java.nio.file.Path)} resuming what the survey decompressed ({@link CaptureReader#resume}),
     * when it kept it ({@code kept} not null).
     */
    static CaptureReader openForReplay(java.nio.file.Path file, dev.natrecon.capture.KeptPrefix kept) throws IOException {
        if (kept == null) return openForReplay(file);
        boolean off = Switches.off(PROPERTY);
        return CaptureReader.resume(kept, !off);
    }


    @Override
    public DecodedFrame current() {
        return current;
    }

    /**
     * Reads one long of every cache line of the batch's records, in order, as the batch arrives: the lines the other
     * core wrote come over together (independent loads, which the core and its prefetcher overlap) instead of one
     * miss at a time as each frame is reached. Returns a sum that is kept, so the reads are not dropped.
     */
    private static long warm(long[] records, int frames) {
        long sum = 0;
        int end = frames * FrameRecord.STRIDE;
        for (int i = 0; i < end; i += 8) sum += records[i];
        return sum;
    }

    @Override
    public long[] records() {
        return batch.records;
    }

    @Override
    public int recordBase() {
        return currentBase;
    }

    @Override
    public void close() throws IOException {
        if (closing) return;
        closing = true;
        if (started) dev.natrecon.capture.ReaderThreads.stop(thread);
        reader.close();
    }

    /** Whether the thread is running (for tests: none outlives {@link #close()}). */
    boolean threadAlive() {
        return thread.isAlive();
    }
}
