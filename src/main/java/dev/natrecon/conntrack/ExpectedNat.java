package dev.natrecon.conntrack;

/**
 * What a helper's expectfn sets up for a connection created from one of its expectations, before any NAT rule
 * (nf_nat_setup_info from e.g. nf_nat_sip.c:nf_nat_sip_expected): DST always, to the given address and port; SRC
 * only when {@code snat}, to the given address and port ({@code srcPort} -1: NF_NAT_RANGE_MAP_IPS only, the port is
 * kept when free).
 */
public record ExpectedNat(long dstHi, long dstLo, int dstPort, boolean snat, long srcHi, long srcLo, int srcPort) {
    /** DST only; SRC is left to the rules. */
    public static ExpectedNat destination(long dstHi, long dstLo, int dstPort) {
        return new ExpectedNat(dstHi, dstLo, dstPort, false, 0, 0, -1);
    }

    /** The same DST, and SRC to the given address and port. */
    public ExpectedNat withSource(long hi, long lo, int port) {
        return new ExpectedNat(dstHi, dstLo, dstPort, true, hi, lo, port);
    }

    NatTranslator.Preset preset() {
        NatTranslator.Preset p = new NatTranslator.Preset();
        p.dstHi = dstHi;
        p.dstLo = dstLo;
        p.dstPort = dstPort;
        p.snat = snat;
        p.srcHi = srcHi;
        p.srcLo = srcLo;
        p.srcPort = srcPort;
        return p;
    }
}
