package dev.natrecon.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.batch.HostileInputs.Member;
import dev.natrecon.capture.Compression;
import dev.natrecon.capture.DecompressionLimit;
import dev.natrecon.detect.Severity;
import dev.natrecon.testing.Bombs;
import dev.natrecon.testing.HostileCaptures;
import dev.natrecon.testing.HostileCases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives as an attacker would build them: members named to climb out of the scratch folder, links, bombs, and an
 * archive damaged near its end. Nothing is written outside the output folder, every such member is a row with its
 * reason, a bomb fails only its case (named with its bound) and the good cases are complete.
 */
class HostileArchiveTest {
    @TempDir
    Path tmp;

    /** Small bounds so that a bomb of a few tens of MB is one: 200:1 beyond 1 MiB, 32 MiB per case. */
    static final Extraction.Limits SMALL = new Extraction.Limits(200, 1L << 20, 32L << 20);

    static List<Member> goodCases() throws IOException {
        return HostileInputs.files(BatchRunTest.sampleMembers("tickets/"));
    }

    static Map<String, CaseOutcome> byName(BatchRunner.Result r) {
        return BatchRunTest.byName(r);
    }

    static void assertGoodCasesComplete(BatchRunner.Result r, String prefix, Path out) {
        Map<String, CaseOutcome> c = byName(r);
        CaseOutcome baseline = c.get(prefix + "_tickets_baseline"), leak = c.get(prefix + "_tickets_leaked-private-source");
        assertEquals("ok", baseline.status(), baseline.error());
        assertEquals("clean", baseline.verdict());
        assertEquals("ok", leak.status(), leak.error());
        assertEquals("error", leak.verdict());
        for (CaseOutcome g : List.of(baseline, leak)) {
            assertTrue(Files.isRegularFile(out.resolve("cases").resolve(g.name()).resolve("report.html")), g.name());
            assertEquals("ok", BatchOutputs.readCaseSummary(out.resolve("cases").resolve(g.name()).resolve(BatchRunner.CASE_SUMMARY)).status());
        }
    }

    static String reasonOf(BatchRunner.Result r, String memberSuffix) {
        return r.unmatched().stream().filter(u -> u.file().endsWith(memberSuffix)).map(CaseDiscovery.Unmatched::reason)
                .findFirst().orElseThrow(() -> new AssertionError(memberSuffix + " not among " + r.unmatched()));
    }

    static List<Member> unsafeMembers() {
        byte[] pcap = "x".getBytes();
        return List.of(Member.file("../../escape/lan.pcap", pcap), Member.file("../../escape/wan.pcap", pcap),
                Member.file("/natrecon-abs-test/lan.pcap", pcap), Member.file("tickets\\win\\lan.pcap", pcap),
                Member.file("C:/tickets/lan.pcap", pcap), Member.symlink("tickets/linked/lan.pcap", "/etc/passwd"),
                Member.hardlink("tickets/linked/wan.pcap", "/etc/shadow"));
    }

