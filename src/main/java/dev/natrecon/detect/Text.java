package dev.natrecon.detect;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Wording shared by the detectors' messages (detect does not depend on report). */
final class Text {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private Text() {
    }

    /** "04:10:42.678" (UTC, ms): a time inside one capture, as a support engineer reads it next to Wireshark's. */
    static String time(long nanos) {
        return TIME.format(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)));
    }

    /** "12.3" seconds from a duration in ns. */
    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }

    /** "1 packet", "3 packets". */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    static String join(String a, String b) {
        return a == null || a.isEmpty() ? b : a + "; " + b;
    }
}
