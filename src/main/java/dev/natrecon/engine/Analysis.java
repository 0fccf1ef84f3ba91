package dev.natrecon.engine;

import dev.natrecon.capture.CaptureInterface;
import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.ClockCorrection;
import dev.natrecon.capture.KeptPrefix;
import dev.natrecon.capture.MergedFrameSource;
import dev.natrecon.capture.RawFrame;
import dev.natrecon.capture.Switches;
import dev.natrecon.correlate.ClockEstimate;
import dev.natrecon.correlate.ClockOffsetEstimator;
import dev.natrecon.correlate.Inside;
import dev.natrecon.correlate.KeySampler;
import dev.natrecon.correlate.MatchKeys;
import dev.natrecon.correlate.PacketMatcher;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.Packet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs one case: pass 1 decides what the replay needs up front (the clock offset, the SIP helper under
 * {@code --sip-helper auto}, and for a router capture the interface roles), then pass 2 replays the merged stream
 * through decode, reassembly, the matcher and the router model, feeding the sinks.
 *
 * <p>Pass 1 of a two-capture case reads only the first {@link #CLOCK_SAMPLE_FRAMES} frames of each capture for the
 * clock sample (the whole captures when those do not overlap); the statistics and each capture's end come from the
 * replay, so a long capture is decoded about once. A router capture is surveyed whole, since its interfaces' roles
 * are decided from all of it. Memory stays independent of the files' length either way: pass 1 keeps counts and a
 * bounded key sample, pass 2 only the packets inside the match window.
 */
public final class Analysis {
    /** Match keys sampled per capture point for the clock estimate. */
    static final int SAMPLE_CAPACITY = 16_384;
    /**
     * Frames of each capture that pass 1 reads for the clock sample of a two-capture case (about 27 s of 100 G.711
     * calls each way); a capture this short or shorter is sampled whole, so small cases are unaffected.
     */
    static final long CLOCK_SAMPLE_FRAMES = 1 << 18;
    /** Fewer matched pairs than this in the first frames (the captures barely overlap there): sample them whole. */
    static final int MIN_CLOCK_SAMPLE_PAIRS = 64;
    /**
     * Frames of each capture read, SIP only, for the helper decision when the clock sample held no SIP message seen on
     * both sides (about 3.5 minutes of 100 G.711 calls each way): a bound on the extra reading.
     */
    static final long HELPER_SCAN_FRAMES = 1 << 21;
    /**
     * Share of the heap ({@code Runtime.maxMemory()}) that the decompressed start of each compressed capture of a
     * two-capture case may take, kept from the survey for the replay so that it is not decompressed twice: a sixth
     * each, a third for the two, taken while the replay's own state is still small and released as the replay reads it
     * (the first {@link #CLOCK_SAMPLE_FRAMES} frames of 100 G.711 calls, about 60 MB, fit a 384 MB heap's share). A
     * start that does not fit is not kept, and the replay decompresses it again.
     */
    static final int KEPT_PREFIX_HEAP_SHARE = 6;
    /** System property: {@code off} keeps nothing from the survey, and the replay decompresses from the start. */
    static final String KEPT_PREFIX_PROPERTY = "natrecon.keptPrefix";

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
        return survey(file, null, Long.MAX_VALUE, Inside.privateRanges(), null, null, -1).stats;
    }

    /**
     * Forwarded packets whose received and sent copies a Linux cooked v1 capture holds, paired by content and told
     * apart by NAT ({@link CookedCopyPairing}), in its first {@code frameLimit} frames: more than zero means a router's
     * {@code tcpdump -i any} (analyze it as {@code --router}), zero a capture of one side. 0 for other link types.
     */
    public static long routerCopyPairs(Path file, long frameLimit) throws IOException {
        CookedCopyPairing pairing = new CookedCopyPairing(Inside.privateRanges());
        MatchKeys keys = new MatchKeys();
        try (CaptureReader reader = CaptureReader.open(file)) {
            FrameDecoder dec = new FrameDecoder(new dev.natrecon.capture.AnomalyCounts());
            RawFrame f = new RawFrame();
            for (long read = 0; read < frameLimit && reader.next(f); read++) {
                if (dec.decode(f, f.timestampNanos) == Disposition.DECODED && CookedSides.applies(dec.packet)) {
                    pairing.frame(dec.packet, keys.key(dec.packet), f.timestampNanos);
                }
            }
        }
        return pairing.sidedPairs();
    }

    /** Per-interface evidence gathered in a router capture's survey. */
    static final class InterfaceEvidence {
        final int key;
        String name;
        long frames;
        /** Packets from an inside source (--inside, else the private ranges) to an outside destination, or the reverse: the LAN face. */
        long privatePublic;
        /** Packets between two public addresses: the WAN face. */
        long publicPublic;
        /** Frames of a cooked capture (SLL/SLL2) from an Ethernet interface, and from the loopback interface. */
        long sllEther, sllLoopback;
        /** Packets to or from a loopback address. */
        long loopback;
        final KeySampler sampler = new KeySampler(SAMPLE_CAPACITY);
        /** Its SIP messages, for the helper decision ({@link SipHelperDecision}). */
        final SipHelperEvidence sip = new SipHelperEvidence();

        InterfaceEvidence(int key) {
            this.key = key;
        }
    }

    /** {@code kept}: what the survey decompressed, for the replay to resume ({@link KeptPrefix}), or null. */
    private record Survey(CaptureStats stats, Map<Integer, InterfaceEvidence> interfaces, boolean complete,
                          KeptPrefix kept) {
        /**
         * Closes the kept prefix (the file under it) when the replay will not take it; a failure to close a file
         * only read changes nothing, so it is not reported.
         */
        void dropKept() {
            if (kept == null) return;
            try {
                kept.close();
            } catch (IOException e) {
                // read only: nothing was lost
            }
        }
    }

    /**
     * Interface key of a frame: the SLL2 interface index when present, else the pcapng interface id; for a Linux
     * cooked v1 frame of a router capture whose sides were {@link CookedSides paired by content}, its side's key.
     */
    static int interfaceKey(RawFrame f, Packet p, CookedSides cooked) {
        if (cooked != null && CookedSides.applies(p)) return cooked.key(p);
        return p.interfaceIndex >= 0 ? 1_000_000 + p.interfaceIndex : f.interfaceId;
    }

    static String interfaceName(int key, List<CaptureInterface> interfaces) {
        if (key >= 1_000_000) return "ifindex " + (key - 1_000_000);
        if (key < 0) return CookedSides.name(key);
        for (CaptureInterface ci : interfaces) if (ci.id() == key) return ci.displayName();
        return "if" + key;
    }

    /**
     * Counts one capture's frames into its {@link CaptureStats}: the same counting for the survey ({@code inspect},
     * router captures) and for the replay of a two-capture case, which counts as it goes.
     */
    static final class StatsCounter {
        final CaptureStats stats;
        private final long[] keyKinds = new long[MatchKeys.Kind.values().length];
        private final Map<Integer, long[]> linkTypes = new TreeMap<>();
        private int lastLinkType = Integer.MIN_VALUE;
        private long[] linkTypeCount;

        StatsCounter(Path file) {
            stats = new CaptureStats(file.toString());
        }

        /** One frame; {@code keyKind} is the match key's kind, or null when the frame got no key. */
        void frame(RawFrame f, Packet p, Disposition d, MatchKeys.Kind keyKind) {
            stats.count(p, d, f.timestampNanos, f.capturedLength);
            // Per-frame work stays on primitives; the maps are filled once at the end.
            if (f.linkType != lastLinkType) {
                lastLinkType = f.linkType;
                linkTypeCount = linkTypes.computeIfAbsent(f.linkType, k -> new long[1]);
            }
            linkTypeCount[0]++;
            if (d == Disposition.DECODED) stats.ports.add(p, keyKind == MatchKeys.Kind.RTP);
            if (keyKind != null) keyKinds[keyKind.ordinal()]++;
        }

        /** After the last frame: what only the reader knows (format, frames, interfaces, its anomalies). */
        void finish(CaptureReader reader) {
            stats.countLayers();
            linkTypes.forEach((lt, c) -> stats.linkTypes.put(dev.natrecon.decode.LinkType.name(lt), c[0]));
            for (MatchKeys.Kind k : MatchKeys.Kind.values()) {
                if (keyKinds[k.ordinal()] > 0) stats.matchKeyKinds.put(k.name().toLowerCase(Locale.ROOT), keyKinds[k.ordinal()]);
            }
            stats.format = reader.format();
            stats.compression = reader.compression();
            stats.frames = reader.frames();
            stats.interfaces = List.copyOf(reader.interfaces());
            stats.anomalies.addAll(reader.anomalies());
            stats.decompressionNotice = reader.limitNotice();
            stats.damagedAtFrame = reader.damagedAtFrame();
        }
    }

    /**
     * One pass over a capture: its statistics and, per interface, the evidence for interface roles and the clock
     * sample. Stops after {@code frameLimit} frames; {@link Survey#complete} says whether it read them all (only then
     * are the statistics the file's).
     */
    private static Survey survey(Path file, Map<Integer, InterfaceEvidence> evidence, long frameLimit, Inside inside,
                                 long keepBudget) throws IOException {
        return survey(file, evidence, frameLimit, inside, null, null, keepBudget);
    }

    /**
     * {@link #survey(Path, Map, long, Inside)} of a router capture: its Linux cooked v1 frames also go to
     * {@code pairing} when given, and are keyed by their side in {@code cooked} when given. With
     * {@code keepBudget >= 0} a compressed capture's decompressed bytes are kept for the replay when they fit in it
     * ({@link Survey#kept}).
     */
    private static Survey survey(Path file, Map<Integer, InterfaceEvidence> evidence, long frameLimit, Inside inside,
                                 CookedCopyPairing pairing, CookedSides cooked, long keepBudget) throws IOException {
        StatsCounter counter = new StatsCounter(file);
        CaptureStats stats = counter.stats;
        boolean complete;
        KeptPrefix kept;
        try (CaptureReader reader = keepBudget >= 0 ? CaptureReader.openKeeping(file, keepBudget)
                : CaptureReader.open(file)) {
            SurveyPass pass = new SurveyPass(counter, evidence, inside, pairing, cooked);
            RawFrame f = new RawFrame();
            long read = 0;
            while ((complete = read < frameLimit) && reader.next(f)) {
                read++;
                pass.frame(f);
            }
            pass.dec.finish();
            counter.finish(reader);
            if (evidence != null) {
                for (InterfaceEvidence e : evidence.values()) e.name = interfaceName(e.key, stats.interfaces);
            }
            kept = keepBudget >= 0 ? reader.detach() : null; // last: closing the reader then leaves the file open
        }
        return new Survey(stats, evidence, complete, kept);
    }

    /**
     * What {@link #survey} does with each frame, as a method of its own: the JIT compiles a method after a few
     * hundred calls, while a loop body inside one long-running call is compiled (on-stack replacement) only after
     * tens of thousands of iterations, which the survey of each capture would otherwise run interpreted.
     */
    private static final class SurveyPass {
        final StatsCounter counter;
        final CaptureStats stats;
        final Map<Integer, InterfaceEvidence> evidence;
        final Inside inside;
        final CookedCopyPairing pairing;
        final CookedSides cooked;
        final MatchKeys keys = new MatchKeys();
        final FrameDecoder dec;
        final Packet p;
        final dev.natrecon.capture.FileClock fileClock = new dev.natrecon.capture.FileClock();
        int lastInterface = Integer.MIN_VALUE;
        InterfaceEvidence ev;

        SurveyPass(StatsCounter counter, Map<Integer, InterfaceEvidence> evidence, Inside inside,
                   CookedCopyPairing pairing, CookedSides cooked) {
            this.counter = counter;
            this.stats = counter.stats;
            this.evidence = evidence;
            this.inside = inside;
            this.pairing = pairing;
            this.cooked = cooked;
            this.dec = new FrameDecoder(stats.anomalies);
            this.p = dec.packet;
        }

        void frame(RawFrame f) {
            Packet p = this.p;
            fileClock.order(f.timestampNanos, f.frameNumber, stats.anomalies);
            Disposition d = dec.decode(f, f.timestampNanos);
            long key = d == Disposition.DECODED ? keys.key(p) : 0;
            counter.frame(f, p, d, key != 0 ? keys.lastKind() : null);
            if (d == Disposition.DECODED && pairing != null && CookedSides.applies(p)) {
                pairing.frame(p, key, f.timestampNanos);
            }
            if (d == Disposition.DECODED && evidence != null) {
                int ik = interfaceKey(f, p, cooked);
                if (ik != lastInterface || ev == null) {
                    lastInterface = ik;
                    ev = evidence.computeIfAbsent(ik, InterfaceEvidence::new);
                }
                InterfaceEvidence ev = this.ev;
                ev.frames++;
                if (p.sllHatype == InputChecks.ARPHRD_ETHER) ev.sllEther++;
                else if (p.sllHatype == InputChecks.ARPHRD_LOOPBACK) ev.sllLoopback++;
                if (Addresses.isLoopback(p.srcHi, p.srcLo) || Addresses.isLoopback(p.dstHi, p.dstLo)) ev.loopback++;
                boolean sp = inside.contains(p.srcHi, p.srcLo), dp = inside.contains(p.dstHi, p.dstLo);
                // loopback and link-local say nothing of which side of the router an interface is on
                boolean mc = Addresses.isMulticastOrBroadcast(p.dstHi, p.dstLo)
                        || Addresses.eitherHostOrLinkScope(p.srcHi, p.srcLo, p.dstHi, p.dstLo);
                if (!mc && sp != dp) ev.privatePublic++;
                if (!mc && !sp && !dp) ev.publicPublic++;
                ev.sampler.add(key, f.timestampNanos, f.frameNumber, p);
                if (key != 0 && keys.lastKind() == MatchKeys.Kind.SIP) ev.sip.add(key, f.frameNumber, p);
            }
        }
    }

    /**
     * The surveys of a two-capture case's LAN and WAN files at the same time: the WAN's on a thread of its own, the
     * LAN's on this one (they share nothing but {@code inside}, which is immutable). Both always end before this
     * returns; when both fail, the LAN's failure is the one thrown, as when they ran one after the other.
     */
    private static Survey[] surveyBoth(Path lanFile, Map<Integer, InterfaceEvidence> lanEv, Path wanFile,
                                       Map<Integer, InterfaceEvidence> wanEv, long frameLimit, Inside inside)
            throws IOException {
        long keepBudget = Switches.off(KEPT_PREFIX_PROPERTY) ? -1
                : Runtime.getRuntime().maxMemory() / KEPT_PREFIX_HEAP_SHARE;
        java.util.concurrent.FutureTask<Survey> wanJob = new java.util.concurrent.FutureTask<>(
                () -> survey(wanFile, wanEv, frameLimit, inside, keepBudget));
        Thread t = new Thread(wanJob, "natrecon-survey " + wanFile);
        t.setDaemon(true);
        t.start();
        Survey lan = null;
        try {
            lan = survey(lanFile, lanEv, frameLimit, inside, keepBudget);
        } finally {
            dev.natrecon.capture.ReaderThreads.join(t);
            if (lan == null) dropKept(wanJob); // the LAN's failure is thrown: the WAN's prefix is not wanted
        }
        try {
            return new Survey[] {lan, wanJob.get()};
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lan.dropKept();
            dropKept(wanJob);
            throw new java.io.InterruptedIOException("interrupted during the survey of " + wanFile);
        } catch (java.util.concurrent.ExecutionException e) {
            lan.dropKept();
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IOException(cause);
        }
    }

    /** Closes the kept prefix of a survey that ended (successfully) and is not wanted. */
    private static void dropKept(java.util.concurrent.FutureTask<Survey> job) {
        try {
            if (job.isDone() && !job.isCancelled()) job.get().dropKept();
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            // it failed, so it kept nothing
        }
    }

    /** Runs the whole analysis, feeding {@code sinks}. */
    public static RunResult run(AnalysisInputs in, List<AnalysisSink> sinks) throws IOException {
        return run(in, sinks, CLOCK_SAMPLE_FRAMES);
    }

    /** {@link #run(AnalysisInputs, List)} with another clock-sample prefix (tests). */
    static RunResult run(AnalysisInputs in, List<AnalysisSink> sinks, long clockSampleFrames) throws IOException {
        if (in.singleCapture()) return SingleCapture.run(in, sinks);
        List<String> decisions = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        RunVerdict.RoleGuess roleGuess = null;
        Inside inside = Inside.of(in.model().inside());
        List<CaptureStats> captures = new ArrayList<>();
        List<String> roles = new ArrayList<>();
        ClockEstimate clock;
        long[] lanSpan, wanSpan;
        // Router mode: interface key → side.
        Map<Integer, Side> sideOf = new TreeMap<>();
        Map<Integer, String> labelOf = new TreeMap<>();
        List<MergedFrameSource.Input> inputs = new ArrayList<>();
        List<StatsCounter> counters = null;
        SipHelperDecision helper;
        CookedSides cookedSides = null;
        if (!in.routerCapture()) {
            // Pass 1 only samples the clock, from the first frames of each capture when that is enough: statistics
            // and spans come from the replay, so a long capture is decoded once.
            InputChecks.notSameFile(in.lan(), in.wan());
            Map<Integer, InterfaceEvidence> lanEv = new TreeMap<>(), wanEv = new TreeMap<>();
            Survey[] both = surveyBoth(in.lan(), lanEv, in.wan(), wanEv, clockSampleFrames, inside);
            Survey lan = both[0];
            Survey wan = both[1];
            try {
                ClockEstimate est = ClockOffsetEstimator.estimate(merged(lanEv), merged(wanEv), inside);
                if ((!lan.complete || !wan.complete) && est.matches() < MIN_CLOCK_SAMPLE_PAIRS) {
                    decisions.add(String.format(Locale.ROOT, "clock sample: the first %d frames of each capture gave %d "
                            + "matched pairs; sampled the whole captures", clockSampleFrames, est.matches()));
                    lanEv.clear();
                    wanEv.clear();
                    lan.dropKept();
                    wan.dropKept();
                    lan = wan = null;
                    both = surveyBoth(in.lan(), lanEv, in.wan(), wanEv, Long.MAX_VALUE, inside);
                    lan = both[0];
                    wan = both[1];
                    est = ClockOffsetEstimator.estimate(merged(lanEv), merged(wanEv), inside);
                } else if (!lan.complete || !wan.complete) {
                    decisions.add(String.format(Locale.ROOT, "clock sample: the first %d frames of each capture",
                            clockSampleFrames));
                }
                InputChecks.sideCapture(in.lan(), "LAN", lan.stats, lanEv);
                InputChecks.sideCapture(in.wan(), "WAN", wan.stats, wanEv);
                String swap = InputChecks.swapped(in.lan(), in.wan(), lanEv, wanEv, est, inside);
                if (swap != null) {
                    notes.add(swap);
                    in = in.swapped();
                    Survey s = lan;
                    lan = wan;
                    wan = s;
                    Map<Integer, InterfaceEvidence> e = lanEv;
                    lanEv = wanEv;
                    wanEv = e;
                    est = ClockOffsetEstimator.estimate(merged(lanEv), merged(wanEv), inside);
                }
                roles.add("lan");
                roles.add("wan");
                helper = helperFrom(in, lan, wan, sip(lanEv), sip(wanEv), clockSampleFrames);
                clock = clockFor(in, est, decisions);
                ClockCorrection wanClock = clock.correction();
                // The ends are known when the replay reaches them (PacketMatcher#captureEnded).
                lanSpan = new long[] {lan.stats.firstNanos, Long.MAX_VALUE};
                wanSpan = new long[] {wan.stats.frames == 0 ? Long.MAX_VALUE : wanClock.apply(wan.stats.firstNanos),
                        Long.MAX_VALUE};
                counters = List.of(new StatsCounter(in.lan()), new StatsCounter(in.wan()));
                KeptPrefix lanKept = lan.kept(), wanKept = wan.kept();
                lan = wan = null; // the replay's readers own the kept prefixes from here
                try {
                    inputs.add(new MergedFrameSource.Input(DecodeAheadStream.openForReplay(in.lan(), lanKept),
                            ClockCorrection.NONE));
                } catch (IOException | RuntimeException e) {
                    if (wanKept != null) wanKept.close();
                    throw e;
                }
                try {
                    inputs.add(new MergedFrameSource.Input(DecodeAheadStream.openForReplay(in.wan(), wanKept), wanClock));
                } catch (IOException | RuntimeException e) {
                    inputs.get(0).reader().close();
                    throw e;
                }
            } finally {
                // a failure before the replay took them: the files under the kept prefixes are closed
                if (lan != null) lan.dropKept();
                if (wan != null) wan.dropKept();
            }
        } else {
            Map<Integer, InterfaceEvidence> ev = new TreeMap<>();
            CookedCopyPairing pairing = new CookedCopyPairing(inside);
            Survey router = survey(in.router(), ev, Long.MAX_VALUE, inside, pairing, null, -1);
            captures.add(router.stats);
            roles.add("router");
            boolean sllV1 = router.stats.linkTypes.containsKey(dev.natrecon.decode.LinkType.name(dev.natrecon.decode.LinkType.LINUX_SLL));
            CookedSides cooked = null;
            if (sllV1 && ev.size() < 2 && in.lanInterface() == null && in.wanInterface() == null) {
                // One "interface" only: the cooked v1 frames' sides come from their copy pairs (CookedSides).
                cooked = CookedSides.decide(pairing);
                if (!cooked.bothSides()) {
                    throw new IllegalArgumentException(in.router() + ": Linux cooked v1 (SLL) capture with no packet "
                            + "seen both as received and as forwarded by NAT (" + cooked.sidedPairs() + " copy pairs), "
                            + "so it shows one side of the router only (a host's capture, or one interface's): give "
                            + "it with --lan or --wan and the other side's capture with the other");
                }
                ev.clear();
                router = survey(in.router(), ev, Long.MAX_VALUE, inside, null, cooked, -1);
                decisions.addAll(cooked.decisions());
            }
            InterfaceEvidence lanIf = cooked != null ? ev.get(CookedSides.LAN_KEY)
                    : pick(ev, in.lanInterface(), "LAN", in.router(), null);
            InterfaceEvidence wanIf = cooked != null ? ev.get(CookedSides.WAN_KEY)
                    : pick(ev, in.wanInterface(), "WAN", in.router(), lanIf);
            if (lanIf == null || wanIf == null || lanIf == wanIf) {
                throw new IllegalArgumentException(in.router() + ": cannot tell the LAN and WAN interfaces apart ("
                        + describe(ev) + "); " + (sllV1 && ev.size() < 2
                        ? "Linux cooked v1 (SLL) does not record the interface, so --lan-if and --wan-if do not apply: "
                                + "leave them out and the sides are told apart by pairing each forwarded packet's copies"
                        : ev.size() < 2
                        ? "it holds one interface, so it is one side's capture, not the router's: give the LAN side's "
                                + "capture with --lan and the WAN side's with --wan"
                        : cannotTell(ev, in.router())));
            }
            if (cooked == null) {
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
                // A guess from addresses; the cooked v1 sides come from copy pairs and were given above.
                roleGuess = new RunVerdict.RoleGuess(lanIf.name, in.lanInterface() != null, lanIf.privatePublic,
                        wanIf.name, in.wanInterface() != null, wanIf.publicPublic);
            }
            cookedSides = cooked;
            for (InterfaceEvidence e : ev.values()) {
                Side s = e == lanIf ? Side.LAN : e == wanIf ? Side.WAN : null;
                if (s != null) sideOf.put(e.key, s);
                labelOf.put(e.key, s != null ? s.label() : "other:" + e.name);
            }
            ClockEstimate est = ClockOffsetEstimator.estimate(lanIf.sampler, wanIf.sampler, inside);
            helper = SipHelperDecision.decide(lanIf.sip, wanIf.sip, "the whole capture");
            clock = ClockEstimate.none("none: one capture, one clock").withExternalAddresses(est.externalAddresses());
            decisions.add("clock offset: none (both sides come from one capture)");
            lanSpan = wanSpan = new long[] {router.stats.firstNanos, router.stats.lastNanos};
            inputs.add(new MergedFrameSource.Input(DecodeAheadStream.openForReplay(in.router()), ClockCorrection.NONE));
        }
        if (!clock.externalAddresses().isEmpty()) {
            decisions.add("router WAN address(es) seen in translations: " + String.join(", ", clock.externalAddresses()));
        }
        Replay replay;
        try {
            replay = new Replay(new Replay.Plan(in, inputs, counters, captures, roles, decisions, clock, lanSpan,
                    wanSpan, sideOf, labelOf, helper, roleGuess, notes, cookedSides), sinks);
        } catch (IOException | RuntimeException e) {
            for (MergedFrameSource.Input i : inputs) {
                try {
                    i.reader().close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
        return replay.run();
    }

    /** The SIP messages of one capture file, all its interfaces together. */
    private static SipHelperEvidence sip(Map<Integer, InterfaceEvidence> ev) {
        List<SipHelperEvidence> parts = new ArrayList<>();
        for (InterfaceEvidence e : ev.values()) parts.add(e.sip);
        return SipHelperEvidence.merged(parts);
    }

    /**
     * The SIP helper decided from what pass 1 read; when that held no SIP message seen on both sides and a capture
     * was not read whole, the captures are read on for SIP only, up to {@link #HELPER_SCAN_FRAMES} frames each.
     */
    private static SipHelperDecision helperFrom(AnalysisInputs in, Survey lan, Survey wan, SipHelperEvidence lanSip,
                                                SipHelperEvidence wanSip, long sampled) throws IOException {
        boolean whole = lan.complete && wan.complete;
        SipHelperDecision d = SipHelperDecision.decide(lanSip, wanSip, whole ? "the whole captures"
                : String.format(Locale.ROOT, "the first %d frames of each capture", sampled));
        if (d.sawPair() || whole || in.model().sipHelper() != ModelSettings.SipHelper.AUTO) return d;
        long limit = Math.max(sampled, HELPER_SCAN_FRAMES);
        return SipHelperDecision.decide(SipHelperEvidence.scan(in.lan(), lanSip, sampled, limit),
                SipHelperEvidence.scan(in.wan(), wanSip, sampled, limit), String.format(Locale.ROOT,
                        "the first %d frames of each capture (no SIP message seen on both sides in the first %d)",
                        limit, sampled));
    }

    private static KeySampler merged(Map<Integer, InterfaceEvidence> ev) {
        // A two-file case samples per interface too; a file normally has one.
        KeySampler only = null;
        for (InterfaceEvidence e : ev.values()) {
            if (only == null || e.frames > 0 && e.sampler.size() > only.size()) only = e.sampler;
        }
        return only == null ? new KeySampler(1) : only;
    }

    private static ClockEstimate clockFor(AnalysisInputs in, ClockEstimate est, List<String> decisions) {
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
            if (e == not || notASide(e, ev)) continue;
            long score = role.equals("LAN") ? e.privatePublic - e.publicPublic : e.publicPublic;
            long bestScore = best == null ? Long.MIN_VALUE
                    : role.equals("LAN") ? best.privatePublic - best.publicPublic : best.publicPublic;
            if (score > bestScore) best = e;
        }
        if (best != null && role.equals("LAN") && best.privatePublic == 0) return null;
        if (best != null && role.equals("WAN") && best.publicPublic == 0) return null;
        return best;
    }

    /**
     * An interface of a router capture that cannot be one side of the router: Linux's {@code any} pseudo-interface
     * beside real ones (it carries copies of their packets), or one whose every packet is to or from a loopback
     * address. Only the automatic choice skips them; --lan-if/--wan-if may still name one.
     */
    static boolean notASide(InterfaceEvidence e, Map<Integer, InterfaceEvidence> ev) {
        return ev.size() > 1 && "any".equals(e.name) || e.frames > 0 && e.loopback == e.frames;
    }

    /** Why no pair of interfaces could be told apart, and what to do, for the one-line error. */
    private static String cannotTell(Map<Integer, InterfaceEvidence> ev, Path file) {
        List<String> skipped = new ArrayList<>();
        for (InterfaceEvidence e : ev.values()) {
            if (notASide(e, ev)) {
                skipped.add("'" + e.name + "' " + ("any".equals(e.name) ? "is Linux's pseudo-interface (copies of every "
                        + "interface's packets)" : "carries only loopback traffic"));
            }
        }
        return (skipped.isEmpty() ? "" : String.join(" and ", skipped) + ", not a side of the router; ")
                + "no interface has a WAN face (packets between public addresses) beside another with a LAN face "
                + "(packets between private and public addresses): capture the router's LAN and WAN interfaces together "
                + "('tcpdump -i any -y LINUX_SLL2' on the router) or one capture per side with --lan and --wan, or name "
                + "them with --lan-if and --wan-if ('natrecon inspect " + file + "' lists the interfaces)";
    }

    private static String describe(Map<Integer, InterfaceEvidence> ev) {
        List<String> parts = new ArrayList<>();
        for (InterfaceEvidence e : ev.values()) {
            parts.add(String.format(Locale.ROOT, "%s: %d IP packets, %d private<->public, %d public<->public", e.name,
                    e.frames, e.privatePublic, e.publicPublic));
        }
        return parts.isEmpty() ? "no IP packets" : String.join("; ", parts);
    }
}
