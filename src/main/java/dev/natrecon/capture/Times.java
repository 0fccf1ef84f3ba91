package dev.natrecon.capture;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Time rendering shared by every package that shows a packet time (the sinks, the engine's decisions, the CLI):
 * epoch seconds with nanoseconds for machines, ISO-8601 UTC for people. It lives with the capture timestamps it
 * renders, at the bottom of the package graph, so no package needs another one above it for it.
 */
public final class Times {
    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Times() {
    }

    /** "1795226934.025179000". */
    public static String epoch(long nanos) {
        long s = Math.floorDiv(nanos, 1_000_000_000L);
        long n = Math.floorMod(nanos, 1_000_000_000L);
        StringBuilder sb = new StringBuilder(20).append(s).append('.');
        String frac = Long.toString(n);
        for (int i = frac.length(); i < 9; i++) sb.append('0');
        return sb.append(frac).toString();
    }

    /** Time of day in UTC to the microsecond ("02:11:47.721352"), for tables whose date is given elsewhere. */
    public static String timeOfDay(long nanos) {
        return iso(nanos).substring(11, 26);
    }

    public static String iso(long nanos) {
        return ISO.format(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)));
    }
}
