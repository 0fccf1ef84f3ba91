package dev.natrecon.engine;

import dev.natrecon.conntrack.ConntrackText;
import dev.natrecon.conntrack.KernelEntry;
import dev.natrecon.conntrack.KernelTableComparison;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The model's table compared with one of the router's {@code conntrack -L -o extended} listings.
 *
 * @param unreadable lines that are not conntrack entries (skipped), with the first one's number and reason
 * @param result     the comparison at the listing's instant, or null when the replay never reached a table to compare
 */
public record KernelTableCheck(Path file, int entries, int unreadable, String firstUnreadable,
                               KernelTableComparison.Result result) {
    /** Grid step on which the replay looks for a listing's instant when it is not given. */
    public static final long GRID_NANOS = 100_000_000L;
    /** How long after the captures' last packet the replay still looks for a listing's instant. */
    public static final long AFTER_END_NANOS = 60_000_000_000L;
    /** Seconds left may differ this much from a listing's before an entry counts as differing. */
    public static final long TIMEOUT_TOLERANCE_SECONDS = 2;

    /** The entries of a listing; event lines and lines that are no entry are counted as unreadable, never fatal. */
    static Listing read(Path file) throws IOException {
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
                    if (e.event() == null) {
                        entries.add(e);
                        continue;
                    }
                    why = "an event, not a listed entry";
                } catch (RuntimeException ex) {
                    why = ex.getMessage();
                }
                if (bad++ == 0) first = file + ": line " + lines + ": " + why;
            }
        }
        return new Listing(entries, bad, first);
    }

    record Listing(List<KernelEntry> entries, int unreadable, String firstUnreadable) {
    }
}
