package dev.natrecon.bench;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.RawFrame;
import dev.natrecon.correlate.MatchKeys;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.Packet;
import dev.natrecon.decode.PacketDecoder;
import dev.natrecon.engine.Analysis;
import dev.natrecon.engine.AnalysisInputs;
import dev.natrecon.engine.CaptureStats;
import dev.natrecon.engine.RunResult;
import dev.natrecon.report.CaseOutputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Times one pass of a phase over a capture pair, single-threaded on the calling thread, with a {@link HeapMonitor}
 * around it. Packets are always the frames of both files together; bytes are the two files' sizes (an analyze run
 * reads the first frames of each again for its clock sample).
 */
public final class Throughput {
    private Throughput() {
    }

    /** What is timed. */
    public enum Phase {
        /** CaptureReader only: the floor for everything else. */
        READ("read", "read only"),
        /** CaptureReader + PacketDecoder over both files. */
        READ_DECODE("read+decode", "read+decode"),
        /** Read + decode + the NAT-invariant match key of each packet (diagnostic). */
        READ_DECODE_KEY("read+decode+key", "read+decode+match key"),
        /**
         * Read + decode + the RTP/RTCP stream statistics ({@link dev.natrecon.media.MediaStreams}) of each file as its
         * side: against {@link #READ_DECODE}, the cost of the media analysis per RTP packet.
         */
        READ_DECODE_MEDIA("read+decode+media", "read+decode+RTP streams"),
        /** {@link Analysis#survey} of both files whole: what {@code inspect} does (diagnostic). */
        SURVEY("survey", "survey x2 (inspect)"),
        /** {@link Analysis#run} with no sinks. */
        ANALYZE("analyze", "analyze, no sinks"),
        /** {@link Analysis#run} with {@link CaseOutputs} writing summary.json, packets.csv and mappings.csv. */
        ANALYZE_CSV("analyze+csv", "analyze + CSV outputs");

        private final String id;
        private final String title;

        Phase(String id, String title) {
            this.id = id;
            this.title = title;
        }

        public String id() {
            return id;
        }

        public String title() {
            return title;
        }

        public static Phase byId(String id) {
            for (Phase p : values()) if (p.id.equals(id)) return p;
            throw new IllegalArgumentException("no phase '" + id + "'");
        }
    }

    /**
     * One timed pass.
     *
     * @param frames frames across both files
     * @param bytes  the two files' sizes
     * @param nanos  wall time of the pass
     * @param check  a short sanity line (decoded count, match rate) so a fast wrong run is visible
     */
    public record Measurement(Phase phase, long frames, long bytes, long nanos, HeapMonitor.Usage heap, String check) {
        public double packetsPerSecond() {
            return frames / (nanos / 1e9);
        }

        public double megabytesPerSecond() {
            return bytes / 1e6 / (nanos / 1e9);
        }
    }

    /**
     * Runs {@code phase} once over the pair.
     *
     * @param scratch  folder for the CSV phase's outputs (deleted again after the pass)
     * @param forceGc  measure the live set (perturbs timing; see {@link HeapMonitor})
     */
    public static Measurement measure(Phase phase, Path lan, Path wan, Path scratch, boolean forceGc) throws IOException {
        long bytes = Files.size(lan) + Files.size(wan);
        HeapMonitor monitor = HeapMonitor.start(forceGc ? 250 : 5, forceGc);
        long frames;
        String check;
        long t0 = System.nanoTime();
        long elapsed;
        Path out = null;
        HeapMonitor.Usage heap;
        try {
            switch (phase) {
                case READ -> {
                    long[] r = new long[2];
                    read(lan, r);
                    read(wan, r);
                    frames = r[0];
                    check = String.format(Locale.ROOT, "%d frames, %d captured bytes", r[0], r[1]);
                }
                case READ_DECODE, READ_DECODE_KEY -> {
                    long[] r = new long[3];
                    boolean keys = phase == Phase.READ_DECODE_KEY;
                    decode(lan, keys, r);
                    decode(wan, keys, r);
                    frames = r[0];
                    check = String.format(Locale.ROOT, "decoded %d of %d%s", r[1], r[0],
                            keys ? String.format(Locale.ROOT, ", keyed %d", r[2]) : "");
                }
                case READ_DECODE_MEDIA -> {
                    long[] r = new long[2];
                    dev.natrecon.media.MediaStreams media = new dev.natrecon.media.MediaStreams();
                    media(lan, Side.LAN, media, r);
                    media(wan, Side.WAN, media, r);
                    frames = r[0];
                    int streams = media.finish().size();
                    lastMediaPackets = media.rtpPackets();
                    check = String.format(Locale.ROOT, "decoded %d of %d, %d RTP packets in %d streams, %d RTCP", r[1],
                            r[0], media.rtpPackets(), streams, media.rtcpPackets());
                }
                case SURVEY -> {
                    CaptureStats l = Analysis.survey(lan);
                    CaptureStats w = Analysis.survey(wan);
                    frames = l.frames + w.frames;
                    check = String.format(Locale.ROOT, "decoded %d of %d", l.disposition(Disposition.DECODED)
                            + w.disposition(Disposition.DECODED), frames);
                }
                case ANALYZE, ANALYZE_CSV -> {
                    CaseOutputs sink = null;
                    if (phase == Phase.ANALYZE_CSV) {
                        Files.createDirectories(scratch);
                        out = Files.createTempDirectory(scratch, "case-");
                        sink = new CaseOutputs(out);
                    }
                    RunResult r = Analysis.run(AnalysisInputs.pair(lan, wan), sink == null ? List.of() : List.of(sink));
                    frames = 0;
                    for (CaptureStats s : r.captures()) frames += s.frames;
                    check = matchLine(r) + (out == null ? ""
                            : String.format(Locale.ROOT, "; packets.csv %.0f MB", Files.size(out.resolve("packets.csv")) / 1e6));
                }
                default -> throw new IllegalArgumentException(phase.name());
            }
            elapsed = System.nanoTime() - t0;
        } finally {
            heap = monitor.stop();
            if (out != null) deleteTree(out);
        }
        return new Measurement(phase, frames, bytes, elapsed, heap, check);
    }

