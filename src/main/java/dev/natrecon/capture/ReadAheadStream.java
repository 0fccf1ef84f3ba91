package dev.natrecon.capture;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads (and so decompresses) a capture's byte stream on its own thread, {@link #CHUNKS} reusable chunks of
 * {@link #CHUNK_BYTES} ahead of the analysis that consumes it, so file reading and decompression overlap with the
 * single-threaded analysis on a second core.
 *
 * <p><b>Same bytes, same errors, same order.</b> The consumer sees exactly the bytes the wrapped stream yields, in
 * order; an exception the wrapped stream throws (a {@link CaptureException} naming the file) is thrown to the consumer
 * when it reaches the point where it occurred, after every byte before it, as the same object. Nothing the analysis
 * decides depends on which thread read the bytes, so its results are byte-identical to reading inline.
 *
 * <p><b>Bounded.</b> At most {@link #CHUNKS} chunks exist per stream (allocated once, handed back and forth between the
 * two threads through two bounded queues); the reader thread blocks when all are full.
 *
 * <p><b>No leak.</b> {@link #close()} stops the reader thread (interrupting a blocked hand-over), waits for it to end,
 * and the reader thread closes the wrapped stream itself, so the stream is never used by two threads at once. The
 * thread is a daemon, so a stream a caller forgot to close cannot keep the process alive.
 */
final class ReadAheadStream extends BlockReadStream {
    /** Bytes per hand-over: large enough that the queue costs nothing per byte, small enough to start at once. */
    static final int CHUNK_BYTES = 256 << 10;
    /** Chunks per stream: {@code CHUNKS * CHUNK_BYTES} (1 MiB) is the most read ahead, per capture. */
    static final int CHUNKS = 4;

    /** One hand-over: bytes, or the end of the stream, or the failure that ended it. */
    private static final class Chunk {
        final byte[] data;
        int length;
        boolean end;
        Throwable failure;

        Chunk(int size) {
            data = new byte[size];
        }
    }

    private final BlockingQueue<Chunk> filled;
    private final BlockingQueue<Chunk> empty;
    private final Thread reader;
    private final InputStream source;
    private volatile boolean closing;
    private volatile IOException closeFailure;
    private Chunk current;
    private int position;
    private boolean ended;
    private Throwable failure;

    ReadAheadStream(InputStream source, String name) {
        this(source, name, CHUNK_BYTES, CHUNKS);
    }

    ReadAheadStream(InputStream source, String name, int chunkBytes, int chunks) {
        this.source = source;
        this.filled = new ArrayBlockingQueue<>(chunks);
        this.empty = new ArrayBlockingQueue<>(chunks);
        for (int i = 0; i < chunks; i++) empty.add(new Chunk(chunkBytes));
        this.reader = new Thread(this::fill, "natrecon-read " + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** The reader thread: fills empty chunks until the end, a failure or {@link #close()}. */
    private void fill() {
        try {
            while (!closing) {
                Chunk c = empty.take();
                c.length = 0;
                c.end = false;
                c.failure = null;
                try {
                    while (c.length < c.data.length) {
                        int r = source.read(c.data, c.length, c.data.length - c.length);
                        if (r < 0) {
                            c.end = true;
                            break;
                        }
                        c.length += r;
                    }
                } catch (IOException | RuntimeException | Error e) {
                    c.failure = e;
                }
                filled.put(c);
                if (c.end || c.failure != null) return;
            }
        } catch (InterruptedException e) {
            // close(): nothing more is wanted
        } finally {
            try {
                source.close();
            } catch (IOException e) {
                closeFailure = e;
            }
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closing) throw new IOException("read after close");
        if (len == 0) return 0;
        while (current == null || position == current.length) {
            if (current != null) {
                if (current.failure != null) failure = current.failure;
                if (current.end) ended = true;
                Chunk done = current;
                current = null;
                if (failure == null && !ended) empty.add(done);
            }
            if (failure != null) throw ReaderThreads.rethrow(failure);
            if (ended) return -1;
            try {
                current = filled.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while reading ahead");
            }
            position = 0;
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current.data, position, b, off, n);
        position += n;
        return n;
    }

    /** Whether the consumer has been given the end of the stream (every byte read, then -1). */
    boolean ended() {
        return ended;
    }


    @Override
    public void close() throws IOException {
        if (closing) return;
        closing = true;
        ReaderThreads.stop(reader);
        IOException f = closeFailure;
        if (f != null) throw f;
    }

    /** Whether the reader thread has ended (for tests: no thread outlives {@link #close()}). */
    boolean readerAlive() {
        return reader.isAlive();
    }
}
