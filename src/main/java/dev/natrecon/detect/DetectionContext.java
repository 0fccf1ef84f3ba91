package dev.natrecon.detect;

import dev.natrecon.alg.sip.CaseVerdict;
import dev.natrecon.conntrack.Timeouts;
import dev.natrecon.correlate.Binding;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the replay learnt that detectors need at the end.
 *
 * @param bindings          the NAT bindings the captures showed (internal, external, remote endpoints, traffic)
 * @param timeouts          the conntrack timeouts the model ran with (profile, sysctl dump, overrides)
 * @param externalAddresses the router's WAN addresses seen in translations
 * @param sipHelper         whether the model attached the SIP helper to signalling entries
 * @param sipVerdict        the SIP rewrite analysis (computed on first call; null when no SIP message was seen on both
 *                          sides)
 * @param lanSpan           first and last corrected time of the LAN capture (or the router capture's LAN side)
 * @param wanSpan           the same for the WAN side
 * @param streams           the RTP streams per capture side ({@code media}), for the detectors that judge media
 *                          quality; empty when not given
 */
public record DetectionContext(String caseName, List<Binding> bindings, Timeouts timeouts,
                               List<String> externalAddresses, boolean sipHelper, Supplier<CaseVerdict> sipVerdict,
                               long[] lanSpan, long[] wanSpan, List<dev.natrecon.media.StreamSummary> streams) {
    public DetectionContext {
        // read-only, not copied: the table's list reads retired lifetimes back one at a time (a million of them)
        bindings = java.util.Collections.unmodifiableList(bindings);
        externalAddresses = List.copyOf(externalAddresses);
        streams = streams == null ? List.of() : List.copyOf(streams);
    }

    /** Without RTP stream summaries. */
    public DetectionContext(String caseName, List<Binding> bindings, Timeouts timeouts, List<String> externalAddresses,
                            boolean sipHelper, Supplier<CaseVerdict> sipVerdict, long[] lanSpan, long[] wanSpan) {
        this(caseName, bindings, timeouts, externalAddresses, sipHelper, sipVerdict, lanSpan, wanSpan, List.of());
    }
}
