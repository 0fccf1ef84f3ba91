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

    /** Written through a writer in chunks, a large document is exactly the rendered one. */
    @Test
    void writtenInChunksAsRendered() throws Exception {
        List<Object> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("n", i);
            row.put("x", i / 7.0);
            row.put("text", "row " + i + " <&> \ud83d\ude00 \"q\"\n" + "y".repeat(i % 50) + (i % 97 == 0 ? "\ud83d" : ""));
            row.put("list", List.of(i, "a", List.of()));
            rows.add(row);
        }
        java.io.StringWriter out = new java.io.StringWriter();
        Json.write(out, java.util.Map.of("rows", rows));
        String rendered = Json.render(java.util.Map.of("rows", rows));
        assertEquals(true, rendered.length() > 4 * Json.CHUNK);
        assertEquals(rendered, out.toString());
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
            check(r.nextLong(-100_000_000_000L, 100_000_000_000L) / Math.pow(10, r.nextInt(0, 14)));
            check(r.nextInt(1, 1_000_000_000) * 1e-3);
        }
        for (double d : new double[] {0.001, 0.000999999999, 9_999_999.99, 9_999_999.999999999, 1e7, 123_456_789e-3,
            1_234_567_891e-3, 0.0012345678949, 0.00123456789, 5_000_000.5, 4.4999999995, 1.5e-3}) {
            check(d);
            check(-d);
        }
    }

    private static void check(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) return;
        String regex = String.format(java.util.Locale.ROOT, "%.9g", d).replaceFirst("\\.?0+(e|$)", "$1");
        assertEquals(regex, Json.number(d), "value " + d);
    }
}