    /** "matched LAN 100.00% (n/m), WAN 100.00% (n/m), offset +0.000001 s". */
    public static String matchLine(RunResult r) {
        return String.format(Locale.ROOT, "matched LAN %.2f%% (%d/%d), WAN %.2f%% (%d/%d), clock offset %+.6f s",
                percent(r.matched(Side.LAN), r.matchable(Side.LAN)), r.matched(Side.LAN), r.matchable(Side.LAN),
                percent(r.matched(Side.WAN), r.matchable(Side.WAN)), r.matched(Side.WAN), r.matchable(Side.WAN),
                r.clock().offsetSeconds());
    }

    private static double percent(long a, long b) {
        return b == 0 ? 0 : 100.0 * a / b;
    }

    private static long sink;

    private static void read(Path file, long[] r) throws IOException {
        long h = 0;
        try (CaptureReader reader = CaptureReader.open(file)) {
            RawFrame f = new RawFrame();
            while (reader.next(f)) {
                r[0]++;
                r[1] += f.capturedLength;
                h += f.timestampNanos ^ f.data[f.offset + f.capturedLength - 1];
            }
        }
        sink += h;
    }

    /** RTP packets the last {@link Phase#READ_DECODE_MEDIA} pass put into streams (for the cost per RTP packet). */
    private static long lastMediaPackets;

    public static long lastMediaPackets() {
        return lastMediaPackets;
    }

    /** Decodes {@code file} and feeds every frame to {@code media} as {@code side}, SIP payloads (port 5060) kept. */
    private static void media(Path file, Side side, dev.natrecon.media.MediaStreams media, long[] r) throws IOException {
        PacketDecoder decoder = new PacketDecoder();
        Packet p = new Packet();
        AnomalyCounts anomalies = new AnomalyCounts();
        dev.natrecon.correlate.Seen s = new dev.natrecon.correlate.Seen();
        s.side = side;
        try (CaptureReader reader = CaptureReader.open(file)) {
            RawFrame f = new RawFrame();
            while (reader.next(f)) {
                r[0]++;
                if (decoder.decode(f, p, anomalies) != Disposition.DECODED) continue;
                r[1]++;
                s.frame = f.frameNumber;
                s.nanos = s.captureNanos = f.timestampNanos;
                s.payload = p.hasPorts() && (p.srcPort == 5060 || p.dstPort == 5060) && p.payloadLength > 0
                        ? java.util.Arrays.copyOfRange(p.data, p.payloadOffset, p.payloadOffset + p.payloadLength) : null;
                media.frame(s, p);
            }
        }
    }

    private static void decode(Path file, boolean withKeys, long[] r) throws IOException {
        long h = 0;
        PacketDecoder decoder = new PacketDecoder();
        Packet p = new Packet();
        AnomalyCounts anomalies = new AnomalyCounts();
        MatchKeys keys = new MatchKeys();
        try (CaptureReader reader = CaptureReader.open(file)) {
            RawFrame f = new RawFrame();
            while (reader.next(f)) {
                r[0]++;
                if (decoder.decode(f, p, anomalies) == Disposition.DECODED) {
                    r[1]++;
                    h += p.srcPort + p.dstLo;
                    if (withKeys) {
                        long k = keys.key(p);
                        if (k != 0) r[2]++;
                        h ^= k;
                    }
                }
            }
        }
        sink += h;
    }

    /** Deletes a folder and everything under it (best effort). */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
