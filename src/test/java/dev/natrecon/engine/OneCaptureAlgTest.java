package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.detect.Finding;
import dev.natrecon.detect.Severity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SIP ALG evidence one capture holds (issue 17), on the real-kernel samples made for it: {@code alg-via-received}
 * (SIP helper on; the registrar writes received=/rport= as RFC 3261 §18.2.1 and RFC 3581 servers do, and the kernel's
 * nf_nat_sip maps them back on the way in) and {@code alg-via-received-off} (the same traffic without the helper).
 * From the LAN side alone the mapped-back answers are reported with the "or nothing translated" alternative; from the
 * WAN side alone the external address in the phones' Via/Contact is reported as "an ALG or a NAT-aware phone"; neither
 * side claims an ALG where the helper was off, and the two-sided run of the same traffic agrees.
 */
class OneCaptureAlgTest {
    static RunResult alone(String sample, String side) throws IOException {
        return Analysis.run(AnalysisInputs.single(Path.of("samples", sample, side + ".pcap"), null), List.of());
    }

    static List<Finding> of(RunResult r, String id) {
        return r.findings().stream().filter(f -> f.id().equals(id)).toList();
    }

    @Test
    void helperOnLanAloneShowsTheAnswersMappedBack() throws IOException {
        RunResult r = alone("alg-via-received", "lan");
        List<Finding> back = of(r, "alg.reply_mapped_back");
        // phone A asked for rport: its three answers name its own private address and port; phone B's answers carry no
        // received= at all (its rewritten sent-by equalled the source), so nothing shows for it
        assertEquals(List.of("192.168.1.10:5060"), back.stream().map(Finding::subject).toList(), r.findings().toString());
        Finding f = back.get(0);
        assertEquals(Severity.WARNING, f.severity());
        assertEquals(List.of(2L, 6L, 10L), f.frames("lan"));
        assertEquals("Via received= 3, Via rport= its own port 3", f.details().get("fields"));
        assertEquals("203.0.113.5:5060", f.details().get("far side"));
        assertEquals("0", f.details().get("not mapped back"));
        assertTrue(f.message().contains("or the requests reached the far side untranslated"), f.message());
        assertEquals("ip.dst==192.168.1.10 && sip.Status-Code && sip.Via.received == \"192.168.1.10\"",
                f.filters().get("lan"));
        // the far side's mapping is not presented as "not translated"
        Finding m = of(r, "nat.far_side_mapping").stream().filter(x -> x.subject().equals("192.168.1.10:5060"))
                .findFirst().orElseThrow();
        assertTrue(m.details().get("port").startsWith("external endpoint unknown"), m.details().toString());
        assertTrue(of(r, "alg.external_address_written").isEmpty(), "a LAN capture shows what the phone wrote");
    }

    @Test
    void helperOnWanAloneCannotTellAlgFromPhone() throws IOException {
        RunResult r = alone("alg-via-received", "wan");
        assertTrue(of(r, "alg.reply_mapped_back").isEmpty(), r.findings().toString());
        List<Finding> written = of(r, "alg.external_address_written");
        assertEquals(List.of("203.0.113.2"), written.stream().map(Finding::subject).toList());
        Finding f = written.get(0);
        assertEquals(Severity.INFO, f.severity());
        assertEquals("cannot tell: a SIP ALG or a NAT-aware phone", f.details().get("written by"));
        assertEquals("the Call-ID(s) it chose name 192.168.1.10, 192.168.1.11", f.details().get("behind a NAT because"));
        // every request of both phones: 2 REGISTER + 1 OPTIONS of A, 1 REGISTER + 1 OPTIONS of B
        assertEquals(List.of(1L, 3L, 5L, 7L, 9L), f.frames("wan"));
        assertEquals("top Via 5, Contact 5", f.details().get("fields"));
    }

    @Test
    void helperOffNeitherSideClaimsAnAlg() throws IOException {
        RunResult lan = alone("alg-via-received-off", "lan");
        assertTrue(of(lan, "alg.reply_mapped_back").isEmpty(), lan.findings().toString());
        // the answers carry the external address: the mapping the far side saw
        Finding a = of(lan, "nat.far_side_mapping").stream().filter(x -> x.subject().equals("192.168.1.10:5060"))
                .findFirst().orElseThrow();
        assertEquals("203.0.113.2:5060 (seen by 203.0.113.5:5060)", a.details().get("external"));
        assertEquals("port preserved", a.details().get("port"));
        Finding b = of(lan, "nat.far_side_mapping").stream().filter(x -> x.subject().equals("192.168.1.11:5062"))
                .findFirst().orElseThrow();
        assertEquals("external port unknown (no rport value)", b.details().get("port"), "RFC 3261 received= only");
        RunResult wan = alone("alg-via-received-off", "wan");
        assertTrue(of(wan, "alg.external_address_written").isEmpty(), wan.findings().toString());
        assertTrue(of(wan, "alg.reply_mapped_back").isEmpty(), wan.findings().toString());
        assertEquals(List.of("203.0.113.2 Contact", "203.0.113.2 top Via"),
                of(wan, "sip.private_address_sent").stream().map(Finding::subject).toList());
    }

    /** The two-sided run of the same traffic: the helper rewrote inbound messages exactly where one side said so. */
    @Test
    void theTwoSidedRunAgrees() throws IOException {
        for (String sample : List.of("alg-via-received", "alg-via-received-off")) {
            CaseSettings c = CaseSettings.load(Path.of("samples", sample, "case.properties"));
            RunResult two = Analysis.run(c.capturesOnly(ModelSettings.defaults()), List.of());
            boolean oneSideSaysAlg = !of(alone(sample, "lan"), "alg.reply_mapped_back").isEmpty();
            boolean twoSidedSaysAlg = two.findings().stream().noneMatch(f -> f.id().startsWith("alg."))
                    && two.model().rewritesPredicted() > 0;
            assertEquals(twoSidedSaysAlg, oneSideSaysAlg, sample + ": " + two.findings());
            // without the helper the two-sided run finds the external address left on the LAN, as the LAN alone reports it
            assertEquals(!oneSideSaysAlg, two.findings().stream().anyMatch(f -> f.id().equals("alg.external_address_on_lan")),
                    sample + ": " + two.findings());
        }
    }
}
