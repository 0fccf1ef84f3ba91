package dev.natrecon.conntrack;

import dev.natrecon.conntrack.ConntrackEvent.Diverged;
import dev.natrecon.conntrack.ConntrackEvent.EntryCreated;
import dev.natrecon.conntrack.ConntrackEvent.EntryUpdated;
import dev.natrecon.conntrack.ConntrackEvent.PacketDropped;

/**
 * Prints events exactly as {@code conntrack -E -o timestamp,extended} does (conntrack-tools 1.4.7 +
 * libnetfilter_conntrack, reference §10.3), so the model's timeline can be diffed with a router's log:
 * <pre>
 * [1795227107.721565]\t    [NEW] ipv4     2 udp      17 30 src=… dst=… sport=… dport=… [UNREPLIED] src=… …
 * </pre>
 * The event tag right-aligned in 9 characters; layer-3 and layer-4 names left-justified in 8 ({@code "%-8s %u "});
 * the timeout unless it is a DESTROY on expiry; the TCP state; the original tuple with its counters;
 * {@code [UNREPLIED]} until a reply was seen; the reply tuple with its counters; {@code [ASSURED]};
 * {@code delta-time=} (nf_conntrack_timestamp=1, DESTROY only); {@code helper=} (not on DESTROY). The microseconds of the timestamp are
 * printed as six digits with leading zeros ({@code [1795228471.033850]}), as every line of the lab's kernel logs
 * shows; lab-notes and the sample READMEs say conntrack-tools prints them unpadded ({@code [1795220314.70002 ]}), but
 * the recorded logs disagree and the lab wins. {@link ConntrackText} reads both forms. The model's own
 * {@link Diverged} events are not kernel lines: {@link #line} prints them as {@code #} comments.
 */
public final class EventFormat {
    private EventFormat() {
    }

    /** NEW, UPDATE or DESTROY; DIVERGED for {@link Diverged}, which is not a kernel event. */
    public static String tag(ConntrackEvent e) {
        if (e instanceof EntryCreated) return "NEW";
        if (e instanceof EntryUpdated) return "UPDATE";
        if (e instanceof PacketDropped) return "DROPPED"; // not a conntrack -E event: the kernel only logs it
        if (e instanceof Diverged) return "DIVERGED";
        return "DESTROY";
    }

    /** Whether the kernel would print the event ({@link Diverged} is the model's own). */
    public static boolean isKernelEvent(ConntrackEvent e) {
        return !(e instanceof Diverged);
    }

    /**
     * The full line with its timestamp. A {@link Diverged} becomes a comment line that parsers of
     * {@code conntrack -E} output skip: {@code # [sec.usec]\tDIVERGED nat.source_port lan#5: detail}.
     */
    public static String line(ConntrackEvent e) {
        if (e instanceof Diverged d) return "# " + timestamp(e.nanos()) + "\t" + comment(d);
        return UnknownNat.commented(timestamp(e.nanos()) + "\t" + body(tag(e), e.entry()), e.entry());
    }

    /**
     * For an event the captures prove without showing it (an {@link ConntrackEvent.EntryKilled} with its
     * {@link Inferred} window), the comment line that goes before it: {@code # [window start]\tINFERRED between +0.000 s
     * and +3.001 s (frames wan#2, lan#3, lan#4): why}; null for any other event.
     */
    public static String inferredComment(ConntrackEvent e) {
        Inferred w = e instanceof ConntrackEvent.EntryKilled k ? k.inferred() : null;
        if (w == null) return null;
        return "# " + timestamp(w.earliestNanos()) + "\tINFERRED within " + timestamp(w.earliestNanos()) + " .. "
                + timestamp(w.latestNanos()) + " (frames " + w.frames() + "): " + w.why();
    }

    /** The line without the timestamp: the kernel's line body, or the comment text of a {@link Diverged}. */
    public static String text(ConntrackEvent e) {
        if (e instanceof Diverged d) return "# " + comment(d);
        return body(tag(e), e.entry());
    }

    private static String comment(Diverged d) {
        return "DIVERGED " + d.kind().id() + " " + d.frame() + ": " + d.detail();
    }

    /**
     * An expectation event as {@code conntrack -E expect -o timestamp} prints it:
     * {@code [sec.usec]\t    [NEW] 180 proto=17 src=… dst=… sport=0 dport=40000 mask-src=… … class=1 helper=sip}.
     */
    public static String expectLine(ExpectationEvent e) {
        String line = timestamp(e.nanos()) + "\t" + expectBody(e);
        ExpectView x = e.expectation();
        return UnknownNat.ADDRESS.equals(dev.natrecon.decode.Addresses.format(x.dstHi(), x.dstLo()))
                ? line + " " + UnknownNat.COMMENT : line;
    }

    /** The expectation line without the timestamp and tab. */
    public static String expectBody(ExpectationEvent e) {
        String t = e instanceof ExpectationEvent.ExpectationCreated ? "[NEW]" : "[DESTROY]";
        StringBuilder sb = new StringBuilder(220);
        for (int n = t.length(); n < 9; n++) sb.append(' ');
        return sb.append(t).append(' ').append(e.expectation().text()).toString();
    }

