package dev.natrecon.report;

import java.util.Locale;

/**
 * Fixed-point text of a double, character for character what {@code String.format(Locale.ROOT, "%.Nf", v)} prints,
 * without the formatter (which parses its pattern and builds a {@link java.util.Formatter} per call): a CSV row
 * writer formats tens of values per row. The formatter's rule (its javadoc: "rounded using the round half up
 * algorithm" on the digits {@link Double#toString(double)} gives) is applied to those same digits here.
 */
final class Decimals {
    private Decimals() {
    }

    /** {@code v} with {@code scale} digits after the point (0 to 15), as {@code %.<scale>f} in the root locale. */
    static String fixed(double v, int scale) {
        if (!Double.isFinite(v) || scale < 0 || scale > 15) return String.format(Locale.ROOT, "%." + scale + "f", v);
        boolean negative = Double.doubleToRawLongBits(v) < 0;
        String text = Double.toString(Math.abs(v));
        int e = text.indexOf('E');
        int exponent = e < 0 ? 0 : Integer.parseInt(text, e + 1, text.length(), 10);
        String mantissa = e < 0 ? text : text.substring(0, e);
        int dot = mantissa.indexOf('.');
        // the digits, and where the point goes among them
        char[] digits = new char[mantissa.length() - 1 + 1];
        digits[0] = '0'; // room for a carry
        mantissa.getChars(0, dot, digits, 1);
        mantissa.getChars(dot + 1, mantissa.length(), digits, 1 + dot);
        int point = 1 + dot + exponent;
        int keep = point + scale; // digits kept, counting the carry's room
        StringBuilder out = new StringBuilder(Math.max(point, 1) + scale + 2);
        if (negative) out.append('-');
        if (keep < 1) {
            // every digit lies beyond the last one printed, the first of them a zero: it rounds to zero
            appendFixed(out, new char[] {'0'}, 1, 1, scale);
            return out.toString();
        }
        int length = digits.length;
        if (keep < length) {
            boolean up = digits[keep] >= '5';
            length = keep;
            for (int i = keep - 1; up && i >= 0; i--) {
                if (digits[i] == '9') {
                    digits[i] = '0';
                } else {
                    digits[i]++;
                    up = false;
                }
            }
        }
        appendFixed(out, digits, length, point, scale);
        return out.toString();
    }

    /** The first {@code length} of {@code digits}, the point after {@code point} of them, to {@code scale} places. */
    private static void appendFixed(StringBuilder out, char[] digits, int length, int point, int scale) {
        int first = 0;
        while (first < point - 1 && first < length && digits[first] == '0') first++; // leading zeros, one kept
        if (point <= 0) {
            out.append('0');
        } else {
            for (int i = first; i < point; i++) out.append(i < length ? digits[i] : '0');
        }
        if (scale == 0) return;
        out.append('.');
        for (int i = point; i < point + scale; i++) out.append(i >= 0 && i < length ? digits[i] : '0');
    }
}
