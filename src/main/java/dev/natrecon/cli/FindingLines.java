package dev.natrecon.cli;

import dev.natrecon.capture.Times;
import dev.natrecon.detect.Causes;
import dev.natrecon.detect.Finding;
import dev.natrecon.detect.FindingGroup;
import dev.natrecon.detect.Severity;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The findings on the terminal, one finding per rule and cause ({@link Causes}): each warning and error in at most
 * three lines of at most {@link ColumnWriter#COLUMNS} columns (severity, rule, time and how many instances; the claim
 * in one sentence; where to look: report.html's anchor and findings.csv's finding number); info findings only when
 * asked ({@code -v}).
 */
final class FindingLines {
    /** Where the second and third lines start. */
    static final String INDENT = "          ";

    private FindingLines() {
    }

    /** "Verdict: ERROR (3 findings: 1 error, 2 warnings)", the findings counted per rule and cause. */
    static String verdict(dev.natrecon.engine.RunVerdict v, List<Finding> findings) {
        List<FindingGroup> groups = Causes.group(findings);
        return "Verdict: " + v.label().toUpperCase(Locale.ROOT) + " (" + (groups.isEmpty() ? "no findings"
                : groups.size() + (groups.size() == 1 ? " finding: " : " findings: ") + FindingGroup.tally(groups)) + ")"
                + (v.oneSide() ? " from one capture, " + v.vantage() : "");
    }


    /** The findings worth a person's attention (all of them with {@code verbose}), three lines at most each. */
    static void print(PrintWriter out, List<Finding> findings, boolean verbose) {
        List<FindingGroup> groups = Causes.group(findings);
        int hidden = 0;
        for (FindingGroup g : groups) {
            if (g.severity() == Severity.INFO && !verbose) {
                hidden++;
                continue;
            }
            for (String line : lines(g)) out.println(line);
        }
        if (hidden > 0) {
            out.printf(Locale.ROOT, "  %d info finding%s not shown (-v shows %s; all are in report.html and findings.csv)%n",
                    hidden, hidden == 1 ? "" : "s", hidden == 1 ? "it" : "them");
        }
        out.flush();
    }

    /** A finding's three lines: what and when, the claim, where to look. */
    static List<String> lines(FindingGroup g) {
        Finding f = g.first();
        String head = String.format(Locale.ROOT, "  %-7s %s at %s", g.severity().label().toUpperCase(Locale.ROOT), g.id(),
                Times.iso(g.nanos()));
        if (g.count() > 1) head += " (" + g.count() + " instances: " + TerminalWriter.oneLine(g.cause()) + ")";
        String claim = INDENT + firstSentence(TerminalWriter.oneLine(f.message()));
        String where = INDENT + "see report.html#" + g.anchor() + ", findings.csv finding " + g.number()
                + (g.listed() > 1 ? " (" + g.listed() + " rows)" : "");
        return List.of(fit(head), fit(claim), fit(where));
    }

    /** The message's first sentence (up to the first ". " or the end). */
    static String firstSentence(String message) {
        int end = message.indexOf(". ");
        return end < 0 ? message : message.substring(0, end + 1);
    }

    /**
     * {@code line} cut to {@link ColumnWriter#COLUMNS} columns, ending in "..." when cut. The cut is at a space, never
     * inside a word, a number, an address or a list of numbers: not between "12," and the number after it (a frame or
     * port list goes on), not between a bare number and the word it counts, not inside parentheses, brackets or braces
     * that open before it. Trailing punctuation is
     * dropped before the "...". Only a line with no such space in its second half is cut at the last space at all, and
     * one without any space at the column limit.
     */
    static String fit(String line) {
        int max = ColumnWriter.COLUMNS;
        if (line.length() <= max) return line;
        int limit = max - ELLIPSIS.length();
        int lead = 0;
        while (lead < line.length() && line.charAt(lead) == ' ') lead++;
        int cut = -1, anySpace = -1;
        int depth = 0;
        int[] depthAt = new int[limit + 1];
        for (int i = 0; i <= limit && i < line.length(); i++) {
            depthAt[i] = depth;
            char c = line.charAt(i);
            if (c == '(' || c == '[' || c == '{') depth++;
            else if ((c == ')' || c == ']' || c == '}') && depth > 0) depth--;
        }
        for (int i = limit; i > lead; i--) {
            if (line.charAt(i) != ' ') continue;
            if (anySpace < 0) anySpace = i;
            boolean numberListGoesOn = line.charAt(i - 1) == ',' && i + 1 < line.length()
                    && Character.isDigit(line.charAt(i + 1));
            if (numberListGoesOn || depthAt[i] > 0 || endsInBareNumber(line, lead, i)) continue;
            cut = i;
            break;
        }
        if (cut < lead + (limit - lead) / 2) cut = anySpace > lead ? anySpace : -1;
        if (cut < 0) return line.substring(0, limit) + ELLIPSIS;
        String head = line.substring(0, cut);
        while (head.length() > lead && ",;:|(-—".indexOf(head.charAt(head.length() - 1)) >= 0) {
            head = head.substring(0, head.length() - 1).stripTrailing();
        }
        return head + ELLIPSIS;
    }

    /**
     * Whether the token before {@code space} is a bare number ("4", "1.006"), which is read with the word after it
     * (its unit or what it counts): a line is not cut between them. An address ("192.168.1.10") is a whole token.
     */
    static boolean endsInBareNumber(String line, int lead, int space) {
        int start = line.lastIndexOf(' ', space - 1) + 1;
        if (start < lead) start = lead;
        return BARE_NUMBER.matcher(line.substring(start, space)).matches();
    }

    private static final java.util.regex.Pattern BARE_NUMBER = java.util.regex.Pattern.compile("\\d+(\\.\\d+)?");

    /** What ends a line cut to fit. */
    static final String ELLIPSIS = "...";
}
