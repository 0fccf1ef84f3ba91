package dev.natrecon.alg.sip;

import java.util.List;

/**
 * What a message verdict needs to be finished once the bindings are known ({@link SipRewriteClassifier#judgePorts}):
 * its class and findings without the moved ports', whether a byte-for-byte prediction fixed its class, the moved
 * ports, and the pair's frames. Small: it holds no message.
 */
public record UnjudgedPorts(AlgClass algClass, boolean predictionHolds, List<AlgFinding> findings,
        List<SdpPortMove> moves, List<FrameRef> frames) {
    public UnjudgedPorts {
        findings = List.copyOf(findings);
        moves = List.copyOf(moves);
        frames = List.copyOf(frames);
    }
}
