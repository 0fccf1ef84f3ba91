package dev.natrecon.alg.sip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.alg.sip.tools.BreakAlg;
import dev.natrecon.report.SipCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * src/test/resources/cases/broken-alg: samples/baseline's WAN capture with three SIP payloads edited by
 * {@link BreakAlg} (see the case README). The case is BROKEN and each edit is named with its field and frame; every
 * message the edits did not touch stays LINUX_LIKE; the capture is exactly what the README's command makes.
 */
class BrokenAlgCaseTest {
    static final Path CASE = Path.of("src/test/resources/cases/broken-alg");
    /** The edits, exactly as the README's command gives them. */
    static final List<String> EDITS = List.of("3:c=IN IP4 203.0.113.2=>c=IN IP4 192.168.1.10", "3:m=audio 40000 =>m=audio 40100 ",
            "3:content-length=160", "7:To: <sip:2002@203.0.113.5>=>To: <sip:2002@203.0.113.2>",
            "508:203.0.113.2:5060;branch=>203.0.113.2:5060:5060;branch");

    @Test
    void theCaptureIsWhatTheReadmesCommandMakes() throws IOException {
        String readme = Files.readString(CASE.resolve("README.md"));
        StringBuilder command = new StringBuilder("java src/test/java/dev/natrecon/alg/sip/tools/BreakAlg.java "
                + "samples/baseline/wan.pcap src/test/resources/cases/broken-alg/wan.pcap");
        for (String e : EDITS) command.append(" '").append(e).append('\'');
        assertTrue(readme.contains(command), "README gives the command " + command);
        Path out = Files.createDirectories(Path.of("target/broken-alg")).resolve("wan.pcap");
        BreakAlg.run(Path.of("samples/baseline/wan.pcap"), out, EDITS, null);
        assertArrayEquals(Files.readAllBytes(CASE.resolve("wan.pcap")), Files.readAllBytes(out));
        assertArrayEquals(Files.readAllBytes(Path.of("samples/baseline/lan.pcap")), Files.readAllBytes(CASE.resolve("lan.pcap")));
    }

    @Test
    void brokenWithTheEditedFieldsNamed() throws IOException {
        CaseVerdict v = CaptureSip.classify(CASE);
        assertEquals(AlgClass.BROKEN, v.algClass(), v.toString());
        assertEquals(AlgClass.BROKEN, v.byDirection().get(Direction.OUTBOUND));
        assertEquals(AlgClass.LINUX_LIKE, v.byDirection().get(Direction.INBOUND));
        assertEquals(Map.of(AlgClass.BROKEN, 3, AlgClass.LINUX_LIKE, 6), v.counts());

        MessageVerdict invite = byWanFrame(v, 3), ack = byWanFrame(v, 7), bye = byWanFrame(v, 508);
        assertEquals(AlgClass.BROKEN, invite.algClass());
        assertFields(invite, AlgFindingType.SDP_CONNECTION_NOT_REWRITTEN, "sdp.connection.address");
        assertFields(invite, AlgFindingType.SDP_PORT_WITHOUT_BINDING, "sdp.media[0].port");
        assertFields(invite, AlgFindingType.CONTENT_LENGTH_WRONG, "content-length");
        assertFields(invite, AlgFindingType.PRIVATE_ADDRESS_ON_WAN, "sdp.connection.address");
        assertEquals("declared 160, body 159 bytes (before the router: declared 160, body 160)",
                invite.finding(AlgFindingType.CONTENT_LENGTH_WRONG).detail());
        assertEquals(AlgClass.BROKEN, ack.algClass());
        assertFields(ack, AlgFindingType.FOREIGN_ADDRESS_REWRITTEN, "to.host");
        assertEquals(AlgClass.BROKEN, bye.algClass());
        assertFields(bye, AlgFindingType.MANGLED, "via[0]");
        assertTrue(bye.finding(AlgFindingType.MANGLED).detail().startsWith("sip.header_invalid"));

        for (MessageVerdict m : v.messages()) {
            if (m != invite && m != ack && m != bye) assertEquals(AlgClass.LINUX_LIKE, m.algClass(), m.toString());
        }
        // The case's findings carry the frames of both copies.
        assertEquals(List.of(new FrameRef(CapturePoint.LAN, 7), new FrameRef(CapturePoint.WAN, 7)),
                v.finding(AlgFindingType.FOREIGN_ADDRESS_REWRITTEN).frames());
        assertEquals(List.of(new FrameRef(CapturePoint.LAN, 508), new FrameRef(CapturePoint.WAN, 508)),
                v.finding(AlgFindingType.MANGLED).frames());
        for (AlgFindingType t : List.of(AlgFindingType.SDP_CONNECTION_NOT_REWRITTEN, AlgFindingType.SDP_PORT_WITHOUT_BINDING,
                AlgFindingType.CONTENT_LENGTH_WRONG, AlgFindingType.FOREIGN_ADDRESS_REWRITTEN, AlgFindingType.MANGLED)) {
            assertTrue(v.has(t), t.id());
        }
    }

    @Test
    void sipCsvMatchesTheGoldenFile() throws IOException {
        CaseVerdict v = CaptureSip.classify(CASE);
        Path actual = Path.of("target/broken-alg/sip.csv");
        SipCsv.write(actual, v.messages());
        Path expected = CASE.resolve("expected/sip.csv");
        if (Boolean.parseBoolean(System.getProperty("golden.update", "false"))) {
            Files.createDirectories(expected.getParent());
            Files.copy(actual, expected, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertEquals(Files.readString(expected), Files.readString(actual));
    }

    static MessageVerdict byWanFrame(CaseVerdict v, long frame) {
        return v.messages().stream().filter(m -> m.pair().wan().frame() == frame).findFirst().orElseThrow();
    }

    static void assertFields(MessageVerdict m, AlgFindingType type, String... fields) {
        AlgFinding f = m.finding(type);
        assertTrue(f != null, type.id() + " in " + m);
        assertEquals(List.of(fields), f.fields(), m.toString());
    }
}