    @Test
    void unsafeMembersAreRowsWithTheirReasonAndNothingLandsOutside() throws IOException {
        List<Member> members = new ArrayList<>(goodCases());
        members.addAll(unsafeMembers());
        Path tgz = tmp.resolve("in/unsafe.tgz"), zip = tmp.resolve("in/unsafe.zip");
        Files.createDirectories(tgz.getParent());
        HostileInputs.tar(tgz, members, true);
        HostileInputs.zip(zip, members);
        Map<String, String> before = HostileInputs.listing(tmp);
        Path out = tmp.resolve("out"), outZip = tmp.resolve("outzip");
        BatchRunner.Result r = BatchRunner.run(List.of(tgz), new BatchRunner.Options(out, 2, false), BatchListener.NONE);
        BatchRunner.Result z = BatchRunner.run(List.of(zip), new BatchRunner.Options(outZip, 2, false), BatchListener.NONE);
        assertGoodCasesComplete(r, "unsafe", out);
        assertGoodCasesComplete(z, "unsafe", outZip);
        for (BatchRunner.Result x : List.of(r, z)) {
            // the zip's tickets/win/lan.pcap (below) is a case of its own: one side's capture, which fails to read
            assertEquals(x == z ? 3 : 2, x.cases().size(), "the unsafe members make no case: " + x.cases());
            assertTrue(reasonOf(x, "!../../escape/lan.pcap").contains("'..' would leave the archive's folder"), x.unmatched().toString());
            assertTrue(reasonOf(x, "!../../escape/wan.pcap").contains("'..'"));
            assertTrue(reasonOf(x, "!C:/tickets/lan.pcap").contains("drive letter"));
            assertTrue(reasonOf(x, "natrecon-abs-test/lan.pcap").contains("absolute path"), x.unmatched().toString());
            assertTrue(reasonOf(x, "!tickets/linked/lan.pcap").contains("symbolic link"), x.unmatched().toString());
        }
        assertTrue(reasonOf(r, "!tickets\\win\\lan.pcap").contains("backslash"));
        // a zip written on Windows (FAT) has backslash separators: read as folders, the member stays inside
        CaseOutcome win = z.cases().stream().filter(c -> c.origin().endsWith("!tickets/win/lan.pcap")).findFirst()
                .orElseThrow(() -> new AssertionError(z.cases().toString()));
        assertTrue(win.failed() && win.rule().contains("no wan-side partner") && win.error().contains("not a capture"),
                win.toString());
        assertTrue(reasonOf(r, "!tickets/linked/wan.pcap").contains("hard link (to /etc/shadow): links are not followed"));
        assertEquals(before, HostileInputs.listing(tmp, out, outZip), "nothing outside the output folders changed");
        assertFalse(Files.exists(Path.of("/natrecon-abs-test")));
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertTrue(summary.stream().anyMatch(l -> l.contains("no_case") && l.contains("../../escape/lan.pcap")
                && l.contains("would leave")), String.join("\n", summary));
    }

    /** A case whose LAN capture is a bomb of {@code zeros} bytes and whose WAN capture is real, beside the good ones. */
    static List<Member> withBomb(long zeros) throws IOException {
        List<Member> members = new ArrayList<>(goodCases());
        members.add(Member.bomb("tickets/bomb/lan.pcap", zeros));
        members.add(Member.file("tickets/bomb/wan.pcap", Files.readAllBytes(BatchRunTest.SAMPLES.resolve("baseline/wan.pcap"))));
        return members;
    }

    @Test
    void aZipBombAndATarGzBombFailOnlyTheirCaseNamingTheMemberAndTheBound() throws IOException {
        List<Member> members = withBomb(64L << 20);
        Path tgz = tmp.resolve("bombs.tgz"), zip = tmp.resolve("bombz.zip");
        HostileInputs.tar(tgz, members, true);
        HostileInputs.zip(zip, members);
        assertTrue(Files.size(tgz) < 1 << 20 && Files.size(zip) < 1 << 20, "64 MiB of zeros weigh well under 1 MB");
        for (Path archive : List.of(tgz, zip)) {
            Path out = tmp.resolve("out-" + archive.getFileName());
            String prefix = archive.getFileName().toString().replaceFirst("\\..*", "");
            BatchRunner.Result r = BatchRunner.run(List.of(archive),
                    new BatchRunner.Options(out, 2, false).with(SMALL), BatchListener.NONE);
            assertGoodCasesComplete(r, prefix, out);
            CaseOutcome bomb = byName(r).get(prefix + "_tickets_bomb");
            assertTrue(bomb.failed(), bomb.toString());
            assertTrue(bomb.error().contains(archive + "!tickets/bomb/lan.pcap: unpacks to more than"), bomb.error());
            assertTrue(bomb.error().contains("200 times its compressed size, at least 1 MiB, at most 32 MiB per case"), bomb.error());
            assertFalse(Files.exists(out.resolve(".scratch")), "the partial copy and the scratch folder are gone");
            assertEquals(3, r.exitStatus(Severity.ERROR));
        }
    }

    @Test
    void aCaseOverItsAbsoluteBoundFailsWhateverTheRatio() throws IOException {
        List<Member> members = new ArrayList<>(goodCases());
        members.add(Member.bomb("tickets/big/lan.pcap", 6L << 20));
        members.add(Member.bomb("tickets/big/wan.pcap", 6L << 20));
        Path tgz = tmp.resolve("big.tgz");
        HostileInputs.tar(tgz, members, true);
        Extraction.Limits perCase = new Extraction.Limits(1_000_000, 1L << 30, 8L << 20);
        Path out = tmp.resolve("out");
        BatchRunner.Result r = BatchRunner.run(List.of(tgz), new BatchRunner.Options(out, 1, false).with(perCase), BatchListener.NONE);
        assertGoodCasesComplete(r, "big", out);
        CaseOutcome big = byName(r).get("big_tickets_big");
        assertTrue(big.failed() && big.error().contains("!tickets/big/wan.pcap: unpacks to more than 2 MiB")
                && big.error().contains("at most 8 MiB per case"), big.error());
    }

