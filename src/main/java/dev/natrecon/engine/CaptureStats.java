package dev.natrecon.engine;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.capture.CaptureFormat;
import dev.natrecon.capture.CaptureInterface;
import dev.natrecon.capture.Compression;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.Packet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What one pass over one capture file found: the {@code inspect} view and the per-capture part of a summary. */
public final class CaptureStats {
    public final String path;
    public CaptureFormat format;
    public Compression compression;
    public List<CaptureInterface> interfaces = List.of();
    public long frames;
    public long capturedBytes;
    public final long[] dispositions = new long[Disposition.values().length];
    public final AnomalyCounts anomalies = new AnomalyCounts();
    /** The reader's notice when the decompression bound cut the file, else null. */
    public String decompressionNotice;
    /** The frame at which the reader stopped because the file is damaged there, or 0 when it was read to its end. */
    public long damagedAtFrame;
    public long firstNanos = Long.MAX_VALUE;
    public long lastNanos = Long.MIN_VALUE;
    /** Packets per layer bit of {@link Packet#layers}. */
    public final long[] layers = new long[Packet.LAYER_NAMES.length];
    public final Map<String, Long> linkTypes = new TreeMap<>();
    /** Skipped non-IP frames by EtherType / PPP protocol, as hex. */
    public final Map<String, Long> notIpTypes = new TreeMap<>();
    public final Map<String, Long> linkEvents = new TreeMap<>();
    public final Map<String, Long> matchKeyKinds = new TreeMap<>();
    /** UDP and TCP packets by service port: what the capture holds when it holds no SIP or RTP. */
    public final ServicePorts ports = new ServicePorts();

    public CaptureStats(String path) {
        this.path = path;
    }

    public long disposition(Disposition d) {
        return dispositions[d.ordinal()];
    }

    public double durationSeconds() {
        return frames == 0 ? 0 : (lastNanos - firstNanos) / 1e9;
    }

    /** Adds the current run of frames with the same layers to {@link #layers}; call before reading them. */
    void countLayers() {
        int l = runLayers;
        while (l != 0) {
            int bit = Integer.numberOfTrailingZeros(l);
            layers[bit] += runFrames;
            l &= l - 1;
        }
        runFrames = 0;
    }

    /** Protocols seen, by name, for people. */
    public Map<String, Long> protocols() {
        Map<String, Long> m = new TreeMap<>();
        for (int i = 0; i < layers.length; i++) if (layers[i] > 0) m.put(Packet.LAYER_NAMES[i], layers[i]);
        return m;
    }

    /** Consecutive frames with the same layers (most of a capture is one kind of packet): counted into {@link #layers} on change. */
    private int runLayers;
    private long runFrames;

    void count(Packet p, Disposition d, long nanos, int capturedLength) {
        frames++;
        capturedBytes += capturedLength;
        dispositions[d.ordinal()]++;
        if (nanos < firstNanos) firstNanos = nanos;
        if (nanos > lastNanos) lastNanos = nanos;
        if (p.layers != runLayers) {
            countLayers();
            runLayers = p.layers;
        }
        runFrames++;
        if (d == Disposition.NOT_IP) notIpTypes.merge(String.format("0x%04x", p.etherType & 0xffff), 1L, Long::sum);
        if (p.linkEvent != dev.natrecon.decode.LinkEvent.NONE) {
            linkEvents.merge(p.linkEvent.name().toLowerCase(java.util.Locale.ROOT), 1L, Long::sum);
        }
    }

    /** The resource bounds this capture reached, one notice each, naming the file. */
    public java.util.List<LimitNotice> limitNotices() {
        java.util.List<LimitNotice> out = new java.util.ArrayList<>();
        for (java.util.Map.Entry<String, Long> e : anomalies.asMap().entrySet()) {
            dev.natrecon.capture.Anomaly kind = anomalies.kind(e.getKey());
            if (kind == null || !kind.bound()) continue;
            String text = kind == dev.natrecon.capture.Bound.DECOMPRESSION_LIMIT && decompressionNotice != null
                    ? decompressionNotice
                    : path + ": " + e.getKey() + " (" + e.getValue() + "x, first in frame " + anomalies.firstFrame(e.getKey())
                            + "): " + kind.description();
            out.add(new LimitNotice(e.getKey(), path, e.getValue(), text));
        }
        return out;
    }
}
