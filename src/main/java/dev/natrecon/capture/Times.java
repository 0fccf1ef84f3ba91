package dev.natrecon.capture;

/**
 * Time rendering shared by every package that shows a packet time (the sinks, the engine's decisions, the CLI):
 * epoch seconds with nanoseconds for machines, ISO-8601 UTC for people. It lives with the capture timestamps it
 * renders, at the bottom of the package graph, so no package needs another one above it for it.
 */
public final class Times {
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

    /**
     * "2026-11-21T02:11:47.721352000Z": ISO-8601 UTC to the nanosecond, written digit by digit: the report writes this
     * for rows of its CSVs and lines, where a {@link java.time.format.DateTimeFormatter} cost about 1 us a call. A long of nanoseconds
     * since 1970 spans the years 1677-2262, always four digits, so the formatter's sign rules for other years never
     * apply; the text is the formatter's ("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'", TimesTest compares them).
     */
    public static String iso(long nanos) {
        long seconds = Math.floorDiv(nanos, 1_000_000_000L);
        int nano = (int) Math.floorMod(nanos, 1_000_000_000L);
        long days = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        java.time.LocalDate date = java.time.LocalDate.ofEpochDay(days);
        byte[] t = new byte[ISO_LENGTH];
        digits(t, 0, date.getYear(), 4);
        t[4] = '-';
        digits(t, 5, date.getMonthValue(), 2);
        t[7] = '-';
        digits(t, 8, date.getDayOfMonth(), 2);
        t[10] = 'T';
        digits(t, 11, secondOfDay / 3600, 2);
        t[13] = ':';
        digits(t, 14, secondOfDay / 60 % 60, 2);
        t[16] = ':';
        digits(t, 17, secondOfDay % 60, 2);
        t[19] = '.';
        digits(t, 20, nano, 9);
        t[29] = 'Z';
        return new String(t, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Seconds in a UTC day (no leap seconds in POSIX time, which capture timestamps are). */
    private static final long SECONDS_PER_DAY = 86_400;
    /** "uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'" for a four-digit year. */
    private static final int ISO_LENGTH = 30;

    /** {@code value} in {@code width} decimal digits, zero-padded, at {@code t[at]}. */
    private static void digits(byte[] t, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            t[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
