package dev.natrecon.conntrack;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The (protocol × state) timeout table and the few tracker switches that go with it, from a named profile, then
 * overridden by a {@code sysctl -a} / {@code sysctl net.netfilter} dump and by single {@code name=value} settings.
 * Values are seconds, as the sysctls hold them. Immutable: every override returns a new instance.
 */
public final class Timeouts {
    /** One tunable, named by its sysctl under {@code net.netfilter.}. */
    public enum Key {
        // nf_conntrack_proto_udp.c: udp_timeouts[] (UDP_CT_UNREPLIED, UDP_CT_REPLIED)
        UDP("nf_conntrack_udp_timeout"),
        UDP_STREAM("nf_conntrack_udp_timeout_stream"),
        // nf_conntrack_proto_tcp.c: tcp_timeouts[]
        TCP_SYN_SENT("nf_conntrack_tcp_timeout_syn_sent"),
        TCP_SYN_RECV("nf_conntrack_tcp_timeout_syn_recv"),
        TCP_ESTABLISHED("nf_conntrack_tcp_timeout_established"),
        TCP_FIN_WAIT("nf_conntrack_tcp_timeout_fin_wait"),
        TCP_CLOSE_WAIT("nf_conntrack_tcp_timeout_close_wait"),
        TCP_LAST_ACK("nf_conntrack_tcp_timeout_last_ack"),
        TCP_TIME_WAIT("nf_conntrack_tcp_timeout_time_wait"),
        TCP_CLOSE("nf_conntrack_tcp_timeout_close"),
        /** SYN_SENT2 has no sysctl of its own: it shares syn_sent's value (nf_conntrack_proto_tcp.c:tcp_timeouts) */
        TCP_MAX_RETRANS("nf_conntrack_tcp_timeout_max_retrans"),
        TCP_UNACKNOWLEDGED("nf_conntrack_tcp_timeout_unacknowledged"),
        // nf_conntrack_proto_icmp.c / nf_conntrack_proto_icmpv6.c
        ICMP("nf_conntrack_icmp_timeout"),
        ICMPV6("nf_conntrack_icmpv6_timeout"),
        // nf_conntrack_proto_generic.c
        GENERIC("nf_conntrack_generic_timeout"),
        // switches (0/1 or counts), nf_conntrack_proto_tcp.c / nf_conntrack_standalone.c
        TCP_LOOSE("nf_conntrack_tcp_loose"),
        TCP_MAX_RETRANS_COUNT("nf_conntrack_tcp_max_retrans"),
        TCP_BE_LIBERAL("nf_conntrack_tcp_be_liberal"),
        ACCT("nf_conntrack_acct"),
        TIMESTAMP("nf_conntrack_timestamp"),
        /**
         * The table limit (nf_conntrack_core.c:__nf_conntrack_alloc: early drop, then "table full, dropping packet"
         * when the count of entries would exceed it); 0 means no limit.
         */
        CONNTRACK_MAX("nf_conntrack_max"),
        /**
         * Not a sysctl: the SIP helper's module parameter (nf_conntrack_sip.c: {@code sip_timeout}, default
         * SIP_TIMEOUT = 3600 s), the timeout the helper sets on its master entry for every packet that carries data;
         * read from a {@code /sys/module/nf_conntrack_sip/parameters} dump ({@link #withModuleParameters}).
         */
        SIP_TIMEOUT("sip_timeout"),
        /** The SIP helper's other module parameters (nf_conntrack_sip.c), 0 or 1, from the same dump. */
        SIP_DIRECT_SIGNALLING("sip_direct_signalling"),
        SIP_DIRECT_MEDIA("sip_direct_media"),
        SIP_EXTERNAL_MEDIA("sip_external_media"),
        /** The expectation table's limit (nf_conntrack_expect.c:__nf_ct_expect_check: "expectation table full"). */
        EXPECT_MAX("nf_conntrack_expect_max"),
        /**
         * Not netfilter sysctls: net_ratelimit()'s window (jiffies as seconds: message_cost = 5) and burst
         * (message_burst = 10), which limit how often the kernel prints "table full, dropping packet"
         * (net/core/utils.c:net_ratelimit, net/core/sysctl_net_core.c).
         */
        MESSAGE_COST("net.core.message_cost"),
        MESSAGE_BURST("net.core.message_burst"),
        /**
         * Not a sysctl: the kernel's tick rate (CONFIG_HZ), which makes "more than 2 s after the first packet"
         * (time_after(jiffies, stream_ts)) mean at least 2 s plus one tick. Set it with {@code CONFIG_HZ=1000}.
         */
        HZ("CONFIG_HZ");

