package dev.natrecon.alg.sip;

import static dev.natrecon.alg.sip.Msgs.PHONE;
import static dev.natrecon.alg.sip.Msgs.ROUTER;
import static dev.natrecon.alg.sip.Msgs.out;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.alg.sip.Msgs.Invite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The classifier's own prediction, for a changed message no model helper handled, is {@link LinuxSipHelper} itself:
 * on the real kernel's captures it writes what the lab router wrote, and the classification's Linux verdicts
 * ({@code alg.not_linux}, the *_not_rewritten gating) follow it.
 */
class LinuxSipPredictionTest {
    static final SipRewriteClassifier C = new SipRewriteClassifier(
            new AlgContext(Set.of(PHONE), Set.of(ROUTER), BindingLookup.unknown()));

    /** Every message the real kernel rewrote, predicted from its input copy and the translation alone, byte for byte. */
    @ParameterizedTest
    @ValueSource(strings = {"baseline", "sip-over-tcp", "port-clash", "wan-address-change", "stale-mapping", "leaked-private-source"})
    void theHelperRunOnThePairAloneWritesWhatTheLabKernelWrote(String sample) throws IOException {
        int rewritten = 0;
        for (SipMessagePair p : CaptureSip.pairs(Path.of("samples", sample)).pairs()) {
            byte[] in = p.input().raw(), out = p.output().raw();
            if (java.util.Arrays.equals(in, out)) continue;
            rewritten++;
            LinuxSipPrediction.Result r = LinuxSipPrediction.of(p);
            assertNull(r.dropReason(), p.toString());
            assertEquals(new String(out, StandardCharsets.ISO_8859_1), new String(r.output(), StandardCharsets.ISO_8859_1),
                    sample + " " + p);
        }
        assertTrue(rewritten > 0, sample + ": no rewritten message");
    }

    @Test
    void theLinuxRewriteOfTheTestInviteIsLinuxLikeWithoutAModel() {
        MessageVerdict v = C.classify(out(new Invite().text(), Invite.linux().text()));
        assertEquals(AlgClass.LINUX_LIKE, v.algClass(), v.toString());
        assertEquals(List.of(), v.findings());
        assertArrayEquals(Msgs.bytes(Invite.linux().text()), LinuxSipPrediction.of(out(new Invite().text(),
                Invite.linux().text())).output());
    }

    /**
     * The old restated rule only asked that Content-Length change together with the SDP; mangle_content_len writes
     * the body's length, so a router that changes the SDP and declares another length departs from Linux there.
     */
    @Test
    void aContentLengthLinuxWouldNotWriteIsNotLinux() {
        Invite wan = Invite.linux();
        wan.contentLength = new Invite().body().length();
        wan.connection = PHONE; // the SDP changed (o=) but not the session c=: the length moved by one byte
        MessageVerdict v = C.classify(out(new Invite().text(), wan.text()));
        AlgFinding f = v.finding(AlgFindingType.NOT_LINUX);
        assertNotNull(f, v.toString());
        assertTrue(f.fields().contains("content-length"), f.toString());
        assertTrue(f.fields().contains("sdp.connection.address"), f.toString());
        assertEquals(AlgClass.BROKEN, v.algClass(), "the c= left private still breaks the call");
    }

    /** nf_conntrack_sip drops an SDP media port below 1024; a router that forwarded the message rewritten is not Linux. */
    @Test
    void aMessageLinuxWouldDropIsNotLinuxWithTheReason() {
        Invite lan = new Invite(), wan = Invite.linux();
        lan.port = 80;
        wan.port = 80;
        LinuxSipPrediction.Result r = LinuxSipPrediction.of(out(lan.text(), wan.text()));
        assertTrue(r.dropped());
        assertEquals("wrong port 80", r.dropReason());
        MessageVerdict v = C.classify(out(lan.text(), wan.text()));
        AlgFinding f = v.finding(AlgFindingType.NOT_LINUX);
        assertNotNull(f, v.toString());
        assertEquals("Linux drops it: wrong port 80", f.detail());
        assertEquals(AlgClass.OTHER_CONSISTENT, v.algClass());
    }

    /** Busy media ports: the output's higher even port is taken as the one nf_nat_sdp_media's search found. */
    @Test
    void aMediaPortMovedUpToAnEvenPortIsTheKernelsSearchAnOddOneIsNot() {
        Invite moved = Invite.linux();
        moved.port = 40004;
        assertArrayEquals(Msgs.bytes(moved.text()), LinuxSipPrediction.of(out(new Invite().text(), moved.text())).output());
        Invite odd = Invite.linux();
        odd.port = 40005;
        MessageVerdict v = C.classify(out(new Invite().text(), odd.text()));
        assertEquals(List.of("sdp.media[0].port"), v.finding(AlgFindingType.NOT_LINUX).fields(), v.toString());
    }

    /** The Via left by a router that rewrote the Contact: Linux would have mapped it, so it is named; others not. */
    @Test
    void notRewrittenIsADepartureOnlyWhereThePredictionRewrote() {
        Invite wan = Invite.linux();
        wan.via = Msgs.PHONE_EP;
        MessageVerdict v = C.classify(out(new Invite().text(), wan.text()));
        assertEquals(List.of("via[0].host", "via[0].port"), v.finding(AlgFindingType.VIA_NOT_REWRITTEN).fields(),
                v.toString());
        // a From with the phone's address but another port than the packet's is left by Linux (map_addr matches
        // address and port): leaving it is no departure
        Invite lan = new Invite();
        lan.from = "sip:1001@" + PHONE + ":5070";
        Invite linux = Invite.linux();
        linux.from = lan.from;
        MessageVerdict w = C.classify(out(lan.text(), linux.text()));
        assertNull(w.finding(AlgFindingType.FROM_TO_NOT_REWRITTEN), w.toString());
        assertNull(w.finding(AlgFindingType.NOT_LINUX), w.toString());
        assertEquals(AlgClass.LINUX_LIKE, w.algClass(), w.toString());
    }

    /**
     * A disagreement the old restated rules had with the helper: a top Via with the sender's address and another port
     * sets forced_dport (process_sip_request), and map_addr then writes that port for the destination's address, so
     * Linux gives the Request-URI, From and To the provider's address with port 5070. A router that leaves them is not
     * Linux (the old rules called it Linux-like).
     */
    @Test
    void aViaPortOtherThanTheSourcePortIsForcedOntoTheDestinationsFields() {
        Invite lan = new Invite();
        lan.via = PHONE + ":5070";
        Invite kept = Invite.linux();
        kept.via = lan.via;
        String predicted = new String(LinuxSipPrediction.of(out(lan.text(), kept.text())).output(), StandardCharsets.UTF_8);
        assertTrue(predicted.startsWith("INVITE sip:2002@" + Msgs.PROVIDER + ":5070 SIP/2.0\r\n"), predicted);
        assertTrue(predicted.contains("From: <sip:1001@" + Msgs.PROVIDER + ":5070>"), predicted);
        MessageVerdict v = C.classify(out(lan.text(), kept.text()));
        assertEquals(List.of("request-uri.port", "from.port", "to.port"), v.finding(AlgFindingType.NOT_LINUX).fields(),
                v.toString());
    }
}
