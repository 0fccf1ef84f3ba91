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

    /**
     * A context derived from the pairs themselves: the internal hosts of translated pairs are the phones, their
     * external hosts the router's addresses.
     */
    public static AlgContext fromPairs(Collection<SipMessagePair> pairs, BindingLookup bindings) {
        Set<String> phones = new TreeSet<>(), router = new TreeSet<>();
        for (SipMessagePair p : pairs) {
            if (p.translations().isEmpty()) continue;
            if (!p.internal().host().equals(p.external().host())) {
                phones.add(p.internal().host());
                router.add(p.external().host());
            }
        }
        return new AlgContext(phones, router, bindings);
    }
}
