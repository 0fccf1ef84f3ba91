package dev.natrecon.decode.sip;

/**
 * A field of a SIP message or SDP body: its bytes {@code [start, end)} in the payload the parser was given, and its
 * text. For a header value folded across lines (obsolete line folding) the range covers the fold while the text is
 * the unfolded value (each fold replaced by one space), so {@code end - start} can exceed {@code text.length()}.
 * Text is decoded as UTF-8; a later component diffs the same field before and after the router by its text and shows
 * where it sits by its offsets.
 */
public record Span(int start, int end, String text) {
    public Span {
        if (start < 0 || end < start || text == null) throw new IllegalArgumentException("bad span " + start + ".." + end);
    }

    /** Number of payload bytes covered. */
    public int length() {
        return end - start;
    }

    @Override
    public String toString() {
        return "[" + start + "," + end + ")" + text;
    }
}
