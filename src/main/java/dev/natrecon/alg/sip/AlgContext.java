package dev.natrecon.alg.sip;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the classifier knows about the case beyond each packet's own headers: the phones' private addresses (LAN side),
 * the router's external addresses (WAN side; several when the address changed) and the bindings the captures showed.
 * Each pair's own translation (from its packets' headers) is always used as well.
 */
public record AlgContext(Set<String> phoneAddresses, Set<String> routerAddresses, BindingLookup bindings) {
    public AlgContext {
        phoneAddresses = normalized(phoneAddresses);
        routerAddresses = normalized(routerAddresses);
    }

    private static Set<String> normalized(Collection<String> hosts) {
        Set<String> out = new TreeSet<>();
        for (String h : hosts) out.add(Endpoint.normalize(h));
        return Set.copyOf(out);
    }

    /** Whether {@code p} shows a phone and a router address: the router translated it between two hosts. */
    static boolean teaches(SipMessagePair p) {
        return !p.translations().isEmpty() && !p.internal().host().equals(p.external().host());
    }

    /**
     * This context with what one more pair shows: when the router translated it between two hosts, its internal host
     * is a phone and its external host one of the router's addresses. Returns this context when nothing is new.
     */
    public AlgContext including(SipMessagePair p) {
        if (!teaches(p)) return this;
        String phone = p.internal().host(), router = p.external().host();
        if (phoneAddresses.contains(phone) && routerAddresses.contains(router)) return this;
        Set<String> phones = new TreeSet<>(phoneAddresses), routers = new TreeSet<>(routerAddresses);
        phones.add(phone);
        routers.add(router);
        return new AlgContext(phones, routers, bindings);
    }
}