        public final String sysctl;

        Key(String sysctl) {
            this.sysctl = sysctl;
        }

        static Key bySysctl(String name) {
            String n = name.strip();
            if (n.startsWith("net.netfilter.")) n = n.substring("net.netfilter.".length());
            for (Key k : values()) if (k.sysctl.equals(n)) return k;
            return null;
        }
    }

    public static final String DEFAULT_PROFILE = "linux-6";

    private final String profile;
    private final EnumMap<Key, Long> values;
    /**
     * The values by {@link Key#ordinal()}, read on the per-packet path (every tracker refresh) without the map's
     * lookup and unboxing; the map stays for the descriptions. A Timeouts never changes after it is made.
     */
    private final long[] secondsByKey;
    private final long jiffyNanos;
    private final boolean accounting, timestamps;
    private final boolean udpTwoSecondRule;
    private final Map<Key, String> overriddenBy;
    /** where the profile took each value from (kernel source, a distribution's file, a vendor manual) */
    private final Map<Key, String> profileSources;

    private Timeouts(String profile, EnumMap<Key, Long> values, boolean udpTwoSecondRule, Map<Key, String> overriddenBy,
                     Map<Key, String> profileSources) {
        this.profile = profile;
        this.values = values;
        this.secondsByKey = new long[Key.values().length];
        for (Map.Entry<Key, Long> v : values.entrySet()) secondsByKey[v.getKey().ordinal()] = v.getValue();
        this.jiffyNanos = 1_000_000_000L / Math.max(1, values.get(Key.HZ));
        this.accounting = values.get(Key.ACCT) != 0;
        this.timestamps = values.get(Key.TIMESTAMP) != 0;
        this.udpTwoSecondRule = udpTwoSecondRule;
        this.overriddenBy = overriddenBy;
        this.profileSources = profileSources;
    }

    public static List<String> profiles() {
        return List.of("linux-6", "linux-4", "openwrt", "routeros");
    }

