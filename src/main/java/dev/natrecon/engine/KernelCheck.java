package dev.natrecon.engine;

import dev.natrecon.conntrack.ConntrackText;
import dev.natrecon.conntrack.KernelComparison;
import dev.natrecon.conntrack.KernelEntry;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The reconstruction compared with the router's own {@code conntrack -E} log.
 *
 * @param unreadable lines of the log that are not conntrack events (skipped), with the first one's number and reason
 */
public record KernelCheck(Path file, int lines, int unreadable, String firstUnreadable, KernelComparison.Result result) {
    /** The events of a {@code conntrack -E} log; lines that are not events are counted, never fatal. */
    static Parsed read(Path file) throws IOException {
        return read(file, true);
    }

    /**
     * The events ({@code events}) or the listed entries (a {@code conntrack -L} listing) of a file; other lines are
     * counted as unreadable with the first one's number and reason (a log cut off mid-line still compares). Blank
     * lines, {@code #} comments and conntrack-tools' own "conntrack v… flow entries" line are skipped. A file with
     * lines but not one readable is not such a log at all: an {@link IOException} naming the file, the first line and
     * what was expected.
     */
    static Parsed read(Path file, boolean events) throws IOException {
        List<KernelEntry> entries = new ArrayList<>();
        int lines = 0, bad = 0;
        String first = null;
        try (BufferedReader r = Files.newBufferedReader(file)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines++;
                if (line.isBlank() || line.startsWith("#") || line.startsWith("conntrack v")) continue;
                String why;
                try {
                    KernelEntry e = ConntrackText.entry(line);
                    if ((e.event() != null) == events) {
                        entries.add(e);
                        continue;
                    }
                    why = events ? "a listed entry, not an event" : "an event, not a listed entry";
                } catch (RuntimeException ex) {
                    why = ex.getMessage() == null ? ex.toString() : ex.getMessage();
                }
                if (bad++ == 0) first = file + ": line " + lines + ": " + why;
            }
        }
        if (entries.isEmpty() && bad > 0) {
            throw new IOException(first + " (expected " + (events ? "a 'conntrack -E -o timestamp,extended' log"
                    : "a 'conntrack -L -o extended' listing") + "; no line of the file is one)");
        }
        return new Parsed(entries, lines, bad, first);
    }

    record Parsed(List<KernelEntry> entries, int lines, int unreadable, String firstUnreadable) {
    }
}
