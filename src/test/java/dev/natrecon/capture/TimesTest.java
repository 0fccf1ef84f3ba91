package dev.natrecon.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Times#iso}'s digit-by-digit text is the formatter's, for every kind of instant. */
class TimesTest {
    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private static String reference(long nanos) {
        return REFERENCE.format(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
                Math.floorMod(nanos, 1_000_000_000L)));
    }

    @Test
    void edgesMatchTheFormatter() {
        long[] edges = {0, 1, -1, 999_999_999L, 1_000_000_000L, -1_000_000_000L, -1_000_000_001L,
                1_795_226_934_025_179_000L, 951_782_400_000_000_000L /* 2000-02-29 */, 4_107_542_399_999_999_999L,
                Long.MAX_VALUE /* 2262 */, Long.MIN_VALUE /* 1677 */, 86_399_999_999_999L, 86_400_000_000_000L,
                -86_400_000_000_000L, 68_169_599_999_999_999L /* 1972-02-29 */};
        for (long n : edges) assertEquals(reference(n), Times.iso(n), "nanos " + n);
        assertEquals("2026-11-21T02:11:47.721352000Z", Times.iso(1_795_227_107_721_352_000L));
        assertEquals("1970-01-01T00:00:00.000000000Z", Times.iso(0));
        assertEquals("1969-12-31T23:59:59.999999999Z", Times.iso(-1));
    }

    @Test
    void randomInstantsMatchTheFormatter() {
        SplittableRandom r = new SplittableRandom(18);
        for (int i = 0; i < 200_000; i++) {
            long n = i % 2 == 0 ? r.nextLong() : r.nextLong(-100L * 365 * 86_400_000_000_000L, 4_000_000_000_000_000_000L);
            assertEquals(reference(n), Times.iso(n), "nanos " + n);
        }
    }

    @Test
    void timeOfDayIsTheIsoSlice() {
        assertEquals("02:11:47.721352", Times.timeOfDay(1_795_227_107_721_352_000L));
    }
}
