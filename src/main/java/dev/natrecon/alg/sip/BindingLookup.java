package dev.natrecon.alg.sip;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The UDP bindings (internal endpoint → external endpoint) the captures showed, for judging an SDP port a router wrote:
 * is there a binding that takes the media the SDP announces there? Built from a set ({@link #of(Collection)}), from a
 * predicate ({@link #of(Predicate)}: it can answer whether a binding exists, not who else holds an external port), or
 * {@link #unknown()} when the caller has none (rewritten ports are then not judged).
 */
public interface BindingLookup {
    /** True when the captures showed this binding. */
    boolean exists(NatBinding binding);

    /** The internal endpoints bound to {@code external}, or empty when the lookup cannot say. */
    default Optional<Set<Endpoint>> internalsOf(Endpoint external) {
        return Optional.empty();
    }

    /** False for {@link #unknown()}. */
    default boolean known() {
        return true;
    }

    /**
     * True for {@link #later()}: the classifier leaves moved SDP ports unjudged on the message verdict
     * ({@link MessageVerdict#unjudgedPorts()}) instead of asking.
     */
    default boolean judgedLater() {
        return false;
    }

    /**
     * For a caller that classifies messages before it knows the bindings (a replay learns them until its end): moved
     * SDP ports are kept as facts and judged with {@link SipRewriteClassifier#judgePorts} once the bindings are known.
     */
    static BindingLookup later() {
        return new BindingLookup() {
            @Override
            public boolean exists(NatBinding binding) {
                throw new IllegalStateException("the bindings are not known yet");
            }

            @Override
            public boolean judgedLater() {
                return true;
            }

            @Override
            public String toString() {
                return "bindings judged later";
            }
        };
    }

    static BindingLookup unknown() {
        return new BindingLookup() {
            @Override
            public boolean exists(NatBinding binding) {
                return true;
            }

            @Override
            public boolean known() {
                return false;
            }

            @Override
            public String toString() {
                return "bindings unknown";
            }
        };
    }

    static BindingLookup of(Predicate<NatBinding> exists) {
        return exists::test;
    }

    static BindingLookup of(Collection<NatBinding> bindings) {
        Map<Endpoint, Set<Endpoint>> byExternal = new HashMap<>();
        for (NatBinding b : bindings) byExternal.computeIfAbsent(b.external(), k -> new TreeSet<>()).add(b.internal());
        List<NatBinding> copy = List.copyOf(bindings);
        return new BindingLookup() {
            @Override
            public boolean exists(NatBinding binding) {
                return byExternal.getOrDefault(binding.external(), Set.of()).contains(binding.internal());
            }

            @Override
            public Optional<Set<Endpoint>> internalsOf(Endpoint external) {
                return Optional.of(Set.copyOf(byExternal.getOrDefault(external, Set.of())));
            }

            @Override
            public String toString() {
                return copy.toString();
            }
        };
    }
}
