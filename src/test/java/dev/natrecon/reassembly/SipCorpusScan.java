package dev.natrecon.reassembly;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.RawFrame;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.Packet;
import dev.natrecon.decode.PacketDecoder;
import dev.natrecon.decode.sdp.SdpBody;
import dev.natrecon.decode.sdp.SdpIssue;
import dev.natrecon.decode.sip.SipDatagram;
import dev.natrecon.decode.sip.SipFraming;
import dev.natrecon.decode.sip.SipIssue;
import dev.natrecon.decode.sip.SipMessage;
import dev.natrecon.decode.sip.SipParse;
import dev.natrecon.decode.sip.SipParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the SIP parsing layer over one capture the way the engine would: CaptureReader, PacketDecoder, Defragmenter,
 * then every UDP payload to or from port 5060 through {@link SipParser#parseDatagram} and every TCP/5060 direction
 * through a {@link SipStreamFramer} (a new framer at each SYN); UDP payloads and TCP streams on other ports when they
 * start with a SIP start line (counted apart, as "udp-other-port"); SDP of every message through
 * {@link SdpBody#fromSip}. Counts what it saw.
 */
final class SipCorpusScan {
    final Path file;
    long udpPayloads;
    long tcpSegments;
    /** Item kinds ("udp.MESSAGE", "tcp.KEEPALIVE", "udp.NOT_SIP.TEXT"…). */
    final Map<String, Long> items = new TreeMap<>();
    /** Anomaly ids: rejections, message issues, datagram issues, SDP issues, stream anomalies. */
    final Map<String, Long> anomalies = new TreeMap<>();
    long sdpBodies;
    long reassembledMessages;
    long sdpMedia;
    /** Details of every parser disagreement (should stay empty). */
    final List<String> disagreements = new ArrayList<>();
    final List<SipMessage> messages = new ArrayList<>();
    /** Frames of TCP messages that spanned more than one segment, and of segments that carried several messages. */
    final List<List<Long>> multiSegmentMessages = new ArrayList<>();
    final Map<Long, Integer> messagesPerTcpFrame = new TreeMap<>();

    SipCorpusScan(Path file) {
        this.file = file;
    }

    static SipCorpusScan scan(Path file) throws IOException {
        SipCorpusScan s = new SipCorpusScan(file);
        s.run();
        return s;
    }

    private void run() throws IOException {
        PacketDecoder decoder = new PacketDecoder();
        Defragmenter defrag = new Defragmenter();
        Packet p = new Packet();
        AnomalyCounts decodeAnomalies = new AnomalyCounts();
        AnomalyCounts streamAnomalies = new AnomalyCounts();
        Map<String, SipStreamFramer> framers = new HashMap<>();
        RawFrame f = new RawFrame();
        try (CaptureReader r = CaptureReader.open(file)) {
            while (r.next(f)) {
                Disposition d = decoder.decode(f, p, decodeAnomalies);
                if (d == Disposition.FRAGMENT && defrag.offer(p, f.timestampNanos, f.frameNumber, decodeAnomalies)) {
                    d = decoder.decodeDatagram(defrag.datagram(), 0, defrag.datagramLength(), p, decodeAnomalies, f.frameNumber);
                }
                if (d != Disposition.DECODED) continue;
                boolean port5060 = p.srcPort == 5060 || p.dstPort == 5060;
                boolean startLine = p.payloadLength > 0 && SipFraming.isStartLine(p.data, p.payloadOffset,
                        SipFraming.lineEnd(p.data, p.payloadOffset, p.payloadOffset + p.payloadLength));
                boolean reassembled = (p.layers & Packet.L_REASSEMBLED) != 0;
                if ((p.layers & Packet.L_UDP) != 0 && p.protocol == 17 && p.payloadLength > 0 && (port5060 || startLine)) {
                    String transport = port5060 ? "udp" : "udp-other-port";
                    if (port5060) udpPayloads++;
                    SipDatagram dg = SipParser.parseDatagram(p.data, p.payloadOffset, p.payloadLength);
                    for (SipIssue i : dg.issues()) count(anomalies, i.anomaly().id());
                    for (SipParse item : dg.items()) {
                        take(transport, item);
                        if (reassembled && item.kind() == SipParse.Kind.MESSAGE) reassembledMessages++;
                    }
                } else if (p.protocol == 6) {
                    String key = p.src() + ":" + p.srcPort + ">" + p.dst() + ":" + p.dstPort;
                    if ((p.tcpFlags & 0x02) != 0) {
                        // A new connection on the same four-tuple: the old direction's stream has ended.
                        SipStreamFramer old = framers.remove(key);
                        if (old != null) for (SipStreamItem it : old.finish(streamAnomalies)) tcpItem(it);
                    }
                    if (p.payloadLength <= 0 || !(port5060 || startLine || framers.containsKey(key))) continue;
                    tcpSegments++;
                    SipStreamFramer framer = framers.computeIfAbsent(key, k -> new SipStreamFramer());
                    for (SipStreamItem it : framer.offer(p.tcpSeq, p.data, p.payloadOffset, p.payloadLength, f.frameNumber,
                            streamAnomalies)) {
                        tcpItem(it);
                    }
                }
            }
        }
        for (SipStreamFramer framer : framers.values()) for (SipStreamItem it : framer.finish(streamAnomalies)) tcpItem(it);
        streamAnomalies.asMap().forEach((k, v) -> anomalies.merge(k, v, Long::sum));
    }

    private void tcpItem(SipStreamItem it) {
        if (it.kind() == SipStreamItem.Kind.MESSAGE) {
            if (it.frames().size() > 1) multiSegmentMessages.add(it.frames());
            messagesPerTcpFrame.merge(it.frames().get(it.frames().size() - 1), 1, Integer::sum);
        }
        take("tcp", it.parse());
    }

    private void take(String transport, SipParse item) {
        String kind = transport + "." + item.kind();
        if (item instanceof SipParse.NotSip n) kind += "." + n.type();
        if (item instanceof SipParse.Keepalive k) kind += "." + k.type();
        count(items, kind);
        if (item instanceof SipParse.Rejected rj) {
            count(anomalies, rj.anomaly().id() + " (rejected)");
            for (SipIssue i : rj.issues()) if (i.anomaly().id().equals("sip.parser_disagreement")) disagreements.add(file + ": " + i);
        }
        SipMessage m = item.messageOrNull();
        if (m == null) return;
        messages.add(m);
        for (SipIssue i : m.issues()) {
            count(anomalies, i.anomaly().id());
            if (i.anomaly().id().equals("sip.parser_disagreement")) disagreements.add(file + ": " + i + " in " + m);
        }
        SdpBody sdp = SdpBody.fromSip(m).orElse(null);
        if (sdp != null) {
            sdpBodies++;
            sdpMedia += sdp.media().size();
            for (SdpIssue i : sdp.issues()) {
                count(anomalies, i.anomaly().id());
                if (i.anomaly().id().equals("sdp.parser_disagreement")) disagreements.add(file + ": " + i + " in " + m);
            }
        }
    }

    long items(String kind) {
        return items.getOrDefault(kind, 0L);
    }

    long anomaly(String id) {
        return anomalies.getOrDefault(id, 0L);
    }

    private static void count(Map<String, Long> m, String k) {
        m.merge(k, 1L, Long::sum);
    }
}
