package dev.natrecon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.alg.sip.AlgContext;
import dev.natrecon.alg.sip.BindingLookup;
import dev.natrecon.alg.sip.CapturePoint;
import dev.natrecon.alg.sip.Direction;
import dev.natrecon.alg.sip.Endpoint;
import dev.natrecon.alg.sip.MessageVerdict;
import dev.natrecon.alg.sip.SipMessagePair;
import dev.natrecon.alg.sip.SipObservation;
import dev.natrecon.alg.sip.SipRewriteClassifier;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

class SipCsvTest {
    static final String LAN = ("INVITE sip:2002@203.0.113.5:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK-1;rport\r\n"
            + "From: <sip:1001@203.0.113.5>;tag=a\r\nTo: <sip:2002@203.0.113.5>\r\nCall-ID: c1@192.168.1.10\r\nCSeq: 1 INVITE\r\n"
            + "Contact: <sip:1001@192.168.1.10:5060>, <sip:1001@192.168.1.10:5062>\r\nContent-Type: application/sdp\r\n"
            + "Content-Length: %d\r\n\r\n%s");
    static final String SDP = "v=0\r\no=- 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n"
            + "m=video 0 RTP/AVP 96\r\nc=IN IP4 %s\r\n";

    static String invite(String addr) {
        String sdp = String.format(SDP, addr, addr, addr);
        return String.format(LAN, sdp.length(), sdp).replace("192.168.1.10:", addr + ":");
    }

    static MessageVerdict verdict() {
        SipObservation lan = new SipObservation(CapturePoint.LAN, List.of(12L), 1_795_227_108_837_154_000L,
                SipObservation.Transport.UDP, Endpoint.parse("192.168.1.10:5060"), Endpoint.parse("203.0.113.5:5060"),
                invite("192.168.1.10").getBytes(StandardCharsets.UTF_8));
        SipObservation wan = new SipObservation(CapturePoint.WAN, List.of(13L), 1_795_227_108_837_242_000L,
                SipObservation.Transport.UDP, Endpoint.parse("203.0.113.2:5060"), Endpoint.parse("203.0.113.5:5060"),
                invite("203.0.113.2").getBytes(StandardCharsets.UTF_8));
        SipMessagePair p = new SipMessagePair(lan, wan, Direction.OUTBOUND);
        return new SipRewriteClassifier(new AlgContext(java.util.Set.of(), java.util.Set.of(), BindingLookup.unknown()).including(p)).classify(p);
    }

    @Test
    void oneRowWithEveryColumn() throws IOException {
        StringWriter w = new StringWriter();
        SipCsv.write(w, List.of(verdict()));
        try (CSVParser parser = CSVParser.parse(new StringReader(w.toString()),
                CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build())) {
            assertEquals(List.of(SipCsv.COLUMNS), parser.getHeaderNames());
            List<CSVRecord> rows = parser.getRecords();
            assertEquals(1, rows.size());
            Map<String, String> r = rows.get(0).toMap();
            assertEquals("lan", r.get("capture"));
            assertEquals("12", r.get("frame"));
            assertEquals("1795227108.837154000", r.get("time"));
            assertEquals("out", r.get("direction"));
            assertEquals("wan", r.get("counterpart_capture"));
            assertEquals("13", r.get("counterpart_frame"));
            assertEquals("udp", r.get("transport"));
            assertEquals("c1@192.168.1.10", r.get("call_id"));
            assertEquals("1 INVITE", r.get("cseq"));
            assertEquals("INVITE", r.get("method_or_status"));
            assertEquals("<sip:1001@203.0.113.5>;tag=a", r.get("from"));
            assertEquals("192.168.1.10:5060", r.get("via_before"));
            assertEquals("203.0.113.2:5060", r.get("via_after"));
            assertEquals("192.168.1.10:5060 192.168.1.10:5062", r.get("contact_before"));
            assertEquals("203.0.113.2:5060 203.0.113.2:5062", r.get("contact_after"));
            assertEquals("192.168.1.10", r.get("sdp_c_before"), "session and media c= are the same address: listed once");
            assertEquals("203.0.113.2", r.get("sdp_c_after"));
            assertEquals("audio/40000 video/0", r.get("sdp_m_ports_before"));
            assertEquals("audio/40000 video/0", r.get("sdp_m_ports_after"));
            assertTrue(r.get("changes").startsWith("via[0].host: 192.168.1.10 -> 203.0.113.2; contact[0].host:"), r.get("changes"));
            assertEquals("other_consistent", r.get("class"));
            // Linux leaves the second Contact (port 5062 is not the signalling port) and the disabled video stream.
            assertTrue(r.get("findings").contains("alg.not_linux("), r.get("findings"));
            assertTrue(r.get("findings").contains("contact[1].host"), r.get("findings"));
        }
    }

    @Test
    void fileIsWrittenAtomicallyAndDeterministically() throws IOException {
        Path dir = Files.createDirectories(Path.of("target/sipcsv-test"));
        Path a = dir.resolve("a.csv"), b = dir.resolve("b.csv");
        SipCsv.write(a, List.of(verdict(), verdict()));
        SipCsv.write(b, List.of(verdict(), verdict()));
        assertEquals(Files.readString(a), Files.readString(b));
        assertEquals(3, Files.readAllLines(a).size());
        try (Stream<Path> s = Files.list(dir)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
        assertEquals(SipCsv.COLUMNS.length, SipCsv.row(verdict()).size());
    }
}
