package dev.natrecon.detect;

import dev.natrecon.conntrack.ConntrackEvent;
import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.conntrack.EntryView;
import dev.natrecon.conntrack.EventFormat;
import dev.natrecon.conntrack.ExpectView;
import dev.natrecon.conntrack.ExpectationEvent;
import dev.natrecon.conntrack.Timeouts;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Crossing;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The SIP helper's expectations running out: {@code expect.sip_dropped} (the helper dropped SIP packets),
 * {@code expect.table_full} (nf_conntrack_expect_max reached), {@code expect.master_limit} (a master's per-class
 * max_expected reached, the oldest evicted). State: the count of live expectations, per master flow the drops and
 * evictions (few: counters and small arrays, the texts shared; past the findings' bound only what the counts need), the
 * frames of drops not yet seen after matching.
 */
final class ExpectDetector implements Detector {
    private static final List<String> REFS = List.of("nf_conntrack_expect.c (__nf_ct_expect_check, evict_oldest_expect)",
            "nf_conntrack_sip.c (sip_exp_policy, set_expected_rtp_rtcp, process_register_response)",
            "nf_nat_sip.c (nf_nat_sdp_media)", "../shared/reference/linux-netfilter.md §4, §7.6, §7.7, §8.2");

    static final Rule DROPPED = new Rule("expect.sip_dropped", Severity.ERROR,
            "The SIP helper dropped SIP packets",
            "The model's SIP helper (nf_conntrack_sip + nf_nat_sip) returned NF_DROP for a SIP packet: it could not "
                    + "add the media or signalling expectation (\"all ports in use for SDP media\", \"cannot add "
                    + "expectation for voice\"), or could not parse or rewrite it. Checked against the captures: the "
                    + "LAN packet (with its SDP) has no WAN counterpart although the WAN capture ran. One finding per "
                    + "SIP flow, with every kernel log line the router would have printed (nf_ct_helper_log, only "
                    + "visible when an nf_log backend is bound) and each drop's frame. Retransmissions are dropped "
                    + "again, so the call setup or registration fails.",
            List.of("none: one drop is enough"),
            "Find what the expectations collide with: \"all ports in use\" means the media ports the helper wanted "
                    + "were taken (another call or phone on the same RTP ports: give the phones distinct RTP port "
                    + "ranges); \"cannot add expectation\" with a full table means raising nf_conntrack_expect_max "
                    + "(sysctl) or the expect_hashsize module parameter; or turn the helper off (nft: no ct helper "
                    + "\"sip\" rule / modprobe -r nf_nat_sip nf_conntrack_sip) and let the phones and the provider "
                    + "handle NAT (rport, STUN, symmetric RTP).",
            REFS);
    static final Rule TABLE_FULL = new Rule("expect.table_full", Severity.ERROR,
            "The expectation table was full",
            "The model's expectation table held nf_conntrack_expect_max expectations when the helper tried to add one: "
                    + "the kernel refuses it (-EMFILE) and prints \"nf_conntrack: expectation table full\" (rate "
                    + "limited); the SIP helper then drops the packet.",
            List.of("nf_conntrack_expect_max: default 4 x expect_hashsize (= buckets/256, min 1; 4096 on a 1024-bucket "
                    + "table; reference §4); the value the model ran with is in model.settings"),
            "Raise net.netfilter.nf_conntrack_expect_max (sysctl) or load nf_conntrack with a larger expect_hashsize; "
                    + "look for what fills the table (conntrack -L expect: many PERMANENT sip/signalling entries are "
                    + "registrations); or turn the SIP helper off.",
            REFS);
    static final Rule MASTER_LIMIT = new Rule("expect.master_limit", Severity.WARNING,
            "A SIP master reached its per-class expectation limit; the oldest was evicted",
            "The SIP helper's policy limits each master entry's expectations per class (max_expected: signalling 1, "
                    + "audio 4, video 4, image 2); adding one more evicts the oldest of that class "
                    + "(evict_oldest_expect), whose media is then no longer let in. Fires per master flow and class "
                    + "with the evicted expectations.",
            List.of("sip_exp_policy in nf_conntrack_sip.c: signalling 1, audio 2*IP_CT_DIR_MAX = 4, video 4, image 2; "
                    + "180 s each (reference §7.6)"),
            "Usually several calls or re-INVITEs on one signalling flow with media on different ports (a PBX trunk "
                    + "behind NAT): turn the SIP helper off for trunks, or keep media ports stable across re-INVITEs.",
            REFS);

    private long liveExpectations, peakExpectations;
    private long peakAt;
    private final Map<Flow, Drops> drops = new LinkedHashMap<>();
    private final Map<Long, Drops> pendingFrames = new HashMap<>();
    private final Map<String, Evictions> evictions = new LinkedHashMap<>();
    /**
     * Flows of {@link #drops} certain to get an {@code expect.sip_dropped} finding (a drop of theirs the captures did
     * not show forwarded). Once there are {@link Detection#MAX_FINDINGS_PER_RULE} of them, the finding of any flow
     * dropped later is only counted (its place is past the bound), so such a flow keeps no message details.
     */
    private int certain;
    private long droppedNotKept;

    private static final class Drops {
        /** Null for a flow whose expect.sip_dropped finding can only be counted ({@link #certain}). */
        final Finding.Builder finding;
        final Finding.Builder full = Finding.of(TABLE_FULL);
        long count, confirmed, forwarded;
        boolean isCertain;
        /** The live expectations at the first {@link #LISTED} drops, in order (for the finding's text). */
        long[] countsAtDrop = new long[1];
        /** The most live expectations at any drop, and how many drops saw that many (the table-full drops). */
        long topLive = -1, atTop;
        final Texts logs;
        final Texts reasons;
        /** The entry at the last drop, formatted only for a finding (a String per flow was a few hundred bytes). */
        EntryView entry;
        Flow flow;

        String conntrack() {
            return entry == null ? "" : EventFormat.entry(entry);
        }

        Drops(boolean detailed) {
            finding = detailed ? Finding.of(DROPPED) : null;
            logs = detailed ? new Texts() : null;
            reasons = detailed ? new Texts() : null;
        }

        void countAtDrop(long live) {
            if (count <= LISTED) {
                if (count > countsAtDrop.length) countsAtDrop = java.util.Arrays.copyOf(countsAtDrop, LISTED);
                countsAtDrop[(int) count - 1] = live;
            }
            if (live > topLive) {
                topLive = live;
                atTop = 1;
            } else if (live == topLive) {
                atTop++;
            }
        }

        /**
         * The drops made when {@code max} expectations were live (nf_conntrack_expect_max: the table was full). The
         * model never holds more than {@code max}, so those are the drops at the most live expectations seen.
         */
        long fullDrops(long max) {
            return topLive >= max ? atTop : 0;
        }
    }

    /**
     * Distinct texts in the order first added, in an array (a flow has one or two reasons and log lines; a set each was
     * most of a flow's memory). The texts themselves are shared between flows ({@link Names}).
     */
    private static final class Texts {
        private String[] texts = new String[1];
        private int size;

        void add(String t) {
            for (int i = 0; i < size; i++) if (texts[i].equals(t)) return;
            if (size == texts.length) texts = java.util.Arrays.copyOf(texts, size * 2);
            texts[size++] = t;
        }

        boolean isEmpty() {
            return size == 0;
        }

        String join(String separator) {
            return String.join(separator, java.util.Arrays.asList(texts).subList(0, size));
        }
    }

    /** Evictions and live counts listed in one finding's text; the rest are counted (a trunk evicts one a call). */
    static final int LISTED = 10;

    private final Names names = new Names();

    /** {@code x} had a drop the captures cannot show forwarded: its expect.sip_dropped finding is certain. */
    private void certain(Drops x) {
        if (!x.isCertain) {
            x.isCertain = true;
            certain++;
        }
    }

    private static final class Evictions {
        final Finding.Builder finding = Finding.of(MASTER_LIMIT);
        final Flow master;
        final String className;
        /** The first {@link #LISTED} evictions, as text; the rest only counted in {@link #count}. */
        final List<String> evicted = new ArrayList<>();
        long count;

        Evictions(Flow master, String className) {
            this.master = master;
            this.className = className;
        }
    }

    @Override
    public List<Rule> rules() {
        return List.of(DROPPED, TABLE_FULL, MASTER_LIMIT);
    }

    private static Flow flow(ConntrackTuple t) {
        return new Flow(t.protocol(), t.srcHi(), t.srcLo(), Math.max(t.srcPort(), 0), t.dstHi(), t.dstLo(),
                Math.max(t.dstPort(), 0));
    }

    @Override
    public void conntrack(ConntrackEvent e) {
        if (!(e instanceof ConntrackEvent.PacketDropped d) || !d.reason().startsWith("helper ")) return;
        Flow f = flow(d.entry().original());
        Drops x = drops.get(f);
        if (x == null) drops.put(f, x = new Drops(certain < Detection.MAX_FINDINGS_PER_RULE));
        x.flow = f;
        x.count++;
        x.countAtDrop(liveExpectations);
        x.entry = d.entry();
        x.full.at(d.nanos()).frame(d.frame().point(), d.frame().frame());
        if (x.finding != null) {
            x.finding.at(d.nanos()).frame(d.frame().point(), d.frame().frame());
            String reason = d.reason().substring("helper ".length());
            int colon = reason.indexOf(": ");
            x.reasons.add(names.intern(colon < 0 ? reason : reason.substring(colon + 2)));
            if (d.kernelLog() != null) {
                for (String l : d.kernelLog().split("\n")) if (!l.isBlank()) x.logs.add(names.intern(l.strip()));
            }
        }
        if ("lan".equals(d.frame().point())) pendingFrames.put(d.frame().frame(), x);
        else certain(x); // no LAN frame to show it forwarded
    }

    /** Frames only while a helper drop waits for its LAN frame. */
    @Override
    public int interest() {
        return pendingFrames.isEmpty() ? PacketKinds.NONE : PacketKinds.ANY;
    }

    @Override
    public void packet(Crossing c) {
        Seen s = c.seen();
        if (pendingFrames.isEmpty() || s.side != Side.LAN || s.captureLabel != null) return;
        Drops x = pendingFrames.remove(s.frame);
        if (x == null) return;
        if (s.counterpartFrame == 0 && s.outcome == Outcome.NO_COUNTERPART) {
            x.confirmed++;
            certain(x);
        } else if (s.counterpartFrame != 0) {
            x.forwarded++;
            if (x.finding != null) x.finding.frame("wan", s.counterpartFrame);
        } else {
            certain(x);
        }
    }

    @Override
    public void expectation(ExpectationEvent e) {
        if (e instanceof ExpectationEvent.ExpectationCreated) {
            if (++liveExpectations > peakExpectations) {
                peakExpectations = liveExpectations;
                peakAt = e.nanos();
            }
            return;
        }
        ExpectationEvent.ExpectationRemoved r = (ExpectationEvent.ExpectationRemoved) e;
        liveExpectations--;
        if (r.reason() != ExpectationEvent.Reason.EVICTED) return;
        ExpectView v = r.expectation();
        Flow master = flow(v.master());
        Evictions x = evictions.computeIfAbsent(master.text() + " " + v.className(), k -> new Evictions(master, v.className()));
        if (x.count++ < LISTED) {
            x.evicted.add("expectation " + v.id() + " (" + v.className() + " to " + dev.natrecon.decode.Addresses.endpoint(
                    v.dstHi(), v.dstLo(), v.dstPort()) + ") at " + Text.time(r.nanos()));
        }
        x.finding.at(r.nanos()).frame(r.frame().point(), r.frame().frame());
    }

    @Override
    public void finish(DetectionContext context, Consumer<Finding> findings) {
        long max = context == null || context.timeouts() == null ? Long.MAX_VALUE
                : context.timeouts().seconds(Timeouts.Key.EXPECT_MAX);
        for (Drops x : drops.values()) {
            Flow f = x.flow;
            // a predicted drop the captures show forwarded is the model's divergence (helper.forwarded_but_dropped),
            // not the router's drop: only the others are reported, and none when every one was forwarded
            long dropped = x.count - x.forwarded;
            if (dropped == 0) continue;
            long full = x.fullDrops(max);
            if (x.finding == null) {
                droppedNotKept++;
                if (full > 0) tableFull(context, findings, x, f, full, max);
                continue;
            }
            String check = x.confirmed == dropped ? "each with no WAN counterpart, as the captures confirm"
                    : x.confirmed + " confirmed by the captures (no WAN counterpart)";
            if (x.forwarded > 0) {
                check += "; " + x.forwarded + " more the model's helper dropped were forwarded in the captures: a "
                        + "divergence of the model, not counted";
            }
            findings.accept(x.finding.subject(f.text())
                    .message("The SIP helper dropped " + Text.count(dropped, "packet") + " of " + f.text() + " (" + check
                            + "): " + x.reasons.join("; ") + ". The router would have logged: "
                            + (x.logs.isEmpty() ? "nothing (net_ratelimit)" : x.logs.join(" | ")) + ".")
                    .filter("lan", f.displayFilter())
                    .conntrack(x.conntrack())
                    .detail("drops", dropped)
                    .detail("confirmed by the captures", x.confirmed)
                    .detail("kernel log", x.logs.join(" | "))
                    .detail("expectations live at the drops", listed(x.countsAtDrop, (int) x.count))
                    .build());
            if (full > 0) tableFull(context, findings, x, f, full, max);
        }
        evictions(findings);
    }

    /** The first {@link #LISTED} of {@code n} values, comma-separated, and how many more there were. */
    private static String listed(long[] values, int n) {
        String head = java.util.Arrays.stream(values, 0, Math.min(n, LISTED)).mapToObj(String::valueOf)
                .collect(java.util.stream.Collectors.joining(", "));
        return n > LISTED ? head + " and " + (n - LISTED) + " more" : head;
    }

    @Override
    public Map<String, Long> findingsNotKept() {
        return droppedNotKept == 0 ? Map.of() : Map.of(DROPPED.id(), droppedNotKept);
    }

    private void tableFull(DetectionContext context, Consumer<Finding> findings, Drops x, Flow f, long full, long max) {
        findings.accept(x.full.subject(f.text())
                .message("The expectation table held " + max + " expectations (nf_conntrack_expect_max) when "
                        + Text.count(full, "SIP packet") + " of " + f.text() + " needed one: the kernel refused it "
                        + "and printed \"nf_conntrack: expectation table full\", and the SIP helper dropped the "
                        + "packet. Peak: " + peakExpectations + " live expectations at " + Text.time(peakAt) + ".")
                .filter("lan", f.displayFilter())
                .conntrack(x.conntrack())
                .detail("nf_conntrack_expect_max", max + " (" + context.timeouts().source(Timeouts.Key.EXPECT_MAX) + ")")
                .detail("peak live expectations", peakExpectations)
                .detail("kernel log", "nf_conntrack: expectation table full")
                .build());
    }

    private void evictions(Consumer<Finding> findings) {
        for (Evictions x : evictions.values()) {
            int limit = switch (x.className) {
                case "signalling" -> 1;
                case "image" -> 2;
                default -> 4;
            };
            findings.accept(x.finding.subject(x.master.text() + " " + x.className)
                    .message("The SIP master " + x.master.text() + " reached its limit of " + limit + " " + x.className
                            + " expectation" + (limit == 1 ? "" : "s") + " " + Text.count(x.count, "time")
                            + "; the oldest was evicted each time: " + String.join("; ", x.evicted)
                            + (x.count > x.evicted.size() ? "; and " + (x.count - x.evicted.size()) + " more" : "")
                            + ". Media (or signalling) for an evicted expectation is no longer let in.")
                    .filter("lan", x.master.displayFilterBothWays())
                    .detail("class", x.className)
                    .detail("max_expected", limit)
                    .detail("evicted", x.count)
                    .build());
        }
    }
}
