package dev.natrecon.alg.sip;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.RawFrame;
import dev.natrecon.correlate.Binding;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.Packet;
import dev.natrecon.decode.PacketDecoder;
import dev.natrecon.engine.Analysis;
import dev.natrecon.engine.AnalysisInputs;
import dev.natrecon.engine.RunResult;
import dev.natrecon.reassembly.Defragmenter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-side capture reading for the rewrite analysis without the replay (analyze pairs the copies with its matcher and
 * attaches the model's predictions; see SipAlgAnalyzeTest): CaptureReader, PacketDecoder and Defragmenter, every
 * decoded packet into a {@link SipMessageCollector}, copies paired by {@link SipPairing}. Bindings come from the
 * engine's own matcher ({@link Analysis#run}), as analyze has them.
 */
final class CaptureSip {
    private CaptureSip() {
    }

    /** The SIP messages of one capture, times shifted by {@code offsetNanos} (the capture point's clock correction). */
    static List<SipObservation> read(Path pcap, CapturePoint point, long offsetNanos) throws IOException {
        SipMessageCollector collector = new SipMessageCollector(point);
        PacketDecoder decoder = new PacketDecoder();
        Defragmenter defrag = new Defragmenter();
        Packet p = new Packet();
        AnomalyCounts anomalies = new AnomalyCounts();
        RawFrame f = new RawFrame();
        try (CaptureReader r = CaptureReader.open(pcap)) {
            while (r.next(f)) {
                Disposition d = decoder.decode(f, p, anomalies);
                if (d == Disposition.FRAGMENT && defrag.offer(p, f.timestampNanos, f.frameNumber, anomalies)) {
                    d = decoder.decodeDatagram(defrag.datagram(), 0, defrag.datagramLength(), p, anomalies, f.frameNumber);
                }
                if (d == Disposition.DECODED) collector.offer(p, f.timestampNanos + offsetNanos, f.frameNumber);
            }
        }
        return collector.finish();
    }

    static SipPairing.Result pairs(Path dir) throws IOException {
        return pairs(dir.resolve("lan.pcap"), dir.resolve("wan.pcap"), 0);
    }

    static SipPairing.Result pairs(Path lan, Path wan, long wanOffsetNanos) throws IOException {
        return SipPairing.pair(read(lan, CapturePoint.LAN, 0), read(wan, CapturePoint.WAN, -wanOffsetNanos));
    }

    /** The bindings the engine's matcher learnt from the two captures. */
    static BindingLookup bindings(Path lan, Path wan) throws IOException {
        RunResult r = Analysis.run(AnalysisInputs.pair(lan, wan), List.of());
        List<NatBinding> out = new ArrayList<>();
        for (Binding b : r.bindings()) out.add(new NatBinding(Endpoint.parse(b.internal()), Endpoint.parse(b.external())));
        return BindingLookup.of(out);
    }

    /** The case verdict of a folder with lan.pcap and wan.pcap, bindings from the captures, context from the pairs. */
    static CaseVerdict classify(Path dir) throws IOException {
        Path lan = dir.resolve("lan.pcap"), wan = dir.resolve("wan.pcap");
        List<SipMessagePair> pairs = SipPairing.pair(read(lan, CapturePoint.LAN, 0), read(wan, CapturePoint.WAN, 0)).pairs();
        return classifyCase(new SipRewriteClassifier(context(pairs, bindings(lan, wan))), pairs);
    }

    /** Classifies every pair with {@code c}, in the order given, and the case they make (kept message verdicts). */
    static CaseVerdict classifyCase(SipRewriteClassifier c, java.util.Collection<SipMessagePair> pairs) {
        List<MessageVerdict> verdicts = new ArrayList<>(pairs.size());
        for (SipMessagePair p : pairs) verdicts.add(c.classify(p));
        return aggregate(verdicts);
    }

    /** The case verdict of message verdicts whose ports were judged at once ({@link CaseTally}'s case rules). */
    static CaseVerdict aggregate(List<MessageVerdict> messages) {
        CaseTally tally = new CaseTally();
        for (MessageVerdict v : messages) {
            tally.addMessage(v);
            tally.countClass(v.pair().direction(), v.algClass());
        }
        return tally.verdict(messages);
    }

    /**
     * A context derived from the pairs themselves ({@link AlgContext#including} each): the internal hosts of translated
     * pairs are the phones, their external hosts the router's addresses.
     */
    static AlgContext context(java.util.Collection<SipMessagePair> pairs, BindingLookup bindings) {
        AlgContext c = new AlgContext(java.util.Set.of(), java.util.Set.of(), bindings);
        for (SipMessagePair p : pairs) c = c.including(p);
        return c;
    }
}
