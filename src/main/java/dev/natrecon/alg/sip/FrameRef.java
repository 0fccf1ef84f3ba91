package dev.natrecon.alg.sip;

/** A frame of one capture point, numbered as Wireshark shows it (1-based). */
public record FrameRef(CapturePoint capture, long frame) implements Comparable<FrameRef> {
    @Override
    public int compareTo(FrameRef o) {
        int c = capture.compareTo(o.capture);
        return c != 0 ? c : Long.compare(frame, o.frame);
    }

    @Override
    public String toString() {
        return capture.label() + ":" + frame;
    }
}
