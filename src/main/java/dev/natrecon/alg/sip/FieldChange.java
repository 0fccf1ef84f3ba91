package dev.natrecon.alg.sip;

import dev.natrecon.decode.sip.Span;

/**
 * One field that differs between two copies of a SIP message: its stable name ({@code contact[0].host},
 * {@code sdp.connection.address}, {@code content-length}, {@code header[7]}…), and its span in the copy before the
 * router ({@code before}, null when the field was added) and after it ({@code after}, null when removed). Spans index
 * the copy's own bytes.
 */
public record FieldChange(String name, Kind kind, Span before, Span after) {
    public enum Kind { CHANGED, ADDED, REMOVED }

    public FieldChange {
        if ((before == null) != (kind == Kind.ADDED) || (after == null) != (kind == Kind.REMOVED)) {
            throw new IllegalArgumentException(kind + " with before=" + before + " after=" + after);
        }
    }

    public String beforeText() {
        return before == null ? "" : before.text();
    }

    public String afterText() {
        return after == null ? "" : after.text();
    }

    /** {@code name: before -> after}, with {@code (none)} for a missing side. */
    public String render() {
        return name + ": " + (before == null ? "(none)" : before.text()) + " -> " + (after == null ? "(none)" : after.text());
    }

    @Override
    public String toString() {
        return render();
    }
}
