package dev.natrecon.report;

import dev.natrecon.capture.Times;
import dev.natrecon.capture.CaptureInterface;
import dev.natrecon.correlate.ClockEstimate;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.LinkType;
import dev.natrecon.conntrack.KernelComparison;
import dev.natrecon.engine.CaptureStats;
import dev.natrecon.engine.KernelCheck;
import dev.natrecon.engine.ModelSummary;
import dev.natrecon.engine.RunResult;
import dev.natrecon.detect.Detection;
import dev.natrecon.detect.Finding;
import dev.natrecon.detect.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns results into ordered maps: the one shape behind {@code inspect --json}, {@code summary.json} and the text views. */
public final class Summaries {
    /** Version of the summary.json layout; later issues add keys, renames bump it. */
    public static final int SCHEMA_VERSION = 1;

    private Summaries() {
    }

    public static Map<String, Object> capture(CaptureStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", s.path);
        m.put("format", s.format == null ? null : s.format.label());
        m.put("compression", s.compression == null ? null : s.compression.label());
        List<Object> ifs = new ArrayList<>();
        for (CaptureInterface ci : s.interfaces) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("id", ci.id());
            i.put("name", ci.displayName());
            i.put("link_type", ci.linkType());
            i.put("link_type_name", LinkType.name(ci.linkType()));
            i.put("snap_length", ci.snapLength());
            i.put("timestamp_resolution_per_second", ci.ticksPerSecond());
            ifs.add(i);
        }
        m.put("interfaces", ifs);
        m.put("frames", s.frames);
        m.put("captured_bytes", s.capturedBytes);
        m.put("first_time", s.frames == 0 ? null : Times.iso(s.firstNanos));
        m.put("last_time", s.frames == 0 ? null : Times.iso(s.lastNanos));
        m.put("duration_seconds", s.durationSeconds());
        Map<String, Object> disp = new LinkedHashMap<>();
        for (Disposition d : Disposition.values()) disp.put(d.label(), s.disposition(d));
        m.put("dispositions", disp);
        m.put("anomalies", s.anomalies.asMap());
        m.put("link_types", s.linkTypes);
        m.put("protocols", s.protocols());
        m.put("match_keys", s.matchKeyKinds);
        m.put("non_ip_types", s.notIpTypes);
        m.put("link_events", s.linkEvents);
        return m;
    }

    /**
     * The binding lifetimes summary.json lists (mappings.csv has every one): at about 400 bytes each, 1,000 keep the
     * file small enough to read in an editor while covering a case of a few hundred phones.
     */
    public static final int MAX_LIFETIMES = 1_000;

    /** Each lifetime of a binding, in order of appearance: endpoints, the model's entry, when and how it ended. */
    static List<Object> lifetimes(List<dev.natrecon.correlate.Binding> bindings) {
        List<Object> out = new ArrayList<>();
        for (dev.natrecon.correlate.Binding b : bindings) {
            if (out.size() >= MAX_LIFETIMES) break;
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("binding", b.id);
            l.put("lifetime", b.lifetime);
            l.put("protocol", b.protocolName());
            l.put("internal", b.internal());
            l.put("external", dev.natrecon.conntrack.UnknownNat.shown(b.external()));
            l.put("external_seen", b.externalSeen());
            l.put("remote", b.remote());
            l.put("entry", b.entry() == 0 ? null : b.entry());
            l.put("first_time", Times.iso(b.firstNanos));
            l.put("last_time", Times.iso(b.lastNanos));
            l.put("ended", b.ending().label());
            l.put("end_time", b.ended() ? Times.iso(b.endNanos()) : null);
            if (!b.endDetail().isEmpty()) l.put("end_detail", b.endDetail());
            out.add(l);
        }
        return out;
    }

    public static Map<String, Object> clock(ClockEstimate c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", c.method());
        m.put("wan_ahead_of_lan_seconds", c.offsetSeconds());
        m.put("drift_ppm", c.driftPpm());
        m.put("anchor_time", c.anchorNanos() == 0 ? null : Times.iso(c.anchorNanos()));
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("matched_pairs", c.matches());
        ev.put("outbound_pairs", c.outbound());
        ev.put("inbound_pairs", c.inbound());
        ev.put("outliers", c.outliers());
        ev.put("residual_spread_seconds", c.spreadSeconds());
        ev.put("max_residual_seconds", c.maxResidualSeconds());
        ev.put("forwarding_delay_seconds", c.latencySeconds());
        m.put("evidence", ev);
        m.put("router_wan_addresses", c.externalAddresses());
        return m;
    }

    public static Map<String, Object> run(RunResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema_version", SCHEMA_VERSION);
        m.put("case", r.caseName());
        Map<String, Object> verdict = new LinkedHashMap<>();
        verdict.put("result", r.verdict().kind().label());
        verdict.putAll(verdict(r.findings()));
        if (r.verdict().oneSide()) verdict.put("vantage", r.verdict().vantage());
        m.put("verdict", verdict);
        if (r.verdict().oneSide()) m.put("one_capture_cannot_show", dev.natrecon.engine.RunVerdict.ONE_CAPTURE_CANNOT_SHOW);
        List<Object> reasons = new ArrayList<>();
        for (dev.natrecon.engine.RunVerdict.Reason x : r.verdict().reasons()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("id", x.id());
            one.put("text", x.text());
            one.put("figures", x.figures());
            reasons.add(one);
        }
        m.put("verdict_reasons", reasons);
        if (!r.verdict().notes().isEmpty()) m.put("input_notes", r.verdict().notes());
        List<Object> caps = new ArrayList<>();
        for (int i = 0; i < r.captures().size(); i++) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("role", r.roles().get(i));
            c.putAll(capture(r.captures().get(i)));
            caps.add(c);
        }
        m.put("captures", caps);
        m.put("decisions", r.decisions());
        m.put("clock", clock(r.clock()));
        Map<String, Object> match = new LinkedHashMap<>();
        match.put("window_seconds", r.matchWindowSeconds());
        match.put("matched_pairs", r.matchedPairs());
        for (Side side : Side.values()) {
            Map<String, Object> o = new LinkedHashMap<>();
            for (Outcome out : Outcome.values()) o.put(out.label(), r.outcome(side, out));
            long matchable = r.matchable(side);
            o.put("matchable", matchable);
            o.put("matched", r.matched(side));
            o.put("matched_percent", matchable == 0 ? 0.0 : 100.0 * r.matched(side) / matchable);
            match.put(side.label(), o);
        }
        match.put("peak_packets_held", r.peakHeld());
        m.put("matching", match);
        m.put("bindings", r.bindings().size());
        m.put("binding_lifetimes", lifetimes(r.bindings()));
        if (r.bindings().size() > MAX_LIFETIMES) m.put("binding_lifetimes_not_listed", r.bindings().size() - MAX_LIFETIMES);
        m.put("model", model(r.model()));
        if (r.kernelCheck() != null) m.put("kernel_comparison", kernelCheck(r.kernelCheck()));
        if (r.sipRewrites().verdict() != null) m.put("sip_alg", sipAlg(r.sipRewrites().verdict()));
        if (r.expectCheck() != null) {
            dev.natrecon.conntrack.KernelExpectationComparison.Result x = r.expectCheck().result();
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("file", r.expectCheck().file().toString());
            e.put("kernel_lines", x.kernelLines());
            e.put("reproduced", x.reproduced());
            e.put("extra_in_model", x.extra().size());
            e.put("problems", x.problems());
            m.put("kernel_expectations", e);
        }
        if (!r.tableChecks().isEmpty()) {
            List<Object> tables = new java.util.ArrayList<>();
            for (dev.natrecon.engine.KernelTableCheck t : r.tableChecks()) tables.add(tableCheck(t));
            m.put("kernel_tables", tables);
        }
        List<Object> limits = new ArrayList<>();
        for (dev.natrecon.engine.LimitNotice l : r.limits()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("id", l.id());
            x.put("where", l.where());
            x.put("count", l.count());
            x.put("notice", l.text());
            limits.add(x);
        }
        List<Object> findings = new ArrayList<>();
        long size = 0;
        for (Finding f : r.findings()) {
            Map<String, Object> one = finding(f);
            size += Json.render(one).length();
            if (size > ReportLimits.JSON_FINDINGS_BYTES) break;
            findings.add(one);
        }
        if (findings.size() < r.findings().size()) {
            int cut = r.findings().size() - findings.size();
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("id", dev.natrecon.capture.Bound.REPORT_SIZE.id());
            x.put("where", "summary.json");
            x.put("count", cut);
            x.put("notice", "summary.json: " + ReportLimits.more(cut));
            limits.add(x);
        }
        if (!limits.isEmpty()) m.put("limits", limits);
        m.put("finding_groups", groups(r.findings()));
        m.put("findings", findings);
        if (findings.size() < r.findings().size()) m.put("findings_not_listed", r.findings().size() - findings.size());
        m.put("calls", calls(r.calls()));
        m.put("streams", StreamsJson.streams(r.streams(), r.calls()));
        if (StreamsJson.notListed(r.streams()) > 0) m.put("streams_not_listed", StreamsJson.notListed(r.streams()));
        return m;
    }

    /**
     * The calls in brief (calls.csv has each): how many, answered, with media both ways on some side, by end reason,
     * and the lowest E-model MOS of any direction with its call.
     */
    static Map<String, Object> calls(List<dev.natrecon.detect.CallRecord> calls) {
        Map<String, Object> m = new LinkedHashMap<>();
        long answered = 0, bothWays = 0;
        Map<String, Long> reasons = new java.util.TreeMap<>();
        dev.natrecon.detect.CallRecord worst = null;
        double worstMos = Double.MAX_VALUE;
        for (dev.natrecon.detect.CallRecord c : calls) {
            if (c.answerNanos() >= 0) answered++;
            boolean both = false;
            for (Side side : Side.values()) {
                both |= c.leg(side, true).packets() > 0 && c.leg(side, false).packets() > 0;
            }
            if (both) bothWays++;
            reasons.merge(c.endReason(), 1L, Long::sum);
            for (dev.natrecon.detect.CallRecord.Leg l : c.legs()) {
                if (l.score() != null && l.score().mos() < worstMos) {
                    worstMos = l.score().mos();
                    worst = c;
                }
            }
        }
        m.put("total", calls.size());
        m.put("answered", answered);
        m.put("media_both_ways", bothWays);
        m.put("end_reasons", reasons);
        if (worst != null) {
            m.put("lowest_mos", Math.round(worstMos * 100) / 100.0);
            m.put("lowest_mos_call_id", worst.callId());
        }
        return m;
    }

    /**
     * One entry per finding as a person counts them (rule, severity and cause, {@link dev.natrecon.detect.Causes}):
     * its number (findings.csv's {@code finding}), how many instances and report.html's anchor of the first.
     */
    static List<Object> groups(List<Finding> findings) {
        List<Object> out = new ArrayList<>();
        for (dev.natrecon.detect.FindingGroup g : dev.natrecon.detect.Causes.group(findings)) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("finding", g.number());
            x.put("id", g.id());
            x.put("severity", g.severity().label());
            x.put("cause", g.cause());
            x.put("instances", g.count());
            x.put("time", dev.natrecon.capture.Times.epoch(g.nanos()));
            x.put("end_time", dev.natrecon.capture.Times.epoch(g.endNanos()));
            x.put("report_anchor", g.anchor());
            out.add(x);
        }
        return out;
    }

    /** The worst severity found ("clean" when nothing reaches warning) and the number of findings per severity. */
    public static Map<String, Object> verdict(List<Finding> findings) {
        Map<String, Object> m = new LinkedHashMap<>();
        Severity worst = Detection.worst(findings);
        m.put("worst", worst == null || worst == Severity.INFO ? "clean" : worst.label());
        Map<String, Object> counts = new LinkedHashMap<>();
        for (Severity s : Severity.values()) {
            counts.put(s.label(), findings.stream().filter(f -> f.severity() == s).count());
        }
        m.put("findings", counts);
        return m;
    }

    /** One finding with its evidence: frames and display filters per capture point, the conntrack entry, the facts. */
    public static Map<String, Object> finding(Finding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("severity", f.severity().label());
        m.put("time", Times.iso(f.nanos()));
        m.put("end_time", Times.iso(f.endNanos()));
        m.put("subject", f.subject());
        m.put("message", f.message());
        m.put("evidence", new LinkedHashMap<String, Object>(f.frames()));
        m.put("evidence_omitted", new LinkedHashMap<String, Object>(f.omitted()));
        m.put("display_filters", new LinkedHashMap<String, Object>(f.filters()));
        m.put("conntrack", f.conntrack());
        m.put("details", new LinkedHashMap<String, Object>(f.details()));
        m.put("fix", f.fix());
        return m;
    }

    /** The rewrite analysis: the case's class, per direction, message counts per class, and the findings. */
    public static Map<String, Object> sipAlg(dev.natrecon.alg.sip.CaseVerdict v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class", v.algClass().label());
        Map<String, Object> dir = new LinkedHashMap<>();
        for (dev.natrecon.alg.sip.Direction d : dev.natrecon.alg.sip.Direction.values()) {
            if (v.byDirection().containsKey(d)) dir.put(d.label(), v.byDirection().get(d).label());
        }
        m.put("by_direction", dir);
        Map<String, Object> counts = new LinkedHashMap<>();
        for (dev.natrecon.alg.sip.AlgClass c : dev.natrecon.alg.sip.AlgClass.values()) {
            if (v.count(c) > 0) counts.put(c.label(), v.count(c));
        }
        m.put("messages", counts);
        List<Object> findings = new java.util.ArrayList<>();
        for (dev.natrecon.alg.sip.AlgFinding f : v.findings()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("id", f.id());
            x.put("fields", f.fields());
            x.put("frames", f.frames().stream().map(Object::toString).toList());
            x.put("detail", f.detail());
            findings.add(x);
        }
        m.put("findings", findings);
        return m;
    }

    public static Map<String, Object> tableCheck(dev.natrecon.engine.KernelTableCheck t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", t.file().toString());
        m.put("unreadable_lines", t.unreadable());
        dev.natrecon.conntrack.KernelTableComparison.Result x = t.result();
        if (x == null) return m;
        m.put("time", Times.iso(x.atNanos()));
        m.put("time_estimated", x.estimated());
        entryTally(m, x.kernelEntries(), x.modelEntries(), x.matched(), x.differs(), x.missing(), x.extra());
        m.put("max_timeout_difference_seconds", x.maxTimeoutDifferenceSeconds());
        if (x.unobservable() > 0) m.put("unobservable_entries", x.unobservable()); // only when present
        return m;
    }

    /** The entry tally both kernel comparisons (a listing, an event log) report under the same keys. */
    private static void entryTally(Map<String, Object> m, int kernel, int model, int matched, int differ, int missing,
                                   int extra) {
        m.put("kernel_entries", kernel);
        m.put("model_entries", model);
        m.put("matched", matched);
        m.put("differ", differ);
        m.put("missing", missing);
        m.put("extra", extra);
    }

    public static Map<String, Object> kernelCheck(KernelCheck c) {
        KernelComparison.Result x = c.result();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", c.file().toString());
        m.put("lines", c.lines());
        m.put("unreadable_lines", c.unreadable());
        m.put("clock_offset_seconds", x.offsetNanos() / 1e9);
        m.put("clock_offset_estimated", x.offsetEstimated());
        entryTally(m, x.kernelEntries(), x.modelEntries(), x.matched(), x.differs(), x.missing(), x.extra());
        m.put("outside_captures", x.outsideCaptures());
        m.put("kernel_lines", x.kernelLines());
        m.put("reproduced_lines", x.reproducedLines());
        m.put("reproduced_percent", x.percent());
        if (x.unobservable() > 0) { // kills no packet made, re-created identically: counted apart (only when present)
            m.put("unobservable_entries", x.unobservable());
            m.put("unobservable_lines", x.unobservableLines());
        }
        m.put("new", List.of(x.reproducedNew(), x.kernelNew()));
        m.put("assured_update", List.of(x.reproducedAssured(), x.kernelAssured()));
        m.put("destroy", List.of(x.reproducedDestroy(), x.kernelDestroy()));
        m.put("max_new_lag_seconds", x.maxNewLagNanos() / 1e9);
        m.put("destroy_lag_seconds", List.of(x.minDestroyLagNanos() / 1e9, x.medianDestroyLagNanos() / 1e9,
                x.maxDestroyLagNanos() / 1e9));
        return m;
    }

    /**
     * The model's divergences as one line ("nat.source_address 2, sip.rewrite_other_translation 8"): where the
     * captures contradicted the Linux model's prediction; empty when there was none.
     */
    public static String divergences(ModelSummary s) {
        java.util.StringJoiner j = new java.util.StringJoiner(", ");
        s.divergences().forEach((id, n) -> j.add(id + " " + n));
        return j.toString();
    }

    public static Map<String, Object> model(ModelSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("settings", s.settings());
        m.put("packets_in", s.arrivals());
        m.put("verdicts", s.verdicts());
        m.put("events", s.events());
        m.put("nat_ports", s.natPorts());
        m.put("divergences", s.divergences());
        m.put("conntrack_s", s.conntrackS());
        m.put("peak_entries", s.peakEntries());
        m.put("peak_time", s.peakEntries() == 0 ? null : Times.iso(s.peakNanos()));
        m.put("entries_at_end", s.liveAtEnd());
        m.put("end_time", s.endNanos() == 0 ? null : Times.iso(s.endNanos()));
        m.put("expectation_events", s.expectationEvents());
        m.put("expectations_at_end", s.expectationsAtEnd());
        Map<String, Object> rw = new LinkedHashMap<>();
        rw.put("predicted", s.rewritesPredicted());
        rw.put("equal_to_router", s.rewritesEqual());
        rw.put("first_differing", s.rewriteMismatches());
        m.put("sip_helper_rewrites", rw);
        return m;
    }
}
