package dev.natrecon.detect;

import java.util.List;

/**
 * One finding as a person reads it: every instance of one rule, severity and cause ({@link Causes}), e.g. one
 * {@code nat.port_clash} listing the 100 bindings remapped behind one external address. Each instance stays a row of
 * findings.csv and an entry of report.html; the terminal and summary.md show the group.
 *
 * @param number    1-based place in the case's order (most severe first, then by the first instance's time)
 * @param index     0-based index of the first instance in the case's finding list (report.html's anchor is
 *                  {@code #f(index + 1)})
 * @param instances the instances listed (in findings.csv and report.html), in time order, never empty; past
 *                  {@link Detection#MAX_INSTANCES_PER_GROUP} the rest are counted ({@link Finding#unlisted}), not listed
 */
public record FindingGroup(int number, int index, List<Finding> instances) {
    public FindingGroup {
        instances = List.copyOf(instances);
        if (instances.isEmpty()) throw new IllegalArgumentException("a finding group needs an instance");
    }

    public Finding first() {
        return instances.get(0);
    }

    public String id() {
        return first().id();
    }

    public Severity severity() {
        return first().severity();
    }

    public String cause() {
        return first().cause();
    }

    /** Every instance found, listed or only counted. */
    public int count() {
        long n = instances.size();
        for (Finding f : instances) n += f.unlisted();
        return (int) Math.min(Integer.MAX_VALUE, n);
    }

    /** The instances listed (rows of findings.csv). */
    public int listed() {
        return instances.size();
    }

    /** When the first instance starts. */
    public long nanos() {
        return first().nanos();
    }

    /** When the last instance ends. */
    public long endNanos() {
        long end = Long.MIN_VALUE;
        for (Finding f : instances) end = Math.max(end, f.endNanos());
        return end;
    }

    /** report.html's anchor of the first instance ("f3"). */
    public String anchor() {
        return "f" + (index + 1);
    }

    /** "1 error, 2 warnings, 1 info": the groups counted per severity, most severe first (terminal and summary.md). */
    public static String tally(List<FindingGroup> groups) {
        StringBuilder b = new StringBuilder();
        Severity[] order = Severity.values();
        for (int i = order.length - 1; i >= 0; i--) {
            Severity s = order[i];
            long n = groups.stream().filter(g -> g.severity() == s).count();
            if (n == 0) continue;
            if (b.length() > 0) b.append(", ");
            b.append(n).append(' ').append(s.label()).append(n == 1 || s == Severity.INFO ? "" : "s");
        }
        return b.toString();
    }
}
