package dev.natrecon.engine;

import dev.natrecon.capture.CaptureInterface;
import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.ClockCorrection;
import dev.natrecon.capture.MergedFrameSource;
import dev.natrecon.capture.RawFrame;
import dev.natrecon.correlate.BindingTable;
import dev.natrecon.correlate.ClockEstimate;
import dev.natrecon.correlate.ClockOffsetEstimator;
import dev.natrecon.correlate.KeySampler;
import dev.natrecon.correlate.MatchKeys;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.PacketMatcher;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.Packet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs one case: survey every capture (pass 1), decide interface roles and the clock offset, then replay the merged
 * stream through decode, reassembly and the matcher (pass 2), feeding the sinks.
 *
 * <p>Two passes cost a second read of the files but keep memory independent of their length: pass 1 keeps only counts
 * and a bounded key sample, pass 2 only the packets inside the match window.
 */
public final class Analysis {
    /** Match keys sampled per capture point for the clock estimate. */
    static final int SAMPLE_CAPACITY = 16_384;

    private Analysis() {
    }

    /**
     * Time of the first frame of the reference capture (the LAN capture, or the router capture): the origin of
     * relative times such as {@code snapshot --at +12.5}; 0 for an empty capture.
     */
    public static long firstFrameNanos(AnalysisInputs in) throws IOException {
        try (CaptureReader r = CaptureReader.open(in.routerCapture() ? in.router() : in.lan())) {
            RawFrame f = new RawFrame();
            return r.next(f) ? f.timestampNanos : 0;
        }
    }

    /** One pass over one capture: what {@code inspect} prints. */
    public static CaptureStats survey(Path file) throws IOException {
        return survey(file, null).stats;
    }

    /** Per-interface evidence gathered in a router capture's survey. */
    static final class InterfaceEvidence {
        final int key;
        String name;
        long frames;
        /** Packets from a private source to a public destination, or the reverse: the LAN face. */
        long privatePublic;
        /** Packets between two public addresses: the WAN face. */
        long publicPublic;
        final KeySampler sampler = new KeySampler(SAMPLE_CAPACITY);

        InterfaceEvidence(int key) {
            this.key = key;
        }
    }

    private record Survey(CaptureStats stats, Map<Integer, InterfaceEvidence> interfaces) {
    }

    /** Interface key of a frame: the SLL2 interface index when present, else the pcapng interface id. */
    static int interfaceKey(RawFrame f, Packet p) {
        return p.interfaceIndex >= 0 ? 1_000_000 + p.interfaceIndex : f.interfaceId;
    }

    static String interfaceName(int key, List<CaptureInterface> interfaces) {
        if (key >= 1_000_000) return "ifindex " + (key - 1_000_000);
        for (CaptureInterface ci : interfaces) if (ci.id() == key) return ci.displayName();
        return "if" + key;
    }

    private static Survey survey(Path file, Map<Integer, InterfaceEvidence> evidence) throws IOException {
        CaptureStats stats = new CaptureStats(file.toString());
        MatchKeys keys = new MatchKeys();
        try (CaptureReader reader = CaptureReader.open(file)) {
            stats.format = reader.format();
            stats.compression = reader.compression();
            FrameDecoder dec = new FrameDecoder(stats.anomalies);
            RawFrame f = new RawFrame();
            Packet p = dec.packet;
            dev.natrecon.capture.FileClock fileClock = new dev.natrecon.capture.FileClock();
            long[] keyKinds = new long[MatchKeys.Kind.values().length];
            int lastLinkType = Integer.MIN_VALUE;
            long[] linkTypeCount = null;
            Map<Integer, long[]> linkTypes = new TreeMap<>();
            int lastInterface = Integer.MIN_VALUE;
            InterfaceEvidence ev = null;
            while (reader.next(f)) {
                fileClock.order(f.timestampNanos, f.frameNumber, stats.anomalies);
                Disposition d = dec.decode(f, f.timestampNanos);
                stats.count(p, d, f.timestampNanos, f.capturedLength);
                // Per-frame work stays on primitives; the maps are filled once at the end.
                if (f.linkType != lastLinkType) {
                    lastLinkType = f.linkType;
                    linkTypeCount = linkTypes.computeIfAbsent(f.linkType, k -> new long[1]);
                }
                linkTypeCount[0]++;
                if (d == Disposition.DECODED) {
                    long key = keys.key(p);
                    if (key != 0) keyKinds[keys.lastKind().ordinal()]++;
                    if (evidence != null) {
                        int ik = interfaceKey(f, p);
                        if (ik != lastInterface || ev == null) {
                            lastInterface = ik;
                            ev = evidence.computeIfAbsent(ik, InterfaceEvidence::new);
                        }
                        ev.frames++;
                        boolean sp = Addresses.isPrivate(p.srcHi, p.srcLo), dp = Addresses.isPrivate(p.dstHi, p.dstLo);
                        boolean mc = Addresses.isMulticastOrBroadcast(p.dstHi, p.dstLo);
                        if (!mc && sp != dp) ev.privatePublic++;
                        if (!mc && !sp && !dp) ev.publicPublic++;
                        ev.sampler.add(key, f.timestampNanos, f.frameNumber, p);
                    }
                }
            }
            linkTypes.forEach((lt, c) -> stats.linkTypes.put(dev.natrecon.decode.LinkType.name(lt), c[0]));
            for (MatchKeys.Kind k : MatchKeys.Kind.values()) {
                if (keyKinds[k.ordinal()] > 0) stats.matchKeyKinds.put(k.name().toLowerCase(Locale.ROOT), keyKinds[k.ordinal()]);
            }
            dec.finish();
            stats.frames = reader.frames();
            stats.interfaces = List.copyOf(reader.interfaces());
            stats.anomalies.addAll(reader.anomalies());
            if (evidence != null) {
                for (InterfaceEvidence e : evidence.values()) e.name = interfaceName(e.key, stats.interfaces);
            }
        }
        return new Survey(stats, evidence);
    }

