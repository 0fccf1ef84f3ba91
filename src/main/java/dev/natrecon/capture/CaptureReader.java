package dev.natrecon.capture;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Streaming reader of one capture file (pcap or pcapng, optionally gzip/zstd/xz compressed), frame by frame into a
 * reused {@link RawFrame}. Structural damage after the header (a truncated last record, an impossible length) is
 * counted as an anomaly and ends the file cleanly; only a file that is not a capture at all throws.
 *
 * <p>Pitfall: the frame's bytes belong to the reader's window and are overwritten by the next {@link #next} call.
 */
public abstract class CaptureReader implements AutoCloseable {
    private long damagedAtFrame;
    /**
     * Largest captured length of one frame: libpcap's MAXIMUM_SNAPLEN (262144, pcap-int.h), the most tcpdump, dumpcap
     * and every libpcap-based tool writes, in pcap and in pcapng alike. A record claiming more is a lying header;
     * nothing larger is ever allocated for a frame.
     */
    public static final int MAX_CAPTURED_LENGTH = 256 << 10;
    /**
     * Largest pcapng block: a packet of {@link #MAX_CAPTURED_LENGTH} plus its headers and up to 64 KiB of options
     * (one option's length is 16 bits), rounded up to 1 MiB. Other blocks (name resolution, decryption secrets) are
     * skipped without being held when they are larger, so the window of {@link ByteInput} never grows past 1 MiB.
     */
    static final int MAX_BLOCK = 1 << 20;
    /**
     * Smallest file read on its own thread: below one read-ahead window ({@link ReadAheadStream#CHUNKS} x
     * {@link ReadAheadStream#CHUNK_BYTES}) starting a thread costs more than the overlap saves.
     */
    public static final long READ_AHEAD_MIN_BYTES = (long) ReadAheadStream.CHUNKS * ReadAheadStream.CHUNK_BYTES;
    /** System property: {@code off} reads every capture inline, on the analysis thread (for comparisons). */
    public static final String READ_AHEAD_PROPERTY = "natrecon.readAhead";

    protected final String source;
    protected final ByteInput in;
    protected final AnomalyCounts anomalies = new AnomalyCounts();
    protected final List<CaptureInterface> interfaces = new ArrayList<>();
    private final Compression compression;
    protected long frames;
    private BoundedDecompression decompression;
    private ReadAheadStream ahead;
    private boolean limitReported;
    private boolean ownThread;
    /** The copy of a compressed file's decompressed bytes kept for {@link #detach()}, or null. */
    private KeptPrefix.Tee tee;
    /** Handed over by {@link #detach()}: {@link #close()} leaves the stream to the {@link KeptPrefix}. */
    private boolean detached;

    protected CaptureReader(String source, ByteInput in, Compression compression) {
        this.source = source;
        this.in = in;
        this.compression = compression;
    }

    /** The file's bytes, or the one-line error naming it. */
    private static InputStream openRaw(Path file) throws CaptureException {
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new CaptureException(file + ": no such file");
        } catch (IOException e) {
            throw new CaptureException(file + ": cannot open: " + e.getMessage(), e);
        }
    }

    /** Opens {@code file}, recognising compression and container format by magic bytes. */
    public static CaptureReader open(Path file) throws IOException {
        InputStream raw = openRaw(file);
        try {
            return open(file.toString(), raw, DecompressionLimit.configured(), readAhead(file));
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /**
     * Opens {@code file} for a caller that runs the whole reader on a thread of its own (the replay decodes ahead on
     * it): the bytes are read inline on that thread, with no read-ahead thread of the reader's own, and
     * {@link #ownThread()} says whether the file is worth a thread (the rule of {@link #open(Path)}: at least
     * {@link #READ_AHEAD_MIN_BYTES}, and {@value #READ_AHEAD_PROPERTY} not {@code off}).
     */
    public static CaptureReader openForThread(Path file) throws IOException {
        InputStream raw = openRaw(file);
        try {
            CaptureReader r = open(file.toString(), raw, DecompressionLimit.configured(), false);
            r.ownThread = readAhead(file);
            return r;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /**
     * Opens {@code file} for a first pass whose decompressed bytes a second pass over the same file may take over
     * ({@link #detach()}, {@link #resume}): a compressed file is read inline (its decompressor is handed over with the
     * bytes, so no thread of its own reads ahead) and keeps a copy of what it decompressed while that fits in
     * {@code budget} bytes; an uncompressed file, which costs little to read again, is opened as {@link #open(Path)}
     * does and keeps nothing.
     */
    public static CaptureReader openKeeping(Path file, long budget) throws IOException {
        InputStream raw = openRaw(file);
        try {
            return open(file.toString(), raw, DecompressionLimit.configured(), readAhead(file), budget);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /**
     * What this reader has decompressed so far with the decompressor itself, for {@link #resume}, when it was opened
     * by {@link #openKeeping} over a compressed file and all of it fitted in the budget; null otherwise. After a
     * non-null answer this reader must not be read again, and closing it leaves the file open for the prefix.
     */
    public KeptPrefix detach() {
        if (tee == null || tee.overflowed() || detached) return null;
        detached = true;
        return KeptPrefix.of(source, compression, decompression, tee, ownThread);
    }

    /**
     * A reader of the whole file again, from its first byte, over {@code kept} then the rest of the decompressed
     * stream: the same frames and errors as opening the file again, without decompressing its start twice. Read inline;
     * with {@code forThread}, {@link #ownThread()} says whether the caller should run it on a thread of its own (the
     * rule of {@link #openForThread}).
     */
    public static CaptureReader resume(KeptPrefix kept, boolean forThread) throws IOException {
        InputStream again = kept.stream();
        try {
            CaptureReader r = format(kept.source, new ByteInput(again), kept.compression).bounded(kept.bounded, null);
            r.ownThread = forThread && kept.worthAThread;
            return r;
        } catch (IOException | RuntimeException e) {
            again.close();
            throw e;
        }
    }

    /**
     * Whether the caller should run this reader on a thread of its own (opened by {@link #openForThread(Path)} for a
     * file long enough); a reader opened otherwise reads ahead by itself when it is worth it and answers false.
     */
    public boolean ownThread() {
        return ownThread;
    }

    /** Opens a capture from a stream; {@code source} names it in messages. */
    public static CaptureReader open(String source, InputStream raw) throws IOException {
        return open(source, raw, DecompressionLimit.configured());
    }

    /** Opens a capture from a stream, expanding a compressed one at most as far as {@code limit} allows. */
    public static CaptureReader open(String source, InputStream raw, DecompressionLimit limit) throws IOException {
        return open(source, raw, limit, false);
    }

    /**
     * Whether {@code file} is read on its own thread ({@link ReadAheadStream}): when it is at least
     * {@link #READ_AHEAD_MIN_BYTES} long and {@value #READ_AHEAD_PROPERTY} is not {@code off}.
     */
    static boolean readAhead(Path file) {
        if (Switches.off(READ_AHEAD_PROPERTY)) return false;
        try {
            return Files.size(file) >= READ_AHEAD_MIN_BYTES;
        } catch (IOException e) {
            return false; // reading will say what is wrong with it
        }
    }

    /**
     * Opens a capture from a stream; with {@code readAhead} the stream is read and decompressed on its own thread
     * ({@link ReadAheadStream}), with the same bytes, frames and errors as inline.
     */
    static CaptureReader open(String source, InputStream raw, DecompressionLimit limit, boolean readAhead)
            throws IOException {
        return open(source, raw, limit, readAhead, -1);
    }

    /**
     * {@link #open(String, InputStream, DecompressionLimit, boolean)}; with {@code keepBudget >= 0} a compressed
     * stream is read inline and keeps a copy of its decompressed bytes up to that many ({@link #openKeeping}).
     */
    static CaptureReader open(String source, InputStream raw, DecompressionLimit limit, boolean readAhead,
                              long keepBudget) throws IOException {
        BoundedDecompression bounded = new BoundedDecompression(limit);
        BufferedInputStream buffered = new BufferedInputStream(bounded.compressedSide(raw), 1 << 16);
        buffered.mark(16);
        byte[] head = new byte[8];
        int n = buffered.readNBytes(head, 0, head.length);
        buffered.reset();
        Compression compression = Compression.sniff(head, n);
        InputStream plain;
        try {
            plain = switch (compression) {
                case GZIP -> new GZIPInputStream(buffered, 1 << 16);
                case ZSTD -> new ZstdInputStream(buffered);
                case XZ -> new XZInputStream(buffered);
                case NONE -> buffered;
            };
        } catch (IOException e) {
            throw new CaptureException(source + ": damaged " + compression.label() + " header: " + e.getMessage(), e);
        }
        if (compression != Compression.NONE) plain = bounded.decompressedSide(plain);
        InputStream checked = new DecompressionErrors(plain, source, compression);
        KeptPrefix.Tee tee = keepBudget >= 0 && compression != Compression.NONE
                ? new KeptPrefix.Tee(checked, keepBudget) : null;
        ReadAheadStream ahead = readAhead && tee == null ? new ReadAheadStream(checked, source) : null;
        ByteInput in = new ByteInput(ahead != null ? ahead : tee != null ? tee : checked);
        try {
            CaptureReader r = format(source, in, compression).bounded(bounded, ahead);
            r.tee = tee;
            r.ownThread = tee != null && readAhead; // kept for the second pass: worth a thread of its own there
            return r;
        } catch (IOException | RuntimeException e) {
            if (ahead != null) ahead.close(); // stops its thread before the caller closes the file under it
            throw e;
        }
    }

    private static CaptureReader format(String source, ByteInput in, Compression compression) throws IOException {
        if (!in.ensure(4)) {
            throw new CaptureException(source + ": not a capture file (" + (in.available() == 0 ? "empty" : "too short") + ")");
        }
        int magicBe = Endian.i32(in.buf, in.pos, false);
        switch (magicBe) {
            case 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1:
                return new PcapReader(source, in, compression);
            case 0x0a0d0d0a:
                return new PcapNgReader(source, in, compression);
            default:
                throw new CaptureException(String.format("%s: not a pcap or pcapng file (magic %08x)", source, magicBe));
        }
    }

    final CaptureReader bounded(BoundedDecompression b, ReadAheadStream ahead) {
        this.decompression = b;
        this.ahead = ahead;
        return this;
    }

    /**
     * Whether reading was cut at the decompression bound. Read ahead, the bound may already be reached on the reading
     * thread while the analysis stopped earlier (a damaged record); it counts only once the analysis has reached the
     * end of what was read, as when reading inline.
     */
    private boolean limitReached() {
        return decompression != null && decompression.hit() && (ahead == null || ahead.ended());
    }

    /**
     * Reads the next frame into {@code frame}.
     *
     * @return false at the end of the file (including a damaged end, or the decompression bound, each counted as an
     *         anomaly)
     * @throws IOException if the underlying file cannot be read (disk error, corrupt compression stream)
     */
    public final boolean next(RawFrame frame) throws IOException {
        if (readNext(frame)) return true;
        if (limitReached() && !limitReported) {
            limitReported = true;
            anomalies.add(Bound.DECOMPRESSION_LIMIT, frames + 1);
        }
        return false;
    }

    /**
     * The notice for the decompression bound, naming the file and the bound, or null when it was not reached (only
     * known once {@link #next} has returned false).
     */
    public String limitNotice() {
        if (!limitReached()) return null;
        return source + ": stopped reading after " + decompression.decompressed() + " decompressed bytes ("
                + Bound.DECOMPRESSION_LIMIT.id() + ": " + decompression.limit().describe() + "); the " + frames
                + " frames before it were analysed";
    }

    /** The format's own reading of the next frame: false at the end (the anomaly counted by the reader). */
    protected abstract boolean readNext(RawFrame frame) throws IOException;

    public abstract CaptureFormat format();

    public Compression compression() {
        return compression;
    }

    /** The interfaces described so far (all of them once the file has been read to its end). */
    public List<CaptureInterface> interfaces() {
        return interfaces;
    }

    public AnomalyCounts anomalies() {
        return anomalies;
    }

    /**
     * The frame number at which reading stopped because the file is damaged there (a header no record boundary after
     * which can be trusted), or 0 when the file was read to its end (a truncated last record is not damage: nothing
     * after it was lost). What follows that point was not read at all.
     */
    public long damagedAtFrame() {
        return damagedAtFrame;
    }

    /** Reading stops at frame {@code frame}: the file is damaged there and the rest of it cannot be read. */
    protected void stopDamaged(long frame) {
        if (damagedAtFrame == 0) damagedAtFrame = frame;
    }

    /** Packet records returned so far. */
    public long frames() {
        return frames;
    }

    public String source() {
        return source;
    }

    @Override
    public void close() throws IOException {
        if (!detached) in.close();
    }

    /** Names the file and the compression when a decompressor fails mid-stream. */
    private static final class DecompressionErrors extends BlockReadStream {
        private final InputStream in;
        private final String source;
        private final Compression compression;

        DecompressionErrors(InputStream in, String source, Compression compression) {
            this.in = in;
            this.source = source;
            this.compression = compression;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (java.io.EOFException e) {
                if (compression == Compression.NONE) return -1;
                throw new CaptureException(source + ": " + compression.label() + " stream ends early (truncated file)", e);
            } catch (IOException | RuntimeException e) {
                if (compression == Compression.NONE) throw e;
                throw new CaptureException(source + ": corrupt " + compression.label() + " data: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
