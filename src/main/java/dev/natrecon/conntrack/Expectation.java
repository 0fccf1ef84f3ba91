package dev.natrecon.conntrack;

import dev.natrecon.decode.Addresses;

/**
 * One expectation of the model's table (struct nf_conntrack_expect): a connection a helper announced, owned by its
 * master entry. Mutable and owned by {@link ConntrackModel}; helpers build one with {@link #Expectation}, fill it
 * through {@link HelperContext}, and read it back.
 *
 * <p>The expected tuple has a fixed protocol, destination address and port; the source address is fixed or any
 * ({@link #srcAny}, mask-src 0), the source port always any (the helpers this model knows never fix it).
 */
public final class Expectation {
    /** NF_CT_EXPECT_PERMANENT: stays after a connection used it. */
    public static final int PERMANENT = 0x1;
    /** NF_CT_EXPECT_INACTIVE: matches nothing until the helper activates it. */
    public static final int INACTIVE = 0x2;

    long id;
    final ConntrackEntry master;
    public final int klass;
    public final String className;
    public final int protocol;
    public final boolean srcAny;
    public final long srcHi, srcLo;
    public long dstHi, dstLo;
    public int dstPort;
    public int flags;
    /** The helper a connection created from this expectation gets, or null. */
    public final String helper;
    /** Where nf_nat_sip_expected sends the connection (its DNAT target), when {@link #natRedirect}. */
    public boolean natRedirect;
    public long savedHi, savedLo;
    public int savedPort;
    /** The master's direction the expected connection travels as (exp->dir). */
    public int dir;
    long deadlineNanos;
    long timerSeq;
    boolean inTable;
    /** ExpectationTable's bucket (its destination when inserted). */
    Object tableBucket;

    public Expectation(ConntrackEntry master, int klass, String className, int protocol, boolean srcAny, long srcHi,
                       long srcLo, long dstHi, long dstLo, int dstPort, String helper) {
        this.master = master;
        this.klass = klass;
        this.className = className;
        this.protocol = protocol;
        this.srcAny = srcAny;
        this.srcHi = srcAny ? 0 : srcHi;
        this.srcLo = srcAny ? (Addresses.isV4(srcHi, srcLo) ? Addresses.v4(0) : 0) : srcLo;
        this.dstHi = dstHi;
        this.dstLo = dstLo;
        this.dstPort = dstPort;
        this.helper = helper;
    }

    public ConntrackEntry master() {
        return master;
    }

    /** Whether a connection with this tuple is what it expects (nf_ct_tuple_mask_cmp with its mask). */
    boolean matches(ConntrackTuple t) {
        return t.protocol() == protocol && t.dstHi() == dstHi && t.dstLo() == dstLo && t.dstPort() == dstPort
                && (srcAny || t.srcHi() == srcHi && t.srcLo() == srcLo);
    }

    /** Same tuple and mask (expect_matches). */
    boolean sameAs(Expectation o) {
        return protocol == o.protocol && dstHi == o.dstHi && dstLo == o.dstLo && dstPort == o.dstPort
                && srcAny == o.srcAny && srcHi == o.srcHi && srcLo == o.srcLo;
    }

    /**
     * The parts both masks cover are equal (expect_clash): same destination and protocol, and the sources equal
     * where both are fixed.
     */
    boolean clashesWith(Expectation o) {
        return protocol == o.protocol && dstHi == o.dstHi && dstLo == o.dstLo && dstPort == o.dstPort
                && (srcAny || o.srcAny || srcHi == o.srcHi && srcLo == o.srcLo);
    }

    /** A picture at {@code nowNanos} with the seconds left (floor; -1 to print none). */
    public ExpectView view(long nowNanos, boolean withTimeout) {
        long left = withTimeout ? Math.max(0, Math.floorDiv(deadlineNanos - nowNanos, 1_000_000_000L)) : -1;
        // conntrack-tools prints the master's helper (CTA_EXPECT_HELP_NAME), for media expectations too
        return new ExpectView(id, protocol, srcAny, srcHi, srcLo, dstHi, dstLo, dstPort, master.original, flags, klass,
                className, master.helper, left);
    }

    @Override
    public String toString() {
        return view(deadlineNanos, false).text();
    }
}