    /** Runs the whole analysis, feeding {@code sinks}. */
    public static RunResult run(AnalysisInputs in, List<AnalysisSink> sinks) throws IOException {
        List<String> decisions = new ArrayList<>();
        List<CaptureStats> captures = new ArrayList<>();
        List<String> roles = new ArrayList<>();
        ClockEstimate clock;
        long[] lanSpan, wanSpan;
        // Router mode: interface key → side.
        Map<Integer, Side> sideOf = new TreeMap<>();
        Map<Integer, String> labelOf = new TreeMap<>();
        List<MergedFrameSource.Input> inputs = new ArrayList<>();
        if (!in.routerCapture()) {
            Map<Integer, InterfaceEvidence> lanEv = new TreeMap<>(), wanEv = new TreeMap<>();
            Survey lan = survey(in.lan(), lanEv);
            Survey wan = survey(in.wan(), wanEv);
            captures.add(lan.stats);
            captures.add(wan.stats);
            roles.add("lan");
            roles.add("wan");
            KeySampler ls = merged(lanEv), ws = merged(wanEv);
            clock = clockFor(in, ls, ws, decisions);
            ClockCorrection wanClock = clock.correction();
            lanSpan = new long[] {lan.stats.firstNanos, lan.stats.lastNanos};
            wanSpan = new long[] {wanClock.apply(wan.stats.firstNanos), wanClock.apply(wan.stats.lastNanos)};
            inputs.add(new MergedFrameSource.Input(CaptureReader.open(in.lan()), ClockCorrection.NONE));
            try {
                inputs.add(new MergedFrameSource.Input(CaptureReader.open(in.wan()), wanClock));
            } catch (IOException e) {
                inputs.get(0).reader().close();
                throw e;
            }
        } else {
            Map<Integer, InterfaceEvidence> ev = new TreeMap<>();
            Survey router = survey(in.router(), ev);
            captures.add(router.stats);
            roles.add("router");
            InterfaceEvidence lanIf = pick(ev, in.lanInterface(), "LAN", in.router(), null);
            InterfaceEvidence wanIf = pick(ev, in.wanInterface(), "WAN", in.router(), lanIf);
            if (lanIf == null || wanIf == null || lanIf == wanIf) {
                boolean sllV1 = router.stats.linkTypes.containsKey(dev.natrecon.decode.LinkType.name(dev.natrecon.decode.LinkType.LINUX_SLL));
                throw new IllegalArgumentException(in.router() + ": cannot tell the LAN and WAN interfaces apart ("
                        + describe(ev) + "); " + (sllV1 && ev.size() < 2
                        ? "Linux cooked v1 (SLL) does not record the interface: capture with 'tcpdump -i any -y LINUX_SLL2', "
                                + "or one capture per interface and --lan/--wan"
                        : "give --lan-if and --wan-if"));
            }
            if (in.lanInterface() == null) {
                decisions.add(String.format(Locale.ROOT, "LAN interface: %s (automatic: %d of its packets go between private and public addresses)",
                        lanIf.name, lanIf.privatePublic));
            } else {
                decisions.add("LAN interface: " + lanIf.name + " (given)");
            }
            if (in.wanInterface() == null) {
                decisions.add(String.format(Locale.ROOT, "WAN interface: %s (automatic: %d of its packets go between public addresses)",
                        wanIf.name, wanIf.publicPublic));
            } else {
                decisions.add("WAN interface: " + wanIf.name + " (given)");
            }
            for (InterfaceEvidence e : ev.values()) {
                Side s = e == lanIf ? Side.LAN : e == wanIf ? Side.WAN : null;
                if (s != null) sideOf.put(e.key, s);
                labelOf.put(e.key, s != null ? s.label() : "other:" + e.name);
            }
            ClockEstimate est = ClockOffsetEstimator.estimate(lanIf.sampler, wanIf.sampler);
            clock = ClockEstimate.none("none: one capture, one clock").withExternalAddresses(est.externalAddresses());
            decisions.add("clock offset: none (both sides come from one capture)");
            lanSpan = wanSpan = new long[] {router.stats.firstNanos, router.stats.lastNanos};
            inputs.add(new MergedFrameSource.Input(CaptureReader.open(in.router()), ClockCorrection.NONE));
        }
        if (!clock.externalAddresses().isEmpty()) {
            decisions.add("router WAN address(es) seen in translations: " + String.join(", ", clock.externalAddresses()));
        }
        return replay(in, inputs, captures, roles, decisions, clock, lanSpan, wanSpan, sideOf, labelOf, sinks);
    }