    /**
     * A named profile. Every value carries where it comes from ({@link #source(Key)}, {@link #describe()}).
     * <ul>
     *   <li>{@code linux-6}: kernel defaults since 5.0 as on the lab kernel 6.18 (reference §3, §11): UDP 30/120 s with
     *       the 2-second rule (commit 294304e4c522), TCP tcp_timeouts[], ICMP/ICMPv6 30 s, generic 600 s, loose=1,
     *       nf_conntrack_max 262144 (the lab's value; the kernel derives it from RAM), sip_timeout 3600.</li>
     *   <li>{@code linux-4}: before 5.0: UDP stream 180 s and ASSURED on the first packet after a reply (no 2 s
     *       rule); everything else as linux-6.</li>
     *   <li>{@code openwrt}: linux-6 (OpenWrt ships 5.x/6.x kernels) plus OpenWrt's
     *       {@code /etc/sysctl.d/11-nf-conntrack.conf} (openwrt/openwrt
     *       package/kernel/linux/files/sysctl-nf-conntrack.conf): UDP 60/180 s, TCP established 7440 s, acct=1,
     *       tcp_max_retrans=5. Of the two stored versions of that file (commits 2572b11a and e3c8ddb3) only one sets
     *       tcp_max_retrans=5; which one a given release ships is unverified. nf_conntrack_max on a real device follows
     *       its RAM (unverified here: load the device's sysctl dump).</li>
     *   <li>{@code routeros}: MikroTik RouterOS v6 defaults from the wiki (wiki.mikrotik.com
     *       Manual:IP/Firewall/Connection_tracking): udp 10 s, udp-stream 3 m, tcp established 1 d, syn-sent and
     *       syn-received 5 s (1 m in the v2.9/v3 manuals), fin-wait/close-wait/last-ack/time-wait/close 10 s, icmp
     *       10 s, generic 10 m. No 2-second UDP rule, as RouterOS v6 runs a Linux 3.x kernel (unverified). Values the
     *       wiki does not give (max_retrans and unacknowledged timeouts, loose, max, ICMPv6) are the Linux defaults,
     *       unverified for RouterOS; RouterOS v7 defaults are unverified (reference §12).</li>
     * </ul>
     */
    public static Timeouts profile(String name) {
        EnumMap<Key, Long> v = new EnumMap<>(Key.class);
        Map<Key, String> why = new EnumMap<>(Key.class);
        def(v, why, Key.UDP, 30, "nf_conntrack_proto_udp.c:udp_timeouts[UDP_CT_UNREPLIED]");
        def(v, why, Key.UDP_STREAM, 120, "nf_conntrack_proto_udp.c:udp_timeouts[UDP_CT_REPLIED] (180 before v5.0)");
        def(v, why, Key.TCP_SYN_SENT, 120, "nf_conntrack_proto_tcp.c:tcp_timeouts[TCP_CONNTRACK_SYN_SENT]");
        def(v, why, Key.TCP_SYN_RECV, 60, "nf_conntrack_proto_tcp.c:tcp_timeouts[TCP_CONNTRACK_SYN_RECV]");
        def(v, why, Key.TCP_ESTABLISHED, 432000, "nf_conntrack_proto_tcp.c:tcp_timeouts[TCP_CONNTRACK_ESTABLISHED] (5 days)");
        def(v, why, Key.TCP_FIN_WAIT, 120, "nf_conntrack_proto_tcp.c:tcp_timeouts[TCP_CONNTRACK_FIN_WAIT]");
        def(v, why, Key.TCP_CLOSE_WAIT, 60, "nf_conntrack_proto_tcp.c:tcp_timeouts[TCP_CONNTRACK_CLOSE_WAIT]");
        def(v, why, Key.TCP_LAST_ACK, 30, "nf_conntrack_proto_tcp.c:tcp_timeouts[TCP_CONNTRACK_LAST_ACK]");
        def(v, why, Key.TCP_TIME_WAIT, 120, "nf_conntrack_proto_tcp.c:tcp_timeouts[TCP_CONNTRACK_TIME_WAIT]");
        def(v, why, Key.TCP_CLOSE, 10, "nf_conntrack_proto_tcp.c:tcp_timeouts[TCP_CONNTRACK_CLOSE]");
        def(v, why, Key.TCP_MAX_RETRANS, 300, "nf_conntrack_proto_tcp.c:tcp_timeouts[TCP_CONNTRACK_RETRANS]");
        def(v, why, Key.TCP_UNACKNOWLEDGED, 300, "nf_conntrack_proto_tcp.c:tcp_timeouts[TCP_CONNTRACK_UNACK]");
        def(v, why, Key.ICMP, 30, "nf_conntrack_proto_icmp.c:nf_ct_icmp_timeout");
        def(v, why, Key.ICMPV6, 30, "nf_conntrack_proto_icmpv6.c:nf_ct_icmpv6_timeout");
        def(v, why, Key.GENERIC, 600, "nf_conntrack_proto_generic.c:nf_ct_generic_timeout");
        def(v, why, Key.TCP_LOOSE, 1, "nf_conntrack_proto_tcp.c:nf_conntrack_tcp_init_net (tcp_loose = 1)");
        def(v, why, Key.TCP_MAX_RETRANS_COUNT, 3, "nf_conntrack_proto_tcp.c:nf_conntrack_tcp_init_net (tcp_max_retrans = 3)");
        def(v, why, Key.TCP_BE_LIBERAL, 0, "nf_conntrack_proto_tcp.c:nf_conntrack_tcp_init_net (tcp_be_liberal = 0)");
        def(v, why, Key.ACCT, 0, "nf_conntrack_acct.c:nf_ct_acct (default off)");
        def(v, why, Key.TIMESTAMP, 0, "nf_conntrack_timestamp.c:nf_ct_tstamp (default off)");
        def(v, why, Key.CONNTRACK_MAX, 262144, "nf_conntrack_core.c:nf_conntrack_init_start (= buckets; 262144 on a "
                + "64-bit machine with more than 4 GiB, the lab's value)");
        def(v, why, Key.SIP_TIMEOUT, 3600, "nf_conntrack_sip.c:sip_timeout (SIP_TIMEOUT, module parameter)");
        def(v, why, Key.SIP_DIRECT_SIGNALLING, 1, "nf_conntrack_sip.c:sip_direct_signalling (module parameter)");
        def(v, why, Key.SIP_DIRECT_MEDIA, 1, "nf_conntrack_sip.c:sip_direct_media (module parameter)");
        def(v, why, Key.SIP_EXTERNAL_MEDIA, 0, "nf_conntrack_sip.c:sip_external_media (module parameter)");
        def(v, why, Key.EXPECT_MAX, 4096, "nf_conntrack_expect.c:nf_conntrack_expect_init (4 × expect_hashsize, "
                + "hashsize = buckets/256: 4096 with the lab's 262144 buckets; the sysctl documentation's buckets/256 "
                + "disagrees with the code and the live value)");
        def(v, why, Key.MESSAGE_COST, 5, "net/core/utils.c:net_msg_cost (5*HZ)");
        def(v, why, Key.MESSAGE_BURST, 10, "net/core/utils.c:net_msg_burst");
        // CONFIG_HZ of Debian's kernels; the lab kernel's is unknown
        def(v, why, Key.HZ, 250, "CONFIG_HZ of Debian's kernels (the lab kernel's is unverified)");
        return switch (name == null ? DEFAULT_PROFILE : name) {
            case "linux-6" -> new Timeouts("linux-6", v, true, Map.of(), why);
            case "linux-4" -> {
                def(v, why, Key.UDP_STREAM, 180, "nf_conntrack_proto_udp.c before commit 294304e4c522 (v5.0)");
                yield new Timeouts("linux-4", v, false, Map.of(), why);
            }
            case "openwrt" -> {
                String f = "openwrt/openwrt package/kernel/linux/files/sysctl-nf-conntrack.conf";
                def(v, why, Key.UDP, 60, f);
                def(v, why, Key.UDP_STREAM, 180, f);
                def(v, why, Key.TCP_ESTABLISHED, 7440, f);
                def(v, why, Key.ACCT, 1, f);
                def(v, why, Key.TCP_MAX_RETRANS_COUNT, 5, f + " at commit 2572b11a (absent at e3c8ddb3; unverified "
                        + "which releases ship it)");
                why.put(Key.CONNTRACK_MAX, "unverified for OpenWrt (the kernel derives it from the device's RAM): "
                        + why.get(Key.CONNTRACK_MAX));
                yield new Timeouts("openwrt", v, true, Map.of(), why);
            }
            case "routeros" -> {
                String w = "wiki.mikrotik.com Manual:IP/Firewall/Connection_tracking (RouterOS v6)";
                def(v, why, Key.UDP, 10, w + " udp-timeout");
                def(v, why, Key.UDP_STREAM, 180, w + " udp-stream-timeout 3m");
                def(v, why, Key.TCP_SYN_SENT, 5, w + " tcp-syn-sent-timeout (1m in the v2.9/v3 manuals)");
                def(v, why, Key.TCP_SYN_RECV, 5, w + " tcp-syn-received-timeout (1m in the v2.9/v3 manuals)");
                def(v, why, Key.TCP_ESTABLISHED, 86400, w + " tcp-established-timeout 1d");
                def(v, why, Key.TCP_FIN_WAIT, 10, w + " tcp-fin-wait-timeout");
                def(v, why, Key.TCP_CLOSE_WAIT, 10, w + " tcp-close-wait-timeout");
                def(v, why, Key.TCP_LAST_ACK, 10, w + " tcp-last-ack-timeout");
                def(v, why, Key.TCP_TIME_WAIT, 10, w + " tcp-time-wait-timeout");
                def(v, why, Key.TCP_CLOSE, 10, w + " tcp-close-timeout");
                def(v, why, Key.ICMP, 10, w + " icmp-timeout");
                def(v, why, Key.ICMPV6, 10, "unverified: RouterOS icmp-timeout assumed for ICMPv6 too");
                def(v, why, Key.GENERIC, 600, w + " generic-timeout 10m");
                for (Key k : Key.values()) {
                    if (!why.get(k).startsWith(w) && k != Key.ICMPV6) {
                        why.put(k, "unverified for RouterOS: Linux default, " + why.get(k));
                    }
                }
                yield new Timeouts("routeros", v, false, Map.of(), why);
            }
            default -> throw new IllegalArgumentException("unknown model profile '" + name + "' (known: "
                    + String.join(", ", profiles()) + ")");
        };
    }

