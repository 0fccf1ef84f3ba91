package dev.natrecon.decode.sip;

/**
 * One header as written: the name (compact or not), its canonical name ({@link SipHeaderNames#canonical}), and the
 * value (leading and trailing whitespace excluded; a folded value is unfolded in its text). {@code lineStart} and
 * {@code lineEnd} delimit the whole header including its folds, without the final line ending.
 */
public record SipHeader(int index, Span name, String canonicalName, Span value, int lineStart, int lineEnd, boolean folded) {
    public boolean is(String headerName) {
        return canonicalName.equalsIgnoreCase(SipHeaderNames.canonical(headerName));
    }

    public boolean compact() {
        return SipHeaderNames.isCompact(name.text());
    }
}
