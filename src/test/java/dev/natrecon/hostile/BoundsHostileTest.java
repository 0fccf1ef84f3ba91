package dev.natrecon.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.bench.SyntheticNatCaptures;
import dev.natrecon.capture.Compression;
import dev.natrecon.capture.DecompressionLimit;
import dev.natrecon.capture.PcapWriter;
import dev.natrecon.detect.Detection;
import dev.natrecon.report.ReportLimits;
import dev.natrecon.testing.Bombs;
import dev.natrecon.testing.ChildJvm;
import dev.natrecon.testing.FileListing;
import dev.natrecon.testing.Frames;
import dev.natrecon.testing.HostileCaptures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile cases of src/test/resources/cases/ that test resource bounds (each folder's README says what it is and
 * what it must produce). The inputs are generated here (bombs and floods are too big to commit); each is analysed by
 * {@code analyze} in a child JVM with a 256 MiB heap, which must finish (exit 0 or 1, no OutOfMemoryError) with the
 * bound named in its output folder.
 */
class BoundsHostileTest {
    @TempDir
    Path tmp;

    /** A small good WAN capture for the cases whose LAN capture is the hostile one. */
    private Path goodWan() throws IOException {
        Path wan = tmp.resolve("wan.pcap");
        try (OutputStream o = Files.newOutputStream(wan); PcapWriter w = new PcapWriter(o, 1, false)) {
            for (int i = 0; i < 5; i++) {
                w.write(1_700_000_000_000_000_000L + i * 20_000_000L + 50_000,
                        Frames.udp(HostileCaptures.WAN_ADDRESS, 40000, "198.51.100.7", 7000, 1 + i, 63, new byte[100]));
            }
        }
        return wan;
    }

    private ChildJvm.Result analyze(List<String> jvm, Path lan, Path wan, Path out) throws Exception {
        Path work = tmp.resolve("jvm-" + out.getFileName());
        Map<String, String> before = FileListing.of(tmp, out, work);
        // --packets: every frame in packets.csv, which these tests read to see which frames were analysed
        ChildJvm.Result r = ChildJvm.run(work, jvm, "analyze", "--packets", "--lan", lan.toString(),
                "--wan", wan.toString(), "-o", out.toString());
        assertEquals(before, FileListing.of(tmp, out, work), "nothing outside the output folder was written");
        assertFalse(r.outOfMemory(), "ran out of its " + ChildJvm.HEAP + " heap: " + r.err());
        // a completed run: judged (0, 1) or inconclusive (4: these synthetic captures are cut to show one bound)
        assertTrue(r.code() == 0 || r.code() == 1 || r.code() == 4, "exit " + r.code() + ": " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        return r;
    }

    private static String summary(Path out) throws IOException {
        return Files.readString(out.resolve("summary.json"));
    }

    @Test
    void decompressionBombsOfEachCompressionStopAtTheBound() throws Exception {
        Path wan = goodWan();
        long max = 8L << 20;
        for (Compression c : new Compression[] {Compression.GZIP, Compression.ZSTD, Compression.XZ}) {
            Path lan = tmp.resolve("bomb." + c.label());
            Files.write(lan, Bombs.bomb(c, 5, 64L << 20));
            assertTrue(Files.size(lan) < 2 << 20, c + ": the bomb itself is small (" + Files.size(lan) + " bytes)");
            Path out = tmp.resolve("out-" + c.label());
            ChildJvm.Result r = analyze(List.of("-D" + DecompressionLimit.PROPERTY + "=" + max), lan, wan, out);
            String notice = lan + ": stopped reading after " + max + " decompressed bytes (capture.decompression_limit";
            assertTrue(oneLine(r.out()).contains("notice: " + notice), c + ": " + r.out());
            String json = summary(out);
            assertTrue(json.contains("\"id\": \"capture.decompression_limit\""), json);
            assertTrue(Files.readString(out.resolve("report.html")).contains("capture.decompression_limit"));
            assertTrue(Files.readString(out.resolve("summary.md")).contains("capture.decompression_limit"));
            // the five frames before the zeros were analysed
            assertTrue(Files.readString(out.resolve("packets.csv")).lines().filter(l -> l.contains("192.168.1.10")).count() >= 5);
        }
    }

    static final Path LYING = Path.of("src/test/resources/cases/lying-lengths/lan.pcap");

    /** The committed lying-lengths capture: one good frame, a record claiming 4 GiB, 4 KiB of zeros. */
    static byte[] lyingPcap() throws IOException {
        byte[] frame = Frames.udp("192.168.1.10", 40000, "198.51.100.7", 7000, 1, 64, new byte[100]);
        ByteArrayOutputStream pcap = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(pcap, 1, false)) {
            w.write(1_700_000_000_000_000_000L, frame);
        }
        ByteBuffer lie = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        lie.putInt(1_700_000_001).putInt(0).putInt(0xfffffff0).putInt(0xfffffff0);
        pcap.writeBytes(lie.array());
        pcap.writeBytes(new byte[4096]);
        return pcap.toByteArray();
    }

    @Test
    void theCommittedLyingCaptureIsWhatItsReadmeSays() throws IOException {
        assertTrue(java.util.Arrays.equals(lyingPcap(), Files.readAllBytes(LYING)), "regenerate with lyingPcap()");
    }

