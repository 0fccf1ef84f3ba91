package dev.natrecon.conntrack;

/**
 * The table's statistics as the model counts them: the per-CPU counters a 6.x kernel reports to {@code conntrack -S}
 * (nf_conntrack_netlink.c:ctnetlink_ct_stat_cpu_fill_info; the model is one CPU) and the gauges of
 * {@code conntrack -C} / {@code nf_conntrack_count}, with the peak and when it happened. Owned and updated by
 * {@link ConntrackModel}; read it freely.
 *
 * <p>What each counter means in the kernel and what the model counts:
 * <ul>
 *   <li>{@code found}: nf_conntrack_core.c:nf_conntrack_tuple_taken found the tuple a NAT choice wanted already in
 *       use (since 5.x this is the only place that counts it; older kernels counted every lookup hit). The model counts
 *       the deterministic checks of its port choice (kept port, reused mapping, the observed port) but not the random
 *       search the kernel does afterwards, whose number of tries cannot be known.</li>
 *   <li>{@code invalid}: nf_conntrack_core.c:nf_conntrack_in: no tuple, a tuple that cannot be inverted (an ICMP
 *       type that is neither a query nor an error), or the tracker refused the packet (a TCP flag combination the
 *       state table calls invalid, an ICMP echo reply without an entry).</li>
 *   <li>{@code insert}: 6.x counts only entries inserted through ctnetlink (nf_conntrack_hash_check_insert), never on
 *       the packet path (__nf_conntrack_confirm does not count): always 0 in the model.</li>
 *   <li>{@code insert_failed}, {@code search_restart}, {@code clash_resolve}, {@code chaintoolong}: races between CPUs,
 *       RCU restarts, hash chains: the model has none of these and reports 0.</li>
 *   <li>{@code drop}: nf_conntrack_in: the table was full and early_drop freed nothing (resolve_normal_ct failed
 *       with -ENOMEM).</li>
 *   <li>{@code early_drop}: entries evicted by nf_conntrack_core.c:early_drop to make room.</li>
 *   <li>{@code error}: nf_conntrack_core.c:nf_conntrack_handle_icmp: an ICMP/ICMPv6 error that matched no entry (or
 *       was malformed); /proc/net/stat/nf_conntrack calls it {@code icmp_error}.</li>
 * </ul>
 * {@code ignore} no longer exists in 6.x (removed from ctnetlink in 5.x) and is not reported.
 */
public final class ConntrackStats {
    long found, invalid, insert, insertFailed, drop, earlyDrop, error, searchRestart, clashResolve, chainTooLong;
    long count, peak = 0, peakNanos = Long.MIN_VALUE;
    /** expectations refused because nf_conntrack_expect_max was reached ("nf_conntrack: expectation table full") */
    long expectTableFull;
    /** "table full, dropping packet" lines the kernel printed (net_ratelimit let them through) and suppressed */
    long tableFullLogged, tableFullSuppressed;
    // net_ratelimit() state (lib/ratelimit.c:___ratelimit): window start, messages printed in it, missed since
    long rateBegin = Long.MIN_VALUE;
    long ratePrinted, rateMissed;

    /** Expectations refused because the expectation table was full (not a kernel counter: its log line's count). */
    public long expectTableFull() {
        return expectTableFull;
    }

    public long found() {
        return found;
    }

    public long invalid() {
        return invalid;
    }

    public long insert() {
        return insert;
    }

    public long insertFailed() {
        return insertFailed;
    }

    public long drop() {
        return drop;
    }

    public long earlyDrop() {
        return earlyDrop;
    }

    public long error() {
        return error;
    }

    public long searchRestart() {
        return searchRestart;
    }

    public long clashResolve() {
        return clashResolve;
    }

    public long chainTooLong() {
        return chainTooLong;
    }

    /** Entries in the table now ({@code conntrack -C}, {@code net.netfilter.nf_conntrack_count}). */
    public long count() {
        return count;
    }

    /** The most entries the table held at once. */
    public long peak() {
        return peak;
    }

    /** Model time (ns) at which {@link #peak()} was first reached, or {@link Long#MIN_VALUE} if the table never held one. */
    public long peakNanos() {
        return peakNanos;
    }

    /** How many "table full, dropping packet" lines the kernel would have printed, after rate limiting. */
    public long tableFullLogged() {
        return tableFullLogged;
    }

    /** How many of them net_ratelimit() would have suppressed. */
    public long tableFullSuppressed() {
        return tableFullSuppressed;
    }

    /**
     * The line {@code conntrack -S} prints for one CPU (conntrack-tools' nfct_stats_cb: {@code "cpu=%-4u\t"} then
     * {@code "%s=%u "} per attribute in attribute order), e.g.
     * {@code "cpu=0   \tfound=0 invalid=0 insert=0 insert_failed=0 drop=0 early_drop=0 error=0 search_restart=0 clash_resolve=0 chaintoolong=0 "}.
     * Values are printed as the kernel's u32.
     */
    public String conntrackS(int cpu) {
        StringBuilder sb = new StringBuilder(160);
        String c = String.valueOf(cpu);
        sb.append("cpu=").append(c);
        for (int n = c.length(); n < 4; n++) sb.append(' ');
        sb.append('\t');
        put(sb, "found", found);
        put(sb, "invalid", invalid);
        put(sb, "insert", insert);
        put(sb, "insert_failed", insertFailed);
        put(sb, "drop", drop);
        put(sb, "early_drop", earlyDrop);
        put(sb, "error", error);
        put(sb, "search_restart", searchRestart);
        put(sb, "clash_resolve", clashResolve);
        put(sb, "chaintoolong", chainTooLong);
        return sb.toString();
    }

    private static void put(StringBuilder sb, String name, long value) {
        sb.append(name).append('=').append(value & 0xffff_ffffL).append(' ');
    }

    void entries(long n, long nanos) {
        count = n;
        if (n > peak) {
            peak = n;
            peakNanos = nanos;
        }
    }

    /**
     * lib/ratelimit.c:___ratelimit with net_ratelimit_state (window message_cost seconds, burst message_burst): true
     * when the message is printed.
     */
    boolean rateLimitAllows(long nanos, long windowNanos, long burst) {
        if (rateBegin == Long.MIN_VALUE) rateBegin = nanos;
        if (nanos - rateBegin > windowNanos) { // time_is_before_jiffies(begin + interval)
            rateBegin = nanos;
            ratePrinted = 0;
            rateMissed = 0;
        }
        if (burst > ratePrinted) {
            ratePrinted++;
            return true;
        }
        rateMissed++;
        return false;
    }

    @Override
    public String toString() {
        return conntrackS(0).strip() + " count=" + count + " peak=" + peak;
    }
}