    private static KeySampler merged(Map<Integer, InterfaceEvidence> ev) {
        // A two-file case samples per interface too; a file normally has one.
        KeySampler only = null;
        for (InterfaceEvidence e : ev.values()) {
            if (only == null || e.frames > 0 && e.sampler.samples().size() > only.samples().size()) only = e.sampler;
        }
        return only == null ? new KeySampler(1) : only;
    }

    private static ClockEstimate clockFor(AnalysisInputs in, KeySampler lan, KeySampler wan, List<String> decisions) {
        ClockEstimate est = ClockOffsetEstimator.estimate(lan, wan);
        if (in.wanOffsetSeconds() != null) {
            decisions.add(String.format(Locale.ROOT, "clock offset: WAN clock ahead of LAN by %+.6f s (given by --wan-offset; the packets suggest %+.6f s from %d pairs)",
                    in.wanOffsetSeconds(), est.offsetSeconds(), est.matches()));
            return ClockEstimate.given(in.wanOffsetSeconds()).withExternalAddresses(est.externalAddresses());
        }
        if (est.matches() == 0) {
            decisions.add("clock offset: 0 (no packet was seen on both sides, so nothing to estimate from)");
        } else {
            decisions.add(String.format(Locale.ROOT,
                    "clock offset: WAN clock ahead of LAN by %+.6f s, drift %+.3f ppm (estimated from %d matched pairs, %d outbound / %d inbound, %d outliers; residual spread %.6f s, max %.6f s; forwarding delay %.6f s)",
                    est.offsetSeconds(), est.driftPpm(), est.matches(), est.outbound(), est.inbound(), est.outliers(),
                    est.spreadSeconds(), est.maxResidualSeconds(), est.latencySeconds()));
        }
        return est;
    }

    private static InterfaceEvidence pick(Map<Integer, InterfaceEvidence> ev, String wanted, String role, Path file,
                                          InterfaceEvidence not) {
        if (wanted != null) {
            for (InterfaceEvidence e : ev.values()) {
                if (e.name.equals(wanted) || e.name.equals("ifindex " + wanted) || ("if" + e.key).equals(wanted)
                        || String.valueOf(e.key >= 1_000_000 ? e.key - 1_000_000 : e.key).equals(wanted)) {
                    return e;
                }
            }
            throw new IllegalArgumentException(file + ": no " + role + " interface named '" + wanted + "' (interfaces: "
                    + describe(ev) + ")");
        }
        InterfaceEvidence best = null;
        for (InterfaceEvidence e : ev.values()) {
            if (e == not) continue;
            long score = role.equals("LAN") ? e.privatePublic - e.publicPublic : e.publicPublic;
            long bestScore = best == null ? Long.MIN_VALUE
                    : role.equals("LAN") ? best.privatePublic - best.publicPublic : best.publicPublic;
            if (score > bestScore) best = e;
        }
        if (best != null && role.equals("LAN") && best.privatePublic == 0) return null;
        return best;
    }

    private static String describe(Map<Integer, InterfaceEvidence> ev) {
        List<String> parts = new ArrayList<>();
        for (InterfaceEvidence e : ev.values()) {
            parts.add(String.format(Locale.ROOT, "%s: %d IP packets, %d private<->public, %d public<->public", e.name,
                    e.frames, e.privatePublic, e.publicPublic));
        }
        return parts.isEmpty() ? "no IP packets" : String.join("; ", parts);
    }

