package dev.natrecon.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which findings one capture of one side of the NAT can support. A finding is kept when its rule reads only what one
 * side shows (SIP text as that side received or sent it, media per direction on that side, keepalive gaps, what the
 * far side reports of the mapping, the far side's answers that an ALG mapped back, the external address a party behind
 * a NAT sends); a rule that needs the packet before and after the router (drops, leaks through
 * the router, stale or clashing translations, SIP helper rewrites and expectations, the model's NAT behaviour) is not
 * judged from one capture, and the report says so ({@code RunVerdict.ONE_CAPTURE_CANNOT_SHOW}).
 */
public final class OneSide {
    /** The rules whose evidence lies on one side only. */
    static final Set<String> JUDGEABLE = Set.of(SipNatTestsDetector.RULE.id(), MediaRules.ONE_WAY.id(),
            MediaRules.ASYMMETRIC.id(), MediaRules.SDP_PRIVATE.id(), MediaRules.NO_MEDIA.id(), MediaRules.CALL_MEDIA.id(),
            KeepaliveDetector.RULE.id(), FarSideMappingDetector.MAPPING.id(), FarSideMappingDetector.CHANGED.id(),
            SipPrivateFieldsDetector.RULE.id(), MediaRules.MEDIA_STOPPED.id(), MediaRules.JITTER.id(),
            AlgMappedBackDetector.RULE.id(), AlgExternalWrittenDetector.RULE.id());

    private OneSide() {
    }

    /** Whether findings of rule {@code id} can be judged from one side's capture. */
    public static boolean judgeable(String id) {
        return JUDGEABLE.contains(id);
    }

    /** The findings of {@code all} that one side's capture supports, in their order. */
    public static List<Finding> judgeable(List<Finding> all) {
        List<Finding> out = new ArrayList<>();
        for (Finding f : all) if (judgeable(f.id())) out.add(f);
        return List.copyOf(out);
    }
}
