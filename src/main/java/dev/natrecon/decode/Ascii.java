package dev.natrecon.decode;

/**
 * The ASCII character classes the plain-subset checks of SIP ({@code decode.sip.PlainSip}) and SDP
 * ({@code decode.sdp.PlainSdp}) are written in: one definition for both, so the two subsets cannot drift apart on what
 * a digit, a letter or a printable character is.
 */
public final class Ascii {
    private Ascii() {
    }

    /** {@code 0}..{@code 9}. */
    public static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    /** An ASCII letter or digit. */
    public static boolean alnum(char c) {
        return digit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    /** Whether every char of {@code s} is printable ASCII (space to {@code ~}; no control, DEL or non-ASCII char). */
    public static boolean printable(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) return false;
        }
        return true;
    }
}
