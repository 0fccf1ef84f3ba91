package dev.natrecon.decode.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.testing.Payloads;
import dev.natrecon.decode.sip.SipMessage;
import dev.natrecon.decode.sip.SipParse;
import dev.natrecon.decode.sip.SipParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The {@link PlainSdp plain} shortcut changes nothing: every SDP body parses to the same result with it as with every
 * line jain-sip checks handed to jain-sip ({@link SdpBody#parseEveryLineThroughJainSip}), compared by every issue
 * (anomaly, wording, span), every field, line, attribute and media description. Over the body of every SIP message
 * (SDP or not, and the SDP part of multipart bodies) in every TCP and UDP payload of the samples and the test
 * resources (the public corpus among them), over the fuzz corpora (each input as a body, and as a SIP message whose
 * body is compared), and over generated edge cases around the subset's borders.
 */
class PlainSdpTest {
    private int compared, differing, plainLines;
    private final List<String> differences = new ArrayList<>();

    @Test
    void everySdpBodyOfTheSamplesAndTestResourcesParsesTheSameWithTheShortcut() throws IOException {
        List<Path> captures = Payloads.captures();
        assertTrue(captures.size() > 200, captures.size() + " captures");
        int[] sdp = {0};
        for (Path c : captures) {
            Payloads.each(c, (b, frame) -> {
                if (message(b, c + " frame " + frame)) sdp[0]++;
            });
        }
        assertNoDifference();
        assertTrue(sdp[0] > 500, sdp[0] + " SDP bodies");
        assertTrue(plainLines > 5_000, plainLines + " plain lines");
    }

    @Test
    void theFuzzCorporaParseTheSameWithTheShortcut() throws IOException {
        List<Path> files = Payloads.fuzzInputs("dev/natrecon/decode/sdp/SdpBodyFuzzTestInputs",
                "dev/natrecon/decode/sip/SipParserFuzzTestInputs", "dev/natrecon/reassembly/SipStreamFramerFuzzTestInputs",
                "dev/natrecon/conntrack/SipHelperFuzzTestInputs", "dev/natrecon/alg/sip/KernelSipTextFuzzTestInputs");
        for (Path p : files) {
            byte[] b = Files.readAllBytes(p);
            same(b, 0, b.length, p.toString());
            message(b, p.toString());
        }
        assertTrue(files.size() > 100, files.size() + " fuzz inputs");
        assertNoDifference();
    }

    @Test
    void editsAroundTheSubsetsBordersParseTheSame() {
        String[][] variants = {
            {"v=", "v=0", "v=1", "v=00", "v= 0", "v=0 ", "v=", "v=x", "v=\t0"},
            {"o=", "o=- 1 1 IN IP4 10.0.0.1", "o=1000 797282278 1 IN IP4 203.0.113.2", "o=user 0 0 IN IP4 1.2.3.4",
                "o=u 01 1 IN IP4 1.2.3.4", "o=u 1 01 IN IP4 1.2.3.4", "o=u 123456789012345678 1 IN IP4 1.2.3.4",
                "o=u 1234567890123456789 1 IN IP4 1.2.3.4", "o=u 99999999999999999999 1 IN IP4 1.2.3.4",
                "o=u 1 1 IN IP4 host.example.com", "o=u 1 1 IN IP6 2001:db8::1", "o=u 1 1 IN IP6 [2001:db8::1]",
                "o=u 1 1 in ip4 1.2.3.4", "o=u  1 1 IN IP4 1.2.3.4", "o=u 1 1 IN IP4 1.2.3.4 ", "o=u 1 1 IN IP4  1.2.3.4",
                "o=u 1 1 IN IP4 999.1.1.1", "o=u 1 1 IN IP4 01.2.3.4", "o=u 1 1 IN IP4 1.2.3", "o=u 1 1 IN IP4",
                "o=u\t1 1 IN IP4 1.2.3.4", "o=us.er_n-1 1 1 IN IP4 1.2.3.4", "o=us/er 1 1 IN IP4 1.2.3.4",
                "o=us\u00e9r 1 1 IN IP4 1.2.3.4", "o=u x 1 IN IP4 1.2.3.4", "o=u 1 1 IN IP4 1.2.3.4.5", "o=u 1 1 XX IP4 1.2.3.4",
                "o=u 1 1 IN IP4 0.0.0.0", "o=u 1 1 IN IP4 255.255.255.255", "o=u -1 1 IN IP4 1.2.3.4"},
            {"c=", "c=IN IP4 203.0.113.2", "c=IN IP4 0.0.0.0", "c=IN IP4 224.2.1.1/127", "c=IN IP4 224.2.1.1/127/3",
                "c=IN IP6 2001:db8::1", "c=IN IP6 ::", "c=IN IP4 host.example", "c=in ip4 1.2.3.4", "c=IN IP4", "c=IN",
                "c=IN  IP4 1.2.3.4", "c=IN IP4 1.2.3.4 ", "c=IN IP4 01.2.3.4", "c=IN IP4 256.1.1.1", "c= IN IP4 1.2.3.4",
                "c=IN IP4 1.2.3.4 extra", "c=IN\tIP4 1.2.3.4", "c=IN IP4 1.2.3.\u0661"},
            {"t=", "t=0 0", "t=3034423619 3042462419", "t=30344236190 0", "t=0", "t=0  0", "t=0 0 ", "t=x 0", "t=-1 0",
                "t=9999999999 9999999999", "t=00 00"},
            {"m=", "m=audio 16384 RTP/AVP 0 101", "m=audio 0 RTP/AVP 0", "m=audio 65535 RTP/AVP 0", "m=audio 65536 RTP/AVP 0",
                "m=audio 016384 RTP/AVP 0", "m=audio 49170/2 RTP/AVP 0", "m=video 5004 RTP/SAVPF 96 97",
                "m=image 6000 udptl t38", "m=application 9 UDP/TLS/RTP/SAVPF 100", "m=audio 1 RTP/AVP", "m=audio 1",
                "m=audio", "m=Audio 1 RTP/AVP 0", "m=audio  1 RTP/AVP 0", "m=audio 1 RTP/AVP 0 ", "m=audio 1 RTP/AVP  0",
                "m=audio 1 RTP/AVP 0\t8", "m=audio 1 RTP/AVP *", "m=audio 1 RTP/ 0", "m=audio 1 /AVP 0", "m=audio 1 RTP//AVP 0",
                "m=audio x RTP/AVP 0", "m=audio 99999999999 RTP/AVP 0", "m=audio 1 RTP/AVP 0 8 18 101 " + "9 ".repeat(300) + "9",
                "m=audio 1 RTP/AVP 0 8 \u00e9", "m=audio-x 1 RTP/AVP 0", "m=message 2855 TCP/MSRP *", "m=audio 1 RTP/AVP 0 x-y"},
            {"a=", "a=rtpmap:0 PCMU/8000", "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16", "a=ptime:20", "a=sendrecv",
                "a=sendonly", "a=recvonly", "a=inactive", "a=rtcp:16385", "a=rtcp:16385 IN IP4 203.0.113.2", "a=rtcp:x",
                "a=rtcp: 16385", "a=rtcp:16385 ", "a=ptime: 20", "a=ptime:", "a=:x", "a=x y", "a=x-y.z_1:v", "a=x/y:v",
                "a=candidate:1 1 UDP 2130706431 10.0.0.1 8998 typ host", "a=fingerprint:sha-256 AB:CD:EF",
                "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:abc+def/ghi==|2^20|1:32", "a=x:" + "v".repeat(600),
                "a=x:\u00e9t\u00e9", "a=x:a\tb", "a=x: ", "a=x:v:w", "a=X-Unknown-Attr:1", "a=setup:actpass", "a=mid:0",
                "a=ssrc:1 cname:x", "a=sendrecv ", "a= sendrecv", "a=x::", "a=x:\"q\"", "a=x:\\"}};
        String[] base = {"v=0", "o=1000 797282278 1 IN IP4 203.0.113.2", "s=natrecon-bench", "c=IN IP4 203.0.113.2", "t=0 0",
            "m=audio 16384 RTP/AVP 0 101", "a=rtpmap:0 PCMU/8000", "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16",
            "a=ptime:20", "a=sendrecv"};
        for (String[] v : variants) {
            String type = v[0];
            for (int i = 1; i < v.length; i++) {
                for (int at = 0; at < base.length; at++) {
                    if (!base[at].startsWith(type) && !(type.equals("a=") && at == base.length - 1)) continue;
                    List<String> lines = new ArrayList<>(Arrays.asList(base));
                    lines.set(at, v[i]);
                    body(lines, "\r\n", v[i]);
                    body(lines, "\n", "LF " + v[i]);
                    // the line at session level too (an a= before the m=, a c= after it), and twice
                    List<String> moved = new ArrayList<>(lines);
                    moved.add(v[i]);
                    body(moved, "\r\n", "twice " + v[i]);
                    List<String> early = new ArrayList<>(Arrays.asList(base));
                    early.add(2, v[i]);
                    body(early, "\r\n", "early " + v[i]);
                }
            }
        }
        body(List.of(base), "\r\n", "base");
        body(List.of(base), "\r\r\n", "CR CR LF");
        List<String> noTrailer = new ArrayList<>(Arrays.asList(base));
        byte[] b = String.join("\r\n", noTrailer).getBytes(StandardCharsets.UTF_8);
        same(b, 0, b.length, "no final line ending");
        assertNoDifference();
        assertTrue(compared > 800, compared + " compared");
    }

    @Test
    void plainLinesAreTakenAndOthersAreNot() {
        for (String l : List.of("v=0", "o=- 1 1 IN IP4 10.0.0.1", "c=IN IP4 203.0.113.2", "t=0 0", "m=audio 16384 RTP/AVP 0 101",
                "a=rtpmap:0 PCMU/8000", "a=sendrecv", "m=image 6000 udptl t38")) {
            assertTrue(PlainSdp.line(l), l);
        }
        for (String l : List.of("v=1", "o=- 01 1 IN IP4 10.0.0.1", "c=IN IP6 ::1", "c=IN IP4 224.2.1.1/127", "t=0  0",
                "m=audio 49170/2 RTP/AVP 0", "m=audio 65536 RTP/AVP 0", "a=ptime: 20", "a=x:", "a=sendrecv ", "s=x",
                "a=x:" + "v".repeat(PlainSdp.MAX))) {
            assertFalse(PlainSdp.line(l), l);
        }
    }

    private void body(List<String> lines, String eol, String where) {
        byte[] b = (String.join(eol, lines) + eol).getBytes(StandardCharsets.UTF_8);
        same(b, 0, b.length, where);
        // inside a SIP message too, as the analysis reads it
        String msg = "INVITE sip:2000@198.51.100.10 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-1\r\n"
                + "From: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\nCall-ID: c@h\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\n"
                + "Content-Length: " + b.length + "\r\n\r\n";
        byte[] m = new byte[msg.length() + b.length];
        System.arraycopy(msg.getBytes(StandardCharsets.US_ASCII), 0, m, 0, msg.length());
        System.arraycopy(b, 0, m, msg.length(), b.length);
        message(m, "in SIP " + where);
    }

    /** Compares the body of {@code b} when it parses as a SIP message, and its SDP part; true if it had SDP. */
    private boolean message(byte[] b, String where) {
        if (!(SipParser.parse(b, 0, b.length) instanceof SipParse.Message m)) return false;
        SipMessage msg = m.message();
        if (msg.bodyLength() > 0) same(msg.payload(), msg.bodyStart(), msg.bodyEnd(), where + " body");
        Optional<SdpBody> sdp = SdpBody.fromSip(msg);
        if (sdp.isEmpty()) return false;
        if (sdp.get().start() != msg.bodyStart() || sdp.get().end() != msg.bodyEnd()) {
            same(msg.payload(), sdp.get().start(), sdp.get().end(), where + " SDP part");
        }
        return true;
    }

    private void same(byte[] b, int start, int end, String where) {
        SdpBody reference = SdpBody.parseEveryLineThroughJainSip(b, start, end);
        SdpBody shortcut = SdpBody.parse(b, start, end);
        for (var l : shortcut.lines()) if (PlainSdp.line(l.text())) plainLines++;
        compared++;
        String a = render(reference), c = render(shortcut);
        if (!a.equals(c)) {
            differing++;
            if (differences.size() < 10) differences.add(where + "\n  jain-sip: " + a + "\n  shortcut: " + c);
        }
    }

    private static String render(SdpBody s) {
        StringBuilder sb = new StringBuilder();
        for (SdpIssue i : s.issues()) sb.append(i.anomaly()).append(' ').append(i.detail()).append(' ').append(i.where()).append('\n');
        return sb.append(s.fields()).append(s.lines()).append(s.media()).append(s.attributes()).append(s.origin())
                .append(s.connection()).append(s.version()).append(s.direction()).toString();
    }

    private void assertNoDifference() {
        assertTrue(compared > 0);
        assertEquals(0, differing, differing + " of " + compared + " differ:\n" + String.join("\n", differences));
    }
}
