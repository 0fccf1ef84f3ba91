package dev.natrecon.decode.sdp;

import static dev.natrecon.decode.Ascii.alnum;
import static dev.natrecon.decode.Ascii.digit;

import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.Ascii;

/**
 * The plain subset of SDP lines on which natrecon's line scan and jain-sip-ri's field parsers are known to read the
 * same: a line inside it is accepted by jain-sip, and jain-sip's reading agrees with the scan in every field
 * {@link JainSdp} cross-checks, so {@link SdpBody} does not hand it to jain-sip (whose per-line parse, with its
 * exceptions used for control flow, was most of an SDP body's cost). Any other line goes to jain-sip as before.
 *
 * <p>The subset is checked, not assumed: {@code PlainSdpTest} parses every SDP body of the samples, the test resources
 * (the public corpus among them), the fuzz corpora and generated edge cases both ways (every line through jain-sip,
 * and this shortcut) and requires the same issues and fields. A line is plain when it is printable ASCII of at most
 * {@link #MAX} chars, with single spaces only where shown:
 * <ul>
 * <li>{@code v=0};</li>
 * <li>{@code o=<user> <sess-id> <sess-version> IN IP4 <address>}: the user of letters, digits and {@code -_.}, the
 * two numbers of 1 to 18 digits without a leading zero, the address a plain dotted quad
 * ({@link Addresses#plainV4});</li>
 * <li>{@code c=IN IP4 <address>}, the address a plain dotted quad (no multicast suffix);</li>
 * <li>{@code t=<start> <stop>}, each 1 to 10 digits;</li>
 * <li>{@code m=<media> <port> <proto> <fmt>…}: the media in lower-case letters, the port 0..65535 without a leading
 * zero (no port count), the proto a letters-and-digits word or two joined by {@code /}, each format letters and
 * digits;</li>
 * <li>{@code a=<name>} or {@code a=<name>:<value>}: the name of letters, digits and {@code -_.}, the value not empty
 * and neither starting nor ending with a space (jain-sip trims it).</li>
 * </ul>
 */
final class PlainSdp {
    /** Longer lines go to jain-sip. */
    static final int MAX = 512;

    private PlainSdp() {
    }

    /** Whether the line {@code l} (without its line ending) is plain. */
    static boolean line(String l) {
        int n = l.length();
        if (n < 3 || n > MAX || l.charAt(1) != '=' || !Ascii.printable(l)) return false;
        return switch (l.charAt(0)) {
            case 'v' -> n == 3 && l.charAt(2) == '0';
            case 'o' -> origin(l);
            case 'c' -> l.startsWith("c=IN IP4 ") && Addresses.plainV4(l, 9, n) >= 0;
            case 't' -> {
                int e = digits(l, 2, 10);
                yield e > 0 && e < n && l.charAt(e) == ' ' && digits(l, e + 1, 10) == n;
            }
            case 'm' -> media(l);
            case 'a' -> attribute(l);
            default -> false;
        };
    }

    private static boolean nameChar(char c) {
        return alnum(c) || c == '-' || c == '_' || c == '.';
    }

    /** The end of 1..max digits from {@code i}, or -1. */
    private static int digits(String l, int i, int max) {
        int s = i;
        while (i < l.length() && digit(l.charAt(i))) i++;
        return i > s && i - s <= max ? i : -1;
    }

    /** The end of 1..max digits from {@code i} without a leading zero (a lone 0 allowed), or -1. */
    private static int number(String l, int i, int max) {
        int e = digits(l, i, max);
        return e < 0 || l.charAt(i) == '0' && e - i > 1 ? -1 : e;
    }

    /** The end of a run of chars accepted by {@code ok} from {@code i}, at least one, or -1. */
    private static int run(String l, int i, java.util.function.IntPredicate ok) {
        int s = i;
        while (i < l.length() && ok.test(l.charAt(i))) i++;
        return i > s ? i : -1;
    }

    /** {@code e} when it is followed by one space and something that is not a space; else -1. */
    private static int space(String l, int e) {
        return e > 0 && e + 1 < l.length() && l.charAt(e) == ' ' && l.charAt(e + 1) != ' ' ? e + 1 : -1;
    }

    private static boolean origin(String l) {
        int i = space(l, run(l, 2, c -> nameChar((char) c)));
        if (i < 0) return false;
        i = space(l, number(l, i, 18));
        if (i < 0) return false;
        i = space(l, number(l, i, 18));
        if (i < 0 || !l.startsWith("IN IP4 ", i)) return false;
        return Addresses.plainV4(l, i + 7, l.length()) >= 0;
    }

    private static boolean media(String l) {
        int i = space(l, run(l, 2, c -> c >= 'a' && c <= 'z'));
        if (i < 0) return false;
        int e = number(l, i, 5);
        if (e < 0 || Integer.parseInt(l, i, e, 10) > 65535) return false;
        i = space(l, e);
        if (i < 0) return false;
        e = run(l, i, c -> alnum((char) c));
        if (e > 0 && e < l.length() && l.charAt(e) == '/') e = run(l, e + 1, c -> alnum((char) c));
        i = space(l, e);
        if (i < 0) return false;
        while (true) {
            e = run(l, i, c -> alnum((char) c));
            if (e == l.length()) return true;
            i = space(l, e);
            if (i < 0) return false;
        }
    }

    private static boolean attribute(String l) {
        int e = run(l, 2, c -> nameChar((char) c));
        if (e == l.length()) return true;
        if (e < 0 || l.charAt(e) != ':' || e + 1 == l.length()) return false;
        return l.charAt(e + 1) != ' ' && l.charAt(l.length() - 1) != ' ';
    }
}
