package dev.natrecon.conntrack;

import dev.natrecon.decode.Addresses;

/**
 * Link and address events, nf_nat_masquerade.c: the notifiers that flush masqueraded entries when their
 * interface goes down (masq_device_event) or loses the address they were translated to (masq_inet_event), and the
 * change they make to what masquerade picks for new entries (the model's copy of the router's {@link Interfaces}).
 */
final class MasqueradeEvents {
    private final Interfaces interfaces;
    private final ConntrackTable table;

    /** @param interfaces the model's own copy of the router's interfaces, or null when they are unknown */
    MasqueradeEvents(Interfaces interfaces, ConntrackTable table) {
        this.interfaces = interfaces;
        this.table = table;
    }

    /**
     * An address was removed from {@code iface}: every entry masqueraded via that interface whose translated address
     * is the removed one is deleted (masq_inet_event → inet_cmp; the kernel does it in a work queue a few milliseconds
     * later). SNAT and null bindings are never touched. New entries no longer get that address.
     */
    void addressRemoved(long nanos, String iface, String address, EventSink sink) {
        addressRemoved(nanos, iface, address, null, sink);
    }

    /**
     * {@link #addressRemoved} inferred from the captures ({@code inferred} non-null): the entries are deleted at the
     * window's start, which may lie before the table's clock.
     */
    void addressRemoved(long nanos, String iface, String address, Inferred inferred, EventSink sink) {
        addressRemoved(nanos, iface, address, inferred, inferred != null ? inferred.earliestNanos() : Long.MIN_VALUE,
                inferred != null, sink);
    }

    /**
     * @param at    the DESTROYs' instant (MIN_VALUE: {@code nanos}, or the table's clock if later)
     * @param named whether the reason names the inference (not for an instant given to a precision)
     */
    void addressRemoved(long nanos, String iface, String address, Inferred inferred, long at, boolean named,
                        EventSink sink) {
        Interfaces ifs = requireInterfaces();
        table.advanceTo(nanos, sink);
        long t = at != Long.MIN_VALUE ? at : Math.max(nanos, table.now());
        long[] a = NatMatch.AddressRange.address(address.contains("/") ? address.substring(0, address.indexOf('/')) : address);
        if (ifs.removeAddress(iface, a[0], a[1]) == null) return; // not there: no notification
        String reason = "masquerade: address " + Addresses.format(a[0], a[1]) + " removed from " + iface
                + " (nf_nat_masquerade.c:masq_inet_event)";
        for (ConntrackEntry e : table.snapshot()) {
            if (iface.equals(e.masqInterface) && e.reply.dstHi() == a[0] && e.reply.dstLo() == a[1]) {
                table.kill(e, t, FrameRef.NONE, !named ? reason : reason + "; inferred: " + inferred.why(),
                        inferred, sink);
            }
        }
    }

    /** An address was added to {@code iface} ("a.b.c.d/len"): masquerade may pick it for new entries. */
    void addressAdded(long nanos, String iface, String cidr, EventSink sink) {
        Interfaces ifs = requireInterfaces();
        table.advanceTo(nanos, sink);
        ifs.addAddress(iface, Interfaces.Address.parse(cidr));
    }

    /** NETDEV_DOWN: every entry masqueraded via {@code iface} is deleted (masq_device_event → device_cmp). */
    void linkDown(long nanos, String iface, EventSink sink) {
        Interfaces ifs = requireInterfaces();
        table.advanceTo(nanos, sink);
        long t = Math.max(nanos, table.now());
        ifs.setUp(iface, false);
        String reason = "masquerade: " + iface + " went down (nf_nat_masquerade.c:masq_device_event)";
        for (ConntrackEntry e : table.snapshot()) {
            if (iface.equals(e.masqInterface)) table.kill(e, t, FrameRef.NONE, reason, sink);
        }
    }

    /** The interface came up again; no entry changes. */
    void linkUp(long nanos, String iface, EventSink sink) {
        Interfaces ifs = requireInterfaces();
        table.advanceTo(nanos, sink);
        ifs.setUp(iface, true);
    }

    private Interfaces requireInterfaces() {
        if (interfaces == null) throw new IllegalStateException("link and address events need the router's interfaces");
        return interfaces;
    }
}