    @Test
    void atTheDefaultBoundABombWritesNoMoreThanTheBoundToDisk() throws Exception {
        long bomb = 256L << 20;
        Path zip = tmp.resolve("bomb.zip");
        HostileInputs.zip(zip, withBomb(bomb));
        long compressed = Files.size(zip);
        long bound = Extraction.Limits.DEFAULT.allowed(compressed, Extraction.DEFAULT_PER_CASE);
        assertEquals(Extraction.DEFAULT_FLOOR, bound, "a 256 MiB bomb of " + compressed + " bytes meets the 64 MiB floor");
        Path out = tmp.resolve("out");
        AtomicLong peak = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread watch = new Thread(() -> {
            while (running.get()) peak.accumulateAndGet(HostileInputs.bytesUnder(out.resolve(".scratch")), Math::max);
        });
        watch.start();
        BatchRunner.Result r;
        try {
            r = BatchRunner.run(List.of(zip), new BatchRunner.Options(out, 1, false), BatchListener.NONE);
        } finally {
            running.set(false);
            watch.join();
        }
        CaseOutcome c = byName(r).get("bomb_tickets_bomb");
        assertTrue(c.failed() && c.error().contains("unpacks to more than 64 MiB") && c.error().contains("at most 4 GiB per case"), c.error());
        assertTrue(peak.get() > 0, "the watcher saw the copy");
        // the bomb member plus the real members of the cases at hand: never the 256 MiB
        assertTrue(peak.get() <= bound + (4L << 20), "peak " + peak.get() + " bytes on disk against a bound of " + bound);
        assertFalse(Files.exists(out.resolve(".scratch")));
    }

