package dev.natrecon.decode.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.testing.Payloads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@link PlainSip plain} shortcut changes nothing: every payload parses to the same result with it as with jain-sip
 * reading every start line and header value ({@link SipParser#parseEveryValueThroughJainSip}), compared by every
 * issue (anomaly, wording, span), the kind of result and the message's fields. Over every TCP and UDP payload of every
 * capture of the samples and of the test resources (the public corpus among them), over the fuzz corpora of the SIP
 * parser, framer and helper, and over generated edge cases around the subset's borders.
 */
class PlainSipTest {
    private int compared, differing;
    private final List<String> differences = new ArrayList<>();

    @Test
    void everyCaptureOfTheSamplesAndTestResourcesParsesTheSameWithTheShortcut() throws IOException {
        List<Path> captures = Payloads.captures();
        assertTrue(captures.size() > 200, captures.size() + " captures");
        int[] sip = {0};
        for (Path c : captures) {
            Payloads.each(c, (b, frame) -> {
                if (same(b, c + " frame " + frame) instanceof SipParse.Message) sip[0]++;
            });
        }
        assertNoDifference();
        assertTrue(sip[0] > 2_000, sip[0] + " SIP messages");
    }

    @Test
    void theFuzzCorporaParseTheSameWithTheShortcut() throws IOException {
        List<Path> files = Payloads.fuzzInputs("dev/natrecon/decode/sip/SipParserFuzzTestInputs",
                "dev/natrecon/reassembly/SipStreamFramerFuzzTestInputs", "dev/natrecon/conntrack/SipHelperFuzzTestInputs",
                "dev/natrecon/alg/sip/KernelSipTextFuzzTestInputs");
        for (Path p : files) same(Files.readAllBytes(p), p.toString());
        assertTrue(files.size() > 100, files.size() + " fuzz inputs");
        assertNoDifference();
    }

    @Test
    void editsAroundTheSubsetsBordersParseTheSame() {
        String[] starts = {"INVITE sip:2000@198.51.100.10 SIP/2.0", "INVITE sip:2000@198.51.100.10:5060;transport=udp SIP/2.0",
            "invite sip:2000@198.51.100.10 SIP/2.0", "INVITE sips:2000@example.com SIP/2.0", "INVITE tel:+12345 SIP/2.0",
            "INVITE sip:[2001:db8::1] SIP/2.0", "INVITE sip:a@b@c SIP/2.0", "INVITE sip:2000@host.example.com:0 SIP/2.0",
            "INVITE sip:2000@1.2.3 SIP/2.0", "INVITE sip:2000@999.1.1.1 SIP/2.0", "INVITE sip:2000@01.1.1.1 SIP/2.0",
            "INVITE sip:2000@-bad.example SIP/2.0", "INVITE sip:2000@h;ttl=x SIP/2.0", "INVITE sip:2000@h;maddr=1.2.3.4 SIP/2.0",
            "INVITE sip:user:pw@h SIP/2.0", "INVITE sip:%41@h SIP/2.0", "SIP/2.0 200 OK", "SIP/2.0 200 ", "SIP/2.0 200",
            "SIP/2.0 099 Low", "SIP/2.0 700 High", "SIP/2.0 200  OK", "SIP/2.0 183 Session Progress", "SIP/2.0 2000 OK",
            "SIP/2.0 200 \u00e9t\u00e9", "REGISTER sip:example.com SIP/2.0", "OPTIONS sip:h:65535 SIP/2.0",
            "OPTIONS sip:h:65536 SIP/2.0", "OPTIONS sip:h:05060 SIP/2.0", "FOO-BAR sip:h SIP/2.0"};
        String[][] headers = {
            {"Via", "SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-1;rport", "SIP/2.0/UDP 10.0.0.2;rport=5060;received=1.2.3.4;branch=z9",
                "SIP/2.0/TCP host.example.com:5061;branch=z9hG4bKx", "SIP/2.0/TLS h;branch=a;branch=b", "SIP/2.0/UDP h;rport=0",
                "SIP/2.0/UDP h;rport=70000", "SIP/2.0/UDP h;received=host", "SIP/2.0/UDP h;branch", "SIP/2.0/UDP h;ttl=1",
                "SIP/2.0/UDP h;maddr=1.2.3.4", "SIP/2.0/UDP h;maddr=[2001:db8::1]", "SIP/2.0/udp h;branch=x",
                "SIP/2.0/SCTP h;branch=x", "SIP/2.0/WS h;branch=x", "SIP/2.0/UDP [2001:db8::1]:5060;branch=x",
                "SIP/2.0/UDP h:5060;branch=x, SIP/2.0/UDP g;branch=y", "SIP/2.0/UDP  h;branch=x", "SIP/2.0/UDP h ;branch=x",
                "SIP/2.0/UDP h;branch=x ", "SIP / 2.0 / UDP h;branch=x", "SIP/2.0/UDP h:;branch=x", "SIP/2.0/UDP 1.2.3.4.5;branch=x",
                "SIP/2.0/UDP h;branch=\"q\"", "SIP/2.0/UDP h;rport;rport", "SIP/2.0/UDP h;received=1.2.3.4;received=1.2.3.5",
                "SIP/2.0/UDP h;branch=a%41"},
            {"From", "<sip:1000@198.51.100.10>;tag=p1", "\"Alice\" <sip:alice@example.com>;tag=1", "Alice <sip:a@h>;tag=1",
                "sip:a@h;tag=1", "<sip:a@h;user=phone>;tag=x", "<sip:a@h>;tag=x;tag=y", "<sip:a@h>;tag", "<sip:a@h>;tag=\"x\"",
                "\"A\\\"B\" <sip:a@h>;tag=1", "\"\" <sip:a@h>;tag=1", "<sips:a@h>;tag=1", "<tel:+1234>;tag=1", "<sip:a@h:5060>;tag=1",
                "<sip:a@h> ;tag=1", "<sip:a@[::1]>;tag=1", "<sip:a@h>,<sip:b@h>", "\"Al ice\" <sip:a@h>", "\"Al;ice\" <sip:a@h>"},
            {"To", "<sip:2000@198.51.100.10>", "<sip:2000@198.51.100.10>;tag=r1", "<sip:2000@h;ttl=3>", "<sip:2000@h;maddr=x>",
                "<sip:2000@h;method=INVITE>", "<sip:2000@h?subject=x>"},
            {"Contact", "<sip:1000@10.0.0.2:5060>", "<sip:a@h>;expires=3600", "<sip:a@h>;expires=x", "<sip:a@h>;expires",
                "<sip:a@h>;q=0.5", "<sip:a@h>;q=2", "*", "<sip:a@h>, <sip:b@h>", "<sip:a@h>;+sip.instance=\"<urn:uuid:1>\"",
                "<sip:a@h>;expires=99999999999", "<sip:a@h;ob>;reg-id=1", "\"Bob\" <sip:b@h>;expires=0"},
            {"Record-Route", "<sip:10.0.0.1;lr>", "<sip:p1;lr>, <sip:p2;lr>", "<sip:p1;lr>,<sip:p2;lr>", "<sip:p1;lr>,  <sip:p2>",
                "<sip:p1;lr>;x=y", "sip:p1;lr", "<sip:p1;lr>,"},
            {"Route", "<sip:10.0.0.1;lr>", "<sip:p1;lr>, <sip:p2;lr>", "<sip:p1:5060;lr;transport=tcp>"},
            {"Call-ID", "call-1@scale.test", "a@b@c", "abc", "a b", "@x", "x@", "a%20b@h", "{weird}@h", "x".repeat(300)},
            {"CSeq", "1 INVITE", "1 invite", "0 ACK", "01 ACK", "4294967295 BYE", "4294967296 BYE", "1234567890 BYE", "1  BYE",
                "1 FOO", "1", "INVITE", "-1 BYE"},
            {"Content-Length", "0", "123", "00", "-1", "x", "1234567890", "999999999"},
            {"Max-Forwards", "70", "0", "255", "256", "070", "x", "-1"},
            {"Expires", "3600", "0", "00", "x", "4294967296", "999999999"},
            {"Content-Type", "application/sdp", "application/SDP", "application/sdp; charset=x", "text/plain", "foo"},
            {"User-Agent", "natrecon-test/1.0", "Asterisk PBX 13.1.0", "X (unclosed", "a/b (c) d/e", "\u00e9"},
            {"Server", "natrecon-bench-provider/1.0", "OpenSIPS (1.11.8-notls (x86_64/linux))", "x/"},
            {"Allow", "INVITE, ACK, CANCEL, BYE, OPTIONS", "INVITE,ACK", "INVITE,,ACK", ",", "INVITE ACK"},
            {"Supported", "replaces, timer", "100rel", ";", "a b"},
            {"Subject", "Performance Test", ""}, {"Session-Expires", "1800;refresher=uac", "x", "-1"},
            {"Min-SE", "90", "x"}, {"Event", "presence", "presence;id=1", ";"}, {"X-Custom", "anything at all", ""},
            {"Date", "Wed, 01 Jan 2014 19:23:51 GMT", "yesterday"}, {"RSeq", "1", "x"}};
        List<String> base = new ArrayList<>(List.of("Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-1",
                "From: <sip:a@h>;tag=1", "To: <sip:b@h>", "Call-ID: c@h", "CSeq: 1 INVITE"));
        for (String start : starts) same(message(start, base), start);
        for (String[] h : headers) {
            for (int i = 1; i < h.length; i++) {
                List<String> lines = new ArrayList<>(base);
                int at = -1;
                for (int k = 0; k < lines.size(); k++) if (lines.get(k).startsWith(h[0] + ":")) at = k;
                String line = h[0] + ": " + h[i];
                if (at >= 0) lines.set(at, line);
                else lines.add(line);
                same(message(starts[0], lines), line);
                // the same value folded, in compact form, and with a tab
                List<String> folded = new ArrayList<>(lines);
                folded.set(at >= 0 ? at : folded.size() - 1, h[0] + ":\r\n " + h[i]);
                same(message(starts[0], folded), "folded " + line);
                List<String> twice = new ArrayList<>(lines);
                twice.add(line);
                same(message(starts[0], twice), "twice " + line);
                List<String> tab = new ArrayList<>(lines);
                tab.set(at >= 0 ? at : tab.size() - 1, h[0] + ":\t" + h[i]);
                same(message(starts[0], tab), "tab " + line);
            }
        }
        for (String compact : List.of("v: SIP/2.0/UDP h;branch=x", "f: <sip:a@h>;tag=1", "t: <sip:b@h>", "i: c@h", "m: <sip:a@h>",
                "l: 0", "c: application/sdp")) {
            List<String> lines = new ArrayList<>(base);
            lines.add(compact);
            same(message(starts[0], lines), compact);
        }
        assertNoDifference();
        assertTrue(compared > 400, compared + " compared");
    }

    @Test
    void plainValuesAreTakenAndOthersAreNot() {
        assertTrue(PlainSip.header(SipHeaderNames.VIA, "SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-1;rport"));
        assertTrue(PlainSip.header(SipHeaderNames.FROM, "\"Alice\" <sip:alice@example.com>;tag=1"));
        assertTrue(PlainSip.header(SipHeaderNames.CALL_ID, "call-1@scale.test"));
        assertTrue(PlainSip.header(SipHeaderNames.CSEQ, "1 INVITE"));
        assertTrue(PlainSip.requestLine("INVITE sip:2000@198.51.100.10 SIP/2.0"));
        assertTrue(PlainSip.statusLine("SIP/2.0 200 OK"));
        assertFalse(PlainSip.header(SipHeaderNames.VIA, "SIP/2.0/UDP [2001:db8::1];branch=x"));
        assertFalse(PlainSip.header(SipHeaderNames.VIA, "SIP/2.0/UDP h;maddr=1.2.3.4"));
        assertFalse(PlainSip.header(SipHeaderNames.CSEQ, "1 invite"));
        assertFalse(PlainSip.header(SipHeaderNames.CONTACT, "*"));
        assertFalse(PlainSip.header(SipHeaderNames.CONTACT, "<sip:a@h>;q=0.5"));
        assertFalse(PlainSip.header("User-Agent", "x"));
        assertFalse(PlainSip.header(SipHeaderNames.CALL_ID, "x".repeat(PlainSip.MAX + 1)));
    }

    @Test
    void aRememberedVerdictIsJainSipsOwnFirstAndAgain() {
        String[][] values = {{"User-Agent", "natrecon-bench-phone/1.0"}, {"User-Agent", "X (unclosed"}, {"Allow", "INVITE,,ACK"},
            {"Allow", "INVITE, ACK"}, {"Session-Expires", "x"}, {"RSeq", "x"}, {"Event", ";"}, {"X-Custom", "v"}};
        for (int round = 0; round < 2; round++) {
            for (String[] v : values) {
                JainSip.Result fresh = JainSip.header(v[0], v[1]), kept = JainSip.verdict(v[0], v[1]);
                assertEquals(fresh.ok(), kept.ok(), v[0] + ": " + v[1]);
                assertEquals(fresh.error(), kept.error(), v[0] + ": " + v[1]);
            }
        }
        assertFalse(JainSip.verdict("Allow", "INVITE,,ACK").ok());
        assertTrue(JainSip.verdict("Allow", "INVITE, ACK").ok());
    }

    /**
     * A remembered verdict still yields jain-sip's object when something cross-checks it, first and again (from the
     * table), so a header cross-checked by SipParser but missing from its list of cross-checked headers is not
     * silently left unchecked: the cross-check finds the difference either way.
     */
    @Test
    void aRememberedVerdictStillGivesTheParseToACrossCheck() {
        String via = "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKremembered;rport";
        List<SipVia> mine = List.of();
        for (int round = 0; round < 2; round++) {
            JainSip.Result kept = JainSip.verdict(SipHeaderNames.VIA, via);
            assertTrue(kept.ok());
            assertEquals(JainSip.header(SipHeaderNames.VIA, via).parsed().getClass(), kept.parsed().getClass());
            assertEquals(List.of("Via count: jain-sip 1, scan 0"), JainSip.crossCheckVias(kept.parsed(), mine));
        }
        assertEquals(List.of(), JainSip.crossCheckVias(JainSip.PLAIN.parsed(), mine));
    }

    private static byte[] message(String start, List<String> headers) {
        StringBuilder sb = new StringBuilder(start).append("\r\n");
        for (String h : headers) sb.append(h).append("\r\n");
        return sb.append("Content-Length: 0\r\n\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private SipParse same(byte[] b, String where) {
        SipParse reference = SipParser.parseEveryValueThroughJainSip(b);
        SipParse shortcut = SipParser.parse(b, 0, b.length);
        compared++;
        String a = render(reference), c = render(shortcut);
        if (!a.equals(c)) {
            differing++;
            if (differences.size() < 10) differences.add(where + "\n  jain-sip: " + a + "\n  shortcut: " + c);
        }
        return shortcut;
    }

    private static String render(SipParse r) {
        if (r instanceof SipParse.Message m) {
            SipMessage msg = m.message();
            return "message " + msg.issues() + " " + msg.fields() + " " + msg.method() + " " + msg.requestUri();
        }
        return r.toString();
    }

    private void assertNoDifference() {
        assertTrue(compared > 0);
        assertEquals(0, differing, differing + " of " + compared + " differ:\n" + String.join("\n", differences));
    }
}
