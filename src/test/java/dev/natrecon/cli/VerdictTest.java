package dev.natrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Honest verdicts from real captures nobody on the project made (the public corpus) and from the lab samples: a run
 * that could not judge the router says INCONCLUSIVE with its reasons (terminal, summary.json, summary.md,
 * report.html, batch's summary.csv) and exits 4; a run that could stays CLEAN or FINDINGS as before.
 */
class VerdictTest {
    static final Path MEDIA = Path.of("src/test/resources/public/media");

    @TempDir
    Path tmp;

    static JsonNode summary(Path dir) throws IOException {
        return new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    }

    static List<String> reasonIds(JsonNode s) {
        List<String> ids = new ArrayList<>();
        s.get("verdict_reasons").forEach(r -> ids.add(r.get("id").asText()));
        return ids;
    }

    @Test
    void ipsecNatTPairOfDifferentRunsIsInconclusive() throws IOException {
        Path out = tmp.resolve("natt");
        MainTest.Run r = MainTest.run("analyze", "--lan", MEDIA.resolve("natt_private.pcap").toString(), "--wan",
                MEDIA.resolve("natt_public.pcap").toString(), "-o", out.toString());
        assertEquals(Main.INCONCLUSIVE, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("Verdict: INCONCLUSIVE (no findings)"), r.out());
        assertTrue(r.out().contains("the captures do not overlap in time"), r.out());
        assertTrue(r.out().contains("no SIP or RTP") && r.out().contains("IPsec NAT-T on UDP 4500: 26 packets"), r.out());
        assertFalse(r.out().contains("CLEAN"), r.out());
        JsonNode s = summary(out);
        assertEquals("inconclusive", s.get("verdict").get("result").asText());
        assertEquals(List.of("no_overlap", "no_sip_or_rtp"), reasonIds(s));
        assertTrue(s.get("verdict_reasons").get(0).get("figures").get("gap_seconds").asDouble() > 1000);
        assertEquals(0, s.get("verdict_reasons").get(1).get("figures").get("sip_packets").asLong());
        String md = Files.readString(out.resolve("summary.md"));
        assertTrue(md.contains("**Verdict: INCONCLUSIVE**") && md.contains("- Inconclusive: the captures do not overlap"), md);
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("id=\"verdict\" class=\"inconclusive\"") && html.contains("IPsec NAT-T"));
        assertFalse(html.contains(">CLEAN<"));
        // --fail-on never: the exit status does not depend on the verdict
        assertEquals(Main.OK, MainTest.run("analyze", "--lan", MEDIA.resolve("natt_private.pcap").toString(), "--wan",
                MEDIA.resolve("natt_public.pcap").toString(), "-o", tmp.resolve("natt2").toString(), "--fail-on",
                "never").code());
    }

    @Test
    void relayLegsWithNoRouterBetweenThemAreInconclusive() throws IOException {
        Path out = tmp.resolve("relay");
        MainTest.Run r = MainTest.run("analyze", "--lan", MEDIA.resolve("relay_leg_a.pcap").toString(), "--wan",
                MEDIA.resolve("relay_leg_o.pcap").toString(), "-o", out.toString());
        assertEquals(Main.INCONCLUSIVE, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("too few packets were seen on both sides of the router"), r.out());
        assertTrue(r.out().contains("LAN 0 of 236 and WAN 0 of 246"), r.out());
        JsonNode s = summary(out);
        assertEquals(List.of("too_few_matched"), reasonIds(s), "RTP is there, the captures overlap: only the match fails");
        JsonNode f = s.get("verdict_reasons").get(0).get("figures");
        assertEquals(0, f.get("matched_pairs").asLong());
        assertEquals(246, f.get("wan_matchable").asLong());
    }

    @Test
    void labSamplesKeepTheirVerdicts() throws IOException {
        MainTest.Run clean = MainTest.run("analyze", "--case", "samples/baseline/case.properties", "-o",
                tmp.resolve("b").toString());
        assertEquals(Main.OK, clean.code(), clean.out() + clean.err());
        assertTrue(clean.out().contains("Verdict: CLEAN"), clean.out());
        assertEquals("clean", summary(tmp.resolve("b")).get("verdict").get("result").asText());
        MainTest.Run leak = MainTest.run("analyze", "--case", "samples/leaked-private-source/case.properties", "-o",
                tmp.resolve("l").toString());
        assertEquals(Main.FINDINGS, leak.code(), leak.out() + leak.err());
        assertTrue(leak.out().contains("Verdict: ERROR"), leak.out());
        assertEquals("findings", summary(tmp.resolve("l")).get("verdict").get("result").asText());
    }

    @Test
    void batchListsTheVerdictAndExitsFourWhenACaseIsInconclusive() throws IOException {
        Path in = tmp.resolve("in");
        Path natt = Files.createDirectories(in.resolve("natt"));
        Files.copy(MEDIA.resolve("natt_private.pcap"), natt.resolve("lan.pcap"));
        Files.copy(MEDIA.resolve("natt_public.pcap"), natt.resolve("wan.pcap"));
        Path base = Files.createDirectories(in.resolve("baseline"));
        Files.copy(Path.of("samples/baseline/lan.pcap"), base.resolve("lan.pcap"));
        Files.copy(Path.of("samples/baseline/wan.pcap"), base.resolve("wan.pcap"));
        Path out = tmp.resolve("batch");
        MainTest.Run r = MainTest.run("batch", in.toString(), "-o", out.toString(), "-j", "1");
        assertEquals(Main.INCONCLUSIVE, r.code(), r.out() + r.err());
        List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
        assertTrue(csv.get(0).startsWith("case,status,verdict,verdict_reasons,worst_finding,"), csv.get(0));
        assertTrue(csv.stream().anyMatch(l -> l.contains("natt") && l.contains(",inconclusive,")
                && l.contains("do not overlap")), String.join("\n", csv));
        assertTrue(csv.stream().anyMatch(l -> l.contains("baseline") && l.contains(",clean,")), String.join("\n", csv));
        assertEquals(Main.OK, MainTest.run("batch", in.toString(), "-o", out.toString(), "--fail-on", "never").code());
    }
}
