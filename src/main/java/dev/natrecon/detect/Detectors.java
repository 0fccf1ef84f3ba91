package dev.natrecon.detect;

import dev.natrecon.correlate.Inside;
import java.util.ArrayList;
import java.util.List;

/** The explicit registry of detectors: a new detector is added here, nowhere else. */
public final class Detectors {
    private Detectors() {
    }

    /** Fresh instances of every detector (detectors keep per-run state), reading the model's entries from {@code entries}. */
    public static List<Detector> all(LiveEntries entries, Inside inside) {
        KeepaliveDetector keepalive = new KeepaliveDetector();
        SipFacts.Memo sipFacts = new SipFacts.Memo(inside); // media and NAT tests read the same SIP messages
        // nat.behaviour reads the keepalive timeline at the end: it comes after keepalive
        return List.of(new PrivateSourceLeakDetector(entries), new StaleMappingDetector(entries, inside),
                new PortClashDetector(entries, inside), new ExpectDetector(), keepalive, new NatBehaviourDetector(keepalive),
                new AlgRewriteDetector(), new MediaDetector(sipFacts), new SipNatTestsDetector(sipFacts),
                new OutageDetector());
    }

    /** Every rule of every detector, in registry order. */
    public static List<Rule> rules() {
        List<Rule> out = new ArrayList<>();
        for (Detector d : all(new LiveEntries(), Inside.privateRanges())) out.addAll(d.rules());
        return out;
    }

    /** The rule with this id, or null. */
    public static Rule rule(String id) {
        for (Rule r : rules()) if (r.id().equals(id)) return r;
        return null;
    }
}