    @Test
    void captureHeadersThatLieAboutLengthsEndTheFileWithANamedAnomaly() throws Exception {
        Path wan = goodWan();
        Path lan = LYING.toAbsolutePath();
        Path out = tmp.resolve("out-lying");
        ChildJvm.Result r = analyze(List.of(), lan, wan, out);
        assertTrue(oneLine(r.out()).contains("notice: " + lan + ": capture.record_too_large (1x, first in frame 2)"), r.out());
        assertTrue(summary(out).contains("\"id\": \"capture.record_too_large\""));
        assertTrue(Files.readString(out.resolve("packets.csv")).contains("192.168.1.10"), "the good frame was analysed");
        // the rest of the file was never read: no verdict over the whole file
        assertTrue(oneLine(r.out()).contains(lan + " is damaged at frame 2"), r.out());
        assertTrue(summary(out).contains("\"capture_damaged\""), "the reason in summary.json");
    }

    @Test
    void aFewThousandEndpointsOnOneExternalPortStayAFewFindings() throws Exception {
        Path lan = tmp.resolve("clash-lan.pcap"), wan = tmp.resolve("clash-wan.pcap");
        int endpoints = 3000;
        HostileCaptures.portClashes(lan, wan, endpoints, 2);
        Path out = tmp.resolve("out-clash");
        analyze(List.of(), lan, wan, out);
        String json = summary(out);
        long pairs = (long) endpoints * (endpoints - 1) / 2;
        assertTrue(json.contains((pairs - 10) + " more pairs of LAN endpoints appeared as 203.0.113.2:40000"), json.length() + "");
        assertTrue(Files.size(out.resolve("report.html")) < 4 << 20, "report.html " + Files.size(out.resolve("report.html")));
        assertTrue(Files.size(out.resolve("summary.json")) < 1 << 20);
        // mappings.csv streams every binding (it is not cut)
        assertEquals(endpoints + 1, Files.readAllLines(out.resolve("mappings.csv")).size());
    }

    @Test
    void findingsPastThePerRuleBoundAreCountedAndNamed() throws Exception {
        Path lan = tmp.resolve("many-lan.pcap"), wan = tmp.resolve("many-wan.pcap");
        int ports = Detection.MAX_FINDINGS_PER_RULE + 150;
        HostileCaptures.portClashes(lan, wan, 2 * ports, 2, 2);
        Path out = tmp.resolve("out-many");
        ChildJvm.Result r = analyze(List.of(), lan, wan, out);
        // one finding (one external address) counting every instance, listing the first 500
        assertTrue(oneLine(r.out()).contains("notice: findings: nat.port_clash has 150 more instances than listed (each "
                + "finding lists its first " + Detection.MAX_INSTANCES_PER_GROUP + ", detect.too_many_findings)"), r.out());
        String json = summary(out);
        // in the findings list (finding_groups names the rule once per cause)
        Matcher m = Pattern.compile("\"id\": \"nat.port_clash\"").matcher(json.substring(json.indexOf("\"findings\": [")));
        int n = 0;
        while (m.find()) n++;
        assertEquals(Detection.MAX_INSTANCES_PER_GROUP, n);
        assertTrue(json.contains("\"instances\": " + ports), "the finding counts all " + ports + " instances");
        assertTrue(json.contains("\"id\": \"detect.too_many_findings\""));
        assertTrue(Files.readString(out.resolve("summary.md")).contains("Limits reached"));
    }

    @Test
    void aHugeSipMessageIsParsedUpToTheHeaderBound() throws Exception {
        Path lan = tmp.resolve("sip-lan.pcap"), wan = tmp.resolve("sip-wan.pcap");
        HostileCaptures.hugeSip(lan, wan, 5000);
        Path out = tmp.resolve("out-sip");
        ChildJvm.Result r = analyze(List.of(), lan, wan, out);
        assertTrue(r.out().contains("notice: sip: 1 message(s), the first the input copy of frame 1 (sip.csv), stopped "
                + "at a bound (sip.too_many_headers)"), r.out());
        assertTrue(summary(out).contains("\"id\": \"sip.too_many_headers\""));
        String sip = Files.readString(out.resolve("sip.csv"));
        assertTrue(sip.contains("huge-1") && sip.contains("huge-2"), "both messages were analysed: " + sip);
    }

    @Test
    void manyCallsFitTheHeap() throws Exception {
        Path lan = tmp.resolve("calls-lan.pcap"), wan = tmp.resolve("calls-wan.pcap");
        SyntheticNatCaptures.Result g = SyntheticNatCaptures.write(SyntheticNatCaptures.Config.of(1500, 2)
                .withCallTiming(1, 0.2, 0.2).withRegisterInterval(1), lan, wan);
        assertTrue(g.callsStarted() >= 1500, "calls " + g.callsStarted());
        Path out = tmp.resolve("out-calls");
        analyze(List.of(), lan, wan, out);
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.length() < ReportLimits.HTML_FINDINGS_BYTES + (4 << 20), "report.html " + html.length());
        assertTrue(summary(out).contains("\"matched_pairs\""));
    }

    /** The terminal's text with its lines joined (analyze breaks lines at 120 columns). */
    static String oneLine(String out) {
        return out.replaceAll("\\n +", " ");
    }
}