    @Test
    void aTarGzDamagedNearItsEndYieldsTheCasesBeforeTheDamage() throws IOException {
        List<Member> members = new ArrayList<>(goodCases());
        members.add(Member.file("tickets/third/lan.pcap", Files.readAllBytes(BatchRunTest.SAMPLES.resolve("baseline/lan.pcap"))));
        byte[] noise = new byte[300_000];
        new Random(13).nextBytes(noise); // does not compress: the cut lands inside this member
        members.add(Member.file("tickets/third/wan.pcap", noise));
        Path whole = tmp.resolve("whole.tgz"), cut = tmp.resolve("cut.tgz");
        HostileInputs.tar(whole, members, true);
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 150_000));
        Path out = tmp.resolve("out");
        BatchRunner.Result r = BatchRunner.run(List.of(cut), new BatchRunner.Options(out, 2, false), BatchListener.NONE);
        assertGoodCasesComplete(r, "cut", out);
        // third/lan.pcap came out whole: without its damaged partner it is analysed as the LAN side alone
        assertEquals(3, r.cases().size(), r.cases().toString());
        CaseDiscovery.Unmatched damaged = r.unmatched().stream().filter(u -> u.file().endsWith("!tickets/third/wan.pcap"))
                .findFirst().orElseThrow(() -> new AssertionError(r.unmatched().toString()));
        assertTrue(damaged.broken() && damaged.reason().startsWith("incomplete: " + cut + ": archive is damaged after"), damaged.reason());
        CaseOutcome third = byName(r).get("cut_tickets_third");
        assertTrue(third != null && !third.failed() && third.rule().contains("no wan-side partner"), r.cases().toString());
        assertEquals(3, r.exitStatus(Severity.ERROR), "a damaged archive is a failure to report");
        String summary = Files.readString(out.resolve("summary.csv"));
        assertTrue(summary.lines().anyMatch(l -> l.contains("unreadable") && l.contains("third/wan.pcap")), summary);
    }

    /**
     * The check: one archive mixing every hostile item with the two good cases (as a tar.gz, then as a zip),
     * plus a manifest with hostile case names. The good cases are complete, each hostile item is a row with its
     * reason, and the files outside the output folder (a sentinel tree, the inputs) are unchanged: paths, sizes, mtimes.
     */
    @Test
    void aBatchMixingEveryHostileItemWithTwoGoodCases() throws IOException {
        Path sentinel = tmp.resolve("sentinel");
        Files.createDirectories(sentinel.resolve("a/b"));
        Files.writeString(sentinel.resolve("a/b/keep.txt"), "sentinel");
        Files.copy(BatchRunTest.SAMPLES.resolve("baseline/lan.pcap"), sentinel.resolve("secret.pcap"));
        byte[] wan = Files.readAllBytes(BatchRunTest.SAMPLES.resolve("baseline/wan.pcap"));
        List<Member> members = new ArrayList<>(withBomb(64L << 20));
        members.addAll(unsafeMembers());
        members.add(Member.text("tickets/junk/lan.pcap", "this is no capture".repeat(40)));
        members.add(Member.file("tickets/junk/wan.pcap", wan));
        members.add(Member.text("tickets/climb/case.properties", "capture.lan.file=../../../../../sentinel/secret.pcap\n"
                + "capture.wan.file=wan.pcap\n"));
        members.add(Member.file("tickets/climb/wan.pcap", wan));
        members.add(Member.text("tickets/cases.csv", "case,lan,wan,router,settings\n/etc,/etc/passwd,/etc/shadow,,\n"));
        members.addAll(insideCaseHostiles(wan));
        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        Path manifest = in.resolve("manifest.csv");
        Files.writeString(manifest, "case,lan,wan,router,settings\n\"" + sentinel + "\"," + BatchRunTest.SAMPLES.resolve("baseline/lan.pcap").toAbsolutePath()
                + "," + BatchRunTest.SAMPLES.resolve("baseline/wan.pcap").toAbsolutePath() + ",,\n../../sentinel,"
                + BatchRunTest.SAMPLES.resolve("baseline/lan.pcap").toAbsolutePath() + ",../secret-missing.pcap,,\n");
        Path tgz = in.resolve("hostile.tgz"), zip = in.resolve("hostile.zip");
        HostileInputs.tar(tgz, members, true);
        HostileInputs.zip(zip, members);
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Map<String, String> before = HostileInputs.listing(tmp, out);
        System.setProperty(DecompressionLimit.PROPERTY, String.valueOf(8L << 20));
        try {
            mixedBatch(tgz, zip, manifest, out, sentinel, before);
        } finally {
            System.clearProperty(DecompressionLimit.PROPERTY);
        }
    }

    private void mixedBatch(Path tgz, Path zip, Path manifest, Path out, Path sentinel, Map<String, String> before)
            throws IOException {
        for (Path archive : List.of(tgz, zip)) {
            BatchRunner.Result r = BatchRunner.run(List.of(archive, manifest),
                    new BatchRunner.Options(out, 2, true).with(SMALL), BatchListener.NONE);
            assertGoodCasesComplete(r, "hostile", out);
            Map<String, CaseOutcome> c = byName(r);
            assertTrue(c.get("hostile_tickets_bomb").error().contains("unpacks to more than"), rows(r));
            assertTrue(c.get("hostile_tickets_junk").error().contains("tickets/junk/lan.pcap: not a pcap or pcapng file"), rows(r));
            assertTrue(c.get("hostile_tickets_climb").error().contains("names a file outside the case's archive"), rows(r));
            CaseOutcome named = c.get(sentinel.toString().replace('/', '_'));
            assertEquals("ok", named.status(), rows(r));
            assertTrue(named.rule().contains("made safe as"), named.rule());
            CaseOutcome climbing = c.get("_.._sentinel");
            assertTrue(climbing.failed() && climbing.error().contains("secret-missing.pcap"), rows(r));
            assertTrue(reasonOf(r, "!../../escape/lan.pcap").contains("would leave"));
            assertTrue(reasonOf(r, "natrecon-abs-test/lan.pcap").contains("absolute path"));
            assertTrue(reasonOf(r, "!tickets/linked/lan.pcap").contains("symbolic link"));
            if (archive == tgz) assertTrue(reasonOf(r, "!tickets/linked/wan.pcap").contains("hard link"));
            assertTrue(reasonOf(r, "!tickets/cases.csv").contains("not a capture"));
            assertInsideCaseHostiles(c, out, r);
            assertEquals(3, r.exitStatus(Severity.ERROR));
            List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
            assertEquals(1 + r.cases().size() + r.unmatched().size(), summary.size());
            for (CaseDiscovery.Unmatched u : r.unmatched()) {
                assertTrue(summary.stream().anyMatch(l -> l.contains(u.file())), u.file() + " is a row of summary.csv");
            }
            assertEquals(before, HostileInputs.listing(tmp, out), "nothing outside the output folder changed");
            assertEquals("sentinel", Files.readString(sentinel.resolve("a/b/keep.txt")));
            try (Stream<Path> s = Files.walk(out)) {
                assertTrue(s.noneMatch(p -> p.getFileName().toString().equals("escape") || p.getFileName().toString().startsWith(".")),
                        "no unpacked traversal member and no temporary folder left in the output");
            }
        }
    }

    /**
     * The hostile cases whose damage is inside a capture, not in the archive: credentials folded across lines over
     * UDP and TCP, Markdown/HTML injection, a record header that lies about its length, a gzip bomb as a capture, a
     * SIP message with 5,000 headers. Each must be an ordinary case that completes with its bound named.
     */
    static List<Member> insideCaseHostiles(byte[] goodWan) throws IOException {
        List<Member> m = new ArrayList<>();
        for (String c : List.of("credentials", "markdown-injection")) {
            Path dir = Path.of("src/test/resources/cases", c);
            for (String f : List.of("case.properties", "lan.pcap", "wan.pcap")) {
                m.add(Member.file("tickets/" + c + "/" + f, Files.readAllBytes(dir.resolve(f))));
            }
        }
        m.add(Member.file("tickets/lying/lying-lan.pcap", Files.readAllBytes(Path.of("src/test/resources/cases/lying-lengths/lan.pcap"))));
        m.add(Member.file("tickets/lying/lying-wan.pcap", goodWan));
        m.add(Member.file("tickets/gzbomb/gzbomb-lan.pcap.gz", Bombs.bomb(Compression.GZIP, 5, 64L << 20)));
        m.add(Member.file("tickets/gzbomb/gzbomb-wan.pcap", goodWan));
        Path dir = Files.createTempDirectory("natrecon-hugesip");
        try {
            HostileCaptures.hugeSip(dir.resolve("l.pcap"), dir.resolve("w.pcap"), 5000);
            m.add(Member.file("tickets/hugesip/hugesip-lan.pcap", Files.readAllBytes(dir.resolve("l.pcap"))));
            m.add(Member.file("tickets/hugesip/hugesip-wan.pcap", Files.readAllBytes(dir.resolve("w.pcap"))));
        } finally {
            for (String f : List.of("l.pcap", "w.pcap")) Files.deleteIfExists(dir.resolve(f));
            Files.deleteIfExists(dir);
        }
        return m;
    }

    /** Each case of {@link #insideCaseHostiles} completed, its bound named, and no secret in any of its files. */
    static void assertInsideCaseHostiles(Map<String, CaseOutcome> c, Path out, BatchRunner.Result r) throws IOException {
        Map<String, String> named = Map.of("hostile_tickets_lying", "capture.record_too_large",
                "hostile_tickets_gzbomb", "capture.decompression_limit", "hostile_tickets_hugesip", "sip.too_many_headers");
        for (String name : List.of("hostile_tickets_credentials", "hostile_tickets_markdown-injection",
                "hostile_tickets_lying", "hostile_tickets_gzbomb", "hostile_tickets_hugesip")) {
            CaseOutcome o = c.get(name);
            assertTrue(o != null && "ok".equals(o.status()), name + ": " + rows(r));
            Path dir = out.resolve("cases").resolve(name);
            assertTrue(Files.isRegularFile(dir.resolve("report.html")), name + " has its report");
            if (named.containsKey(name)) {
                assertTrue(Files.readString(dir.resolve("summary.json")).contains(named.get(name)), name + " names " + named.get(name));
            }
        }
        try (Stream<Path> files = Files.walk(out.resolve("cases/hostile_tickets_credentials"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                for (String secret : HostileCases.SECRETS) assertFalse(text.contains(secret), secret + " in " + f);
            }
        }
    }

    static String rows(BatchRunner.Result r) {
        return r.cases().stream().map(c -> c.name() + " " + c.status() + " " + c.error()).collect(Collectors.joining("\n"));
    }
}
