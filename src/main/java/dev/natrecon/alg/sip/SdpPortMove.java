package dev.natrecon.alg.sip;

import java.util.List;
import java.util.Set;

/**
 * An SDP media (or a=rtcp) port of ours that the router moved: the field, the media endpoint as the LAN shows it and
 * as the WAN shows it, and a sentence with both. Whether the move is sound depends on the bindings the captures
 * showed ({@link #finding}).
 */
public record SdpPortMove(String field, Endpoint lan, Endpoint wan, String what) {
    /**
     * {@code alg.sdp_port_moved} when the bindings take LAN → WAN (or are not known), else
     * {@code alg.sdp_port_foreign_binding} when the WAN endpoint is bound to another internal endpoint, else
     * {@code alg.sdp_port_without_binding}.
     */
    public AlgFinding finding(BindingLookup b, List<FrameRef> frames) {
        if (!b.known()) return finding(AlgFindingType.SDP_PORT_MOVED, frames, what + ", bindings not known");
        if (b.exists(new NatBinding(lan, wan))) return finding(AlgFindingType.SDP_PORT_MOVED, frames, what + ", bound");
        Set<Endpoint> holders = b.internalsOf(wan).orElse(Set.of());
        if (!holders.isEmpty()) {
            return finding(AlgFindingType.SDP_PORT_FOREIGN_BINDING, frames, what + ", but " + wan + " is bound to " + holders);
        }
        return finding(AlgFindingType.SDP_PORT_WITHOUT_BINDING, frames, what + ": no binding for " + wan);
    }

    private AlgFinding finding(AlgFindingType type, List<FrameRef> frames, String detail) {
        return new AlgFinding(type, List.of(field), frames, detail);
    }
}
