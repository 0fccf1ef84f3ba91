package dev.natrecon.alg.sip;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.capture.Anomaly;
import dev.natrecon.decode.Packet;
import dev.natrecon.decode.sip.SipDatagram;
import dev.natrecon.decode.sip.SipFraming;
import dev.natrecon.decode.sip.SipParse;
import dev.natrecon.decode.sip.SipParser;
import dev.natrecon.reassembly.SipStreamFramer;
import dev.natrecon.reassembly.SipStreamItem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test fixture (analyze takes the SIP payloads from the replay): gathers the SIP messages of one capture point from decoded packets, in capture order, for {@link SipPairing}: every
 * UDP payload to or from a SIP port (or starting with a SIP start line) split by {@link SipParser#parseDatagram}, and
 * every TCP direction to or from a SIP port through its own {@link SipStreamFramer} (a new one at each SYN). Messages
 * that parse and messages the parser rejected are kept (a mangled copy must still pair with its other copy);
 * keep-alives and non-SIP payloads are not. The caller decodes (and defragments) the packets and gives each one's
 * frame number and time on the common clock.
 */
final class SipMessageCollector {
    /**
     * This fixture's own stream bound (analyze keeps no TCP stream state: it frames each segment's whole messages,
     * {@link SipStreamFramer#wholeMessages}, so the bound belongs to this streaming collector only).
     */
    static final Anomaly TOO_MANY_STREAMS = new Anomaly() {
        @Override
        public String id() {
            return "reassembly.sip_stream.too_many_streams";
        }

        @Override
        public String description() {
            return "more TCP streams carried SIP at once than the collector's bound; the oldest stream was finished";
        }

        @Override
        public boolean bound() {
            return true;
        }
    };

    /** The ports the Linux SIP helper listens on by default. */
    public static final Set<Integer> DEFAULT_PORTS = Set.of(5060);
    /**
     * TCP directions framed at once. Each holds up to {@link SipStreamFramer#DEFAULT_MAX_BUFFER} (64 KiB), so 4096
     * streams bound the buffers at 256 MiB in the worst case and a few MiB in practice (a buffer grows only to the
     * message it holds); a registrar's capture with a few thousand TCP phones fits. Past it the stream opened longest
     * ago is finished (its partial message counted as incomplete) to make room ({@link #TOO_MANY_STREAMS}).
     */
    public static final int MAX_STREAMS = 4096;

    private final CapturePoint point;
    private final Set<Integer> ports;
    private final Map<String, SipStreamFramer> framers = new LinkedHashMap<>();
    private final Map<String, Endpoint[]> streamEnds = new LinkedHashMap<>();
    private final AnomalyCounts anomalies = new AnomalyCounts();
    private final List<SipObservation> out = new ArrayList<>();
    private long lastNanos;
    private final int maxStreams;

    public SipMessageCollector(CapturePoint point) {
        this(point, DEFAULT_PORTS);
    }

    public SipMessageCollector(CapturePoint point, Set<Integer> ports) {
        this(point, ports, MAX_STREAMS);
    }

    /** A collector framing at most {@code maxStreams} TCP directions at once (tests). */
    public SipMessageCollector(CapturePoint point, Set<Integer> ports, int maxStreams) {
        this.point = point;
        this.ports = Set.copyOf(ports);
        this.maxStreams = maxStreams;
    }

    /** Offers one decoded packet (its bytes are only read during the call). */
    public void offer(Packet p, long nanos, long frame) {
        lastNanos = nanos;
        if (!p.isIp() || !p.hasPorts()) return;
        boolean sipPort = ports.contains(p.srcPort) || ports.contains(p.dstPort);
        boolean startLine = p.payloadLength > 0 && SipFraming.isStartLine(p.data, p.payloadOffset,
                SipFraming.lineEnd(p.data, p.payloadOffset, p.payloadOffset + p.payloadLength));
        Endpoint src = Endpoint.of(p.srcHi, p.srcLo, p.srcPort), dst = Endpoint.of(p.dstHi, p.dstLo, p.dstPort);
        if ((p.layers & Packet.L_UDP) != 0 && p.protocol == 17) {
            if (p.payloadLength <= 0 || !(sipPort || startLine)) return;
            SipDatagram dg = SipParser.parseDatagram(p.data, p.payloadOffset, p.payloadLength);
            for (SipParse item : dg.items()) {
                if (item.kind() != SipParse.Kind.MESSAGE && item.kind() != SipParse.Kind.REJECTED) continue;
                byte[] bytes = Arrays.copyOfRange(p.data, p.payloadOffset + item.start(), p.payloadOffset + item.end());
                out.add(new SipObservation(point, List.of(frame), nanos, SipObservation.Transport.UDP, src, dst, bytes));
            }
        } else if (p.protocol == 6) {
            String key = src + ">" + dst;
            if ((p.tcpFlags & 0x02) != 0) {
                SipStreamFramer old = framers.remove(key);
                if (old != null) take(key, old.finish(anomalies), nanos);
            }
            if (p.payloadLength <= 0 || !(sipPort || startLine || framers.containsKey(key))) return;
            SipStreamFramer framer = framers.get(key);
            if (framer == null) {
                if (framers.size() >= maxStreams) evictOldest(frame, nanos);
                framer = new SipStreamFramer();
                framers.put(key, framer);
            }
            streamEnds.put(key, new Endpoint[] {src, dst});
            take(key, framer.offer(p.tcpSeq, p.data, p.payloadOffset, p.payloadLength, frame, anomalies), nanos);
        }
    }

    private void evictOldest(long frame, long nanos) {
        Map.Entry<String, SipStreamFramer> eldest = framers.entrySet().iterator().next();
        anomalies.add(TOO_MANY_STREAMS, frame);
        take(eldest.getKey(), eldest.getValue().finish(anomalies), nanos);
        framers.remove(eldest.getKey());
        streamEnds.remove(eldest.getKey());
    }

    private void take(String key, List<SipStreamItem> items, long nanos) {
        Endpoint[] ends = streamEnds.get(key);
        for (SipStreamItem it : items) {
            if (it.kind() != SipStreamItem.Kind.MESSAGE) continue;
            out.add(new SipObservation(point, it.frames(), nanos, SipObservation.Transport.TCP, ends[0], ends[1], it.bytes()));
        }
    }

    /** Ends every TCP stream and returns all messages gathered, in capture order. */
    public List<SipObservation> finish() {
        for (Map.Entry<String, SipStreamFramer> e : framers.entrySet()) take(e.getKey(), e.getValue().finish(anomalies), lastNanos);
        framers.clear();
        return List.copyOf(out);
    }

    /** Stream anomalies the framers counted (gaps, garbage, messages cut at the end). */
    public AnomalyCounts anomalies() {
        return anomalies;
    }
}
