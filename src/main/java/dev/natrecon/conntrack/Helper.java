package dev.natrecon.conntrack;

import java.util.List;

/**
 * A connection-tracking helper (struct nf_conntrack_helper): what runs on every packet of an entry it is attached to
 * and may announce related connections as {@link Expectation}s and rewrite the payload behind NAT. The model calls
 * it where the kernel does, at confirm (nf_confirm → helper->help), after the tracker accepted the packet and NAT
 * was set up; the helper sees the packet's payload and the entry through {@link HelperContext} only.
 */
public interface Helper {
    /** The name entries show ({@code helper=sip}). */
    String name();

    /** Expectation policies by class number (struct nf_conntrack_expect_policy). */
    List<ExpectPolicy> policies();

    /** The helper's verdict on one packet; {@link HelperContext#drop} records why it drops. */
    boolean help(HelperContext ctx);

    /**
     * The helper's own timeout policy for its master entry, applied by the model after the tracker ran on a packet
     * (the kernel's helpers call nf_ct_refresh themselves, e.g. nf_conntrack_sip.c:sip_help_udp with sip_timeout).
     * Called for every packet of an entry the helper is attached to, payload or not, and for an ICMP error about the
     * entry's original direction; must not allocate (per-packet path).
     *
     * @param master      the entry, after its tracker ran
     * @param established the packet's ctinfo was ESTABLISHED or ESTABLISHED_REPLY
     * @param hasData     the packet carries a payload
     * @param settings    the model's settings (module parameters included)
     * @return the timeout to set from now, in seconds, or -1 to leave the tracker's (the default)
     */
    default long timeoutSeconds(ConntrackEntry master, boolean established, boolean hasData, Timeouts settings) {
        return -1;
    }

    /**
     * The setting {@link #timeoutSeconds} takes its value from (e.g. {@link Timeouts.Key#SIP_TIMEOUT}), which the
     * model records as the entry's {@link ConntrackEntry#timeoutSetting()}; null when it names none (the default).
     */
    default Timeouts.Key timeoutSetting() {
        return null;
    }

    /**
     * The expectfn of this helper's expectations (struct nf_conntrack_expect.expectfn, e.g.
     * nf_nat_sip.c:nf_nat_sip_expected): the NAT a new connection created from {@code x} gets before any rule.
     *
     * @param x     the expectation the connection matched; its master's helper is this helper
     * @param tuple the new connection's original tuple
     * @return the NAT to set up, or null to leave the connection to the rules (the default)
     */
    default ExpectedNat expected(Expectation x, ConntrackTuple tuple) {
        return null;
    }

    /**
     * One expectation class: its name ({@code signalling}), the most a master may hold at once (0: no limit; the
     * oldest is evicted first) and the timeout every new expectation of the class gets.
     */
    record ExpectPolicy(String name, int maxExpected, long timeoutSeconds) {
    }
}
