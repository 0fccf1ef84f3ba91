package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.ClockCorrection;
import dev.natrecon.capture.PcapWriter;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.Packet;
import dev.natrecon.testing.Frames;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Decoding a capture ahead on its own thread gives the replay the same frames, times, packets, anomalies and errors,
 * in the same order, as decoding inline; it stays a bounded number of batches ahead, and no thread outlives
 * {@code close()}, whether the capture ended, failed or was abandoned midway.
 */
class DecodeAheadStreamTest {
    private static final ClockCorrection CLOCK = new ClockCorrection(1_234_567, 20, 1_700_000_000_000_000_000L);

    /** Ethernet + IPv4 fragments of one UDP datagram with {@code payload}, cut every {@code step} bytes (8k). */
    static List<byte[]> fragments(int ipId, byte[] payload, int step) {
        byte[] whole = Frames.udp("192.168.1.20", 5060, "198.51.100.9", 5060, ipId, 64, payload);
        int ipPayload = whole.length - 34;
        List<byte[]> out = new ArrayList<>();
        for (int off = 0; off < ipPayload; off += step) {
            int len = Math.min(step, ipPayload - off);
            byte[] f = new byte[34 + len];
            System.arraycopy(whole, 0, f, 0, 34);
            System.arraycopy(whole, 34 + off, f, 34, len);
            int total = 20 + len;
            f[16] = (byte) (total >>> 8);
            f[17] = (byte) total;
            int flags = (off + len < ipPayload ? 0x2000 : 0) | off / 8;
            f[20] = (byte) (flags >>> 8);
            f[21] = (byte) flags;
            out.add(f);
        }
        return out;
    }