    /** "[sec.usec]" with six digits of microseconds, zero-padded, as in the lab's recorded logs. */
    public static String timestamp(long nanos) {
        long sec = Math.floorDiv(nanos, 1_000_000_000L);
        long usec = Math.floorMod(nanos, 1_000_000_000L) / 1000;
        StringBuilder sb = new StringBuilder(20).append('[').append(sec).append('.');
        String u = String.valueOf(usec);
        for (int n = u.length(); n < 6; n++) sb.append('0');
        return sb.append(u).append(']').toString();
    }

    /**
     * The line without the timestamp and tab; {@code tag} NEW, UPDATE or DESTROY ({@code DROPPED} prints the entry a
     * dropped packet would have created in the same layout; conntrack -E has no such line).
     */
    public static String body(String tag, EntryView v) {
        return body(tag, v, null);
    }

    /**
     * {@link #body(String, EntryView)} of an event a userspace program caused ({@code by} non-null: an operator's
     * {@code conntrack -D}), ending as conntrack-tools prints it: {@code [USERSPACE] portid=N progname=NAME}.
     */
    public static String body(String tag, EntryView v, KernelEntry.Userspace by) {
        StringBuilder sb = new StringBuilder(200);
        String t = "[" + tag + "]";
        for (int n = t.length(); n < 9; n++) sb.append(' ');
        sb.append(t).append(' ');
        entry(sb, v);
        if (v.deltaSeconds() >= 0) sb.append("delta-time=").append(v.deltaSeconds()).append(' ');
        // the kernel's destroy events carry no helper attribute (every DESTROY of a helped entry in the lab logs)
        if (v.helper() != null && !tag.equals("DESTROY")) sb.append("helper=").append(v.helper()).append(' ');
        if (by != null) sb.append(by.text()).append(' ');
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }

    /** An entry as {@code conntrack -L} shows it, without the listing's mark and use count (findings cite it). */
    public static String entry(EntryView v) {
        StringBuilder sb = new StringBuilder(200);
        entry(sb, v);
        if (v.helper() != null) sb.append("helper=").append(v.helper()).append(' ');
        return UnknownNat.commented(sb.toString().strip(), v);
    }

    /** The part events and listings share: families, protocol, timeout, state, tuples, counters, flags. */
    private static void entry(StringBuilder sb, EntryView v) {
        ConntrackTuple o = v.original();
        pad(sb, o.isV4() ? "ipv4" : "ipv6").append(o.isV4() ? 2 : 10).append(' ');
        pad(sb, protocolName(o.protocol())).append(o.protocol()).append(' ');
        if (v.timeoutSeconds() >= 0) sb.append(v.timeoutSeconds()).append(' ');
        if (v.state() != null) sb.append(v.state()).append(' ');
        sb.append(o.text()).append(' ');
        counters(sb, v.origPackets(), v.origBytes());
        if (!v.has(Status.SEEN_REPLY)) sb.append("[UNREPLIED] ");
        sb.append(v.reply().text()).append(' ');
        counters(sb, v.replyPackets(), v.replyBytes());
        if (v.has(Status.ASSURED)) sb.append("[ASSURED] ");
    }

    /**
     * One line as {@code conntrack -L -o extended} lists an entry (reference §10.3): no event column; {@code mark=0}
     * after {@code [ASSURED]}; {@code delta-time=} (nf_conntrack_timestamp=1); {@code helper=}; {@code use=}.
     *
     * @param use the reference count the kernel would print (1, plus one per expectation of a helper's master)
     */
    public static String listing(EntryView v, int use) {
        StringBuilder sb = new StringBuilder(200);
        entry(sb, v);
        sb.append("mark=0 ");
        if (v.deltaSeconds() >= 0) sb.append("delta-time=").append(v.deltaSeconds()).append(' ');
        if (v.helper() != null) sb.append("helper=").append(v.helper()).append(' ');
        return UnknownNat.commented(sb.append("use=").append(use).toString(), v);
    }

    private static void counters(StringBuilder sb, long packets, long bytes) {
        if (packets >= 0) sb.append("packets=").append(packets).append(" bytes=").append(bytes).append(' ');
    }

    private static StringBuilder pad(StringBuilder sb, String s) {
        sb.append(s);
        for (int n = s.length(); n < 8; n++) sb.append(' ');
        return sb.append(' ');
    }

    /** Names as libnetfilter_conntrack prints them; "unknown" for protocols it has no name for. */
    public static String protocolName(int protocol) {
        return switch (protocol) {
            case 6 -> "tcp";
            case 17 -> "udp";
            case 1 -> "icmp";
            case 58 -> "icmpv6";
            case 136 -> "udplite";
            case 132 -> "sctp";
            case 33 -> "dccp";
            case 47 -> "gre";
            default -> "unknown";
        };
    }
}
