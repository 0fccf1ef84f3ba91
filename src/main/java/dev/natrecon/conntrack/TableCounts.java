package dev.natrecon.conntrack;

/**
 * The model's live table counted by protocol and by the two status bits {@code conntrack -L} users sort by
 * ({@code [UNREPLIED]}, {@code [ASSURED]}): kept by {@link ConntrackTable} where entries are inserted
 * (__nf_conntrack_hash_insert), gain a status bit and are removed (clean_from_lists), so that reading them costs
 * nothing and nobody keeps a second copy of the table to count it. Read it freely; only the table changes it.
 */
public final class TableCounts {
    /** Protocol classes, in the order the counts are kept (and tablesize.csv's columns). */
    public static final int TCP = 0, UDP = 1, ICMP = 2, OTHER = 3;

    private final int[] byClass = new int[4];
    private int entries, unreplied, assured;

    /** Live entries ({@code nf_conntrack_count}). */
    public int entries() {
        return entries;
    }

    /** Live entries of one protocol class ({@link #TCP}, {@link #UDP}, {@link #ICMP} (v4 and v6), {@link #OTHER}). */
    public int of(int protocolClass) {
        return byClass[protocolClass];
    }

    /** Live entries that have seen no reply (shown {@code [UNREPLIED]}). */
    public int unreplied() {
        return unreplied;
    }

    /** Live entries with {@link Status#ASSURED}. */
    public int assured() {
        return assured;
    }

    /** The class an entry of {@code protocol} is counted in. */
    public static int protocolClass(int protocol) {
        return switch (protocol) {
            case ConntrackTuple.TCP -> TCP;
            case ConntrackTuple.UDP -> UDP;
            case ConntrackTuple.ICMP, ConntrackTuple.ICMPV6 -> ICMP;
            default -> OTHER;
        };
    }

    void inserted(ConntrackEntry e) {
        add(e, 1);
    }

    void removed(ConntrackEntry e) {
        add(e, -1);
    }

    /** A live entry is about to gain status {@code bit} (it does not have it yet). */
    void gaining(int bit) {
        if (bit == Status.SEEN_REPLY) unreplied--;
        else if (bit == Status.ASSURED) assured++;
    }

    private void add(ConntrackEntry e, int n) {
        entries += n;
        byClass[protocolClass(e.original.protocol())] += n;
        if (!e.has(Status.SEEN_REPLY)) unreplied += n;
        if (e.has(Status.ASSURED)) assured += n;
    }
}
