package dev.natrecon.alg.sip;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.natrecon.FuzzContract;

/**
 * Fuzz target for the kernel SIP helper's text reader (nf_conntrack_sip.c's parsing, rewritten): every entry point the
 * helper uses, on every header and SDP line kind, header lists walked to their end, and a rewrite at a fuzz-chosen
 * place. A match must lie inside the message.
 */
class KernelSipTextFuzzTest {
    /** A walk through a header list advances at least one byte per step, so a message's length bounds it. */
    private static final String[] PARAMS = {"transport=", "maddr=", "received=", "rport=", "expires=", ";"};

    @FuzzTest(maxDuration = "30s")
    void message(FuzzedDataProvider fuzz) {
        boolean v6 = fuzz.consumeBoolean();
        int replaceAt = fuzz.consumeInt(); // any int: taken modulo the message length
        int replaceLength = fuzz.consumeInt(0, 64);
        byte[] b = fuzz.consumeRemainingAsBytes();
        FuzzContract.run(() -> read(new KernelSipText(b, b.length, v6), replaceAt, replaceLength));
    }

    private static void read(KernelSipText t, int replaceAt, int replaceLength) {
        if (t.parseRequest() == 1) inside(t);
        for (KernelSipText.Header h : KernelSipText.Header.values()) {
            if (t.getHeader(0, t.len, h) == 1) inside(t);
            if (h.search == null) continue;
            t.parseHeaderUri(h, false);
            t.dataOff = 0;
            t.inHeader = false;
            for (int steps = 0; steps <= t.len && t.parseHeaderUri(h, true) == 1; steps++) {
                if (steps == t.len) throw new AssertionError("header walk of " + h + " does not end");
                for (String p : PARAMS) {
                    if (t.parseParam(t.dataOff, p) == 1) inside(t);
                    if (t.parseAddressParam(t.dataOff, p, true) == 1) inside(t);
                    t.parseNumericalParam(t.dataOff, p);
                }
                t.parseTransport(t.dataOff, 17);
            }
        }
        for (KernelSipText.Sdp type : KernelSipText.Sdp.values()) {
            if (type == KernelSipText.Sdp.UNSPEC) continue;
            for (KernelSipText.Sdp term : new KernelSipText.Sdp[] {KernelSipText.Sdp.UNSPEC, KernelSipText.Sdp.MEDIA}) {
                if (t.getSdpHeader(0, type, term) == 1) inside(t);
                if (t.parseSdpAddr(0, type, term) == 1) inside(t);
            }
        }
        if (t.len > 0) {
            int off = Math.floorMod(replaceAt, t.len);
            t.replace(off, Math.min(replaceLength, t.len - off), "203.0.113.2:5060");
        }
    }

    private static void inside(KernelSipText t) {
        if (t.matchOff < 0 || t.matchLen < 0 || t.matchOff + t.matchLen > t.len) {
            throw new AssertionError("match [" + t.matchOff + ", +" + t.matchLen + ") outside a " + t.len + "-byte message");
        }
    }
}
