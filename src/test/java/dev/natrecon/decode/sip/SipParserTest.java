package dev.natrecon.decode.sip;

import static dev.natrecon.decode.sip.SipTexts.bytes;
import static dev.natrecon.decode.sip.SipTexts.crlf;
import static dev.natrecon.decode.sip.SipTexts.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.decode.sip.SipParse.Keepalive;
import dev.natrecon.decode.sip.SipParse.KeepaliveType;
import dev.natrecon.decode.sip.SipParse.NotSip;
import dev.natrecon.decode.sip.SipParse.NotSipType;
import dev.natrecon.decode.sip.SipParse.Rejected;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SipParserTest {
    static final String INVITE = crlf(
            "INVITE sip:bob@203.0.113.5:5060 SIP/2.0",
            "Via: SIP/2.0/UDP 192.168.1.10:5062;branch=z9hG4bK776asdhds;rport",
            "Max-Forwards: 70",
            "To: Bob <sip:bob@203.0.113.5>",
            "From: \"Alice\" <sip:alice@192.168.1.10:5062>;tag=1928301774",
            "Call-ID: a84b4c76e66710@192.168.1.10",
            "CSeq: 314159 INVITE",
            "Contact: <sip:alice@192.168.1.10:5062>",
            "Content-Type: application/sdp",
            "Content-Length: 116",
            "",
            "v=0\r\no=alice 2890844526 2890844526 IN IP4 192.168.1.10\r\ns=-\r\nc=IN IP4 192.168.1.10\r\nt=0 0\r\n"
                    + "m=audio 49170 RTP/AVP 0\r\n");

    @Test
    void plainInviteGivesEveryFieldWithItsOffsets() {
        byte[] b = bytes(INVITE);
        SipMessage m = message(INVITE);
        assertTrue(m.isRequest());
        assertEquals("INVITE", m.method());
        assertEquals("203.0.113.5", m.requestUri().hostAddress());
        assertEquals(5060, m.requestUri().portNumber());
        SipVia via = m.topVia().orElseThrow();
        assertEquals("UDP", via.transport());
        assertEquals("192.168.1.10", via.host().text());
        assertEquals(5062, via.portNumber());
        assertEquals("z9hG4bK776asdhds", via.branch().text());
        assertTrue(via.hasRport());
        assertNull(via.rport(), "a bare rport has no value");
        assertEquals("1928301774", m.from().orElseThrow().tag().text());
        assertNull(m.to().orElseThrow().tag());
        assertEquals("a84b4c76e66710@192.168.1.10", m.callId().orElseThrow().text());
        assertEquals(314159, m.cseq().orElseThrow().sequence());
        assertEquals("INVITE", m.cseq().orElseThrow().methodName());
        assertEquals(116, m.contentLength());
        assertEquals(116, m.bodyLength());
        assertEquals("application/sdp", m.contentType().orElseThrow());
        assertEquals(b.length - 116, m.bodyStart());
        assertEquals(List.of(), m.issues());
        // Offsets index the payload: the Via host is where the text says it is.
        assertEquals(INVITE.indexOf("192.168.1.10:5062;branch"), via.host().start());
        Span contactHost = m.contacts().get(0).host();
        assertEquals("192.168.1.10", new String(b, contactHost.start(), contactHost.length(), StandardCharsets.UTF_8));
        assertEquals(INVITE.indexOf("Contact:") + "Contact: <sip:alice@".length(), contactHost.start());
    }

    @Test
    void compactFormsMapToTheirFullNames() {
        String text = crlf(
                "MESSAGE sip:user2@domain.com SIP/2.0",
                "v: SIP/2.0/TCP user1pc.domain.com;branch=z9hG4bK776sgdkse",
                "f: sip:user1@domain.com;tag=49583",
                "t: sip:user2@domain.com",
                "i: asd88asd77a@1.2.3.4",
                "CSeq: 1 MESSAGE",
                "m: <sip:user1@1.2.3.4:5070>;expires=30",
                "k: 100rel",
                "s: hello",
                "o: presence",
                "u: presence, dialog",
                "e: gzip",
                "c: text/plain",
                "l: 5",
                "",
                "Watson");
        SipMessage m = SipParser.parse(bytes(text), 0, text.length()).messageOrNull();
        assertNotNull(m);
        assertEquals(List.of("Via", "From", "To", "Call-ID", "CSeq", "Contact", "Supported", "Subject", "Event",
                "Allow-Events", "Content-Encoding", "Content-Type", "Content-Length"),
                m.headers().stream().map(SipHeader::canonicalName).toList());
        assertTrue(m.headers().get(0).compact());
        assertEquals("v", m.headers().get(0).name().text());
        assertEquals("asd88asd77a@1.2.3.4", m.header("Call-ID").orElseThrow().value().text());
        assertEquals(m.header("i"), m.header("call-id"));
        assertEquals("TCP", m.topVia().orElseThrow().transport());
        assertEquals("49583", m.from().orElseThrow().tag().text(), "addr-spec without <>: ;tag is a header parameter");
        assertEquals("domain.com", m.to().orElseThrow().uri().hostAddress());
        assertEquals(30, m.contacts().get(0).expiresSeconds());
        assertEquals(5070, m.contacts().get(0).portNumber());
        assertEquals("text/plain", m.contentType().orElseThrow());
        assertEquals(5, m.contentLength());
        assertEquals(6, m.bodyLength());
        assertTrue(m.has(SipAnomaly.SIP_CONTENT_LENGTH_MISMATCH), "l: 5 for a 6-byte body");
    }

    @Test
    void foldedHeadersAreUnfoldedAndKeepTheirOffsets() {
        String text = crlf(
                "REGISTER sip:registrar.example SIP/2.0",
                "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa,",
                "\t SIP/2.0/UDP   10.0.0.2:5070",
                "   ;branch=z9hG4bKb;received=198.51.100.7",
                "From: <sip:a@registrar.example>;tag=x",
                "To: <sip:a@registrar.example>",
                "Call-ID: fold@test",
                "CSeq: 2 REGISTER",
                "Subject: I know you're there,",
                "         pick up the phone",
                "         and talk to me!",
                "Contact: <sip:a@10.0.0.1>",
                "Expires: 3600",
                "Content-Length: 0",
                "",
                "");
        byte[] b = bytes(text);
        SipMessage m = message(text);
        SipHeader via = m.headers().get(0);
        assertTrue(via.folded());
        assertEquals("SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa, SIP/2.0/UDP   10.0.0.2:5070 ;branch=z9hG4bKb;"
                + "received=198.51.100.7", via.value().text());
        assertEquals(2, m.vias().size());
        assertEquals(0, m.vias().get(1).header(), "both values come from the first header line");
        SipVia second = m.vias().get(1);
        assertEquals(5070, second.portNumber());
        assertEquals("198.51.100.7", second.received().text());
        assertEquals(text.indexOf("10.0.0.2"), second.host().start(), "offset of a value on a continuation line");
        assertEquals("z9hG4bKb", new String(b, second.branch().start(), second.branch().length(), StandardCharsets.UTF_8));
        assertEquals("I know you're there, pick up the phone and talk to me!", m.header("Subject").orElseThrow().value().text());
        assertEquals(3600, m.expires().getAsLong());
        assertEquals(List.of(), m.issues());
    }

    @Test
    void ipv6ReferencesInUriViaContactAndFrom() {
        String text = crlf(
                "INVITE sip:bob@[2001:db8::1]:5060;transport=udp SIP/2.0",
                "Via: SIP/2.0/UDP [2001:db8::9]:5062;branch=z9hG4bK1;received=2001:db8::99;rport=40000",
                "Via: SIP/2.0/UDP [fd17:625c:f037:2::1];branch=z9hG4bK2;maddr=[ff02::1]",
                "From: <sip:alice@[2001:db8::9]:5062>;tag=1",
                "To: <sip:bob@[2001:db8::1]>",
                "Call-ID: v6@test",
                "CSeq: 1 INVITE",
                "Contact: <sip:alice@[2001:db8::9]:5062;transport=udp>;expires=120",
                "Content-Length: 0",
                "",
                "");
        SipMessage m = message(text);
        assertEquals("[2001:db8::1]", m.requestUri().host().text());
        assertEquals("2001:db8::1", m.requestUri().hostAddress());
        assertEquals(5060, m.requestUri().portNumber());
        assertEquals("udp", m.requestUri().transport());
        SipVia top = m.topVia().orElseThrow();
        assertEquals("2001:db8::9", top.hostAddress());
        assertEquals(5062, top.portNumber());
        assertEquals("2001:db8::99", top.received().text());
        assertEquals(40000, top.rportNumber());
        SipVia second = m.vias().get(1);
        assertEquals("[fd17:625c:f037:2::1]", second.host().text());
        assertEquals(-1, second.portNumber());
        assertEquals("[ff02::1]", second.maddr().text());
        assertEquals(5062, m.from().orElseThrow().portNumber());
        assertEquals("[2001:db8::1]", m.to().orElseThrow().host().text());
        SipAddress c = m.contacts().get(0);
        assertEquals("2001:db8::9", c.uri().hostAddress());
        assertEquals(5062, c.portNumber());
        assertEquals(120, c.expiresSeconds());
        assertEquals(List.of(), m.issues(), "jain-sip and the scan agree on every IPv6 field");
    }

    @Test
    void severalViaAndContactValuesOnOneLineAndOnSeveral() {
        String text = crlf(
                "SIP/2.0 200 OK",
                "Via: SIP/2.0/UDP proxy2.example:5060;branch=z9hG4bK2, SIP/2.0/UDP proxy1.example;branch=z9hG4bK1",
                "v: SIP/2.0/UDP 192.168.1.10:5062;branch=z9hG4bK0;received=203.0.113.9;rport=61000",
                "From: <sip:alice@example.com>;tag=a",
                "To: <sip:alice@example.com>;tag=b",
                "Call-ID: reg@test",
                "CSeq: 7 REGISTER",
                "Contact: <sip:alice@203.0.113.9:61000>;expires=600, \"Alice, desk\" <sip:alice@192.168.1.10:5062>;expires=0",
                "m: <sip:alice@[2001:db8::5]>;q=0.5",
                "Expires: 300",
                "Content-Length: 0",
                "",
                "");
        SipMessage m = message(text);
        assertTrue(m.isResponse());
        assertEquals(200, m.statusCode());
        assertEquals("OK", m.reason().text());
        assertEquals("REGISTER", m.transactionMethod());
        assertEquals(List.of("proxy2.example", "proxy1.example", "192.168.1.10"),
                m.vias().stream().map(v -> v.host().text()).toList());
        assertEquals(List.of(0, 0, 1), m.vias().stream().map(SipVia::header).toList());
        assertEquals(61000, m.vias().get(2).rportNumber());
        assertEquals(3, m.contacts().size());
        assertEquals(List.of(600L, 0L, -1L), m.contacts().stream().map(SipAddress::expiresSeconds).toList());
        assertEquals("\"Alice, desk\"", m.contacts().get(1).displayName().text(), "a comma inside quotes does not split");
        assertEquals(List.of(6, 6, 7), m.contacts().stream().map(SipAddress::header).toList());
        assertEquals(300, m.expires().getAsLong());
        assertEquals(List.of(), m.issues());
    }

    @Test
    void wildcardContactAndRecordRoutes() {
        String text = crlf(
                "REGISTER sip:example.com SIP/2.0",
                "Via: SIP/2.0/TCP 10.1.1.1:5060;branch=z9hG4bKw",
                "Record-Route: <sip:p1.example.com;lr>, <sip:[2001:db8::7]:5080;lr>",
                "Record-Route: <sip:p3.example.com;lr>",
                "From: <sip:a@example.com>;tag=1",
                "To: <sip:a@example.com>",
                "Call-ID: wild@test",
                "CSeq: 3 REGISTER",
                "Contact: *",
                "Expires: 0",
                "Content-Length: 0",
                "",
                "");
        SipMessage m = message(text);
        assertEquals(1, m.contacts().size());
        assertTrue(m.contacts().get(0).wildcard());
        assertNull(m.contacts().get(0).uri());
        assertEquals(0, m.expires().getAsLong());
        assertEquals(List.of("p1.example.com", "[2001:db8::7]", "p3.example.com"),
                m.recordRoutes().stream().map(a -> a.host().text()).toList());
        assertEquals(5080, m.recordRoutes().get(1).portNumber());
        assertEquals(List.of(), m.issues());
    }

    @Test
    void crlfKeepalivesAndNonSipPayloads() {
        assertEquals(KeepaliveType.PING, ((Keepalive) parse("\r\n\r\n")).type());
        assertEquals(KeepaliveType.PONG, ((Keepalive) parse("\r\n")).type());
        assertEquals(KeepaliveType.OTHER_CRLF, ((Keepalive) parse("\r\n\r\n\r\n")).type());
        assertEquals(KeepaliveType.OTHER_CRLF, ((Keepalive) parse("\n")).type());
        assertEquals(NotSipType.NUL_BYTES, ((NotSip) parse(new byte[4])).type());
        assertEquals(NotSipType.EMPTY, ((NotSip) parse(new byte[0])).type());
        assertEquals(NotSipType.TEXT, ((NotSip) parse("hello")).type());
        assertEquals(NotSipType.WHITESPACE, ((NotSip) parse("     ")).type());
        assertEquals(NotSipType.WHITESPACE, ((NotSip) parse(" \r\n")).type());
        assertEquals(NotSipType.TEXT, ((NotSip) parse("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).type());
        assertEquals(NotSipType.BINARY, ((NotSip) parse(new byte[] {(byte) 0x80, 0, 0x12, 0x34, 1, 2, 3, 4, 5, 6, 7, 8})).type());
        byte[] stun = new byte[20];
        stun[1] = 1; // binding request, length 0
        stun[4] = 0x21;
        stun[5] = 0x12;
        stun[6] = (byte) 0xa4;
        stun[7] = 0x42;
        assertEquals(NotSipType.STUN, ((NotSip) parse(stun)).type());
        SipDatagram d = SipParser.parseDatagram(bytes("\r\n\r\n"), 0, 4);
        assertEquals(1, d.items().size());
        assertInstanceOf(Keepalive.class, d.items().get(0));
        // Leading CRLFs before a start line are ignored (RFC 3261 §7.5): the message starts after them.
        SipParse p = parse("\r\n\r\n" + INVITE);
        assertEquals(4, p.start());
        assertEquals("INVITE", p.messageOrNull().method());
    }

    @Test
    void messageThatJainSipRejectsIsReportedWithItsRawStartLineAndHeaders() {
        String text = crlf(
                "OPTIONS sip:carol@chicago.example.com SIP/2.0",
                "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKhjhs8ass877",
                "Via: SIP/2.0",
                "Max-Forwards: 70",
                "To: <sip:carol@chicago.example.com>",
                "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774",
                "Call-ID: a84b4c76e66710",
                "CSeq: 63104 OPTIONS",
                "Content-Length: 0",
                "",
                "");
        Rejected r = assertInstanceOf(Rejected.class, parse(text));
        assertEquals(SipAnomaly.SIP_HEADER_INVALID, r.anomaly());
        assertTrue(r.detail().startsWith("jain-sip rejected Via"), r.detail());
        assertEquals("OPTIONS sip:carol@chicago.example.com SIP/2.0", r.startLine().text());
        assertEquals(8, r.headers().size());
        assertEquals("SIP/2.0", r.headers().get(1).value().text());
        assertEquals(text.indexOf("Via: SIP/2.0\r\n") + 5, r.headers().get(1).value().start());
        assertTrue(r.headerBlock().text().endsWith("Content-Length: 0"));
        assertTrue(r.issues().stream().anyMatch(i -> i.anomaly() == SipAnomaly.SIP_HEADER_INVALID
                && i.where().start() == r.headers().get(1).value().start()));

        Rejected cseq = assertInstanceOf(Rejected.class, parse(text.replace("Via: SIP/2.0\r\n", "").replace("63104 OPTIONS", "x OPTIONS")));
        assertTrue(cseq.detail().startsWith("jain-sip rejected CSeq"), cseq.detail());
    }

    @Test
    void badStartLinesAreRejectedWithTheirHeaders() {
        String headers = crlf("", "Via: SIP/2.0/UDP h;branch=z9hG4bK1", "From: <sip:a@h>;tag=1", "To: <sip:b@h>",
                "Call-ID: x", "CSeq: 1 INVITE", "Content-Length: 0", "", "");
        for (String line : List.of("INVITE sip:bob@h SIP/3.0", "SIP/2.0 2000 OK", "SIP/2.0 099 Early", "INVITE bogus SIP/2.0",
                "INVITE  sip:bob@h SIP/2.0", "SIP/2.0 abc OK", "INVITE sip:bob@h:99999 SIP/2.0", "NOT A START LINE")) {
            Rejected r = assertInstanceOf(Rejected.class, parse(line + headers), line);
            assertEquals(SipAnomaly.SIP_START_LINE_INVALID, r.anomaly(), line);
            assertEquals(line, r.startLine().text());
            assertEquals(6, r.headers().size(), line);
        }
        // jain-sip alone would accept the first three: it reads SIP/3.0 as SIP/2.0 and takes any number as a code.
        assertTrue(((Rejected) parse("SIP/2.0 2000 OK" + headers)).detail().contains("100..699"));
    }

    @Test
    void truncatedMessageIsRejectedButKeepsWhatWasRead() {
        String full = INVITE;
        String cut = full.substring(0, full.indexOf("CSeq:") + 9);
        Rejected r = assertInstanceOf(Rejected.class, parse(cut));
        assertEquals(SipAnomaly.SIP_TRUNCATED, r.anomaly());
        assertEquals("INVITE sip:bob@203.0.113.5:5060 SIP/2.0", r.startLine().text());
        assertEquals(6, r.headers().size());
        assertEquals("314", r.headers().get(5).value().text());
        Rejected noLineEnd = assertInstanceOf(Rejected.class, parse("INVITE sip:bob@h SIP/2.0"));
        assertEquals(SipAnomaly.SIP_TRUNCATED, noLineEnd.anomaly());
    }

    @Test
    void nonCoreHeaderErrorsAreIssuesOnAParsedMessage() {
        String text = INVITE.replace("Max-Forwards: 70", "Max-Forwards: 70 junk\r\nDate: not a date\r\nbroken line")
                .replace("<sip:alice@192.168.1.10:5062>\r\nContent-Type", "<sip:alice@192.168.1.10:99999>;expires=soon\r\nContent-Type");
        SipMessage m = SipParser.parse(bytes(text), 0, text.length()).messageOrNull();
        assertNotNull(m, "still a message");
        Map<SipAnomaly, Long> counts = new TreeMap<>();
        for (SipIssue i : m.issues()) counts.merge(i.anomaly(), 1L, Long::sum);
        assertEquals(Map.of(SipAnomaly.SIP_HEADER_INVALID, 4L, SipAnomaly.SIP_HEADER_LINE_MALFORMED, 1L), counts, m.issues().toString());
        assertEquals(-1, m.contacts().get(0).portNumber());
        assertEquals("99999", m.contacts().get(0).uri().port().text());
        assertEquals(-1, m.contacts().get(0).expiresSeconds());
    }

    @Test
    void contentLengthMismatchAndSeveralMessagesInOneDatagram() {
        String ok = crlf("SIP/2.0 100 Trying", "Via: SIP/2.0/UDP h;branch=z9hG4bK1", "From: <sip:a@h>;tag=1", "To: <sip:b@h>",
                "Call-ID: x", "CSeq: 1 INVITE", "Content-Length: 0", "", "");
        String longer = INVITE.replace("Content-Length: 116", "Content-Length: 200");
        SipMessage m = SipParser.parse(bytes(longer), 0, longer.length()).messageOrNull();
        assertEquals(200, m.contentLength());
        assertEquals(116, m.bodyLength());
        assertTrue(m.has(SipAnomaly.SIP_CONTENT_LENGTH_MISMATCH));
        String shorter = INVITE.replace("Content-Length: 116", "Content-Length: 100");
        SipMessage s = SipParser.parse(bytes(shorter), 0, shorter.length()).messageOrNull();
        assertTrue(s.has(SipAnomaly.SIP_CONTENT_LENGTH_MISMATCH));
        assertEquals(116, s.bodyLength(), "parse() keeps every byte after the headers as body");

        // As a datagram, Content-Length delimits: two messages, then CRLF padding (fine), then garbage (reported).
        String two = ok + INVITE + "\r\n";
        SipDatagram d = SipParser.parseDatagram(bytes(two), 0, two.length());
        assertEquals(2, d.messages().size());
        assertEquals(ok.length(), d.messages().get(1).start());
        assertEquals(List.of(SipAnomaly.SIP_MULTIPLE_MESSAGES), d.issues().stream().map(SipIssue::anomaly).toList());
        assertEquals(List.of(), d.messages().get(1).issues());
        String trailing = INVITE + "xyz";
        SipDatagram t = SipParser.parseDatagram(bytes(trailing), 0, trailing.length());
        assertEquals(1, t.messages().size());
        assertEquals(List.of(SipAnomaly.SIP_TRAILING_DATA), t.issues().stream().map(SipIssue::anomaly).toList());
        assertEquals(INVITE.length(), t.issues().get(0).where().start());
        SipDatagram shortBody = SipParser.parseDatagram(bytes(longer), 0, longer.length());
        assertTrue(shortBody.messages().get(0).has(SipAnomaly.SIP_CONTENT_LENGTH_MISMATCH));
    }

    @Test
    void messageWithoutBodyAndWithoutContentLength() {
        String text = crlf("BYE sip:bob@h SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bK1", "From: <sip:a@h>;tag=1",
                "To: <sip:b@h>;tag=2", "Call-ID: x", "CSeq: 2 BYE", "", "");
        SipMessage m = message(text);
        assertEquals(-1, m.contentLength());
        assertEquals(0, m.bodyLength());
        assertTrue(m.contentType().isEmpty());
        assertEquals(List.of(), m.issues(), "Content-Length is optional over UDP");
    }

    @Test
    void duplicateMissingAndMismatchedHeadersAndBareLf() {
        String text = "INVITE sip:b@h SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nCall-ID: first\nCall-ID: second\n"
                + "CSeq: 1 BYE\nContent-Length: 0\n\n";
        SipMessage m = SipParser.parse(bytes(text), 0, text.length()).messageOrNull();
        assertNotNull(m);
        assertEquals("first", m.callId().orElseThrow().text());
        assertTrue(m.has(SipAnomaly.SIP_HEADER_DUPLICATE));
        assertTrue(m.has(SipAnomaly.SIP_BARE_LF));
        assertTrue(m.has(SipAnomaly.SIP_CSEQ_METHOD_MISMATCH));
        assertEquals(List.of("From is missing", "To is missing"), m.issues().stream()
                .filter(i -> i.anomaly() == SipAnomaly.SIP_HEADER_MISSING).map(SipIssue::detail).toList());
        assertEquals(0, m.bodyLength());
    }

    @Test
    void duplicateParameterIsNamedAndTheFirstIsUsed() {
        // Seen in encap/ipv6_frag_sll.pcap: a 200 OK whose To has two tags. jain-sip keeps the last one.
        String text = crlf("SIP/2.0 200 OK", "Via: SIP/2.0/UDP h;branch=z9hG4bK1", "From: <sip:a@h>;tag=1",
                "To: <sip:b@h>;tag=first;tag=second", "Call-ID: x", "CSeq: 1 INVITE", "Content-Length: 0", "", "");
        SipMessage m = SipParser.parse(bytes(text), 0, text.length()).messageOrNull();
        assertEquals("first", m.to().orElseThrow().tag().text());
        assertEquals(List.of("To: parameter 'tag' appears twice in '<sip:b@h>;tag=first;tag=second'; the first is used"),
                m.issues().stream().map(SipIssue::detail).toList());
        assertEquals(SipAnomaly.SIP_HEADER_INVALID, m.issues().get(0).anomaly());
    }

    @Test
    void fieldsOfTheSameMessageBeforeAndAfterARouterRewriteDiffByName() {
        String wan = INVITE.replace("192.168.1.10:5062;branch", "203.0.113.1:40000;branch")
                .replace("<sip:alice@192.168.1.10:5062>\r\nContent-Type", "<sip:alice@203.0.113.1:40000>\r\nContent-Type")
                .replace("<sip:alice@192.168.1.10:5062>;tag", "<sip:alice@203.0.113.1:40000>;tag");
        Map<String, Span> before = message(INVITE).fields();
        Map<String, Span> after = message(wan).fields();
        assertEquals(before.keySet(), after.keySet());
        List<String> changed = before.keySet().stream().filter(k -> !before.get(k).text().equals(after.get(k).text()))
                .filter(k -> !k.startsWith("header[")).toList();
        assertEquals(List.of("via[0]", "via[0].host", "via[0].port", "from", "from.uri", "from.host", "from.port",
                "contact[0]", "contact[0].uri", "contact[0].host", "contact[0].port"), changed);
        assertEquals(before.get("via[0].host").start(), after.get("via[0].host").start(), "same place, other text");
        assertEquals(before.get("via[0].port").start() - 1, after.get("via[0].port").start(), "the shorter host moved the port");
    }

    @Test
    void neverThrowsAndNeverPrintsOnMutatedInput() {
        String rich = crlf(
                "INVITE sip:bob@[2001:db8::1]:5060 SIP/2.0",
                "v: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;rport, SIP/2.0/TCP h;received=1.2.3.4",
                "f: \"A\" <sip:a@h>;tag=1",
                "t: <sip:b@h>",
                "i: x@y",
                "CSeq: 1 INVITE",
                "m: <sip:a@1.2.3.4:5060>;expires=60, *",
                "Record-Route: <sip:p;lr>",
                "c: multipart/mixed;boundary=zz",
                "l: 40",
                "",
                "--zz\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n--zz--\r\n");
        byte[] base = bytes(rich);
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int parsed = 0;
        try (PrintStream trap = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(trap);
            System.setErr(trap);
            byte[] replacements = {'\r', '\n', ':', ';', ',', '<', '>', '"', '[', ']', ' ', 0, '@', '='};
            for (int i = 0; i <= base.length; i++) {
                assertNotNull(SipParser.parse(base, 0, i));
                parsed++;
                if (i == base.length) break;
                for (byte r : replacements) {
                    byte[] b = base.clone();
                    b[i] = r;
                    SipDatagram d = SipParser.parseDatagram(b, 0, b.length);
                    assertFalse(d.items().isEmpty());
                    for (SipMessage m : d.messages()) {
                        assertNotNull(m.fields());
                        MultipartBody.of(m);
                    }
                    parsed++;
                }
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8), "jain-sip printed something");
        assertTrue(parsed > 5000);
    }

    /**
     * jain-sip's P-Preferred-Service and P-Asserted-Service parsers print a stack trace to stderr for a service URN
     * they find wrong (and accept the header anyway): such a value is named as an invalid header instead, and nothing
     * is printed. A well-formed one is still parsed without an issue.
     */
    @Test
    void malformedServiceUrnIsAnAnomalyAndPrintsNothing() {
        String[][] cases = {
            {"P-Preferred-Service", "urn:urn-7:3gpp-xervice.ims.icsi.mmtel", "URN is not well formed"},
            {"P-Asserted-Service", "urn:urn-7:mangled", "URN is not well formed"},
            {"P-Preferred-Service", "urn:urn-7:3gpp-service. ", "URN should atleast have one sub-service"},
            {"p-asserted-service", "urn:urn-7:3gpp-application. ", "URN should atleast have one sub-application"},
            {"P-Preferred-Service", "urn:urn-7:3gpp-service.ims.icsi.mmtel", null},
        };
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<SipMessage> parsed = new java.util.ArrayList<>();
        try (PrintStream trap = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setErr(trap);
            for (String[] c : cases) {
                parsed.add(message(INVITE.replace("Max-Forwards: 70", "Max-Forwards: 70\r\n" + c[0] + ": " + c[1])));
            }
        } finally {
            System.setErr(err);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8), "jain-sip printed to stderr");
        for (int i = 0; i < cases.length; i++) {
            List<SipIssue> issues = parsed.get(i).issues();
            if (cases[i][2] == null) {
                assertEquals(List.of(), issues, cases[i][1]);
                continue;
            }
            assertEquals(1, issues.size(), () -> issues.toString());
            assertEquals(SipAnomaly.SIP_HEADER_INVALID, issues.get(0).anomaly());
            assertTrue(issues.get(0).detail().contains(cases[i][2]), issues.get(0).detail());
        }
    }

    static SipParse parse(String s) {
        return parse(bytes(s));
    }

    static SipParse parse(byte[] b) {
        return SipParser.parse(b, 0, b.length);
    }
}
