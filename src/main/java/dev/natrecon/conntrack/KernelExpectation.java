package dev.natrecon.conntrack;

import java.util.List;
import java.util.Map;

/**
 * One expectation line from a real kernel: {@code conntrack -E expect} (event set), {@code conntrack -L expect} or
 * {@code /proc/net/nf_conntrack_expect} (event null).
 *
 * @param timeoutSeconds seconds left, -1 for none (PERMANENT expectations in /proc print none)
 * @param tuple          the expected connection (sport 0 means "any")
 * @param mask           the mask tuple, or null
 * @param master         the master connection's original tuple, or null
 * @param flags          PERMANENT, INACTIVE, USERSPACE…
 * @param helper         "sip"; in /proc also the class after a slash ("sip/signalling"), split into {@link #className}
 */
public record KernelExpectation(long timestampNanos, String event, long timeoutSeconds, int protocolNumber,
                                KernelTuple tuple, KernelTuple mask, KernelTuple master, List<String> flags,
                                String helper, String className, Map<String, String> attributes) {
}
