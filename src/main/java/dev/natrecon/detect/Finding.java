package dev.natrecon.detect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One thing a detector found, with the evidence a support engineer checks it against.
 *
 * @param id       the rule's stable dotted id
 * @param severity how bad it is
 * @param nanos    when it starts (corrected capture time, ns since the epoch)
 * @param endNanos when it ends (equal to {@code nanos} for an instant)
 * @param subject  what it is about, short and stable: a flow or binding ("udp 192.168.1.10:5060 -> 198.51.100.2:5060"),
 *                 a Call-ID; findings of one rule are ordered by it after time
 * @param message  one or two sentences with the numbers
 * @param frames   evidence frames per capture point ("lan", "wan", or a router interface), Wireshark's numbering,
 *                 ascending, at most {@link #MAX_FRAMES} each
 * @param omitted  per capture point, how many more evidence frames there were than {@code frames} lists
 * @param filters  per capture point, a Wireshark display filter that shows the packets concerned
 * @param conntrack the conntrack entry involved as {@code conntrack -L} would show it, or empty
 * @param details  further facts for the evidence table, in order (label → value)
 * @param fix      what to do about it (from the rule unless the detector knows better)
 * @param cause    what the finding's instances share ({@link Causes}): findings of one rule, severity and cause are
 *                 one finding for a person (a {@link FindingGroup}), each instance a row of findings.csv
 * @param unlisted further instances of the same finding that were counted, not listed (past
 *                 {@link Detection#MAX_INSTANCES_PER_GROUP}); set on the finding's last listed instance, 0 elsewhere
 */
public record Finding(String id, Severity severity, long nanos, long endNanos, String subject, String message,
                      Map<String, List<Long>> frames, Map<String, Integer> omitted, Map<String, String> filters,
                      String conntrack, Map<String, String> details, String fix, String cause, long unlisted) {
    /** Evidence frames listed per capture point; the rest are counted in {@link #omitted}. */
    public static final int MAX_FRAMES = 50;

    public Finding {
        frames = Collections.unmodifiableMap(new LinkedHashMap<>(frames));
        omitted = Collections.unmodifiableMap(new LinkedHashMap<>(omitted));
        filters = Collections.unmodifiableMap(new LinkedHashMap<>(filters));
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
        cause = cause == null || cause.isEmpty() ? subject : cause;
    }

    /** This instance, standing also for {@code n} more of its finding that were counted, not listed. */
    public Finding withUnlisted(long n) {
        return new Finding(id, severity, nanos, endNanos, subject, message, frames, omitted, filters, conntrack, details,
                fix, cause, n);
    }

    /** A builder for a finding of {@code rule}, with the rule's severity and fix. */
    public static Builder of(Rule rule) {
        return new Builder(rule);
    }

    /** Gathers a finding's evidence; frames may come in any order and more than once. */
    public static final class Builder {
        private final Rule rule;
        private Severity severity;
        private long nanos = Long.MAX_VALUE, endNanos = Long.MIN_VALUE;
        private String subject = "", message = "", conntrack = "", fix, cause = "";
        // Made on first use: a detector keeps a builder per flow or call it follows (tens of thousands on a busy
        // case), most of which never receive evidence; five empty collections each were most of their memory.
        private EvidenceFrames frames;
        private Map<String, Integer> omitted;
        private Map<String, String> filters;
        private java.util.Set<String> evidenceInFilter;
        private Map<String, String> details;

        private Builder(Rule rule) {
            this.rule = rule;
            this.severity = rule.severity();
            this.fix = rule.fix();
        }

        public Builder severity(Severity s) {
            severity = s;
            return this;
        }

        /** Widens the finding's time span to include {@code t}. */
        public Builder at(long t) {
            nanos = Math.min(nanos, t);
            endNanos = Math.max(endNanos, t);
            return this;
        }

        public Builder subject(String s) {
            subject = s;
            return this;
        }

        /** What this instance shares with the others of its finding ({@link Causes}); the subject when not set. */
        public Builder cause(String c) {
            cause = c == null ? "" : c;
            return this;
        }

        public Builder message(String m) {
            message = m;
            return this;
        }

        /** Adds an evidence frame (ignored when {@code frame} is 0: no frame). */
        public Builder frame(String capture, long frame) {
            if (frame <= 0 || capture == null || capture.isEmpty()) return this;
            if (frames == null) frames = new EvidenceFrames();
            if (frames.add(capture, frame)) omitted().merge(capture, 1, Integer::sum);
            return this;
        }

        public Builder filter(String capture, String displayFilter) {
            if (displayFilter != null && !displayFilter.isEmpty()) {
                if (filters == null) filters = new LinkedHashMap<>();
                filters.put(capture, displayFilter);
            }
            return this;
        }

        private Map<String, Integer> omitted() {
            if (omitted == null) omitted = new LinkedHashMap<>();
            return omitted;
        }

        /**
         * A display filter for the finding's flow that also selects the capture point's evidence frames
         * ({@code (FILTER) || frame.number in {...}}, completed in {@link #build()}), for a finding whose evidence
         * lies partly outside the flow: the other party of a port clash, the binding's new external port after a gap.
         */
        public Builder filterWithEvidence(String capture, String displayFilter) {
            if (evidenceInFilter == null) evidenceInFilter = new java.util.HashSet<>();
            evidenceInFilter.add(capture);
            return filter(capture, displayFilter);
        }

        public Builder conntrack(String entry) {
            conntrack = entry == null ? "" : entry;
            return this;
        }

        /** A figure for the evidence table; a collection is written as its elements joined by ", " (no brackets). */
        public Builder detail(String label, Object value) {
            if (details == null) details = new LinkedHashMap<>();
            details.put(label, readable(value));
            return this;
        }

        /** {@code value} as a person reads it: a collection's or a map's elements without Java's brackets and braces. */
        static String readable(Object value) {
            if (value instanceof java.util.Collection<?> c) {
                return String.join(", ", c.stream().map(Builder::readable).toList());
            }
            if (value instanceof Map<?, ?> m) {
                List<String> parts = new ArrayList<>();
                for (Map.Entry<?, ?> e : m.entrySet()) parts.add(readable(e.getKey()) + " " + readable(e.getValue()));
                return String.join(", ", parts);
            }
            return String.valueOf(value);
        }

        public Builder fix(String f) {
            fix = f;
            return this;
        }

        public Finding build() {
            if (nanos == Long.MAX_VALUE) throw new IllegalStateException(rule.id() + ": a finding needs a time");
            Map<String, List<Long>> f = frames == null ? new LinkedHashMap<>() : frames.toMap();
            Map<String, String> fl = filters == null ? new LinkedHashMap<>() : new LinkedHashMap<>(filters);
            for (String capture : evidenceInFilter == null ? java.util.Set.<String>of() : evidenceInFilter) {
                String flow = fl.get(capture);
                List<Long> evidence = f.getOrDefault(capture, List.of());
                if (flow != null && !evidence.isEmpty()) {
                    fl.put(capture, "(" + flow + ") || " + DisplayFilters.frames(evidence));
                }
            }
            return new Finding(rule.id(), severity, nanos, endNanos, subject, message, f,
                    omitted == null ? new LinkedHashMap<>() : omitted, fl, conntrack,
                    details == null ? new LinkedHashMap<>() : details, fix, cause, 0);
        }
    }

    /** All evidence frames of one capture point (empty when none). */
    public List<Long> frames(String capture) {
        return frames.getOrDefault(capture, List.of());
    }

    /** Evidence frames of every capture point as "lan:12 wan:15" (for one-line views). */
    public String frameList() {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, List<Long>> e : frames.entrySet()) {
            for (Long n : e.getValue()) parts.add(e.getKey() + ":" + n);
        }
        return String.join(" ", parts);
    }
}
