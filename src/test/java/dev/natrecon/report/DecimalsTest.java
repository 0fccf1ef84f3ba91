package dev.natrecon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Decimals#fixed} prints what {@code String.format("%.Nf")} prints, for every kind of double. */
class DecimalsTest {
    private static void same(double v) {
        for (int scale = 0; scale <= 4; scale++) {
            assertEquals(String.format(Locale.ROOT, "%." + scale + "f", v), Decimals.fixed(v, scale),
                    "%." + scale + "f of " + v + " (" + Double.toString(v) + ")");
        }
    }

    @Test
    void edgesMatchTheFormatter() {
        double[] edges = {0.0, -0.0, 1, -1, 0.5, 1.5, 2.5, -0.5, 0.05, 0.15, 0.25, 0.35, 0.045, 0.0005, 0.00049,
            0.0015, 1.0005, 2.675, 9.9995, 99.995, 999.9995, -9.9995, 0.9999999, 9.5, 99.5, 1e-3, 1e-4, 1.5e-4, 5e-5,
            4.9e-5, 1e-7, 5e-324, Double.MIN_NORMAL, 1e7, 1.2345678e7, 9.9999999e6, 123456789012.3456, 1e15, 1e16,
            1e17 + 0.5, 1e22, 1.7976931348623157e308, 123.456, 12.3456, -12.3455, 4.35, 4.45, 0.125, 0.375,
            Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0004, -0.04, -0.05};
        for (double v : edges) same(v);
    }

    @Test
    void randomValuesOfEveryMagnitudeMatchTheFormatter() {
        Random rnd = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            double v = switch (i % 5) {
                case 0 -> rnd.nextDouble() * 1000;
                case 1 -> Math.round(rnd.nextDouble() * 1e6) / 1e4 + (rnd.nextBoolean() ? 0.00005 : 0); // on a half
                case 2 -> Double.longBitsToDouble(rnd.nextLong());
                case 3 -> (rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(20) - 8);
                default -> rnd.nextInt(100_000) / 1000.0 * (rnd.nextBoolean() ? 1 : -1);
            };
            same(v);
        }
    }
}