    private static RunResult replay(AnalysisInputs in, List<MergedFrameSource.Input> inputs, List<CaptureStats> captures,
                                    List<String> roles, List<String> decisions, ClockEstimate clock, long[] lanSpan,
                                    long[] wanSpan, Map<Integer, Side> sideOf, Map<Integer, String> labelOf,
                                    List<AnalysisSink> sinks) throws IOException {
        long[][] outcomes = new long[2][Outcome.values().length];
        long[] matched = new long[2];
        BindingTable bindings = new BindingTable();
        IOException[] sinkError = new IOException[1];
        KernelCheck.Parsed kernel = in.kernelEvents() == null ? null : KernelCheck.read(in.kernelEvents());
        List<dev.natrecon.conntrack.ConntrackEvent> modelEvents = new ArrayList<>();
        ConntrackReplay model = new ConntrackReplay(in.model(), clock.externalAddresses(), lanSpan[0], decisions, e -> {
            if (kernel != null) modelEvents.add(e);
            for (AnalysisSink sink : sinks) {
                try {
                    sink.conntrack(e);
                } catch (IOException x) {
                    if (sinkError[0] == null) sinkError[0] = x;
                }
            }
        }, t -> {
            for (AnalysisSink sink : sinks) {
                try {
                    sink.tableSize(t);
                } catch (IOException x) {
                    if (sinkError[0] == null) sinkError[0] = x;
                }
            }
        });
        PacketMatcher matcher = new PacketMatcher(Math.round(in.matchWindowSeconds() * 1e9), lanSpan, wanSpan,
                new LinkedHashSet<>(clock.externalAddresses()), s -> {
                    // A frame of a router interface that faces neither side carries its own label and is not counted.
                    String label = s.captureLabel != null ? s.captureLabel : s.side.label();
                    if (s.captureLabel == null) {
                        outcomes[s.side.ordinal()][s.outcome.ordinal()]++;
                        if (s.counterpartFrame != 0) matched[s.side.ordinal()]++;
                        bindings.add(s);
                        model.offer(s);
                    }
                    for (AnalysisSink sink : sinks) {
                        try {
                            sink.packet(s, label);
                        } catch (IOException e) {
                            if (sinkError[0] == null) sinkError[0] = e;
                        }
                    }
                });
        long replayed = 0;
        long peak = 0;
        MatchKeys keys = new MatchKeys();
        List<FrameDecoder> decoders = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) decoders.add(new FrameDecoder(new dev.natrecon.capture.AnomalyCounts()));
        try (MergedFrameSource merged = new MergedFrameSource(inputs)) {
            while (merged.next()) {
                int idx = merged.inputIndex();
                RawFrame f = merged.frame();
                FrameDecoder dec = decoders.get(idx);
                long nanos = merged.correctedNanos();
                Disposition d = dec.decode(f, nanos);
                Packet p = dec.packet;
                Seen s = matcher.obtain();
                s.frame = f.frameNumber;
                s.captureNanos = f.timestampNanos;
                s.nanos = nanos;
                s.disposition = d;
                s.captureLabel = null;
                if (in.routerCapture()) {
                    int ik = interfaceKey(f, p);
                    Side side = sideOf.get(ik);
                    s.side = side == null ? Side.LAN : side;
                    if (side == null) {
                        s.captureLabel = labelOf.computeIfAbsent(ik, k -> "other:" + interfaceName(k, captures.get(0).interfaces));
                    }
                } else {
                    s.side = idx == 0 ? Side.LAN : Side.WAN;
                }
                if (d == Disposition.DECODED) {
                    // Frames of an interface facing neither side are listed but never matched (key 0).
                    PacketMatcher.fillTuple(s, p, s.captureLabel == null ? keys.key(p) : 0);
                }
                matcher.offer(s);
                replayed++;
                if ((replayed & 1023) == 0) peak = Math.max(peak, matcher.held());
                if (sinkError[0] != null) throw sinkError[0];
            }
            matcher.finish();
            model.finish();
            for (FrameDecoder dec : decoders) dec.finish();
        }
        if (sinkError[0] != null) throw sinkError[0];
        peak = Math.max(peak, matcher.held());
        ModelSummary modelSummary = model.summary();
        KernelCheck check = null;
        if (kernel != null) {
            long start = Math.min(lanSpan[0], wanSpan[0]), end = Math.max(lanSpan[1], wanSpan[1]);
            check = new KernelCheck(in.kernelEvents(), kernel.lines(), kernel.unreadable(), kernel.firstUnreadable(),
                    dev.natrecon.conntrack.KernelComparison.compare(kernel.entries(), modelEvents, model.predictExpiries(),
                            start, end, dev.natrecon.conntrack.KernelComparison.Options.DEFAULT));
        }
        RunResult result = new RunResult(in.caseName(), captures, roles, decisions, clock, outcomes, matched,
                matcher.matchedPairs(), bindings.bindings(), replayed, peak, in.matchWindowSeconds(), modelSummary,
                model.snapshots(), check);
        for (AnalysisSink sink : sinks) sink.finish(result);
        return result;
    }
}
