package dev.natrecon.conntrack;

/**
 * The frame an event stems from: capture point ("lan", "wan", or a router interface) and frame number as Wireshark
 * counts it (from 1). {@link #NONE} when no frame caused the event.
 */
public record FrameRef(String point, long frame) {
    public static final FrameRef NONE = new FrameRef("", 0);

    @Override
    public String toString() {
        return this == NONE || point.isEmpty() ? "-" : point + "#" + frame;
    }
}