    private static void def(EnumMap<Key, Long> v, Map<Key, String> why, Key k, long value, String source) {
        v.put(k, value);
        why.put(k, source);
    }

    public static Timeouts linux6() {
        return profile("linux-6");
    }

    /**
     * Overrides every known value found in a {@code sysctl -a} or {@code sysctl net.netfilter} dump ({@code
     * net.netfilter.nf_conntrack_udp_timeout = 30}; {@code name=value} without spaces also works). Unknown names and
     * blank or {@code #} lines are skipped; a known name with a value that is not a whole number throws
     * {@link IllegalArgumentException} with the line number.
     *
     * @param source how to name the dump in {@link #source(Key)} (a file name)
     */
    public Timeouts withSysctlDump(String text, String source) {
        EnumMap<Key, Long> v = values.clone();
        Map<Key, String> by = new LinkedHashMap<>(overriddenBy);
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            int eq = line.indexOf('=');
            if (eq <= 0 && line.startsWith("sysctl:")) continue; // sysctl's own complaint about a key, not a value
            if (eq <= 0) {
                throw new IllegalArgumentException(source + ": line " + (i + 1) + ": expected 'name = value' (sysctl "
                        + "output), found '" + line + "'");
            }
            Key k = Key.bySysctl(line.substring(0, eq));
            if (k == null) continue;
            v.put(k, parse(k, line.substring(eq + 1), source + ": line " + (i + 1)));
            by.put(k, source + ":" + (i + 1));
        }
        return new Timeouts(profile, v, udpTwoSecondRule, Collections.unmodifiableMap(by), profileSources);
    }

    /**
     * Overrides the SIP helper's module parameters from a dump of {@code /sys/module/nf_conntrack_sip/parameters}
     * ({@code sip_timeout=3600}, one {@code name=value} per line, as the samples' nf_conntrack_sip-parameters.txt);
     * parameters the model does not use ({@code ports}: the helper's ports are a model setting) are skipped.
     */
    public Timeouts withModuleParameters(String text, String source) {
        return withSysctlDump(text, source);
    }

    /** One {@code name=value} override ({@code nf_conntrack_udp_timeout=60}, with or without {@code net.netfilter.}). */
    public Timeouts with(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) throw new IllegalArgumentException("expected name=value: " + assignment);
        Key k = Key.bySysctl(assignment.substring(0, eq));
        if (k == null) throw new IllegalArgumentException("unknown conntrack setting: " + assignment.substring(0, eq).strip());
        EnumMap<Key, Long> v = values.clone();
        v.put(k, parse(k, assignment.substring(eq + 1), assignment));
        Map<Key, String> by = new LinkedHashMap<>(overriddenBy);
        by.put(k, "set " + assignment.strip());
        return new Timeouts(profile, v, udpTwoSecondRule, Collections.unmodifiableMap(by), profileSources);
    }

    private static long parse(Key k, String value, String where) {
        try {
            long n = Long.parseLong(value.strip());
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": " + k.sysctl + " needs a whole number ≥ 0, found '"
                    + value.strip() + "'");
        }
    }

    public String profileName() {
        return profile;
    }

    public long seconds(Key k) {
        return secondsByKey[k.ordinal()];
    }

    public long nanos(Key k) {
        return secondsByKey[k.ordinal()] * 1_000_000_000L;
    }

    /**
     * Where a value came from: "FILE:LINE" of a dump, "set name=value", or "profile NAME: " and the profile's own
     * source (a kernel file:symbol, a distribution's file, a vendor manual; "unverified" where it is).
     */
    public String source(Key k) {
        String by = overriddenBy.get(k);
        return by != null ? by : "profile " + profile + ": " + profileSources.get(k);
    }

    /** The table limit (nf_conntrack_max); 0 for none. */
    public long conntrackMax() {
        return values.get(Key.CONNTRACK_MAX);
    }

    /** Every value in use with its origin, in table order ("nf_conntrack_udp_timeout = 30 (profile linux-6)"). */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Key k : Key.values()) out.add(k.sysctl + " = " + values.get(k) + " (" + source(k) + ")");
        out.add("udp stream after 2 s = " + udpTwoSecondRule + " (profile " + profile + ": "
                + (udpTwoSecondRule ? "nf_conntrack_proto_udp.c:nf_conntrack_udp_packet since v5.0"
                : "kernels before v5.0") + ")");
        return out;
    }

    /** The UDP 2-second rule (since 5.0): stream timeout and ASSURED only for packets more than 2 s after the first. */
    public boolean udpTwoSecondRule() {
        return udpTwoSecondRule;
    }

    /** One jiffy in nanoseconds (1 s / CONFIG_HZ). */
    public long jiffyNanos() {
        return jiffyNanos;
    }

    public boolean tcpLoose() {
        return values.get(Key.TCP_LOOSE) != 0;
    }

    /** nf_conntrack_tcp_be_liberal: window checks never make a packet invalid or ignored. */
    public boolean tcpBeLiberal() {
        return values.get(Key.TCP_BE_LIBERAL) != 0;
    }

    public boolean accounting() {
        return accounting;
    }

    public boolean timestamps() {
        return timestamps;
    }

    /** The (protocol × state) table: the timeout of a TCP state (SYN_SENT2 shares SYN_SENT's, as in the kernel). */
    public long tcp(TcpState s) {
        return seconds(tcpSetting(s));
    }

    /** The setting a TCP state's timeout is read from (tcp_timeouts[] by state; SYN_SENT2 shares syn_sent's). */
    static Key tcpSetting(TcpState s) {
        return switch (s) {
            case SYN_SENT, SYN_SENT2, NONE -> Key.TCP_SYN_SENT;
            case SYN_RECV -> Key.TCP_SYN_RECV;
            case ESTABLISHED -> Key.TCP_ESTABLISHED;
            case FIN_WAIT -> Key.TCP_FIN_WAIT;
            case CLOSE_WAIT -> Key.TCP_CLOSE_WAIT;
            case LAST_ACK -> Key.TCP_LAST_ACK;
            case TIME_WAIT -> Key.TCP_TIME_WAIT;
            case CLOSE -> Key.TCP_CLOSE;
        };
    }

    /** The (protocol × state) table for protocols whose "state" is replied/stream or nothing. */
    public long forProtocol(int protocol, boolean stream) {
        return switch (protocol) {
            case ConntrackTuple.UDP -> seconds(stream ? Key.UDP_STREAM : Key.UDP);
            case ConntrackTuple.ICMP -> seconds(Key.ICMP);
            case ConntrackTuple.ICMPV6 -> seconds(Key.ICMPV6);
            default -> seconds(Key.GENERIC);
        };
    }

    @Override
    public String toString() {
        return "Timeouts[" + profile + " " + String.join("; ", describe()).toLowerCase(Locale.ROOT) + "]";
    }
}