    /** A capture of RTP-sized frames with fragmented datagrams, a clock that steps back, and snaplen cuts. */
    static byte[] capture(int frames, long seed) throws IOException {
        Random rnd = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(out, 1, true)) {
            long t = 1_700_000_000_000_000_000L;
            for (int i = 0; i < frames; i++) {
                t += rnd.nextInt(100) == 0 ? -5_000_000L : 20_000_000L; // now and then a frame older than the last
                if (i % 97 == 5) {
                    byte[] big = new byte[1500 + rnd.nextInt(6000)];
                    rnd.nextBytes(big);
                    for (byte[] f : fragments(i, big, 1480)) w.write(t, f);
                    continue;
                }
                byte[] payload = new byte[12 + rnd.nextInt(300)];
                rnd.nextBytes(payload);
                byte[] f = Frames.udp("192.168.1.10", 40000 + i % 50, "198.51.100.7", 7000, 1 + i, 64, payload);
                if (i % 211 == 3) w.write(t, f, 0, 40, f.length); // cut by the snaplen
                else w.write(t, f);
            }
        }
        return out.toByteArray();
    }

    /** What a stream gave: one line per frame, the anomalies, the error. */
    record Read(List<String> frames, String anomalies, String error) {
    }

    private static String describe(DecodedFrame d) {
        Packet p = d.packet;
        String payload = p.payloadLength > 0 && d.disposition == Disposition.DECODED
                ? HexFormat.of().formatHex(Arrays.copyOfRange(p.data, p.payloadOffset, p.payloadOffset + p.payloadLength))
                : "";
        return d.frame.frameNumber + " " + d.frame.timestampNanos + " " + d.orderNanos + " " + d.frame.capturedLength
                + "/" + d.frame.originalLength + " " + d.disposition + " " + p.layers + " "
                + (p.isIp() ? p.tuple() : "") + " " + p.ipId + " " + d.key + " " + d.keyKind + " " + payload;
    }

    static Read read(byte[] file, boolean ahead) throws IOException {
        AnomalyCounts decodeAnomalies = new AnomalyCounts();
        FrameDecoder decoder = new FrameDecoder(decodeAnomalies);
        CaptureReader reader = CaptureReader.open("case.pcap", new ByteArrayInputStream(file));
        List<String> frames = new ArrayList<>();
        String error = null;
        try (DecodedStream s = ahead ? new DecodeAheadStream(reader, CLOCK, decoder, null)
                : new InlineDecodedStream(reader, CLOCK, decoder, null)) {
            while (s.next()) frames.add(describe(s.current()));
        } catch (IOException e) {
            error = e.getMessage();
        }
        decoder.finish();
        decodeAnomalies.addAll(reader.anomalies());
        StringBuilder a = new StringBuilder();
        decodeAnomalies.asMap().forEach((id, n) -> a.append(id).append('=').append(n).append('@')
                .append(decodeAnomalies.firstFrame(id)).append(' '));
        return new Read(frames, a.toString(), error);
    }

    static long decodingThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("natrecon-decode ") && t.isAlive()).count();
    }

    @Test
    void givesTheSameFramesPacketsAnomaliesAndErrorsAsInline() throws IOException {
        long before = decodingThreads();
        byte[] plain = capture(9000, 3);
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(zipped)) {
            z.write(plain);
        }
        byte[] gz = zipped.toByteArray();
        List<byte[]> inputs = List.of(plain, gz, Arrays.copyOf(plain, plain.length - 77),
                Arrays.copyOf(gz, gz.length * 2 / 3));
        for (byte[] file : inputs) {
            Read inline = read(file, false);
            Read ahead = read(file, true);
            assertTrue(inline.frames.size() > 2 * DecodeAheadStream.BATCH_FRAMES, "spans several batches: "
                    + inline.frames.size());
            assertEquals(inline.frames, ahead.frames);
            assertEquals(inline.anomalies, ahead.anomalies);
            assertEquals(inline.error, ahead.error);
        }
        Read whole = read(plain, true);
        assertTrue(whole.frames.stream().anyMatch(f -> f.contains(" DECODED " + (Packet.L_ETHERNET | Packet.L_IPV4
                | Packet.L_UDP | Packet.L_REASSEMBLED) + " ")), "reassembled datagrams decoded from the batch");
        assertTrue(whole.anomalies.contains("time"), "the clock stepping back is counted: " + whole.anomalies);
        Read cut = read(Arrays.copyOf(gz, gz.length * 2 / 3), true);
        assertNotNull(cut.error);
        assertTrue(cut.error.startsWith("case.pcap: gzip stream ends early"), cut.error);
        assertEquals(before, decodingThreads(), "no decoding thread outlives its stream");
    }

    /**
     * What the merge gets from a stream read by runs, with the replay's media tap: every frame's record, and the whole
     * frame (described) of the frames the replay reads beyond their record ({@code reads}: their indexes, found by the
     * inline stream, whose one slot always holds the current frame; null: find them).
     */
    private static List<String> runs(byte[] file, boolean ahead, boolean[] helperPort, List<Integer> reads)
            throws IOException {
        FrameDecoder decoder = new FrameDecoder(new AnomalyCounts());
        MediaTap tap = new MediaTap(new dev.natrecon.media.MediaStreams(1), dev.natrecon.correlate.Side.LAN,
                java.util.Map.of(), null, helperPort, false);
        decoder.media = tap;
        CaptureReader reader = CaptureReader.open("case.pcap", new ByteArrayInputStream(file));
        List<String> out = new ArrayList<>();
        int index = 0;
        try (DecodedStream s = ahead ? new DecodeAheadStream(reader, CLOCK, decoder, null)
                : new InlineDecodedStream(reader, CLOCK, decoder, null)) {
            for (int n; (n = s.nextRun()) > 0; ) {
                DecodedFrame[] frames = s.runFrames();
                long[] r = s.runRecords();
                for (int k = 0; k < n; k++, index++) {
                    long[] rec = Arrays.copyOfRange(r, k * FrameRecord.STRIDE, (k + 1) * FrameRecord.STRIDE);
                    if (ahead) {
                        // marked record-only exactly when the replay reads nothing more (its slot holds another frame)
                        boolean only = (FrameRecord.flags(rec, 0) & FrameRecord.RECORD_ONLY) != 0;
                        assertEquals(!reads.contains(index), only, "frame " + index + " marked record-only");
                        rec[FrameRecord.KINDS] &= ~((long) FrameRecord.RECORD_ONLY << 16);
                    }
                    out.add(Arrays.toString(rec));
                    if (ahead ? reads.contains(index) : tap.replayReads(frames[k])) {
                        if (!ahead) reads.add(index);
                        out.add(describe(frames[k]));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void framesTheReplayReadsAreHandedOverWholeTheOthersAsTheirRecords() throws IOException {
        byte[] plain = capture(9000, 5);
        boolean[] helperPort = new boolean[65536];
        helperPort[5060] = true;  // the reassembled datagrams (decoded from the batch's buffer)
        helperPort[40007] = true; // every 50th plain frame (its bytes copied into the batch)
        List<Integer> reads = new ArrayList<>();
        List<String> inline = runs(plain, false, helperPort, reads);
        List<String> ahead = runs(plain, true, helperPort, reads);
        assertEquals(inline, ahead);
        assertTrue(reads.size() > 100 && reads.size() < 1000, "some frames read whole: " + reads.size());
        assertTrue(inline.stream().anyMatch(f -> f.contains(" DECODED " + (Packet.L_ETHERNET | Packet.L_IPV4
                | Packet.L_UDP | Packet.L_REASSEMBLED) + " ")), "a reassembled datagram among them");
    }

    /** A source that counts the bytes taken from it. */
    static final class Counting extends InputStream {
        final InputStream in;
        final AtomicLong taken = new AtomicLong();

        Counting(byte[] data) {
            in = new ByteArrayInputStream(data);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) taken.incrementAndGet();
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, Math.min(len, 4096));
            if (n > 0) taken.addAndGet(n);
            return n;
        }
    }

    @Test
    void staysBoundedAheadAndAnAbandonedStreamLeavesNoThread() throws Exception {
        long before = decodingThreads();
        byte[] plain = capture(60_000, 4);
        Counting src = new Counting(plain);
        CaptureReader reader = CaptureReader.open("big.pcap", src);
        DecodeAheadStream s = new DecodeAheadStream(reader, ClockCorrection.NONE, new FrameDecoder(new AnomalyCounts()), null);
        assertFalse(s.threadAlive(), "no thread before the first frame is asked for");
        assertTrue(s.next());
        long last = -1;
        for (int i = 0; i < 200 && src.taken.get() != last; i++) { // until the thread blocks on full batches
            last = src.taken.get();
            Thread.sleep(20);
        }
        // the reader's own window (1 MiB) plus the batches' frames (at most ~360 bytes each here)
        long bound = (1 << 20) + (64 << 10) + (long) DecodeAheadStream.BATCHES * DecodeAheadStream.BATCH_FRAMES * 400;
        assertTrue(src.taken.get() <= bound, "read ahead " + src.taken.get() + " of " + plain.length + " bytes");
        assertTrue(plain.length > 3 * bound, "the capture is far longer than the bound");
        assertTrue(s.threadAlive());
        s.close();
        assertFalse(s.threadAlive(), "close() ended the thread");
        assertEquals(before, decodingThreads());
        // never started: closing only closes the reader
        DecodeAheadStream unused = new DecodeAheadStream(CaptureReader.open("x.pcap", new ByteArrayInputStream(plain)),
                ClockCorrection.NONE, new FrameDecoder(new AnomalyCounts()), null);
        unused.close();
        assertFalse(unused.threadAlive());
    }
}
