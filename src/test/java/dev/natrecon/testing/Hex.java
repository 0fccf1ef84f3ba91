package dev.natrecon.testing;

import dev.natrecon.capture.RawFrame;

/** Hex fixtures: whitespace and {@code |}-separated readable renderings are ignored, so rows can carry comments. */
public final class Hex {
    private Hex() {
    }

    /** Parses hex digits, skipping spaces, newlines and anything after a {@code #} on a line. */
    public static byte[] bytes(String text) {
        StringBuilder digits = new StringBuilder();
        for (String line : text.split("\n")) {
            int hash = line.indexOf('#');
            String l = hash >= 0 ? line.substring(0, hash) : line;
            for (char c : l.toCharArray()) if (Character.digit(c, 16) >= 0) digits.append(c);
        }
        if (digits.length() % 2 != 0) throw new IllegalArgumentException("odd number of hex digits");
        byte[] b = new byte[digits.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        return b;
    }

    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    /** A frame of {@code linkType} holding the first {@code length} bytes of {@code b} (as if the file ended there). */
    public static RawFrame frame(int linkType, byte[] b, int length) {
        RawFrame f = new RawFrame();
        f.data = b;
        f.offset = 0;
        f.capturedLength = length;
        f.originalLength = length;
        f.linkType = linkType;
        f.frameNumber = 1;
        return f;
    }

    public static RawFrame frame(int linkType, byte[] b) {
        return frame(linkType, b, b.length);
    }
}
