package dev.natrecon.alg.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.report.SipCsv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The analysis never throws and always classifies, whatever the router did: every SIP message of the public corpus
 * (dialects, IPv6, TCP, multipart, long Via chains) paired with copies of itself that a seeded random "router"
 * translated, cut, grew or corrupted; and every lab pair with its WAN copy corrupted the same way.
 */
class RewriteRobustnessTest {
    static final Endpoint ROUTER = new Endpoint("203.0.113.2", 40123);

    static List<Path> corpus() throws IOException {
        try (Stream<Path> s = Files.walk(Path.of("src/test/resources/public/sip"));
             Stream<Path> e = Files.walk(Path.of("src/test/resources/public/encap"))) {
            return Stream.concat(s, e).filter(p -> p.toString().matches(".*\\.pcap(ng)?$")).sorted().toList();
        }
    }

    /** A mutated copy: translate the source address, then 0–3 random edits (replace, insert, delete, cut). */
    static byte[] mutate(byte[] in, String host, Random r) {
        String t = new String(in, StandardCharsets.ISO_8859_1);
        if (r.nextBoolean()) t = t.replace(host, ROUTER.host());
        StringBuilder sb = new StringBuilder(t);
        int edits = r.nextInt(4);
        for (int i = 0; i < edits && sb.length() > 0; i++) {
            int at = r.nextInt(sb.length());
            switch (r.nextInt(4)) {
                case 0 -> sb.setCharAt(at, (char) (r.nextBoolean() ? ' ' + r.nextInt(95) : r.nextInt(256)));
                case 1 -> sb.insert(at, ":5060;x=\r\n".charAt(r.nextInt(10)));
                case 2 -> sb.deleteCharAt(at);
                default -> sb.setLength(at);
            }
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void corpusMessagesAgainstRandomRouters() throws IOException {
        Random r = new Random(20261121);
        int pairs = 0;
        Set<AlgClass> seen = new java.util.TreeSet<>();
        for (Path file : corpus()) {
            List<SipObservation> msgs = CaptureSip.read(file, CapturePoint.LAN, 0);
            List<SipMessagePair> ps = new ArrayList<>();
            for (SipObservation m : msgs.subList(0, Math.min(60, msgs.size()))) {
                for (int k = 0; k < 3; k++) {
                    SipObservation wan = new SipObservation(CapturePoint.WAN, m.frames(), m.nanos() + 1000, m.transport(),
                            k == 2 ? m.source() : ROUTER, m.destination(), mutate(m.bytes(), m.source().host(), r));
                    ps.add(new SipMessagePair(m, wan, SipPairing.direction(m, wan)));
                }
            }
            SipRewriteClassifier c = new SipRewriteClassifier(CaptureSip.context(ps, BindingLookup.of(List.of())));
            List<MessageVerdict> vs = ps.stream().map(c::classify).toList();
            CaseVerdict cv = CaptureSip.aggregate(vs);
            assertNotNull(cv.algClass());
            for (MessageVerdict v : vs) {
                assertNotNull(v.algClass());
                seen.add(v.algClass());
                assertEquals(SipCsv.COLUMNS.length, SipCsv.row(v).size());
                for (AlgFinding f : v.findings()) assertTrue(f.id().startsWith("alg."));
            }
            pairs += ps.size();
        }
        assertTrue(pairs > 1000, "pairs: " + pairs);
        assertTrue(seen.containsAll(Set.of(AlgClass.BROKEN, AlgClass.NEUTRAL)), seen.toString());
    }

    @Test
    void labPairsWithCorruptedWanCopies() throws IOException {
        Random r = new Random(7);
        try (Stream<Path> s = Files.list(Path.of("samples"))) {
            for (Path dir : s.filter(d -> Files.exists(d.resolve("case.properties"))).sorted().toList()) {
                List<SipMessagePair> ps = new ArrayList<>();
                for (SipMessagePair p : CaptureSip.pairs(dir).pairs()) {
                    SipObservation w = p.wan();
                    for (int k = 0; k < 5; k++) {
                        SipObservation bad = new SipObservation(CapturePoint.WAN, w.frames(), w.nanos(), w.transport(),
                                w.source(), w.destination(), mutate(w.bytes(), "203.0.113.5", r));
                        ps.add(new SipMessagePair(p.lan(), bad, p.direction()).withPrediction(k == 0 ? w.bytes() : null));
                    }
                }
                SipRewriteClassifier c = new SipRewriteClassifier(CaptureSip.context(ps, BindingLookup.unknown()));
                CaseVerdict v = CaptureSip.classifyCase(c, ps);
                assertNotNull(v.algClass(), dir.toString());
            }
        }
    }
}
