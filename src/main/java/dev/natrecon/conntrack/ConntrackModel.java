package dev.natrecon.conntrack;

import dev.natrecon.conntrack.ConntrackEvent.Diverged;
import dev.natrecon.conntrack.ConntrackEvent.EntryUpdated;
import dev.natrecon.decode.Packet;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * A deterministic model of the Linux conntrack table and NAT of one router, driven by packets as they arrive at the
 * router (LAN packets before SNAT, WAN packets before de-NAT), by link and address events, and by model time taken
 * from those. This class is the façade the rest of natrecon uses; the parts follow the kernel's own files:
 * <ul>
 *   <li>{@link ConntrackTable} and {@link ConntrackCore}: nf_conntrack_core.c (table, timers, limit and early drop,
 *       delete, counters; the packet path nf_conntrack_in → resolve_normal_ct / init_conntrack → confirm);</li>
 *   <li>{@link UdpTracker}, {@link TcpTracker} with {@link TcpWindowTracker}, {@link IcmpTracker},
 *       {@link GenericTracker}: nf_conntrack_proto_udp.c, _tcp.c, _icmp.c / _icmpv6.c, _generic.c;</li>
 *   <li>{@link ExpectationTable}: nf_conntrack_expect.c; {@link ConntrackHelpers}: nf_conntrack_helper.c (the helper
 *       itself, e.g. the SIP helper with its sip_timeout, comes through the {@link Helper} interface);</li>
 *   <li>{@link NatTranslator}: nf_nat_core.c (get_unique_tuple); {@link MasqueradeEvents}: nf_nat_masquerade.c.</li>
 * </ul>
 *
 * <p>Per packet ({@link #onPacket(Arrival, EventSink)}): first every entry whose deadline has passed expires
 * ({@link #advanceTo}, in deadline order), then the tuple is looked up in both directions. A hit runs the protocol
 * tracker, refreshes the deadline, lets the entry's helper set its own timeout and emits an {@link EntryUpdated}
 * when status or state changed — in PREROUTING, before routing, so a packet the router then drops still refreshes
 * its entry (nf_conntrack_core.c:nf_conntrack_in); its status changes are delivered with the next packet that gets
 * through (nf_conntrack_core.h:nf_conntrack_confirm). A masqueraded entry's packet that leaves through another
 * interface than the entry's kills the entry and is dropped (nf_nat.h:nf_nat_oif_changed, nf_nat_core.c:nf_nat_inet_fn
 * → nf_ct_kill_acct, which counts the packet a second time). A miss allocates an entry (table limit and early drop)
 * and confirms it only if the packet got through (reference §1: confirmed in POSTROUTING/LOCAL_IN):
 * {@link Arrival.Egress#DROPPED} gives {@link Verdict#DROPPED} and no entry. The new entry's NAT comes from the rules:
 * DNAT in PREROUTING, SNAT/MASQUERADE in POSTROUTING for the interface the packet leaves through, a null binding when
 * no rule applies. ICMP/ICMPv6 errors are matched to the entry of the packet they quote ({@link Verdict#RELATED}).
 * Statistics as {@code conntrack -S} shows them: {@link #stats()}.
 *
 * <p>Link and address events ({@link #onAddressRemoved}, {@link #onLinkDown}, …) flush masqueraded entries as
 * nf_nat_masquerade.c does and change what masquerade picks for new entries. Where the captures contradict the
 * prediction the model emits {@link Diverged}. No wall clock, no I/O. What is not modelled: see the package notes.
 */
public final class ConntrackModel {
    /**
     * The kernel's warning when the table is full (nf_conntrack_core.c:__nf_conntrack_alloc; pr_fmt adds the module
     * name to a message that already has it). A router in a network namespace other than the initial one prints
     * "… table full in netns N, dropping packet" instead.
     */
    public static final String TABLE_FULL_LOG = "nf_conntrack: nf_conntrack: table full, dropping packet";
    /** IP and layer-4 header lengths without options (RFC 791, RFC 8200, RFC 768, RFC 9293, RFC 792). */
    private static final int IPV4_HEADER = 20, IPV6_HEADER = 40, UDP_HEADER = 8, TCP_HEADER = 20, ICMP_HEADER = 8;

    private final Timeouts timeouts;
    private final Interfaces interfaces;
    private final ConntrackStats stats = new ConntrackStats();
    private final ExpectationTable expectations;
    private final ConntrackTable table;
    private final ConntrackHelpers helpers;
    private final ConntrackCore core;
    private final MasqueradeEvents masquerade;
    private final NatTranslator nat;
    /** reused by the convenience overloads, which have no Arrival of their own */
    private final Arrival scratch = new Arrival();

    public ConntrackModel(Timeouts timeouts, List<NatRule> natRules) {
        this(timeouts, natRules, t -> null);
    }

    /** @param helpers names the helper a new entry gets from the ruleset (e.g. "sip" for udp/5060), or null */
    public ConntrackModel(Timeouts timeouts, List<NatRule> natRules, Function<ConntrackTuple, String> helpers) {
        this(timeouts, natRules, helpers, null);
    }

    /**
     * @param interfaces the router's interfaces and their addresses at the start (copied; the model changes its
     *                   copy on link and address events), or null: interface matches are then not evaluated and
     *                   masquerade rules must carry a fixed address
     */
    public ConntrackModel(Timeouts timeouts, List<NatRule> natRules, Function<ConntrackTuple, String> helpers,
                          Interfaces interfaces) {
        this.timeouts = timeouts;
        this.interfaces = interfaces == null ? null : interfaces.copy();
        this.expectations = new ExpectationTable(timeouts, stats);
        this.table = new ConntrackTable(timeouts, expectations, stats);
        this.helpers = new ConntrackHelpers(timeouts, table, expectations);
        this.nat = new NatTranslator(List.copyOf(natRules), this.interfaces, table);
        this.core = new ConntrackCore(table, expectations, this.helpers, nat, helpers, stats);
        this.masquerade = new MasqueradeEvents(this.interfaces, table);
    }

    /** A router as {@code nft list ruleset} / {@code iptables-save} describe it: its NAT rules and helper rules. */
    public ConntrackModel(Timeouts timeouts, NatRuleset ruleset, Interfaces interfaces) {
        this(timeouts, ruleset.rules(), ruleset.helperFunction(), interfaces);
    }

    public Timeouts timeouts() {
        return timeouts;
    }

    /** The model's view of the router's interfaces (changed by link and address events), or null. */
    public Interfaces interfaces() {
        return interfaces == null ? null : interfaces.copy();
    }

    /**
     * Where the model routes a packet to {@code dstHi/dstLo} ({@link Interfaces#route}): the out-interface, or null for
     * the router itself, no route, or no interfaces described. Asked per dropped packet, so it reads the model's own
     * interfaces instead of a {@link #interfaces()} copy.
     */
    public String route(long dstHi, long dstLo) {
        return interfaces == null ? null : interfaces.route(dstHi, dstLo);
    }

    /**
     * An uplink no capture shows, as the captures prove it ({@code cidr} its address, or the one standing for an
     * unknown address, {@link UnknownNat#ADDRESS}), the default route out of it from now on.
     */
    public void addUplink(String name, String cidr) {
        if (interfaces == null || interfaces.has(name)) return;
        interfaces.add(name, Interfaces.Role.WAN).address(name, cidr).defaultRoute(name);
    }

    /** The default route out of {@code name} from now on (a route change the captures prove). */
    public void defaultRoute(String name) {
        if (interfaces != null) interfaces.defaultRoute(name);
    }

    /** Live entries in order of creation. */
    public Collection<ConntrackEntry> entries() {
        return table.entries();
    }

    /** The entry holding {@code tuple} in either direction, or null. */
    public ConntrackEntry find(ConntrackTuple tuple) {
        return table.find(tuple);
    }

    /**
     * A packet's tuple from its fields (as {@link Arrival#tuple}): the tuple of the live entry that holds it when there
     * is one (no allocation for a packet of a live flow), else a new one. The lookup is remembered for the
     * {@link #find} and {@link #onPacket} of the same tuple that follow, while the table's index does not change.
     */
    public ConntrackTuple packetTuple(int protocol, long srcHi, long srcLo, long dstHi, long dstLo, int srcPort,
                                      int dstPort, int icmpType, int icmpCode, int icmpId) {
        return table.tupleOf(protocol, srcHi, srcLo, dstHi, dstLo, srcPort, dstPort, icmpType, icmpCode, icmpId);
    }

    /**
     * The packet tuple of the flow {@code flow} (the caller's object for the packet's TCP or UDP tuple, not null) as
     * {@link #packetTuple(FlowAnswer, int, long, long, long, long, int, int, int, int, int)} last answered it, while
     * the table's index has not changed since; else null (ask that).
     */
    public ConntrackTuple keptTuple(FlowAnswer flow) {
        return table.keptTuple(flow);
    }

    /**
     * {@link #packetTuple(int, long, long, long, long, int, int, int, int, int)} for the packet of the flow
     * {@code flow} (the caller's object for the packet's TCP or UDP tuple, one object per tuple; null for none): the
     * same answer, remembered in it while the table's index does not change.
     */
    public ConntrackTuple packetTuple(FlowAnswer flow, int protocol, long srcHi, long srcLo, long dstHi, long dstLo,
                                      int srcPort, int dstPort, int icmpType, int icmpCode, int icmpId) {
        return table.tupleOf(flow, protocol, srcHi, srcLo, dstHi, dstLo, srcPort, dstPort, icmpType, icmpCode,
                icmpId);
    }

    public long now() {
        return table.now();
    }

    /** Attaches the implementation of a helper the entries name (by {@link Helper#name()}). */
    public void addHelper(Helper helper) {
        helpers.add(helper);
    }

    /** Live expectations, oldest first. */
    public List<Expectation> expectations() {
        return expectations.all();
    }

    /** The live table counted by protocol and status (what tablesize.csv samples), kept by the table itself. */
    public TableCounts counts() {
        return table.counts();
    }

    /** The table itself, for the tests of its indexes in this package. */
    ConntrackTable table() {
        return table;
    }

    /** The table's counters and gauges, updated as packets and time pass. */
    public ConntrackStats stats() {
        return stats;
    }

    /**
     * Moves model time to {@code nanos} (never backwards) and expires every entry whose deadline is at or before it,
     * in deadline order (ties by entry number). The kernel treats an entry as dead once {@code deadline - now ≤ 0}
     * (nf_conntrack.h:nf_ct_is_expired); its DESTROY event may come later (GC lag), the model's comes at the deadline.
     */
    public void advanceTo(long nanos, EventSink sink) {
        table.advanceTo(nanos, sink);
    }

    /**
     * One decoded packet as it arrived at the router (convenience over {@link #onPacket(Arrival, EventSink)}; ingress
     * and egress unknown).
     */
    public Verdict onPacket(long nanos, FrameRef frame, Packet p, int observedNatPort, EventSink sink) {
        return onPacket(unrouted(new Arrival().packet(nanos, frame, p), observedNatPort), sink);
    }

    /**
     * One packet as it arrived at the router, with what the captures showed of it.
     * <ul>
     *   <li>An ICMP/ICMPv6 error (ICMP types 3, 4, 5, 11, 12; ICMPv6 types below 128) is looked up through the packet
     *       it quotes; ICMP types above 18 are invalid (nf_conntrack_proto_icmp.c: nf_conntrack_icmpv4_error); ICMPv6
     *       neighbour discovery and multicast listener messages are untracked
     *       (nf_conntrack_proto_icmpv6.c:noct_valid_new).</li>
     *   <li>Everything else is tracked: looked up, or allocated and created.</li>
     * </ul>
     */
    public Verdict onPacket(Arrival a, EventSink sink) {
        return core.in(a, sink);
    }

    /**
     * One packet as it arrived at the router, ingress and egress unknown (convenience over
     * {@link #onPacket(Arrival, EventSink)}). Its payload length, which a helper's timeout may depend on, is
     * estimated as {@code ipLength} minus headers without options (IPv4 20, IPv6 40, UDP 8, TCP 20, ICMP 8 bytes);
     * give an {@link Arrival} when it is known.
     *
     * @param tuple           the packet's own tuple (before any translation by this router)
     * @param tcpFlags        TCP flag bits (FIN 0x01, SYN 0x02, RST 0x04, ACK 0x10), ignored for other protocols
     * @param ipLength        IP total length, for the counters
     * @param observedNatPort the source port (or ICMP id) the WAN capture showed for this packet after translation,
     *                        or -1; taken where the kernel would have chosen a port at random
     */
    public Verdict onPacket(long nanos, FrameRef frame, ConntrackTuple tuple, int tcpFlags, int ipLength,
                            int observedNatPort, EventSink sink) {
        Arrival a = scratch.clear();
        a.nanos = nanos;
        a.frame = frame;
        a.tuple = tuple;
        a.tcpFlags = tcpFlags;
        a.ipLength = ipLength;
        a.payloadLength = estimatedPayload(tuple, ipLength);
        return onPacket(unrouted(a, observedNatPort), sink);
    }

    /** The convenience overloads' arrival: ingress unknown, the observed NAT port when the WAN capture showed one. */
    private static Arrival unrouted(Arrival a, int observedNatPort) {
        a.ingress = null;
        if (observedNatPort >= 0) {
            a.observed = true;
            a.observedSrcPort = observedNatPort;
        }
        return a;
    }

    static int estimatedPayload(ConntrackTuple tuple, int ipLength) {
        int headers = (tuple.isV4() ? IPV4_HEADER : IPV6_HEADER) + switch (tuple.protocol()) {
            case ConntrackTuple.UDP -> UDP_HEADER;
            case ConntrackTuple.ICMP, ConntrackTuple.ICMPV6 -> ICMP_HEADER;
            case ConntrackTuple.TCP -> TCP_HEADER;
            default -> 0;
        };
        return Math.max(0, ipLength - headers);
    }

    /**
     * An address was removed from {@code iface} ({@code ip addr del}): every entry masqueraded via that interface
     * whose translated address is the removed one is deleted (nf_nat_masquerade.c:masq_inet_event → inet_cmp;
     * the kernel does it in a work queue a few milliseconds later). SNAT and null bindings are never touched. New
     * entries no longer get that address.
     *
     * @param address the address, with or without its prefix length
     */
    public void onAddressRemoved(long nanos, String iface, String address, EventSink sink) {
        masquerade.addressRemoved(nanos, iface, address, sink);
    }

    /**
     * {@link #onAddressRemoved} as the captures prove it happened, within {@code inferred}'s window: the masqueraded
     * entries on that address are deleted at the window's start (right after the last packet the captures show them
     * handle), each DESTROY carrying the window and its evidence. The table's clock moves to {@code nanos} (the proof)
     * first, so entries that expired on their own before it are not flushed.
     */
    public void onAddressRemoved(long nanos, String iface, String address, Inferred inferred, EventSink sink) {
        masquerade.addressRemoved(nanos, iface, address, inferred, sink);
    }

    /**
     * An entry the captures prove dead (a later packet of its original tuple translated otherwise: the kernel never
     * re-NATs a confirmed entry, nf_nat_core.c:nf_nat_setup_info): deleted at {@code inferred}'s start, its DESTROY and
     * its expectations' carrying the window. The table's clock moves to {@code nanos} (the proof) first; an entry that
     * expired before it is not killed again.
     */
    public void killInferred(long nanos, ConntrackEntry e, Inferred inferred, EventSink sink) {
        table.advanceTo(nanos, sink);
        if (!e.inTable) return;
        table.kill(e, inferred.earliestNanos(), FrameRef.NONE, "inferred: " + inferred.why(), inferred, sink);
    }

    /**
     * The NAT of {@code e}, made where no capture shows ({@link UnknownNat}), as a later WAN copy of its original
     * direction shows it: the kernel never re-NATs a confirmed entry (nf_nat_core.c:nf_nat_setup_info), so the entry
     * had it from its first packet; the model now gives it that address and port. It leaves the WAN with it, so its rule
     * recorded no interface (SNAT, no nf_nat_oif_changed kill). A no-op for an entry whose NAT was known.
     */
    public void revealNat(ConntrackEntry e, long hi, long lo, int port) {
        if (!e.inTable || !UnknownNat.is(e.reply)) return;
        ConntrackTuple was = e.reply;
        table.rekey(e, ConntrackTuple.ports(was.protocol(), was.srcHi(), was.srcLo(), hi, lo, was.srcPort(), port));
        e.masqInterface = null;
        // its expectations named the same address (the helper expects the far end's packets to the entry's NAT)
        if (e.expecting != null) {
            for (Expectation x : e.expecting) {
                if (x.dstHi == was.dstHi() && x.dstLo == was.dstLo()) {
                    x.dstHi = hi;
                    x.dstLo = lo;
                    expectations.moved(x);
                }
            }
        }
    }

    /**
     * The address of uplink {@code iface}, which stood as {@link UnknownNat#ADDRESS} until a WAN copy showed it
     * ({@link #revealNat}): the stand-in is replaced, so masquerade picks the revealed address for the entries made
     * out of that uplink from now on (devinet.c:inet_select_addr takes the interface's address; nothing in the kernel
     * changed, so no entry is flushed and no event is written). An uplink whose address was known is only given
     * {@code address} beside its own ({@link #onAddressAdded}).
     */
    public void revealUplinkAddress(long nanos, String iface, String address, EventSink sink) {
        if (interfaces != null && interfaces.has(iface)) {
            long[] unknown = ConntrackTuple.address(UnknownNat.ADDRESS);
            interfaces.removeAddress(iface, unknown[0], unknown[1]);
        }
        masquerade.addressAdded(nanos, iface, address + "/32", sink);
    }

    /**
     * A deletion at {@code nanos} known only within {@code window} (an instant the case settings give to a precision):
     * the DESTROY at {@code nanos}, carrying the window. {@code e} may be deleted by {@link #onAddressRemovedAround}'s
     * flush or by an operator ({@code conntrack -D}).
     */
    public void killAround(long nanos, ConntrackEntry e, Inferred window, EventSink sink) {
        table.advanceTo(nanos, sink);
        if (!e.inTable) return;
        table.kill(e, nanos, FrameRef.NONE, window.why(), window, sink);
    }

    /** {@link #onAddressRemoved} at {@code nanos}, known only within {@code window}: its DESTROYs at {@code nanos}. */
    public void onAddressRemovedAround(long nanos, String iface, String address, Inferred window, EventSink sink) {
        masquerade.addressRemoved(nanos, iface, address, window, nanos, false, sink);
    }

    /**
     * Decides what a LAN packet proves whose copy leaves translated otherwise than its live entry's NAT, which the
     * captures saw at work before: the kernel never re-NATs a confirmed entry (nf_nat_core.c:nf_nat_setup_info runs at
     * its first packet only), so the entry died in between.
     */
    public interface Contradiction {
        /**
         * @return true when it deleted {@code e} (through {@link #killInferred}): the packet then creates a new entry;
         *         false leaves the entry to the packet (the model records the divergence as before)
         */
        boolean entryGone(ConntrackEntry e, Arrival a, EventSink sink);
    }

    /** Asks {@code c} about every LAN packet whose observed translation contradicts its entry's; null: nobody. */
    public void onContradiction(Contradiction c) {
        core.contradiction = c;
    }

    /** An address was added to {@code iface} ("a.b.c.d/len"): masquerade may pick it for new entries; no entry changes. */
    public void onAddressAdded(long nanos, String iface, String cidr, EventSink sink) {
        masquerade.addressAdded(nanos, iface, cidr, sink);
    }

    /**
     * {@code iface} went down (NETDEV_DOWN): every entry masqueraded via it is deleted
     * (nf_nat_masquerade.c:masq_device_event → device_cmp); SNAT and null bindings stay.
     */
    public void onLinkDown(long nanos, String iface, EventSink sink) {
        masquerade.linkDown(nanos, iface, sink);
    }

    /**
     * NAT rules loaded at {@code nanos} (an {@code nft -f} of a ruleset with a nat table, late): packets from then on
     * that create entries get these rules; live entries keep their NAT, a null binding included (nf_nat_core.c: the
     * binding is made once, at the entry's first packet). The helper rules are not reloaded.
     */
    public void onNatRulesLoaded(long nanos, List<NatRule> rules, EventSink sink) {
        table.advanceTo(nanos, sink);
        nat.load(rules);
    }

    /**
     * An operator's {@code conntrack -D} (with its filter) or {@code -F} at {@code nanos}: every live entry whose
     * original tuple {@code which} accepts is deleted (nf_conntrack_netlink.c:ctnetlink_del_conntrack /
     * ctnetlink_flush_conntrack → nf_ct_delete), its DESTROY printing the time it had left, and its expectations go
     * with it. {@link ConntrackCommand} reads the command line.
     *
     * @return how many entries were deleted
     */
    public int onUserspaceDelete(long nanos, java.util.function.Predicate<ConntrackTuple> which, String command,
                                 EventSink sink) {
        table.advanceTo(nanos, sink);
        long t = Math.max(nanos, table.now());
        int n = 0;
        for (ConntrackEntry e : table.snapshot()) {
            if (!which.test(e.original())) continue;
            table.kill(e, t, FrameRef.NONE, "deleted from userspace: " + command
                    + " (nf_conntrack_netlink.c:ctnetlink_del_conntrack)", sink);
            n++;
        }
        return n;
    }

    /** {@code iface} came up again; no entry changes. */
    public void onLinkUp(long nanos, String iface, EventSink sink) {
        masquerade.linkUp(nanos, iface, sink);
    }
}
