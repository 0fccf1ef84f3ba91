package dev.natrecon.alg.sip;

/** A frame of one capture point, numbered as Wireshark shows it (1-based). */
public record FrameRef(CapturePoint capture, long frame) implements Comparable<FrameRef> {
    private static final java.util.Comparator<FrameRef> ORDER =
            java.util.Comparator.comparing(FrameRef::capture).thenComparingLong(FrameRef::frame);

    /** By capture point, then frame number. */
    @Override
    public int compareTo(FrameRef o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return capture.label() + ":" + frame;
    }
}
