package dev.natrecon.media;

/**
 * Where one impairment of one stream happened, as far as the router's two captures can tell.
 *
 * @param impairment what: {@link Impairment}
 * @param hop        where it happened, or {@link Hop#CANNOT_TELL}
 * @param count      packets concerned (lost, late), 0 for a delay
 * @param outOf      the packets it is counted against (expected on the ingress capture, or arriving copies)
 * @param percent    count / outOf in percent; for a delay the mean added delay in milliseconds
 * @param evidence   how the captures show it, or why they cannot tell, in one sentence
 * @param frames     a few evidence frames on {@code capture} (may be empty)
 * @param capture    the capture the frames are on ("lan", "wan")
 */
public record HopVerdict(Impairment impairment, Hop hop, long count, long outOf, double percent, String evidence,
                         long[] frames, String capture) {
    /** The impairments judged per stream. */
    public enum Impairment {
        LOSS("loss"), DELAY("delay"), REORDERING("reordering");

        private final String label;

        Impairment(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The hops a router's two captures can tell apart. */
    public enum Hop {
        BEFORE_ROUTER("before the router"), AT_ROUTER("at the router"), AFTER_ROUTER("after the router"),
        CANNOT_TELL("cannot tell");

        private final String label;

        Hop(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public HopVerdict {
        frames = frames.clone();
    }

    @Override
    public long[] frames() {
        return frames.clone();
    }
}
