package dev.natrecon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JSON strings: every control character, U+2028/U+2029 and lone surrogates escaped; the text reads back unchanged. */
class JsonTest {
    @Test
    void controlCharactersLineSeparatorsAndLoneSurrogatesAreEscaped() throws Exception {
        String hostile = "a\u0000\u001b[2J\u0007\u007f\u0085\u009b\u2028\u2029<script>&\"\\\ud83d\ude00|\ud83d|\ude00x";
        String json = Json.render(List.of(hostile)).strip();
        assertEquals("[\n  \"a\\u0000\\u001b[2J\\u0007\\u007f\\u0085\\u009b\\u2028\\u2029\\u003cscript\\u003e\\u0026\\\"\\\\"
                + "\ud83d\ude00|\\ud83d|\\ude00x\"\n]", json);
        for (char c : json.toCharArray()) {
            assertEquals(false, c < 0x20 && c != '\n' || c >= 0x7f && c <= 0x9f || c == 0x2028 || c == 0x2029, "raw U+" + (int) c);
        }
        assertEquals(hostile, new ObjectMapper().readValue(json, String[].class)[0]);
    }

    /** The hand-written trim gives exactly what the regular expression gave, on every kind of double. */
    @Test
    void numbersAsTheRegularExpressionTrimmedThem() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(18);
        double[] edges = {0.0, -0.0, 1, -1, 10, 100, 100_000_000, 123_456_789, 1e9, 1e10, 1e-4, 1e-5, 0.1, 0.5, 2.5e-7,
                1.0000000005, 99.9999999999, 999_999_999.5, Double.MIN_VALUE, Double.MAX_VALUE, 20.000, 0.020, 160.0};
        for (double d : edges) check(d);
        for (int i = 0; i < 100_000; i++) {
            check(Double.longBitsToDouble(r.nextLong()));
            check(r.nextInt(-1_000_000, 1_000_000) / (double) r.nextInt(1, 10_000));
            check(Math.round(r.nextDouble() * 1e6) / 1e3);
        }
    }

    private static void check(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) return;
        String regex = String.format(java.util.Locale.ROOT, "%.9g", d).replaceFirst("\\.?0+(e|$)", "$1");
        assertEquals(regex, Json.number(d), "value " + d);
    }
}
