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
        ACCT("nf_conntrack_acct"),
        TIMESTAMP("nf_conntrack_timestamp"),
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
    private final boolean udpTwoSecondRule;
    private final Map<Key, String> overriddenBy;

    private Timeouts(String profile, EnumMap<Key, Long> values, boolean udpTwoSecondRule, Map<Key, String> overriddenBy) {
        this.profile = profile;
        this.values = values;
        this.udpTwoSecondRule = udpTwoSecondRule;
        this.overriddenBy = overriddenBy;
    }

    public static List<String> profiles() {
        return List.of("linux-6", "linux-4");
    }

    /**
     * A named profile.
     * <ul>
     *   <li>{@code linux-6}: kernel defaults since 5.0 as on the lab kernel 6.18 (reference §3, §11): UDP 30/120 s with
     *       the 2-second rule (commit 294304e4c522), TCP tcp_timeouts[], ICMP/ICMPv6 30 s, generic 600 s, loose=1.</li>
     *   <li>{@code linux-4}: before 5.0: UDP stream 180 s and ASSURED on the first packet after a reply (no 2 s
     *       rule); everything else as linux-6.</li>
     * </ul>
     */
    public static Timeouts profile(String name) {
        EnumMap<Key, Long> v = new EnumMap<>(Key.class);
        v.put(Key.UDP, 30L);                        // nf_conntrack_proto_udp.c: [UDP_CT_UNREPLIED] = 30*HZ
        v.put(Key.UDP_STREAM, 120L);                // [UDP_CT_REPLIED] = 120*HZ (180*HZ before v5.0)
        v.put(Key.TCP_SYN_SENT, 120L);              // nf_conntrack_proto_tcp.c: tcp_timeouts[TCP_CONNTRACK_SYN_SENT]
        v.put(Key.TCP_SYN_RECV, 60L);
        v.put(Key.TCP_ESTABLISHED, 432000L);        // 5 days
        v.put(Key.TCP_FIN_WAIT, 120L);
        v.put(Key.TCP_CLOSE_WAIT, 60L);
        v.put(Key.TCP_LAST_ACK, 30L);
        v.put(Key.TCP_TIME_WAIT, 120L);
        v.put(Key.TCP_CLOSE, 10L);
        v.put(Key.TCP_MAX_RETRANS, 300L);           // tcp_timeouts[TCP_CONNTRACK_RETRANS]
        v.put(Key.TCP_UNACKNOWLEDGED, 300L);        // tcp_timeouts[TCP_CONNTRACK_UNACK]
        v.put(Key.ICMP, 30L);                       // nf_conntrack_proto_icmp.c: nf_ct_icmp_timeout = 30*HZ
        v.put(Key.ICMPV6, 30L);                     // nf_conntrack_proto_icmpv6.c: nf_ct_icmpv6_timeout = 30*HZ
        v.put(Key.GENERIC, 600L);                   // nf_conntrack_proto_generic.c: nf_ct_generic_timeout = 600*HZ
        v.put(Key.TCP_LOOSE, 1L);                   // nf_conntrack_proto_tcp.c: tcp_loose default 1
        v.put(Key.TCP_MAX_RETRANS_COUNT, 3L);       // tcp_max_retrans default 3
        v.put(Key.ACCT, 0L);                        // nf_conntrack_acct.c: nf_ct_acct default 0
        v.put(Key.TIMESTAMP, 0L);                   // nf_conntrack_timestamp.c: nf_ct_tstamp default 0
        v.put(Key.HZ, 250L);                        // CONFIG_HZ of Debian's kernels; the lab's is unknown (see below)
        return switch (name == null ? DEFAULT_PROFILE : name) {
            case "linux-6" -> new Timeouts("linux-6", v, true, Map.of());
            case "linux-4" -> {
                v.put(Key.UDP_STREAM, 180L);
                yield new Timeouts("linux-4", v, false, Map.of());
            }
            default -> throw new IllegalArgumentException("unknown model profile '" + name + "' (known: "
                    + String.join(", ", profiles()) + ")");
        };
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
            if (eq <= 0) continue;
            Key k = Key.bySysctl(line.substring(0, eq));
            if (k == null) continue;
            v.put(k, parse(k, line.substring(eq + 1), source + ":" + (i + 1)));
            by.put(k, source + ":" + (i + 1));
        }
        return new Timeouts(profile, v, udpTwoSecondRule, Collections.unmodifiableMap(by));
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
        return new Timeouts(profile, v, udpTwoSecondRule, Collections.unmodifiableMap(by));
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
        return values.get(k);
    }

    public long nanos(Key k) {
        return values.get(k) * 1_000_000_000L;
    }

    /** Where a value came from: the profile's name, "FILE:LINE" of a dump, or "set name=value". */
    public String source(Key k) {
        return overriddenBy.getOrDefault(k, "profile " + profile);
    }

    /** Every value in use with its origin, in table order ("nf_conntrack_udp_timeout = 30 (profile linux-6)"). */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Key k : Key.values()) out.add(k.sysctl + " = " + values.get(k) + " (" + source(k) + ")");
        out.add("udp stream after 2 s = " + udpTwoSecondRule + " (profile " + profile + ")");
        return out;
    }

    /** The UDP 2-second rule (since 5.0): stream timeout and ASSURED only for packets more than 2 s after the first. */
    public boolean udpTwoSecondRule() {
        return udpTwoSecondRule;
    }

    /** One jiffy in nanoseconds (1 s / CONFIG_HZ). */
    public long jiffyNanos() {
        long hz = Math.max(1, values.get(Key.HZ));
        return 1_000_000_000L / hz;
    }

    public boolean tcpLoose() {
        return values.get(Key.TCP_LOOSE) != 0;
    }

    public boolean accounting() {
        return values.get(Key.ACCT) != 0;
    }

    public boolean timestamps() {
        return values.get(Key.TIMESTAMP) != 0;
    }

    /** The (protocol × state) table: the timeout of a TCP state (SYN_SENT2 shares SYN_SENT's, as in the kernel). */
    public long tcp(TcpState s) {
        return seconds(switch (s) {
            case SYN_SENT, SYN_SENT2, NONE -> Key.TCP_SYN_SENT;
            case SYN_RECV -> Key.TCP_SYN_RECV;
            case ESTABLISHED -> Key.TCP_ESTABLISHED;
            case FIN_WAIT -> Key.TCP_FIN_WAIT;
            case CLOSE_WAIT -> Key.TCP_CLOSE_WAIT;
            case LAST_ACK -> Key.TCP_LAST_ACK;
            case TIME_WAIT -> Key.TCP_TIME_WAIT;
            case CLOSE -> Key.TCP_CLOSE;
        });
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
