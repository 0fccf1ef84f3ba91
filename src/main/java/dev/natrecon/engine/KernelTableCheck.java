package dev.natrecon.engine;

import dev.natrecon.conntrack.KernelTableComparison;
import java.nio.file.Path;

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
}
