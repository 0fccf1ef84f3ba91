package dev.natrecon.conntrack;

import dev.natrecon.conntrack.NatMatch.AddressRange;
import dev.natrecon.decode.Addresses;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The router's interfaces as the NAT model needs them: a name, a role (which capture shows it), whether the link is
 * up, and its addresses with their prefix (the connected subnet), in the order they were added. The caller describes
 * the start; the model changes its own copy on {@link ConntrackModel#onAddressAdded}, {@code onAddressRemoved},
 * {@code onLinkDown} and {@code onLinkUp}.
 *
 * <p>Masquerade takes the out-interface's address as net/ipv4/devinet.c:inet_select_addr picks it: the first
 * address whose subnet holds the next hop, else the first address (scope global). The model knows no gateway, so it
 * tests the destination itself; secondary addresses (IFA_F_SECONDARY, skipped there) are not modelled: every address
 * counts as primary. Routing for packets whose egress the captures do not show ({@link Arrival.Egress#UNKNOWN}):
 * to a router address → the router itself; into a connected subnet → that interface; otherwise the first WAN
 * interface whose link is up (the default route); none → no route, the packet is dropped (reference §6).
 */
public final class Interfaces {
    /** Which side of the router an interface is on (which capture shows it). */
    public enum Role {
        LAN, WAN
    }

    /** One address with its connected subnet. */
    public record Address(long hi, long lo, AddressRange subnet) {
        /** "203.0.113.2/24", or "203.0.113.2" (a host route only). */
        public static Address parse(String cidr) {
            int slash = cidr.indexOf('/');
            long[] a = AddressRange.address(slash < 0 ? cidr : cidr.substring(0, slash));
            return new Address(a[0], a[1], AddressRange.parse(cidr));
        }

        public boolean isV4() {
            return Addresses.isV4(hi, lo);
        }

        @Override
        public String toString() {
            return Addresses.format(hi, lo) + " (" + subnet + ")";
        }
    }

    private static final class Link {
        final String name;
        final Role role;
        boolean up = true;
        final List<Address> addresses = new ArrayList<>();

        Link(String name, Role role) {
            this.name = name;
            this.role = role;
        }
    }

    private final Map<String, Link> links = new LinkedHashMap<>();
    /** The first interface of each role ({@link #name}, asked per packet); links are only ever added. */
    private String firstLan, firstWan;
    /** The interface the default route goes out of, or null: the first WAN interface whose link is up. */
    private String defaultRoute;

    /** Sets the interface the default route goes out of (a backup uplink behind the WAN's connected routes). */
    public Interfaces defaultRoute(String name) {
        link(name);
        defaultRoute = name;
        return this;
    }

    public Interfaces() {
    }

    /** A LAN and a WAN interface, without addresses yet. */
    public static Interfaces of(String lan, String wan) {
        return new Interfaces().add(lan, Role.LAN).add(wan, Role.WAN);
    }

    public Interfaces add(String name, Role role) {
        if (links.containsKey(name)) throw new IllegalArgumentException("interface " + name + " twice");
        put(new Link(name, role));
        return this;
    }

    private void put(Link l) {
        links.put(l.name, l);
        if (l.role == Role.LAN && firstLan == null) firstLan = l.name;
        if (l.role == Role.WAN && firstWan == null) firstWan = l.name;
    }

    /** Adds an address ("a.b.c.d/len") to {@code name} at the start. */
    public Interfaces address(String name, String cidr) {
        link(name).addresses.add(Address.parse(cidr));
        return this;
    }

    public Interfaces copy() {
        Interfaces c = new Interfaces();
        for (Link l : links.values()) {
            Link n = new Link(l.name, l.role);
            n.up = l.up;
            n.addresses.addAll(l.addresses);
            c.put(n);
        }
        c.defaultRoute = defaultRoute;
        return c;
    }

    private Link link(String name) {
        Link l = links.get(name);
        if (l == null) throw new IllegalArgumentException("unknown interface " + name + " (known: " + links.keySet() + ")");
        return l;
    }

    public boolean has(String name) {
        return links.containsKey(name);
    }

    /** The first interface of a role, or null. */
    public String name(Role role) {
        return role == Role.WAN ? firstWan : firstLan;
    }

    public Role role(String name) {
        return link(name).role;
    }

    public boolean up(String name) {
        return link(name).up;
    }

    public List<Address> addresses(String name) {
        return Collections.unmodifiableList(link(name).addresses);
    }

    /** Is this one of the router's own addresses (any interface, link up or down)? */
    public boolean isLocal(long hi, long lo) {
        for (Link l : links.values()) for (Address a : l.addresses) if (a.hi == hi && a.lo == lo) return true;
        return false;
    }

    /**
     * The source address masquerade would take on {@code name} toward {@code dst} (inet_select_addr), same family as
     * the destination. When {@code name} has no IPv4 address, inet_select_addr (net/ipv4/devinet.c, label
     * {@code no_in_dev}) does not give up: it walks every device of the namespace in order (for_each_netdev_rcu) and
     * takes the first one's first universe-scope address (in_dev_select_addr), so masquerade translates to another
     * interface's address, e.g. the LAN's (lab: masq-no-address). The model walks its interfaces in the order they were
     * added (the kernel's ifindex order is not in the captures; loopback's 127.0.0.1 has host scope and is skipped
     * there). Null only when no interface has an address of the family (nf_nat_masquerade.c:nf_nat_masquerade_ipv4:
     * "… ate my IP address", drop); IPv6 masquerade (ipv6_dev_get_saddr) is not given this fallback.
     *
     * @param anyDevice whether the fallback to another device applies: only where the packet had a route out of
     *                  {@code name} (the captures show it leave); an interface without address usually lost its routes
     *                  with it, and a packet with no route never reaches masquerade
     */
    public Address select(String name, long dstHi, long dstLo, boolean anyDevice) {
        Link l = link(name);
        boolean v4 = Addresses.isV4(dstHi, dstLo);
        Address first = null;
        for (Address a : l.addresses) {
            if (a.isV4() != v4) continue;
            if (a.subnet.contains(dstHi, dstLo)) return a;
            if (first == null) first = a;
        }
        if (first != null || !v4 || !anyDevice) return first;
        for (Link other : links.values()) {
            for (Address a : other.addresses) if (a.isV4()) return a; // devinet.c:inet_select_addr, no_in_dev
        }
        return null;
    }

    /**
     * The interface a packet to {@code dst} leaves through when no capture shows it: null for one of the router's
     * own addresses (local delivery, see {@link #isLocal}) and when there is no route; the interface of a connected
     * subnet whose link is up; else the default route's interface ({@link #defaultRoute}) or the first WAN interface
     * whose link is up.
     */
    public String route(long dstHi, long dstLo) {
        if (isLocal(dstHi, dstLo)) return null;
        for (Link l : links.values()) {
            if (!l.up) continue;
            for (Address a : l.addresses) if (a.subnet.contains(dstHi, dstLo)) return l.name;
        }
        if (defaultRoute != null && links.get(defaultRoute).up) return defaultRoute;
        for (Link l : links.values()) if (l.up && l.role == Role.WAN) return l.name;
        return null;
    }

    /** The interface whose subnet holds {@code src} (where a packet from there arrives), else the first WAN one. */
    public String arrivalInterface(long srcHi, long srcLo) {
        for (Link l : links.values()) for (Address a : l.addresses) if (a.subnet.contains(srcHi, srcLo)) return l.name;
        return name(Role.WAN);
    }

    // ---- changes, through the model

    boolean addAddress(String name, Address a) {
        Link l = link(name);
        for (Address x : l.addresses) if (x.hi == a.hi && x.lo == a.lo) return false;
        l.addresses.add(a);
        return true;
    }

    Address removeAddress(String name, long hi, long lo) {
        Link l = link(name);
        for (int i = 0; i < l.addresses.size(); i++) {
            Address a = l.addresses.get(i);
            if (a.hi == hi && a.lo == lo) return l.addresses.remove(i);
        }
        return null;
    }

    void setUp(String name, boolean up) {
        link(name).up = up;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Link l : links.values()) {
            sb.append(l.name).append(' ').append(l.role).append(l.up ? "" : " DOWN").append(' ').append(l.addresses).append('\n');
        }
        return sb.toString();
    }
}
