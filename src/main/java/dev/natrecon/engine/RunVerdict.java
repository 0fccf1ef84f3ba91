package dev.natrecon.engine;

import dev.natrecon.capture.Times;
import dev.natrecon.correlate.ClockEstimate;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Side;
import dev.natrecon.detect.Detection;
import dev.natrecon.detect.Finding;
import dev.natrecon.detect.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one verdict of a run, decided once when the replay ends and read by every output (terminal, summary.md,
 * report.html, summary.json, batch's summary.csv, the exit status). {@link Kind#INCONCLUSIVE} says the captures could
 * not show what the router did, with each reason in plain words and its figures; findings are still listed then (a
 * leak seen is a leak seen), but the run is never called clean.
 *
 * @param kind     what the run can say
 * @param worst    the most severe finding, or null when there is none
 * @param reasons  why the run is inconclusive (empty otherwise), most fundamental first
 * @param notes    what natrecon corrected in the inputs before judging them (the sides swapped), for the report
 * @param vantage  for one capture of one side, the side it shows ({@link VantagePoint#label}); null for both sides
 */
public record RunVerdict(Kind kind, Severity worst, List<Reason> reasons, List<String> notes, String vantage) {
    /**
     * What one side's capture cannot show, for the report's "what one capture cannot show" section: each needs the
     * packet as it was before and after the router.
     */
    public static final List<String> ONE_CAPTURE_CANNOT_SHOW = List.of(
            "drops: whether the router dropped a packet needs its copy on the other side (or its absence there)",
            "leaks through the router: a packet that left with its private source needs the WAN copy of a LAN packet",
            "SIP helper (ALG) errors and rewrites: what the router changed in SIP and SDP needs the message on both "
                    + "sides; a Contact or SDP address can only be compared with what the far side shows",
            "the router's real translations and their timing: the mapping is known only as far as the far side "
                    + "reports it (Via received/rport, STUN, SDP)");

    /** A verdict of both sides' captures. */
    public RunVerdict(Kind kind, Severity worst, List<Reason> reasons, List<String> notes) {
        this(kind, worst, reasons, notes, null);
    }

    /** The same verdict for one capture of one side, naming it ({@code vantage} null: both sides). */
    public RunVerdict withVantage(String vantage) {
        return new RunVerdict(kind, worst, reasons, notes, vantage);
    }

    /** Whether this verdict is of one capture of one side. */
    public boolean oneSide() {
        return vantage != null;
    }
    /** What a run can say about the router. */
    public enum Kind {
        /** At least one finding at warning or error. */
        FINDINGS,
        /** Judged, and nothing at warning or error. */
        CLEAN,
        /** The captures cannot show what the router did ({@link RunVerdict#reasons}). */
        INCONCLUSIVE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One reason a run is inconclusive.
     *
     * @param id      stable name (summary.json, tests): {@code capture_damaged}, {@code no_overlap},
     *                {@code too_few_matched}, {@code roles_guessed}, {@code no_sip_or_rtp}, {@code nothing_judged}
     *                (one capture)
     * @param text    the reason in plain words, with its figures
     * @param figures the same figures by name, for summary.json
     */
    public record Reason(String id, String text, Map<String, Object> figures) {
        public Reason {
            figures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(figures));
        }
    }

    /**
     * Fewest packets seen on both sides of the router for a verdict on it: one SIP registration crosses a router in
     * four packets (REGISTER, 401, REGISTER with credentials, 200); fewer than one exchange shows nothing it did.
     */
    public static final long MIN_MATCHED_PAIRS = 4;
    /**
     * Least share of a side's packets (those sent while the other capture ran) that must be seen on the other side,
     * on at least one side. A router forwards nearly all of one side's traffic even when it drops the other's
     * (an outage drops the LAN's, a firewall the WAN's scans); when under a tenth of both sides crosses, the two
     * captures are of different places or times, not of a router that dropped nine packets in ten both ways.
     */
    public static final double MIN_MATCHED_SHARE = 0.10;
    /**
     * Fewest packets an interface's automatic role must rest on (LAN: between a private and a public address; WAN:
     * between two public addresses): fewer are a handful of stray or broadcast-like packets, not a traffic pattern.
     */
    public static final long MIN_ROLE_PACKETS = 10;

    /**
     * How a router capture's interfaces were assigned: each interface's name, whether it was given, and the packets
     * its automatic role rests on.
     */
    public record RoleGuess(String lan, boolean lanGiven, long lanPackets, String wan, boolean wanGiven,
                            long wanPackets) {
    }

    public RunVerdict {
        reasons = List.copyOf(reasons);
        notes = List.copyOf(notes);
    }

    /** "inconclusive", "error", "warning" or "clean": the word the outputs show (and the report's colour). */
    public String label() {
        if (kind == Kind.INCONCLUSIVE) return "inconclusive";
        return kind == Kind.FINDINGS ? worst.label() : "clean";
    }

    public boolean inconclusive() {
        return kind == Kind.INCONCLUSIVE;
    }

    /** The reasons as one line: "the captures do not overlap in time (...); there is no SIP or RTP (...)". */
    public String reasonText() {
        List<String> t = new ArrayList<>();
        for (Reason r : reasons) t.add(r.text());
        return String.join("; ", t);
    }

    /**
     * Decides the verdict of a finished run.
     *
     * @param captures the capture statistics ({@code roles} names each: lan, wan or router)
     * @param guess    a router capture's interface assignment, or null for two captures
     */
    static RunVerdict decide(List<CaptureStats> captures, List<String> roles, ClockEstimate clock, long[][] outcomes,
                             long[] matched, long matchedPairs, RoleGuess guess, List<String> notes,
                             List<Finding> findings) {
        List<Reason> reasons = new ArrayList<>();
        overlap(captures, roles, clock, reasons);
        // captures of different moments match nothing: that reason says it all
        // one side's capture (one role, lan or wan) matches nothing by design: it is judged on what it shows alone
        boolean oneSide = roles.size() == 1 && !roles.contains("router");
        if (reasons.isEmpty() && !oneSide) matching(outcomes, matched, matchedPairs, reasons);
        if (guess != null) roles(guess, reasons);
        // one side's capture is judged on what it shows alone: inconclusive only when nothing could be judged
        if (!oneSide || findings.isEmpty()) media(captures, reasons);
        if (oneSide && reasons.isEmpty() && findings.isEmpty()) nothingJudged(captures, reasons);
        Severity worst = Detection.worst(findings);
        boolean found = worst != null && worst.compareTo(Severity.WARNING) >= 0;
        // a damaged capture's unread rest stops a CLEAN verdict, not the findings the part read does show (a note)
        List<Reason> damage = new ArrayList<>();
        damaged(captures, damage);
        if (found && reasons.isEmpty()) {
            notes = new ArrayList<>(notes);
            for (Reason d : damage) notes.add(d.text());
        } else {
            reasons.addAll(0, damage);
        }
        Kind kind = !reasons.isEmpty() ? Kind.INCONCLUSIVE : found ? Kind.FINDINGS : Kind.CLEAN;
        return new RunVerdict(kind, worst, reasons, notes);
    }

    /**
     * A capture whose reading stopped where the file is damaged (a record or block header no boundary after which can
     * be trusted): what follows was never read, so nothing can be said of it, and a verdict over the part that was
     * read must not pass for one over the whole file.
     */
    private static void damaged(List<CaptureStats> captures, List<Reason> reasons) {
        for (CaptureStats c : captures) {
            if (c.damagedAtFrame == 0) continue;
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("file", c.path);
            f.put("damaged_at_frame", c.damagedAtFrame);
            f.put("frames_read", c.frames);
            reasons.add(new Reason("capture_damaged", String.format(Locale.ROOT,
                    "%s is damaged at frame %d (%s), so the rest of the file "
                            + "was not read; the %d frames before it are analysed, but what happened after them is "
                            + "unknown", c.path, c.damagedAtFrame, damageKind(c), c.frames), f));
        }
    }

    private static String damageKind(CaptureStats c) {
        boolean compressed = c.compression != null && c.compression != dev.natrecon.capture.Compression.NONE;
        String what = c.anomalies.count(dev.natrecon.capture.CaptureAnomaly.BAD_BLOCK_LENGTH.id()) > 0
                ? "a block length no pcapng block can have" : "a record header claims more bytes than any capture holds";
        return compressed ? what + "; a compressed file damaged in transfer reads like this" : what;
    }

    /** Two captures whose spans (the WAN's on the LAN clock) share no instant saw different traffic. */
    private static void overlap(List<CaptureStats> captures, List<String> roles, ClockEstimate clock,
                                List<Reason> reasons) {
        int l = roles.indexOf("lan"), w = roles.indexOf("wan");
        if (l < 0 || w < 0) return;
        CaptureStats lan = captures.get(l), wan = captures.get(w);
        if (lan.frames == 0 || wan.frames == 0) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("lan_frames", lan.frames);
            f.put("wan_frames", wan.frames);
            reasons.add(new Reason("no_overlap", String.format(Locale.ROOT,
                    "the %s capture holds no frame, so nothing was seen on both sides of the router",
                    lan.frames == 0 ? "LAN" : "WAN"), f));
            return;
        }
        dev.natrecon.capture.ClockCorrection c = clock.correction();
        long wanFirst = c.apply(wan.firstNanos), wanLast = c.apply(wan.lastNanos);
        long overlap = Math.min(lan.lastNanos, wanLast) - Math.max(lan.firstNanos, wanFirst);
        if (overlap >= 0) return;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("lan_first", Times.iso(lan.firstNanos));
        f.put("lan_last", Times.iso(lan.lastNanos));
        f.put("wan_first", Times.iso(wanFirst));
        f.put("wan_last", Times.iso(wanLast));
        f.put("gap_seconds", -overlap / 1e9);
        reasons.add(new Reason("no_overlap", String.format(Locale.ROOT,
                "the captures do not overlap in time: LAN %s to %s, WAN %s to %s %s, %.3f s apart; they are of "
                        + "different moments, so no packet can be followed across the router",
                Times.iso(lan.firstNanos), Times.iso(lan.lastNanos), Times.iso(wanFirst), Times.iso(wanLast),
                clock.matches() == 0 ? "with no clock offset, since none could be estimated" : "on the LAN clock",
                -overlap / 1e9), f));
    }

    /** Too few packets seen on both sides to say anything about the router. */
    private static void matching(long[][] outcomes, long[] matched, long matchedPairs, List<Reason> reasons) {
        boolean enoughShare = false;
        Map<String, Object> f = new LinkedHashMap<>();
        List<String> sides = new ArrayList<>();
        for (Side s : Side.values()) {
            long could = 0;
            for (Outcome o : Outcome.values()) {
                if (o != Outcome.NOT_MATCHED && o != Outcome.LOCAL && o != Outcome.OUTSIDE_SPAN) {
                    could += outcomes[s.ordinal()][o.ordinal()];
                }
            }
            long m = matched[s.ordinal()];
            if (could > 0 && m >= MIN_MATCHED_SHARE * could) enoughShare = true;
            f.put(s.label() + "_matched", m);
            f.put(s.label() + "_matchable", could);
            sides.add(String.format(Locale.ROOT, "%s %d of %d", s.label().toUpperCase(Locale.ROOT), m, could));
        }
        if (matchedPairs >= MIN_MATCHED_PAIRS && enoughShare) return;
        f.put("matched_pairs", matchedPairs);
        f.put("min_matched_pairs", MIN_MATCHED_PAIRS);
        f.put("min_matched_share", MIN_MATCHED_SHARE);
        reasons.add(new Reason("too_few_matched", String.format(Locale.ROOT,
                "too few packets were seen on both sides of the router to judge it: of the packets sent while the "
                        + "other capture ran, %s were matched, %d pairs; a verdict needs at least %d pairs and %.0f %% "
                        + "of one side, so the captures may be of different places, runs or routers",
                String.join(" and ", sides), matchedPairs, MIN_MATCHED_PAIRS, MIN_MATCHED_SHARE * 100), f));
    }

    /** A router capture's interfaces told apart automatically from a handful of packets. */
    private static void roles(RoleGuess g, List<Reason> reasons) {
        boolean lanWeak = !g.lanGiven() && g.lanPackets() < MIN_ROLE_PACKETS;
        boolean wanWeak = !g.wanGiven() && g.wanPackets() < MIN_ROLE_PACKETS;
        if (!lanWeak && !wanWeak) return;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("lan_interface", g.lan());
        f.put("lan_packets", g.lanPackets());
        f.put("wan_interface", g.wan());
        f.put("wan_packets", g.wanPackets());
        f.put("min_role_packets", MIN_ROLE_PACKETS);
        reasons.add(new Reason("roles_guessed", String.format(Locale.ROOT,
                "the interface roles were guessed from a handful of packets: LAN %s from %d packets between private "
                        + "and public addresses, WAN %s from %d between public addresses, fewer than %d; give "
                        + "--lan-if and --wan-if", g.lan(), g.lanPackets(), g.wan(), g.wanPackets(),
                MIN_ROLE_PACKETS), f));
    }

    /**
     * One side's capture with SIP or RTP that gave no finding at all: with no SIP message natrecon could read (SIP
     * over TLS, media without its SDP) nothing about the NAT was judged.
     */
    private static void nothingJudged(List<CaptureStats> captures, List<Reason> reasons) {
        long sip = 0, rtp = 0;
        for (CaptureStats c : captures) {
            sip += c.matchKeyKinds.getOrDefault("sip", 0L);
            rtp += c.ports.rtp();
        }
        if (sip > 0) return;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("sip_packets", sip);
        f.put("rtp_packets", rtp);
        reasons.add(new Reason("nothing_judged", String.format(Locale.ROOT, "one capture with no SIP natrecon could "
                + "read (%d RTP-like packets; SIP over TLS, or signalling not captured): without the SDP the media "
                + "cannot be tied to calls, and without the other side nothing about the NAT can be judged", rtp), f));
    }

    /** Nothing natrecon judges (SIP, RTP) in any capture: say what is there instead. */
    private static void media(List<CaptureStats> captures, List<Reason> reasons) {
        long sip = 0, rtp = 0;
        for (CaptureStats c : captures) {
            sip += c.matchKeyKinds.getOrDefault("sip", 0L);
            rtp += c.ports.rtp();
        }
        if (sip > 0 || rtp > 0) return;
        // summed only when the reason is written: two 64 Ki-port tables walked in the interpreter at the end of every
        // run cost about 6 ms of the main thread
        ServicePorts all = new ServicePorts();
        Map<String, Long> protocols = new java.util.TreeMap<>();
        for (CaptureStats c : captures) {
            all.addAll(c.ports);
            c.protocols().forEach((k, v) -> protocols.merge(k, v, Long::sum));
        }
        List<String> held = all.total() > 0 ? all.top(3) : List.of();
        if (held.isEmpty()) {
            held = new ArrayList<>();
            for (Map.Entry<String, Long> e : protocols.entrySet()) held.add(e.getKey() + " " + e.getValue());
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("sip_packets", sip);
        f.put("rtp_packets", rtp);
        f.put("captures_hold", held);
        reasons.add(new Reason("no_sip_or_rtp", "there is no SIP or RTP in the captures to judge; they hold "
                + (held.isEmpty() ? "no IP packet" : String.join(", ", held)), f));
    }
}
