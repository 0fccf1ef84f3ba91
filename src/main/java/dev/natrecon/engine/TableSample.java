package dev.natrecon.engine;

/**
 * The model's table during one second of model time in which it changed: the counts at the end of the second and the
 * most entries at any instant in it.
 *
 * @param secondNanos start of the second (corrected time, ns)
 */
public record TableSample(long secondNanos, int entries, int peak, int tcp, int udp, int icmp, int other,
                          int unreplied, int assured) {
}
