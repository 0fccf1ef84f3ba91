package dev.natrecon.correlate;

/**
 * A frame's flow number: a long that names one TCP or UDP 5-tuple (protocol, both addresses, both ports) of one
 * capture file for the whole run, decided once per frame where the frame is decoded, so the replay's consumers can keep
 * what they found for a flow in a small array indexed by {@link #index} and recognise it by one comparison, instead of
 * hashing the same five fields again. {@link #NONE} (0) for a frame without one (not TCP or UDP, not decoded): the
 * consumer then asks its own index as before.
 *
 * <p>The number is {@code file << }{@link #FILE_SHIFT}{@code | n}, where {@code n} counts the file's flows from 1
 * in the order its decoding thread met them and is never given to another tuple; a flow the decoding thread forgot
 * (its table starts afresh when it is full) gets a new number when it comes back. Two frames with the same number
 * therefore have the same tuple; two frames with the same tuple usually, not always, the same number.
 */
public final class FlowId {
    /** No flow number: look the tuple up. */
    public static final long NONE = 0;
    /** Where the file's number (its input index plus one) sits: below it, 2^48 flows per file. */
    public static final int FILE_SHIFT = 48;

    private FlowId() {
    }

    /** The flow number of a file's {@code n}-th flow ({@code n} from 1); {@code input} is the file's index from 0. */
    public static long of(int input, long n) {
        return (long) (input + 1) << FILE_SHIFT | n;
    }

    /**
     * The cache slot of {@code flow} in a direct-mapped array of {@code mask + 1} slots (a power of two): the flow's
     * count with the file mixed in, so the first flows of two files do not share slots.
     */
    public static int index(long flow, int mask) {
        return (int) (flow ^ flow >>> 40) & mask;
    }
}
