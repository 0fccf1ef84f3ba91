package dev.natrecon.conntrack;

import java.util.List;

/**
 * What a {@link Helper} may read and do for the packet it is called for: the entry and the packet's direction, the
 * payload (which it may replace, as nf_nat_mangle_*_packet does), the expectation table, the model's settings, and
 * what the other capture showed of the packet after the router.
 */
public interface HelperContext {
    /** -EALREADY, -EBUSY, -EMFILE: the answers of nf_ct_expect_related besides 0. */
    int EALREADY = -114, EBUSY = -16, EMFILE = -24;

    ConntrackEntry entry();

    /** 0 original, 1 reply (CTINFO2DIR). */
    int dir();

    /** The entry was established when the packet arrived (ctinfo ESTABLISHED or ESTABLISHED_REPLY). */
    boolean established();

    long nanos();

    FrameRef frame();

    /** Layer-4 payload as it arrived (a copy the helper may keep); empty when the capture held none. */
    byte[] payload();

    /** Replaces the payload the packet leaves with (the helper's mangling). */
    void rewrite(byte[] payload);

    /**
     * The payload the other capture showed after the router, or null: where the kernel chooses at random (a
     * signalling expectation's port when the first is busy) the helper takes what the router really did.
     */
    byte[] observedPayload();

    /** A model setting (sip_timeout, sip_direct_media, nf_conntrack_expect_max…). */
    long setting(Timeouts.Key key);

    /** Sets the entry's timeout from now (nf_ct_refresh). */
    void refresh(long seconds);

    /** Per-entry memory of the helper (struct nf_ct_sip_master), created on first use. */
    <T> T data(java.util.function.Supplier<T> create);

    /** This entry's expectations, newest first (help->expectations). */
    List<Expectation> expectations();

    /**
     * nf_ct_expect_related: inserts {@code exp} for this entry, replacing an identical one of the same master and
     * class, evicting the class's oldest when the master holds max_expected; 0 or a negative error.
     *
     * @param skipMaster NF_CT_EXP_F_SKIP_MASTER: an identical expectation of another master is -EALREADY, not a clash
     */
    int expectRelated(Expectation exp, boolean skipMaster);

    /** Removes an expectation of this entry (nf_ct_unexpect_related, nf_ct_remove_expect); false if it was gone. */
    boolean removeExpectation(Expectation exp);

    /**
     * The expectation whose tuple, under its own mask, matches (__nf_ct_expect_find), or null.
     *
     * @param srcAny the looked-up tuple has no source address (all zero)
     */
    Expectation findExpectation(int protocol, boolean srcAny, long srcHi, long srcLo, long dstHi, long dstLo, int dstPort);

    /** Moves a pending expectation's timer to now + seconds and makes it active (refresh_signalling_expectation). */
    boolean refreshExpectation(Expectation exp, long seconds);

    /** The helper drops the packet: {@code reason} as nf_ct_helper_log prints it after "dropping packet: ". */
    void drop(String reason);
}
